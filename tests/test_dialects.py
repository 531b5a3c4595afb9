"""Dialect compilers: tokens, Mustachio, standalone lines, reverse translation, and one source
of truth for what a dialect cannot express (lint F107/F108, dialect_problems, plan)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from atscomms.checks.config import LintConfig
from atscomms.checks.engine import lint
from atscomms.checks.registry import all_rules
from atscomms.model.build import build
from atscomms.providers.compile import Compiler
from atscomms.providers.dialects import DIALECTS, emitter
from atscomms.providers.dialects.emit import guard_standalone
from atscomms.providers.dialects.ir import CompileContext
from atscomms.providers.dialects.reverse import from_handlebars, from_tokens
from atscomms.providers.engine import make_plan
from atscomms.providers.lint import dialect_problems
from atscomms.providers.registry import environment
from atscomms.providers.state import State
from atscomms.rendering.engine import Engine

ACME = Path(__file__).resolve().parents[1] / "examples" / "acme"
TOKENS = {"candidate.first_name": "CANDIDATE_FIRST_NAME", "job.title": "JOB_NAME"}


def tree(source: str, html: bool = False):
    engine = Engine("en-US", lambda name: None)
    ctx = CompileContext(
        engine.parse, lambda n: None, {"brand": {"company_name": "Acme & Co"}}, "en-US"
    )
    return ctx.compile(source, html=html, resource="template:t"), ctx


def emit(dialect: str, source: str, html: bool = False):
    nodes, _ = tree(source, html)
    e = emitter(dialect)
    if dialect in ("greenhouse", "lever", "smartrecruiters", "teamtailor", "opencats"):
        from atscomms.providers.dialects.emit import Tokens

        e = Tokens(dialect, TOKENS)
    return e.emit(nodes), [p.message for p in e.problems]


def test_ats_token_syntaxes():
    src = "Hi {{ candidate.first_name }}, {{ job.title }} at {{ brand.company_name }}"
    assert emit("greenhouse", src) == ("Hi {{CANDIDATE_FIRST_NAME}}, {{JOB_NAME}} at Acme & Co", [])
    assert emit("smartrecruiters", src)[0] == "Hi [CANDIDATE_FIRST_NAME], [JOB_NAME] at Acme & Co"
    assert emit("teamtailor", src)[0] == "Hi {CANDIDATE_FIRST_NAME}, {JOB_NAME} at Acme & Co"
    assert emit("opencats", src)[0] == "Hi %CANDIDATE_FIRST_NAME%, %JOB_NAME% at Acme & Co"


def test_token_dialects_report_what_they_cannot_express():
    _, problems = emit(
        "greenhouse",
        "{% if job.title %}x{% endif %}{{ x.y | upper }}"
        "{{ job.title | default('a') }}{{ recruiter.name }}",
    )
    assert problems == [
        "greenhouse cannot express conditionals (`{% if job.title %}`)",
        "greenhouse has no formatting: `x.y | upper`",
        "field `x.y` has no greenhouse token in the field registry",  # without `upper` too
        "greenhouse placeholders have no fallback: `job.title | default(...)`",
        "field `recruiter.name` has no greenhouse token in the field registry",
    ]


def test_token_dialects_look_inside_conditionals_and_loops():
    nodes, _ = tree(
        "{% if job.title %}{{ x | upper }}{% endif %}"
        "{% for p in people %}{{ p | lower }}{{ job.title }}{% endfor %}"
    )
    from atscomms.providers.dialects.emit import Tokens

    e = Tokens("lever", TOKENS)
    e.emit(nodes)
    assert [(p.code, p.column, p.message) for p in e.problems] == [
        ("F107", 4, "lever cannot express conditionals (`{% if job.title %}`)"),
        ("F107", 26, "lever has no formatting: `x | upper`"),
        ("F108", 22, "field `x` has no lever token in the field registry"),
        ("F107", 48, "lever cannot express loops (`{% for ... in people %}`)"),
        ("F107", 73, "lever has no formatting: `p | lower`"),
    ]


def test_handlebars_and_mustachio_shapes():
    src = (
        "{{ a.b | default('x') }}{% if c %}C{% elif d %}D{% else %}E{% endif %}"
        "{% for p in people %}{{ p }}{{ a.b }}{% endfor %}{{ when | date('short') }}"
    )
    hb, _ = emit("handlebars", src)
    assert hb == (
        "{{#if a.b}}{{{a.b}}}{{else}}x{{/if}}{{#if c}}C{{else}}{{#if d}}D{{else}}E"
        "{{/if}}{{/if}}{{#each people}}{{{this}}}{{{@root.a.b}}}{{/each}}"
        "{{{when__date_short}}}"
    )
    mu, _ = emit("mustachio", src)
    assert mu.startswith("{{#a.b}}{{{.}}}{{/a.b}}{{^a.b}}x{{/a.b}}{{#c}}C{{/c}}{{^c}}{{#d}}")
    assert "{{#each people}}{{{.}}}{{{../../a.b}}}{{/each}}" in mu


def test_html_escaping_matches_autoescape():
    hb, _ = emit("handlebars", "<b>{{ brand.company_name }}</b>{{ x }}", html=True)
    assert hb == "<b>Acme &amp; Co</b>{{x}}"


def test_standalone_block_lines_are_kept():
    assert guard_standalone("a\n  {{#if x}}\n  b\n  {{/if}}\nc") == (
        "a\n  {{!}}{{#if x}}\n  b\n  {{!}}{{/if}}\nc"
    )
    assert guard_standalone("a {{#if x}}b{{/if}}") == "a {{#if x}}b{{/if}}"


def test_reverse_translation():
    text, warnings = from_handlebars(
        "Hi {{#if a.b}}{{a.b}}{{else}}A &amp; B{{/if}} {{#each xs}}{{this}}{{/each}}"
        "{{#unless c}}n{{/unless}}{{d__upper}}{{formatDate x}}"
    )
    assert text == (
        'Hi {{ a.b | default("A & B") }} {% for item in xs %}{{ item }}{% endfor %}'
        "{% if not c %}n{% endif %}{{ d | upper }}{# unsupported: formatDate x #}"
    )
    assert warnings == ["unsupported construct kept as a comment: {{formatDate x}}"]
    text, _ = from_tokens("Dear {{CANDIDATE_FIRST_NAME}} {{OTHER}}", "greenhouse", TOKENS)
    assert text == 'Dear {{ candidate.first_name }} {{ "{{OTHER}}" }}'


def test_dialect_problems_on_acme():
    ws, _ = build(ACME)
    assert dialect_problems(ws, "handlebars") == []
    assert dialect_problems(ws, "mustachio") == []
    problems = dialect_problems(ws, "greenhouse")
    assert problems and {f.code for f in problems} == {"F107", "F108"}  # no unregistered F005
    assert any("cannot express conditionals" in f.message for f in problems)
    assert {f.path for f in problems} >= {"templates/offer-extended.yaml"}


# -- one source of truth: lint (F107/F108), dialect_problems and plan agree ---------------

AGREE_CONFIG = """\
name: Agreement
brand:
  company_name: Acme Corp
  postal_address: 1 Market St, San Francisco, CA 94105
  privacy_url: https://acme.example/privacy
  sms_sender: Acme Recruiting
