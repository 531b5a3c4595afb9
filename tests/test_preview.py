"""`atscomms preview`: the gallery of examples/acme, exact pages, CSP, escaping, broken
templates, the content-hash cache."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from atscomms.cli.app import main
from atscomms.preview.index import SCRIPT
from tests.conftest import REPO

ACME = REPO / "examples" / "acme"
PERSONAS = ["campus-berlin", "executive-newyork", "missing-optional", "sms-optout"]
CSP_START = (
    '<meta http-equiv="Content-Security-Policy" content="default-src &#x27;none&#x27;; '
    "img-src data: &#x27;self&#x27;; style-src &#x27;unsafe-inline&#x27;;"
)
SUMMARY = re.compile(
    r"^preview: (\d+) pages of (\d+) templates "
    r"\((\d+) rendered, (\d+) unchanged, (\d+) failed\) in [\d.]+s -> (.+)$",
    re.M,
)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def counts(out: str) -> tuple[int, ...]:
    m = SUMMARY.search(out)
    assert m, out
    return tuple(int(x) for x in m.groups()[:5])


@pytest.fixture
def acme(tmp_path: Path) -> Path:
    """A private copy: preview writes its cache into the workspace."""
    return Path(shutil.copytree(ACME, tmp_path / "acme"))


@pytest.fixture(scope="module")
def gallery(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, int]:
    root = Path(shutil.copytree(ACME, tmp_path_factory.mktemp("ws") / "acme"))
    out = tmp_path_factory.mktemp("gallery") / "p"
    with pytest.raises(SystemExit) as exit_info:
        main(["preview", "-w", str(root), "--out", str(out)])
    return out, root.as_posix(), int(exit_info.value.code or 0)


def html_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_every_template_renders_for_every_persona_and_locale(gallery) -> None:
    out, _, code = gallery
    assert code == 0
    pages = [p for p in html_files(out) if "_views" not in p.parts and p.name != "index.html"]
    # 12 templates x 2 locales x 4 personas, and interview-invitation once per variant (a, b)
    assert len(pages) == 12 * 8 + 16
    assert sorted(p.name for p in (out / "talent-pool-nurture" / "de-DE").iterdir()) == [
        "_views",
        *(f"{p}.html" for p in PERSONAS),
    ]
    assert sorted(p.name for p in (out / "talent-pool-nurture" / "en-US" / "_views").iterdir()) == [
        f"{p}.{v}.html" for p in PERSONAS for v in ("dark", "email", "noimages", "nostyle")
    ]
    assert sorted(p.name for p in (out / "interview-invitation" / "en-US").iterdir()) == [
        "_views",
        *(f"{p}@{v}.html" for p in PERSONAS for v in ("a", "b")),
    ]
    assert sorted(p.name for p in (out / "interview-reminder-sms" / "en-US").iterdir()) == [
        f"{p}.html" for p in PERSONAS
    ]  # SMS: no email views
    assert (out / ".atscomms-preview").is_file()


def test_email_page_exact_inbox_line_and_views(gallery) -> None:
    out, _, _ = gallery
    page = (out / "talent-pool-nurture" / "en-US" / "executive-newyork.html").read_text()
    assert (
        '<div class="inbox-row"><span class="sender">Acme Recruiting</span>'
        '<span><span class="subject">New roles and news from Acme Corp</span>'
        '<span class="snippet"> – A short update for our talent community. Acme Corp Hi…'
        "</span></span></div>"
    ) in page
    assert (
        '<figcaption>Desktop · 600 px</figcaption><iframe src="_views/executive-newyork.email.html"'
        ' width="602" height="900" sandbox="allow-popups allow-popups-to-escape-sandbox"'
    ) in page
    assert (
        '<figcaption>Mobile · 375 px</figcaption><iframe src="_views/executive-newyork.email.html"'
        in page
    )
    for caption in ("Dark mode · 375 px", "Images off · 600 px", "No &lt;style&gt; · 600 px"):
        assert f'<figcaption>{caption}<span class="approx">approximation</span>' in page
    assert '<h2>Inbox line<span class="approx">approximation</span></h2>' in page
    assert "<h2>Plain-text part</h2><pre>Acme Corp\n\nHi Andrea,\n\nThank you" in page
    assert '<a href="../../index.html">&larr; All templates</a>' in page
    assert '<a href="../de-DE/campus-berlin.html">de-DE campus-berlin</a>' in page
    assert "<strong>en-US executive-newyork</strong>" in page


def test_sms_page_shows_phone_encoding_segments(gallery) -> None:
    out, _, _ = gallery
    page = (out / "interview-reminder-sms" / "de-DE" / "campus-berlin.html").read_text()
    assert '<h2>Phone<span class="approx">approximation</span></h2>' in page
    assert '<div class="from">Acme Recruiting</div>' in page
    assert (
        '<div class="bubble"><span class="seg1"><span class="seg-mark">1</span>'
        "Acme Recruiting: Hallo Lena,"
    ) in page
    assert "<tr><th>Encoding</th><td>GSM-7</td></tr>" in page
    assert "<tr><th>Segments</th><td>2 (template allows 2)</td></tr>" in page
    assert "<tr><th>Characters</th><td>221</td></tr>" in page
    assert "<tr><th>Non-GSM characters</th><td>none</td></tr>" in page


def test_index_lists_templates_with_filters_and_counts(gallery) -> None:
    out, _, _ = gallery
    index = (out / "index.html").read_text()
    assert index.count("<tr data-channel=") == 13
    assert (
        '<tr data-channel="sms" data-category="interview" data-locales="de-DE en-US" '
        'data-problems="0"><td><a href="interview-reminder-sms/en-US/campus-berlin.html">'
    ) in index
    assert '<a data-locale="de-DE" href="interview-invitation/de-DE/sms-optout%40b.html">' in index
    assert f"<script>{SCRIPT}</script>" in index
    for name in ("channel", "category", "locale", "problems"):
        assert f'name="{name}"' in index


def test_every_html_file_carries_the_csp_first(gallery) -> None:
    out, _, _ = gallery
    files = html_files(out)
    assert len(files) == 1 + 112 + 4 * (112 - 8)
    for path in files:
        text = path.read_text()
        assert text.count(CSP_START) == 1, path
        first_load = min(
            (i for i in (text.find("<style"), text.find("<img"), text.find("<link")) if i >= 0),
            default=len(text),
        )
        assert text.index(CSP_START) < first_load, path
        if "_views" not in path.parts:
            assert "frame-src &#x27;self&#x27;" in text or path.name == "index.html"


def test_second_run_comes_from_the_cache(gallery, capsys) -> None:
    out, root, _ = gallery
    code, stdout, _ = run(["preview", "-w", root, "--out", str(out)], capsys)
    assert code == 0
    assert counts(stdout) == (112, 13, 0, 112, 0)
    tmpl = Path(root) / "templates" / "rejection-after-screen.yaml"
    tmpl.write_text(tmpl.read_text().replace("Thank you", "Many thanks", 1))
    code, stdout, _ = run(["preview", "-w", root, "--out", str(out)], capsys)
    assert counts(stdout) == (112, 13, 8, 104, 0)  # only that template's 8 pages
    page = (out / "rejection-after-screen" / "en-US" / "sms-optout.html").read_text()
    assert "Many thanks" in page
    assert list((Path(root) / ".atscomms-cache" / "preview").glob("*.json"))


def test_file_bodies_are_part_of_the_cache_key(acme, tmp_path, capsys) -> None:
    (acme / "templates" / "plain.yaml").write_text(
        "kind: template\nid: plain\nname: Plain\nchannel: email\ncategory: transactional\n"
        "owner: a@acme.example\nsubject: Hello\nbody:\n  file: plain.html\n"
    )
    (acme / "templates" / "plain.html").write_text("<p>Version one</p>")
    out = tmp_path / "p"
    args = ["preview", "plain", "-w", str(acme), "--out", str(out), "--persona", "sms-optout"]
    run(args, capsys)
    (acme / "templates" / "plain.html").write_text("<p>Version two</p>")
    code, stdout, _ = run(args, capsys)
    assert counts(stdout)[2:4] == (2, 0)
    assert (
        "Version two" in (out / "plain" / "en-US" / "_views" / "sms-optout.email.html").read_text()
    )
    code, stdout, _ = run(args, capsys)
    assert counts(stdout)[2:4] == (0, 2)


def test_evil_persona_values_stay_inert_everywhere(acme, tmp_path, capsys) -> None:
    evil = "<script>alert(1)</script>{{7*7}}"
    persona = (acme / "personas" / "sms-optout.yaml").read_text()
    persona = persona.replace("id: sms-optout", "id: evil").replace(
        "candidate.first_name: Jordan", f"candidate.first_name: '{evil}'"
    )
    (acme / "personas" / "evil.yaml").write_text(persona)
    out = tmp_path / "p"
    code, stdout, _ = run(["preview", "-w", str(acme), "--out", str(out)], capsys)
    assert code == 0
    checked = 0
    for path in html_files(out):
        text = path.read_text()
        parser = _Collect()
        parser.feed(text)
        # the only script anywhere is the index's own filter script
        assert parser.scripts == ([SCRIPT] if path.name == "index.html" else []), path
        # the raw value only ever appears inside an attribute value (inert there)
        assert text.count(evil) == sum(v.count(evil) for v in parser.attr_values), path
        assert "alert(1)" not in "".join(parser.tags), path
        if "evil" in path.name:
            checked += 1
            assert "&lt;script&gt;alert(1)&lt;/script&gt;{{7*7}}" in text, path
            assert "Hi 49" not in text and "Hallo 49" not in text
    assert checked == 28 + 4 * 26  # 28 pages, 26 of them email pages with 4 views


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.attr_values: list[str] = []
        self.tags: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag + " ".join(k for k, _ in attrs))
        self.attr_values.extend(v for _, v in attrs if v)
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag) -> None:
        self._in_script = self._in_script and tag != "script"

    def handle_data(self, data) -> None:
        if self._in_script:
            self.scripts[-1] += data


def test_broken_template_shows_its_finding_and_exits_1(acme, tmp_path, capsys) -> None:
    path = acme / "templates" / "talent-pool-nurture.yaml"
    path.write_text(
        path.read_text().replace(
            "<p>Hi {{ candidate.first_name }},</p>", "<p>Hi {{ candidate.first_name }, {% if %}</p>"
        )
    )
    out = tmp_path / "p"
    code, stdout, err = run(["preview", "-w", str(acme), "--out", str(out)], capsys)
    assert code == 1
    assert counts(stdout) == (112, 13, 112, 0, 4)  # en-US x 4 personas; de-DE has its own body
    line = "templates/talent-pool-nurture.yaml:21:11: S014 template syntax error: unexpected '}'"
    assert err.splitlines() == [line]
    page = (out / "talent-pool-nurture" / "en-US" / "campus-berlin.html").read_text()
    assert (
        '<section class="findings"><h2>This message could not be rendered for this persona '
        "and locale</h2><ul><li><code>templates/talent-pool-nurture.yaml:21:11</code> "
        '<span class="sev-error">S014</span> template syntax error: unexpected &#x27;}&#x27;'
    ) in page
    assert "<iframe" not in page
    assert not (
        out / "talent-pool-nurture" / "en-US" / "_views" / "campus-berlin.email.html"
    ).exists()
    assert "<iframe" in (out / "talent-pool-nurture" / "de-DE" / "campus-berlin.html").read_text()
    index = (out / "index.html").read_text()
    assert '<span class="count-error">1 error(s)</span>' in index
    # still 1 from the cache: the findings are remembered
    code, stdout, err = run(["preview", "-w", str(acme), "--out", str(out)], capsys)
    assert (code, counts(stdout)[2], err.splitlines()) == (1, 0, [line])


def test_selection_filters_and_pruning(acme, tmp_path, capsys) -> None:
    out = tmp_path / "p"
    code, stdout, _ = run(
        ["preview", "offer-extended", "-w", str(acme), "--out", str(out), "--locale", "de-DE",
         "--persona", "campus-berlin", "--persona", "sms-optout"],
        capsys,
    )  # fmt: skip
    assert code == 0 and counts(stdout) == (2, 1, 2, 0, 0)
    assert sorted(p.name for p in (out / "offer-extended" / "de-DE").glob("*.html")) == [
        "campus-berlin.html",
        "sms-optout.html",
    ]
    (acme / "personas" / "sms-optout.yaml").unlink()
    run(["preview", "offer-extended", "-w", str(acme), "--out", str(out)], capsys)
    assert not (out / "offer-extended" / "de-DE" / "sms-optout.html").exists()
    assert not (out / "offer-extended" / "de-DE" / "_views" / "sms-optout.email.html").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope"], "unknown template 'nope'"),
        (
            ["--persona", "campus-berlim"],
            "unknown persona 'campus-berlim' (did you mean 'campus-berlin'?)",
        ),  # noqa: E501
        (["--locale", "fr-FR"], "unknown locale 'fr-FR'"),
        (["--port", "70000"], "--port: 70000 is not a port number"),
    ],
)
def test_usage_errors_exit_2(acme, tmp_path, capsys, args, message) -> None:
    code, _, err = run(["preview", "-w", str(acme), "--out", str(tmp_path / "p"), *args], capsys)
    assert code == 2
    assert err == f"atscomms: error: {message}\n"


def test_refuses_to_write_into_a_folder_that_is_not_a_gallery(acme, tmp_path, capsys) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    code, _, err = run(["preview", "-w", str(acme), "--out", str(tmp_path / "mine")], capsys)
    assert code == 2
    assert "is not empty and is not an atscomms preview folder" in err
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"


def test_default_out_and_open(acme, capsys, monkeypatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url))
    code, stdout, _ = run(["preview", "offer-extended", "-w", str(acme), "--open"], capsys)
    assert code == 0
    index = acme / "build" / "preview" / "index.html"
    assert stdout.rstrip().endswith(f"-> {index}")
    assert opened == [index.as_uri()]


def test_building_the_gallery_never_touches_the_network(acme, tmp_path, capsys, no_network):
    code, stdout, _ = run(["preview", "-w", str(acme), "--out", str(tmp_path / "p")], capsys)
    assert code == 0 and counts(stdout) == (112, 13, 112, 0, 0)
    assert no_network == []


def test_allow_remote_images_opts_in_and_rebuilds(acme, tmp_path, capsys) -> None:
    out = tmp_path / "p"
    args = ["preview", "offer-extended", "-w", str(acme), "--out", str(out), "--locale", "en-US"]
    run(args, capsys)
    code, stdout, _ = run([*args, "--allow-remote-images"], capsys)
    assert code == 0 and counts(stdout)[2] == 4  # a different policy: rebuilt
    view = (out / "offer-extended" / "en-US" / "_views" / "sms-optout.email.html").read_text()
    page = (out / "offer-extended" / "en-US" / "sms-optout.html").read_text()
    for text in (view, page):
        assert "img-src data: &#x27;self&#x27; https: http:;" in text


def test_parallel_workers_write_the_same_gallery(gallery, tmp_path, capsys) -> None:
    out, root, _ = gallery
    code, stdout, _ = run(["preview", "-w", root, "--out", str(tmp_path / "p"), "-j", "2"], capsys)
    assert code == 0 and counts(stdout)[:3] == (112, 13, 112)
    serial = {p.relative_to(out): p.read_bytes() for p in html_files(out)}
    parallel = {p.relative_to(tmp_path / "p"): p.read_bytes() for p in html_files(tmp_path / "p")}
    assert len(serial) == 1 + 112 + 4 * 104
    assert serial == parallel  # byte for byte
