"""C rules (email clients and accessibility), in yamllint's style: a YAML snippet in,
exact ``(line, column, code)`` out. Each test copies ``tests/fixtures/lint/clients/base``
(``base/``, a clean workspace: MJML layout ``email``, clients gmail/outlook/apple-mail/yahoo),
adds ``templates/t.yaml`` and lints with ``--select C``."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest

from atscomms.checks.clients import caniemail, css, scan
from atscomms.checks.config import LintConfig
from atscomms.checks.engine import lint
from atscomms.findings import Finding, Severity
from atscomms.model.build import build

FIXTURE = Path(__file__).parent / "fixtures" / "lint" / "clients" / "base"
BAD = FIXTURE.parent / "bad"
T = "templates/t.yaml"

# 7 lines: the body key is on line 8 and the first line of a block body on line 10.
HEAD = """\
kind: template
id: t
channel: email
category: transactional
layout: email
subject: Your application
preheader: We have your application and will reply within a week.
"""
# Same for HTML bodies without a layout (6 lines: body on 7, first body line on 9).
HTML_HEAD = """\
kind: template
id: t
channel: email
category: transactional
subject: Your application
preheader: We have your application and will reply within a week.
"""
TEXT = "Thank you for applying to Example Co. We read every application and reply within a week."


@pytest.fixture(autouse=True)
def _no_lint_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATSCOMMS_NO_CACHE", "1")


def run(
    tmp_path: Path,
    template: str | None = None,
    *,
    files: dict[str, str] | None = None,
    clients: str | None = None,
    lint_config: str = "",
    select: str = "C",
) -> list[Finding]:
    root = tmp_path / "ws"
    shutil.copytree(FIXTURE, root)
    if template is not None:
        (root / T).write_text(template, encoding="utf-8")
    for rel, text in (files or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    config = root / "atscomms.yaml"
    text = config.read_text(encoding="utf-8")
    if clients is not None:
        text = text.replace("clients: [gmail, outlook, apple-mail, yahoo]", f"clients: {clients}")
    config.write_text(text + lint_config, encoding="utf-8")
    ws, result = build(root, None)
    lint(ws, result, LintConfig.build(ws.config.lint, select=[select]))
    return result.sorted()


def keys(findings: list[Finding], path: str = T) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.code) for f in findings if f.path == path]


def mjml(body: str, head: str = HEAD) -> str:
    return head + "body:\n  mjml: |\n" + textwrap.indent(textwrap.dedent(body), "    ")


def html(body: str, head: str = HTML_HEAD) -> str:
    return head + "body:\n  html: |\n" + textwrap.indent(textwrap.dedent(body), "    ")


def page(content: str, *, lang: str = ' lang="en"', title: str = "<title>Hi</title>") -> str:
    """An HTML document: doctype on the first body line (9), content from line 13."""
    return (
        f"<!doctype html>\n<html{lang}>\n<head>{title}</head>\n<body>\n{content}\n"
        "</body>\n</html>\n"
    )


def text_section(extra: str = "") -> str:
    """Three lines of MJML (10-12 in the template); ``extra`` goes at the end of line 11."""
    return (
        f"<mj-section><mj-column><mj-text>\n  <p>{TEXT}</p>{extra}\n"
        "</mj-text></mj-column></mj-section>\n"
    )


# -- the fixture itself ------------------------------------------------------------------------


def test_fixture_workspace_is_clean(tmp_path: Path) -> None:
    assert run(tmp_path) == []


# -- C100 unknown-email-client -----------------------------------------------------------------


def test_c100_unknown_client_with_did_you_mean(tmp_path: Path) -> None:
    found = run(tmp_path, clients="[gmial, outlook.windows, outlook.palm]")
    assert keys(found, "atscomms.yaml") == [(11, 11, "C100"), (11, 35, "C100")]
    assert found[0].hint == "Did you mean `gmail`?"
    assert "outlook.windows" not in found[1].message


def test_c100_known_clients(tmp_path: Path) -> None:
    assert run(tmp_path, clients="[gmail, outlook.windows, samsung-email]") == []


# -- C101 unsupported-layout-feature -----------------------------------------------------------


def test_c101_display_flex(tmp_path: Path) -> None:
    found = run(tmp_path, mjml(text_section('\n  <div style="display:flex">Next steps</div>')))
    assert keys(found) == [(12, 19, "C101")]
    f = found[0]
    assert f.severity == Severity.ERROR
    assert f.message.startswith("display:flex is not supported in Outlook (Windows 2019, ")
    assert "Gmail (iOS" in f.message and "Not supported with non Google accounts." in f.message


def test_c101_not_for_clients_that_support_it(tmp_path: Path) -> None:
    body = mjml(text_section('\n  <div style="display:flex">Next steps</div>'))
    assert run(tmp_path, body, clients="[apple-mail]") == []


# -- MSO conditional comments ------------------------------------------------------------------

MSO_ONLY = '<!--[if mso]><div style="display:flex">Outlook</div><![endif]-->'
NOT_MSO = '<!--[if !mso]><!--><div style="display:flex">Others</div><!--<![endif]-->'


def test_mso_conditional_content_is_checked_for_outlook_on_windows_only(tmp_path: Path) -> None:
    found = run(tmp_path, html(page(f"<p>{TEXT}</p>\n{MSO_ONLY}")), clients="[outlook]")
    assert keys(found) == [(14, 30, "C101")]
    assert "Outlook (Windows 2019, Windows Mail 2019-02)" in found[0].message
    # Gmail never sees what is inside <!--[if mso]>
    assert run(tmp_path / "g", html(page(f"<p>{TEXT}</p>\n{MSO_ONLY}")), clients="[gmail]") == []


def test_mso_hidden_content_is_not_checked_for_outlook_on_windows(tmp_path: Path) -> None:
    # Outlook on Windows never sees it; Outlook's other apps support flex.
    assert run(tmp_path, html(page(f"<p>{TEXT}</p>\n{NOT_MSO}")), clients="[outlook]") == []
    found = run(tmp_path / "g", html(page(f"<p>{TEXT}</p>\n{NOT_MSO}")), clients="[gmail]")
    assert keys(found) == [(14, 36, "C104")]


# -- C102 unsupported-feature ------------------------------------------------------------------


def test_c102_webp_image(tmp_path: Path) -> None:
    image = '\n  <mj-image src="https://example.com/team.webp" alt="Our team" />'
    found = run(tmp_path, mjml(text_section() + image))
    assert keys(found) == [(14, 46, "C102")]
    assert found[0].message.startswith("webP image format is not supported in Outlook (Windows")


def test_c102_png_image_is_fine(tmp_path: Path) -> None:
    image = '\n  <mj-image src="https://example.com/team.png" alt="Our team" />'
    assert run(tmp_path, mjml(text_section() + image)) == []


def test_c102_author_media_query_but_not_mjmls_own(tmp_path: Path) -> None:
    # MJML's responsive `@media only screen and (min-width:480px)` is in every email;
    # only the author's own query is reported.
    layout = (FIXTURE / "layouts/email.yaml").read_text(encoding="utf-8")
    layout = layout.replace(
        "      </mj-head>",
        "        <mj-style>@media (max-width:480px) { .wide { font-size:18px } }</mj-style>\n"
        "      </mj-head>",
    )
    found = run(tmp_path, mjml(text_section()), files={"layouts/email.yaml": layout})
    assert keys(found, "layouts/email.yaml") == [(10, 19, "C102")]
    assert run(tmp_path / "plain", mjml(text_section())) == []


# -- C103 unsupported-cosmetic-feature ---------------------------------------------------------

BUTTON = '<mj-button href="https://example.com/jobs/status"{}>Check your status</mj-button>'


def test_c103_border_radius_written_by_the_author(tmp_path: Path) -> None:
    body = text_section() + BUTTON.format(' border-radius="20px"')
    found = run(tmp_path, mjml(body))
    assert keys(found) == [(13, 55, "C103")]
    assert found[0].severity == Severity.INFO
    assert "RoundRect" in found[0].message  # caniemail's note, by number


def test_c103_mjml_default_border_radius_is_not_reported(tmp_path: Path) -> None:
    # mj-button renders `border-radius:3px` by itself: MJML's choice, not the author's.
    assert run(tmp_path, mjml(text_section() + BUTTON.format(""))) == []


# -- C104 partially-supported-feature ----------------------------------------------------------


def test_c104_partial_support_with_notes(tmp_path: Path) -> None:
    link = '\n  <a href="https://example.com/jobs" style="text-decoration:underline">Open jobs</a>'
    found = run(tmp_path, mjml(text_section(link)))
    assert keys(found) == [(12, 49, "C104")]
    message = found[0].message
    assert "Not supported with multiple values." in message
    assert "overline" not in message  # a note about a keyword the template does not use


def test_c104_notes_that_cannot_apply_are_dropped(tmp_path: Path) -> None:
    # Every caniemail note on lists is about <ol>: an <ul> is not affected.
    found = run(tmp_path, mjml(text_section("\n  <ul><li>Step one</li></ul>")))
    assert found == []
    found = run(tmp_path / "ol", mjml(text_section("\n  <ol><li>Step one</li></ol>")))
    assert keys(found) == [(12, 8, "C104")]
    assert "`reversed`" in found[0].message


def test_c104_not_for_mjml_attributes(tmp_path: Path) -> None:
    # Partial support of font-size in Outlook: MJML's markup takes care of it.
    body = f'<mj-section><mj-column><mj-text font-size="18px">{TEXT}</mj-text></mj-column>'
    body += "</mj-section>"
    assert run(tmp_path, mjml(body)) == []


def test_one_finding_per_feature_and_template_across_locales(tmp_path: Path) -> None:
    body = mjml(text_section('\n  <div style="display:flex">Next</div>'))
    body += "locales:\n  de-DE:\n    subject: Ihre Bewerbung\n"
    found = run(tmp_path, body)
    assert keys(found) == [(12, 19, "C101")]


# -- newest version: the last entry in file order ----------------------------------------------


def mini_data(versions: dict[str, str]) -> dict:
    return {
        "api_version": "1.0.4",
        "last_update_date": "2024-01-01",
        "nicenames": {"family": {"outlook": "Outlook"}, "platform": {"windows": "Windows"}},
        "data": [
            {
                "slug": "css-display-flex",
                "title": "display:flex",
                "category": "css",
                "url": "https://www.caniemail.com/features/css-display-flex/",
                "stats": {"outlook": {"windows": versions}},
                "notes": None,
                "notes_by_num": {"1": "A note."},
            }
        ],
    }


def test_newest_version_is_the_last_in_file_order() -> None:
    # Sorted as text, "2020" > "2019" > "10": the wrong one.
    versions = json.loads('{"2019": "y", "2020": "y", "10": "n #1"}')
    assert caniemail.newest(versions) == ("10", "n #1")
    db = caniemail.Database(caniemail.compact(mini_data(versions)))
    (issue,) = db.issues(("outlook",))["css-display-flex"]
    assert (issue.version, issue.support, issue.notes) == ("10", "n", ("1",))
    newer = caniemail.Database(caniemail.compact(mini_data({"2020": "n", "10": "y"})))
    assert newer.issues(("outlook",)) == {}


def test_newest_version_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = mjml(text_section('\n  <div style="display:flex">Next</div>'))
    fixed = caniemail.Database(caniemail.compact(mini_data({"2020": "n", "10": "y"})))
    monkeypatch.setattr(caniemail, "load", lambda: fixed)
    assert run(tmp_path, body, clients="[outlook]") == []
    broken = caniemail.Database(caniemail.compact(mini_data({"2020": "y", "10": "n #1"})))
    monkeypatch.setattr(caniemail, "load", lambda: broken)
    found = run(tmp_path / "2", body, clients="[outlook]")
    assert keys(found) == [(12, 19, "C101")]
    expected = "display:flex is not supported in Outlook (Windows 10). Notes: A note."
    assert found[0].message == expected


# -- the shipped data --------------------------------------------------------------------------


def test_shipped_data_is_pinned_with_its_licence() -> None:
    data_dir = Path(caniemail.__file__).parent / "data"
    assert "MIT License" in (data_dir / "LICENSE.caniemail").read_text(encoding="utf-8")
    db = caniemail.load()
    assert db.version.startswith("caniemail@")
    assert {"gmail", "outlook", "apple-mail", "yahoo"} <= set(db.families)
    assert db.issues(("outlook",))["css-display-flex"]


def test_every_detected_feature_exists_in_the_data() -> None:
    db = caniemail.load()
    produced = set(scan._TAGS.values()) | set(scan._ATTRS.values())
    produced |= {s for slugs in css._ALIASES.values() for s in slugs}
    produced |= set(css._FUNCTIONS.values()) | set(css._KEYWORDS.values())
    produced |= set(css._AT.values()) | {f for _, _, f in css._MEDIA_FEATURES}
    produced |= set(css._DISPLAY.values())
    assert produced - set(db.features) == set()


def test_css_walks_nested_at_rules() -> None:
    sheet = "@media (max-width:480px) { @supports (display:grid) { .a > .b { gap: 4px } } }"
    slugs = {slug for slug, _ in css.stylesheet(sheet)}
    assert {"css-at-media", "css-at-supports", "css-selector-child", "css-gap"} <= slugs


# -- C201 gmail-clipping -----------------------------------------------------------------------


def big(kb: int) -> str:
    para = f"<p>{TEXT}</p>\n"
    return "".join(para for _ in range(kb * 1024 // len(para)))


def test_c201_warning_from_90_kb(tmp_path: Path) -> None:
    found = run(tmp_path, html(page(big(95))))
    assert keys(found) == [(7, 1, "C201")]
    assert found[0].severity == Severity.WARNING


def test_c201_error_above_102_kb(tmp_path: Path) -> None:
    found = run(tmp_path, html(page(big(110))))
    assert keys(found) == [(7, 1, "C201")]
    assert found[0].severity == Severity.ERROR


def test_c201_small_email(tmp_path: Path) -> None:
    assert run(tmp_path, html(page(big(60)))) == []


# -- C202 style-block-too-large ----------------------------------------------------------------


def style_page(kb: int) -> str:
    rules = "".join(f".c{i} {{ color: #111111; }}\n" for i in range(kb * 1024 // 24))
    style = "<style>\n@media (max-width:480px) {\n" + rules + "}\n</style>\n"
    return page(f"<p>{TEXT}</p>", title="<title>Hi</title>\n" + style)


def test_c202_style_block_over_16_kb(tmp_path: Path) -> None:
    found = run(tmp_path, html(style_page(17)), select="C202")
    assert keys(found) == [(12, 6, "C202")]


def test_c202_small_style_block(tmp_path: Path) -> None:
    assert run(tmp_path, html(style_page(8)), select="C202") == []


# -- C203 missing-html-lang, C204 missing-title ------------------------------------------------


def test_c203_missing_lang(tmp_path: Path) -> None:
    found = run(tmp_path, html(page(f"<p>{TEXT}</p>", lang="")))
    assert keys(found) == [(10, 6, "C203")]


def test_c203_lang_present(tmp_path: Path) -> None:
    assert run(tmp_path, html(page(f"<p>{TEXT}</p>"))) == []


def test_c204_missing_title(tmp_path: Path) -> None:
    found = run(tmp_path, html(page(f"<p>{TEXT}</p>", title="")))
    assert keys(found) == [(11, 6, "C204")]
    assert "no <title>" in found[0].message


def test_c204_empty_mjml_title_points_at_the_layout(tmp_path: Path) -> None:
    layout = (FIXTURE / "layouts/email.yaml").read_text(encoding="utf-8")
    layout = layout.replace("<mj-title>{{ subject }}</mj-title>", "<mj-title> </mj-title>")
    found = run(tmp_path, mjml(text_section()), files={"layouts/email.yaml": layout})
    assert keys(found, "layouts/email.yaml") == [(8, 10, "C204")]
    assert "empty <title>" in found[0].message


# -- C205 click-here-link ----------------------------------------------------------------------


def test_c205_click_here(tmp_path: Path) -> None:
    link = '\n  To check your status, <a href="https://example.com/s">click here</a>.'
    found = run(tmp_path, mjml(text_section(link)))
    assert keys(found) == [(12, 61, "C205")]


def test_c205_read_more_button_and_options(tmp_path: Path) -> None:
    body = text_section() + '<mj-button href="https://example.com/s">Read more →</mj-button>'
    assert keys(run(tmp_path, mjml(body))) == [(13, 45, "C205")]
    options = "lint:\n  options:\n    C205:\n      phrases: [click here]\n"
    assert run(tmp_path / "2", mjml(body), lint_config=options) == []


def test_c205_descriptive_link(tmp_path: Path) -> None:
    link = '\n  <a href="https://example.com/s">Check your application status</a>'
    assert run(tmp_path, mjml(text_section(link))) == []


# -- C206 image-missing-alt --------------------------------------------------------------------


def test_c206_image_without_alt(tmp_path: Path) -> None:
    body = text_section() + '<mj-image src="https://example.com/a.png" />\n'
    body += '<mj-raw><img src="https://example.com/b.png"></mj-raw>'
    assert keys(run(tmp_path, mjml(body))) == [(13, 6, "C206"), (14, 14, "C206")]


def test_c206_decorative_image_with_empty_alt(tmp_path: Path) -> None:
    body = text_section() + '<mj-image src="https://example.com/a.png" alt="" />'
    assert run(tmp_path, mjml(body)) == []


def test_c206_in_a_partial_is_reported_once(tmp_path: Path) -> None:
    partial = (
        "kind: partial\nid: logo\nchannel: email\nbody:\n"
        '  mjml: <mj-image src="https://example.com/logo.png" />\n'
    )
    body = text_section() + '{% include "logo" %}'
    found = run(tmp_path, mjml(body), files={"partials/logo.yaml": partial})
    assert keys(found, "partials/logo.yaml") == [(5, 10, "C206")]


# -- C207 layout-table-role --------------------------------------------------------------------


def test_c207_layout_table_without_role(tmp_path: Path) -> None:
    found = run(tmp_path, html(page(f"<table><tr><td>{TEXT}</td></tr></table>")))
    assert keys(found) == [(13, 6, "C207")]


def test_c207_presentation_and_data_tables(tmp_path: Path) -> None:
    tables = (
        f'<table role="presentation"><tr><td>{TEXT}</td></tr></table>\n'
        "<table><tr><th>Day</th><th>Time</th></tr><tr><td>Mon</td><td>10:00</td></tr></table>"
    )
    assert run(tmp_path, html(page(tables))) == []


# -- C208 bad-link -----------------------------------------------------------------------------


def test_c208_bad_links(tmp_path: Path) -> None:
    links = (
        '\n  <a href="#">Status</a> <a href="javascript:go()">Go</a>'
        '\n  <a href="http://example.com/s">Status</a> <a href="">Jobs</a>'
        '\n  <a href="https://example.com/s"></a>'
    )
    found = run(tmp_path, mjml(text_section(links)))
    assert keys(found) == [
        (12, 16, "C208"),
        (12, 39, "C208"),
        (13, 16, "C208"),
        (13, 52, "C208"),
        (14, 8, "C208"),
    ]
    assert [str(f.severity) for f in found] == ["warning", "error", "warning", "warning", "warning"]


def test_c208_good_links(tmp_path: Path) -> None:
    links = (
        '\n  <a href="https://example.com/s">Status</a>'
        ' <a href="mailto:jobs@example.com">Mail us</a>'
        '\n  <a href="{{ brand.privacy_url }}">Privacy</a>'
        '\n  <a href="https://example.com/">'
        '<img src="https://example.com/l.png" alt="Example Co"></a>'
    )
    assert run(tmp_path, mjml(text_section(links))) == []


# -- C209 missing-preheader --------------------------------------------------------------------


def test_c209_no_preheader_in_any_locale(tmp_path: Path) -> None:
    head = HEAD.replace("preheader: We have your application and will reply within a week.\n", "")
    assert keys(run(tmp_path, mjml(text_section(), head=head))) == [(6, 1, "C209")]


def test_c209_preheader_in_one_locale_is_enough(tmp_path: Path) -> None:
    head = HEAD.replace("preheader: We have your application and will reply within a week.\n", "")
    body = mjml(text_section(), head=head)
    body += "locales:\n  de-DE:\n    preheader: Wir melden uns innerhalb einer Woche.\n"
    assert run(tmp_path, body) == []


# -- C210 missing-text-part, C211 image-only-email ---------------------------------------------


def test_c210_email_without_text(tmp_path: Path) -> None:
    body = page('<img src="https://example.com/offer.png" alt="">')
    found = run(tmp_path, html(body))
    assert keys(found) == [(7, 1, "C210"), (7, 1, "C211")]


def test_c211_mostly_images(tmp_path: Path) -> None:
    body = page('<img src="https://example.com/offer.png" alt="">\n<p>See the offer above.</p>')
    found = run(tmp_path, html(body))
    assert keys(found) == [(7, 1, "C211")]
    assert "20 characters of text" in found[0].message


def test_c211_enough_text(tmp_path: Path) -> None:
    body = page(f'<img src="https://example.com/offer.png" alt="">\n<p>{TEXT} {TEXT}</p>')
    assert run(tmp_path, html(body)) == []


# -- the scanner -------------------------------------------------------------------------------


def test_scan_facts() -> None:
    s = scan.scan(
        '<!doctype html><html lang="de"><head><title>T</title><style>p{color:red}</style>'
        '</head><body><img src="a.png"><!--[if mso]><img src="b.png"><![endif]--></body></html>'
    )
    assert (s.lang, s.title, s.styles, s.images) == ("de", "T", [12], 1)
    assert s.features["image-png"] == scan.ALL
    assert s.features["image-png"] == scan.ALL
    assert "html-doctype" not in s.features  # harmless everywhere: not checked


def test_c101_rule_inlined_from_a_style_sheet(tmp_path: Path) -> None:
    # `.cta { display:flex }` reaches the client as an inline style (after inlining);
    # the finding points at the rule as written in the layout.
    layout = (FIXTURE / "layouts/email.yaml").read_text(encoding="utf-8")
    layout = layout.replace(
        "      </mj-head>",
        "        <mj-style>.cta { display: flex; }</mj-style>\n      </mj-head>",
    )
    body = f'<mj-section><mj-column><mj-text css-class="cta">{TEXT}</mj-text>'
    body += "</mj-column></mj-section>"
    found = run(tmp_path, mjml(body), files={"layouts/email.yaml": layout})
    # Only once: `clean.yaml` does not use the class, and MJML's own
    # `display:inline-block` is not mistaken for the author's `display: flex`.
    assert keys(found, "layouts/email.yaml") == [(10, 26, "C101")]


def test_c204_title_present(tmp_path: Path) -> None:
    assert run(tmp_path, html(page(f"<p>{TEXT}</p>")), select="C204") == []


def test_c210_text_present(tmp_path: Path) -> None:
    body = page(f'<img src="https://example.com/offer.png" alt="">\n<p>{TEXT}</p>')
    assert run(tmp_path, html(body), select="C210") == []


def test_bad_workspace_yields_exactly_the_expected_findings() -> None:
    """``bad/`` holds at least one violation of every C1xx/C2xx rule."""
    ws, result = build(BAD, None)
    lint(ws, result, LintConfig.build(ws.config.lint, select=["C"]))
    got = [[f.path, f.line, f.column, f.code, str(f.severity)] for f in result.sorted()]
    expected = json.loads((BAD.parent / "bad.expected.json").read_text(encoding="utf-8"))
    assert got == expected
    from atscomms.checks.registry import select

    codes = {r.code for r in select(["C1", "C2"])}
    assert codes <= {row[3] for row in expected}


def test_c103_features_option_moves_cosmetic_features_to_c102(tmp_path: Path) -> None:
    body = mjml(text_section() + BUTTON.format(' border-radius="20px"'))
    options = "lint:\n  options:\n    C103:\n      features: []\n"
    assert keys(run(tmp_path, body, lint_config=options)) == [(13, 55, "C102")]