locales: [en-US, de-DE]
stages: [applied, interview, offer]
environments:
  target: {{provider: local, settings: {{path: .atscomms/providers/target, dialect: {dialect}}}}}
"""
ATS = ("greenhouse", "lever", "smartrecruiters", "teamtailor", "opencats")
ALL_TOKENS = "{" + ", ".join(f"{a}: T_{i}" for i, a in enumerate(ATS)) + "}"
AGREE_FIELDS = f"""\
kind: fields
fields:
  - {{name: candidate.first_name, type: string, required: true, sample: Ada, tokens: {ALL_TOKENS}}}
  - {{name: job.title, type: string, required: true, sample: Engineer, tokens: {ALL_TOKENS}}}
  - {{name: job.location, type: string, required: true, sample: Berlin}}
  - {{name: recruiter.name, type: string, sample: Sam, tokens: {ALL_TOKENS}}}
  - name: interview.start_at
    type: datetime
    required: true
    sample: "2026-12-08T14:00:00+01:00"
    tokens: {ALL_TOKENS}
  - name: interview.interviewers
    type: list
    required: true
    sample: [Maya, Tobias]
    tokens: {ALL_TOKENS}
  - name: candidate.address.city
    type: string
    required: true
    sample: Berlin
    tokens: {{greenhouse: CITY, smartrecruiters: city, teamtailor: city, opencats: CITY}}
"""
AGREE_LAYOUT = """\
kind: layout
id: email
channel: email
body:
  html: |
    <html><head><title>{{ subject }}</title></head><body>{{ content }}
    <p>{{ brand.company_name }}, {{ brand.postal_address }}
    <a href="{{ brand.privacy_url }}">Privacy</a></p></body></html>
"""
AGREE_PARTIAL = """\
kind: partial
id: team
channel: email
body:
  html: |
    {% if interview.interviewers %}<ul>
    {% for person in interview.interviewers %}<li>{{ person }}</li>{% endfor %}</ul>{% endif %}
