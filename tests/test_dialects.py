"""Dialect compilers: tokens, Mustachio, standalone lines, reverse translation, lint hook."""

from __future__ import annotations

from pathlib import Path

from atscomms.model.build import build
from atscomms.providers.dialects import emitter
from atscomms.providers.dialects.emit import guard_standalone
from atscomms.providers.dialects.ir import CompileContext
from atscomms.providers.dialects.reverse import from_handlebars, from_tokens
from atscomms.providers.lint import dialect_problems
from atscomms.rendering.engine import Engine

ACME = Path(__file__).resolve().parents[1] / "examples" / "acme"
TOKENS = {"candidate.first_name": "CANDIDATE_FIRST_NAME", "job.title": "JOB_NAME"}


def tree(source: str, html: bool = False):
    engine = Engine("en-US", lambda name: None)
    ctx = CompileContext(engine.parse, lambda n: None, {"brand": {"company_name": "Acme & Co"}},
                         "en-US")
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
    _, problems = emit("greenhouse", "{% if job.title %}x{% endif %}{{ x.y | upper }}"
                       "{{ job.title | default('a') }}{{ recruiter.name }}")
    assert problems == [
        "greenhouse cannot express conditionals (`{% if job.title %}`)",
        "greenhouse has no formatting: `x.y | upper`",
        "greenhouse placeholders have no fallback: `job.title | default(...)`",
        "field `recruiter.name` has no greenhouse token in the field registry",
    ]


def test_handlebars_and_mustachio_shapes():
    src = ("{{ a.b | default('x') }}{% if c %}C{% elif d %}D{% else %}E{% endif %}"
           "{% for p in people %}{{ p }}{{ a.b }}{% endfor %}{{ when | date('short') }}")
    hb, _ = emit("handlebars", src)
    assert hb == ("{{#if a.b}}{{{a.b}}}{{else}}x{{/if}}{{#if c}}C{{else}}{{#if d}}D{{else}}E"
                  "{{/if}}{{/if}}{{#each people}}{{{this}}}{{{@root.a.b}}}{{/each}}"
                  "{{{when__date_short}}}")
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
    assert text == ('Hi {{ a.b | default("A & B") }} {% for item in xs %}{{ item }}{% endfor %}'
                    "{% if not c %}n{% endif %}{{ d | upper }}{# unsupported: formatDate x #}")
    assert warnings == ["unsupported construct kept as a comment: {{formatDate x}}"]
    text, _ = from_tokens("Dear {{CANDIDATE_FIRST_NAME}} {{OTHER}}", "greenhouse", TOKENS)
    assert text == 'Dear {{ candidate.first_name }} {{ "{{OTHER}}" }}'


def test_lint_hook_on_acme():
    ws, _ = build(ACME)
    assert dialect_problems(ws, "handlebars") == []
    problems = dialect_problems(ws, "greenhouse")
    assert problems and all(f.code == "F005" for f in problems)
    assert any("cannot express conditionals" in f.message for f in problems)
    assert {f.path for f in problems} >= {"templates/offer-extended.yaml"}
