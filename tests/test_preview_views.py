"""Preview views and page pieces: exact string transforms, the inbox line, the CSP."""

from __future__ import annotations

from atscomms.preview import views
from atscomms.preview.index import SCRIPT, SCRIPT_HASH
from atscomms.preview.pages import inbox

EMAIL = (
    '<!DOCTYPE html><html lang="en"><head><title>T</title>'
    '<style>.a{color:red}</style><link rel="stylesheet" href="https://x.test/s.css"></head>'
    '<body><img src="https://t.test/pixel.gif" width="1" height="1" alt="">'
    '<img src="https://x.test/logo.png" alt="Acme &amp; Co <logo>" width="120" height="40">'
    "<img src='https://x.test/hero.png' style=\"width:300px\">"
    '<td background="https://x.test/bg.png" style="background-image:url(https://x.test/b.png);'
    'color:#000">cell</td></body></html>'
)


def test_csp_blocks_remote_images_and_scripts_by_default() -> None:
    policy = views.csp()
    assert policy == (
        "default-src 'none'; img-src data: 'self'; style-src 'unsafe-inline'; font-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
    assert "img-src data: 'self' https: http:;" in views.csp(True)
    assert views.csp(frames=True).endswith("; frame-src 'self'")
    assert views.csp(scripts=("sha256-abc",)).endswith("; script-src 'sha256-abc'")


def test_csp_meta_comes_before_anything_that_loads() -> None:
    doc = views.document(EMAIL, views.csp())
    assert doc.startswith(
        '<!DOCTYPE html><html lang="en"><head><meta http-equiv="Content-Security-Policy" '
        'content="default-src &#x27;none&#x27;; img-src data: &#x27;self&#x27;; '
    )
    assert doc.index("Content-Security-Policy") < doc.index("<style>") < doc.index("<img")
    fragment = views.document("<p>Hi</p>", "default-src 'none'")
    assert fragment.startswith("<!DOCTYPE html><html><head><meta http-equiv=")
    assert fragment.endswith("<body><p>Hi</p></body></html>")


def test_no_style_removes_style_blocks_and_stylesheets_only() -> None:
    out = views.no_style(EMAIL)
    assert "<style" not in out and "stylesheet" not in out
    assert 'style="background-image:url(https://x.test/b.png);color:#000"' in out


def test_images_off_replaces_images_by_alt_text_boxes() -> None:
    out = views.images_off(EMAIL)
    assert "<img" not in out
    assert "url(" not in out and "background=" not in out
    assert "Acme &amp; Co &lt;logo&gt;</span>" in out  # alt text stays escaped
    assert 'width:120px;max-width:100%;min-height:40px;" title="alt text">' in out
    assert 'width:300px;max-width:100%;min-height:20px;color:#b42318;">' in out
    assert out.count("[image without alt text]") == 1  # alt="" is decorative, not missing


def test_images_off_alt_text_cannot_become_markup() -> None:
    out = views.images_off('<img alt="<script>alert(1)</script>" src="x.png">')
    assert "<script>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out


def test_dark_mode_uses_the_emails_own_dark_styles_or_inverts() -> None:
    own = views.dark(
        "<html><head><style>@media (prefers-color-scheme: dark){.a{color:#fff}}"
        "@media (prefers-color-scheme: light){.a{color:#000}}</style></head></html>"
    )
    assert own.how == "own-styles"
    assert "@media (min-width: 0px){.a{color:#fff}}@media (max-width: 0px)" in own.doc
    inverted = views.dark(EMAIL)
    assert inverted.how == "inverted"
    assert "<head><style>html{filter:invert(1) hue-rotate(180deg)" in inverted.doc
    notes = views.views(EMAIL, views.csp())
    assert list(notes) == ["email", "dark", "noimages", "nostyle"]
    assert all(doc.count("Content-Security-Policy") == 1 for doc, _ in notes.values())


def test_inbox_line_truncates_like_an_inbox() -> None:
    box = inbox(
        "Acme Recruiting Team Worldwide",
        "Your interview for Data Engineer",
        "Tuesday, December 8",
        "Acme Corp\n\nHi Ada,\nSee the details (https://acme.example/i) and more text here.\n",
    )
    assert box.sender == "Acme Recruiting Tea…"
    assert box.subject == "Your interview for Data Engineer"
    assert box.snippet == "Tuesday, December 8 Acme Corp Hi Ada, See the details…"  # no url
    assert len(box.subject) + 3 + len(box.snippet) <= 90
    long = inbox("A", "x" * 120, "pre", None)
    assert long.subject == "x" * 89 + "…" and long.snippet == ""
    assert inbox("A", None, None, None).line == "A | (no subject)"


def test_index_script_hash_matches_the_script() -> None:
    import base64
    import hashlib

    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    assert f"sha256-{digest}" == SCRIPT_HASH