"""
LOGIC = ("handlebars", "mustachio")
#: construct -> (template body, subject, expected codes: handlebars, mustachio, ATS tokens);
#: codes of the template and of the partials it includes, from plan.
CONSTRUCTS: dict[str, tuple[str, str, tuple[set[str], set[str], set[str]]]] = {
    "if-elif-else": (
        "{% if recruiter.name %}{{ recruiter.name }}{% elif job.title %}{{ job.title }}"
        "{% else %}us{% endif %}",
        "Hello",
        (set(), set(), {"F107"}),
    ),
    "for": (
        "{% for p in interview.interviewers %}{{ p }} {% endfor %}",
        "Hello",
        (set(), set(), {"F107"}),
    ),
    "filters": (
        "{{ interview.start_at | date }} {{ job.title | upper }}",
        "{{ job.title | lower }}",
        (set(), set(), {"F107"}),
    ),
    "default": ('{{ recruiter.name | default("our team") }}', "Hello", (set(), set(), {"F107"})),
    "include": ('{% include "team" %}', "Hello", (set(), set(), {"F107"})),
    "nested-fields": (
        "{{ candidate.first_name }} {{ candidate.address.city }}",
        "Hello",
        (set(), set(), set()),
    ),  # lever: F108, see below
    "no-token": ("{{ job.location }}", "Hello", (set(), set(), {"F108"})),
    "constants": (
        "{% if brand.sms_sender %}{{ brand.company_name | upper }}{% endif %}",
        "{{ brand.company_name }}",
        (set(), set(), set()),
    ),
    "nested-loop": (
        "{% for p in interview.interviewers %}{% for q in interview.interviewers %}"
        "{{ q }}{% endfor %}{% endfor %}",
        "Hello",
        ({"F107"}, {"F107"}, {"F107"}),
    ),
    "loop-filter": (
        "{% for p in interview.interviewers %}{{ p | upper }}{% endfor %}",
        "Hello",
        ({"F107"}, {"F107"}, {"F107"}),
    ),
    "loop-condition": (
        "{% for p in interview.interviewers %}{% if p %}{{ p }}{% endif %}{% endfor %}",
        "Hello",
        (set(), {"F107"}, {"F107"}),
    ),
    "set": ("{% set x = 1 %}{{ job.title }}", "Hello", ({"F001"}, {"F001"}, {"F001"})),
    "call": ("{{ job.title.upper() }}", "Hello", ({"F001"}, {"F001"}, {"F001"})),
    "unsafe": ("{{ job._secret }}", "Hello", ({"F002"}, {"F002"}, {"F002"})),
    "no-constant": ("{{ brand.nowhere }}", "Hello", ({"F003"}, {"F003"}, {"F003"})),
    "literal-braces": ('{{ "{{" }} x', "Hello", ({"F107"}, {"F107"}, set())),
    "mjml": (  # an `mjml:` body without a layout (see _agreement_workspace)
        "<mj-section><mj-column><mj-text>{% if recruiter.name %}Hi {{ recruiter.name }}"
        "{% endif %}</mj-text></mj-column></mj-section>",
        "Hello",
        (set(), set(), {"F107"}),
    ),
}
#: every code a compile problem can carry (the renderer reports the non-F1xx ones too)
COMPILE_CODES = ["F001", "F002", "F003", "F101", "F107", "F108", "R001", "S014", "C001"]
POSITION = re.compile(r"^(.+?):(\d+):(\d+): ([A-Z]\d{3}) ")


def _agreement_workspace(root: Path, dialect: str) -> None:
    files = {
        "atscomms.yaml": AGREE_CONFIG.format(dialect=dialect),
        "fields.yaml": AGREE_FIELDS,
        "layouts/email.yaml": AGREE_LAYOUT,
        "partials/team.yaml": AGREE_PARTIAL,
    }
    for name, (body, subject, _) in CONSTRUCTS.items():
        layout, fmt = ("", "mjml") if name.startswith("mjml") else ("layout: email\n", "html")
        files[f"templates/{name}.yaml"] = (
            f"kind: template\nid: {name}\nchannel: email\ncategory: interview\n{layout}"
            f"subject: {json.dumps(subject)}\nbody:\n  {fmt}: |\n    {body}\n"
        )
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("dialect", DIALECTS)
def test_lint_plan_and_dialect_problems_agree(tmp_path, monkeypatch, dialect):
    monkeypatch.setenv("ATSCOMMS_NO_CACHE", "1")
    root = tmp_path / "ws"
    _agreement_workspace(root, dialect)
    ws, result = build(root)
    assert [f for f in result.findings if f.severity >= 2] == [], "the workspace must be valid"

    found = lint(ws, result, LintConfig.build({}, select=COMPILE_CODES), jobs=1).result.findings
    linted = {(f.path, f.line, f.column, f.code) for f in found}

    _, provider = environment(ws, "target")
    plan = make_plan(
        ws, "target", provider, State(root, "target"), Compiler(ws, dialect, cache=False)
    )
    matches = [POSITION.match(line) for lines in plan.problems.values() for line in lines]
    assert all(matches), plan.problems  # every line: `path:line:col: CODE message`
    planned = {(m[1], int(m[2]), int(m[3]), m[4]) for m in matches if m}

    listed = {(f.path, f.line, f.column, f.code) for f in dialect_problems(ws, dialect)}
    assert planned == listed
    assert linted == planned  # same codes at the same positions
    registered = {rule.code for rule in all_rules()}
    assert {code for *_, code in planned} <= registered

    family = LOGIC.index(dialect) if dialect in LOGIC else 2
    for name, (_, _, expected) in CONSTRUCTS.items():
        paths = {f"templates/{name}.yaml"}
        if name == "include":
            paths.add("partials/team.yaml")
        got = {code for path, _, _, code in planned if path in paths}
        want = set(expected[family])
        if name == "nested-fields" and dialect == "lever":
            want = {"F108"}  # candidate.address.city has no lever token
        assert got == want, (name, dialect, sorted(p for p in planned if p[0] in paths))
        if want:
            assert name in plan.problems  # plan blocks the template
