"""Rendering: exact output, escaping, the sandbox, missing values, offline."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from atscomms.model.build import build
from atscomms.rendering.render import Renderer
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def ws():
    workspace, result = build(FIXTURES / "render")
    assert result.findings == []
    return workspace


def render(ws, template: str, **kw):
    return Renderer(ws).render(
        ws.templates[template],
        persona=ws.personas.get(kw.pop("persona", "")),
        **kw,
    )


def test_text_part_exact(ws) -> None:
    out = render(ws, "invite")
    assert out.findings == []
    assert out.subject == "Your interview for Data Engineer"
    assert out.preheader == "Tuesday, December 8, 2026 at 2:00 PM"
    assert out.text == (
        "Hi Ada,\n"
        "We look forward to meeting you on Tuesday, December 8, 2026. "
        "View the details (https://acme.example/i)\n"
        "Best, Sam\n"
        "Acme Corp, 1 Market St, San Francisco, CA 94105 · "
        "Privacy notice (https://acme.example/privacy)\n"
    )
    assert '<html lang="en-US"' in out.html
    assert "Tuesday, December 8, 2026 at 2:00 PM" in out.html  # hidden preheader div


def test_locale_falls_back_and_partials_follow_locale(ws) -> None:
    out = render(ws, "invite", persona="lena")
    assert out.locale == "de-DE"
    assert out.subject == "Ihr Interview für Data Engineer"
    assert out.preheader == "Dienstag, 8. Dezember 2026, 14:00 Uhr"
    assert "Viele Grüße, Ihr Acme-Team" in out.text
    assert '<html lang="de-DE"' in out.html


def test_variant_overrides_subject(ws) -> None:
    assert render(ws, "invite", variant="b").subject == "Ada, your interview is booked"


def test_sms(ws) -> None:
    out = render(ws, "reminder-sms")
    assert out.html is None and out.subject is None
    assert out.sms.to_dict() == {
        "text": "Acme Recruiting: Hi Ada, see you 2:00 PM. Reply STOP to opt out.",
        "encoding": "GSM-7",
        "segments": 1,
        "characters": 64,
        "non_gsm": [],
    }


def test_values_are_escaped_in_html_and_literal_in_subject(ws) -> None:
    out = render(ws, "invite", persona="evil", variant="b")
    payload = "<script>alert(1)</script>{{7*7}}"
    assert out.subject == payload + ", your interview is booked"  # no escaping, no evaluation
    assert _tags(out.html).isdisjoint({"script"})  # text and attribute values only
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{7*7}}" in out.html
    assert "49" not in out.html
    assert "Sam &amp; Co" in out.html


def _tags(html: str) -> set[str]:
    from html.parser import HTMLParser

    seen: set[str] = set()

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: object) -> None:
            seen.add(tag)

    Collector().feed(html)
    return seen


def test_missing_value_is_a_finding_at_the_field(ws) -> None:
    out = render(ws, "thanks", persona="lena")
    assert [(f.path, f.line, f.column, f.code, f.message) for f in out.findings] == [
        (
            "templates/thanks.yaml",
            11,
            65,
            "F003",
            "no value for `recruiter.name` in persona 'lena'",
        )
    ]
    assert out.html is None and out.subject == "Thanks, Lena"


def _workspace_with(tmp_path: Path, body: str, subject: str = "Hi") -> Path:
    root = tmp_path / "ws"
    shutil.copytree(FIXTURES / "render", root)
    (root / "templates" / "x.yaml").write_text(
        "kind: template\nid: x\nchannel: email\ncategory: interview\nlayout: email\n"
        f"subject: {json.dumps(subject)}\nbody:\n  mjml: |\n"
        + "".join(f"    {line}\n" for line in body.splitlines())
    )
    return root


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<mj-text>{{ ''.__class__.__mro__ }}</mj-text>", [(9, 20, "F002")]),
        (
            "<mj-text>\n{{ x.__class__.__mro__[1].__subclasses__() }}\n</mj-text>",
            [(10, 10, "F002")],
        ),
        ("<mj-text>{{ cycler.__init__.__globals__ }}</mj-text>", [(9, 17, "F002")]),
        ("<mj-text>{{ self.__init__ }}</mj-text>", [(9, 17, "F002")]),
        ("<mj-text>{{ config }}</mj-text>", [(9, 17, "F002")]),
        ("<mj-text>{{ job['__class__'] }}</mj-text>", [(9, 22, "F002")]),
    ],
)
def test_ssti_payloads_are_refused_and_never_run(tmp_path, body, expected) -> None:
    ws, _ = build(_workspace_with(tmp_path, body))
    out = Renderer(ws).render(ws.templates["x"])
    assert [(f.line, f.column, f.code) for f in out.findings] == expected
    assert out.html is None


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<mj-text>{{ 7*7 }}</mj-text>", [(9, 18, "F001")]),
        ("<mj-text>{{ job.title | replace('a', 'b') }}</mj-text>", [(9, 29, "F001")]),
        ("<mj-text>{% set x = 1 %}{{ x }}</mj-text>", [(9, 17, "F001")]),
        ('<mj-text>{% if job.title == "x" %}y{% endif %}</mj-text>', [(9, 17, "F001")]),
    ],
)
def test_non_portable_constructs_are_reported_at_their_column(tmp_path, body, expected) -> None:
    ws, _ = build(_workspace_with(tmp_path, body))
    out = Renderer(ws).render(ws.templates["x"])
    assert [(f.line, f.column, f.code) for f in out.findings][:1] == expected


def test_template_syntax_error_position(tmp_path) -> None:
    ws, _ = build(_workspace_with(tmp_path, "<mj-text>\nHi {{ candidate.first_name }\n</mj-text>"))
    out = Renderer(ws).render(ws.templates["x"])
    assert [(f.line, f.column, f.code) for f in out.findings] == [(10, 5, "S014")]


def test_mjml_error_is_a_finding(tmp_path) -> None:
    ws, _ = build(_workspace_with(tmp_path, "<mj-section><mj-column><mj-text>x</mj-column>"))
    out = Renderer(ws).render(ws.templates["x"])
    assert [f.code for f in out.findings] == ["C001"]
    assert out.html is None


def test_mj_include_cannot_leave_the_workspace(tmp_path) -> None:
    ws, _ = build(_workspace_with(tmp_path, '<mj-include path="../../../etc/passwd" />'))
    out = Renderer(ws).render(ws.templates["x"])
    assert [f.code for f in out.findings] == ["C001"]
    assert "unable to load included template" in out.findings[0].message


def test_rendering_never_touches_the_network(tmp_path, no_network) -> None:
    body = (
        '<mj-section><mj-column><mj-image src="https://tracker.example/p.gif" alt="" />'
        "<mj-text>Hi</mj-text></mj-column></mj-section>"
    )
    root = _workspace_with(tmp_path, body)
    layout = root / "layouts" / "email.yaml"
    layout.write_text(
        layout.read_text().replace(
            "<mj-head>",
            '<mj-head><mj-font name="Raleway" href="https://fonts.example/css?family=Raleway" />'
            "<mj-style>@import url(https://fonts.example/x.css); .a { color: red }</mj-style>",
        )
    )
    ws, _ = build(root)
    for engine in ("css-inline", "premailer"):
        out = Renderer(ws, inliner=engine).render(ws.templates["x"])
        assert out.findings == []
        assert "fonts.example/css" not in out.html  # the web-font link is dropped


def test_datetimes_are_shown_in_the_candidates_time_zone(tmp_path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(FIXTURES / "render", root)
    (root / "personas" / "ny.yaml").write_text(
        "kind: persona\nid: ny\nlocale: en-US\ntimezone: America/New_York\n"
        "fields:\n  candidate.first_name: Sam\n  interview.start_at: '2026-12-08T14:00:00+01:00'\n"
    )
    ws, _ = build(root)
    out = Renderer(ws).render(ws.templates["invite"], persona=ws.personas["ny"])
    assert out.preheader == "Tuesday, December 8, 2026 at 8:00 AM"


def test_mjml_error_points_at_the_template_not_its_layout(tmp_path) -> None:
    root = _workspace_with(tmp_path, "<mj-section><mj-column><mj-text>x</mj-column>")
    ws, _ = build(root)
    out = Renderer(ws).render(ws.templates["x"])
    assert [(f.path, f.code) for f in out.findings] == [("templates/x.yaml", "C001")]
