"""F1xx rules (dynamic fields), in yamllint's style: a snippet in, exact positions out.

Each test copies tests/fixtures/lint/fields (a workspace that passes every F rule),
adds or replaces the snippet files, and lints with one rule selected.
"""

from __future__ import annotations

from pathlib import Path

from atscomms.providers.lint import Target, targets
from tests.conftest import FIXTURES
from tests.test_rules_legal import problems, run_lint

BASE = FIXTURES / "lint" / "fields"


def check(
    tmp_path: Path, files: dict[str, str], select: str, options: dict[str, dict] | None = None
) -> list[tuple[str, int, int, str]]:
    return problems(tmp_path, BASE, files, select, options)


def template(body: str, *, stage: str = "interview", subject: str = "Hello") -> str:
    return (
        "kind: template\nid: t\nchannel: email\ncategory: interview\n"
        f"stage: {stage}\nlayout: email\nsubject: {subject!r}\nbody:\n  html: |\n"
        + "".join(f"    {line}\n" for line in body.splitlines())
    )


ATS = """\
    name: Fields fixture
    brand:
      company_name: Acme Corp
      postal_address: 1 Market St, San Francisco, CA 94105
      privacy_url: https://acme.example/privacy
    locales: [en-US, de-DE]
    stages: [applied, interview, offer]
    environments:
      staging: {provider: local}
      gh: {provider: export, settings: {path: exports, dialect: greenhouse}}
    """


def test_fixture_passes_every_field_rule(tmp_path: Path) -> None:
    assert check(tmp_path, {}, "F1") == []


# -- F101 unknown-field -------------------------------------------------------------------


def test_f101_unknown_field_with_suggestion(tmp_path: Path) -> None:
    files = {"templates/t.yaml": template("<p>Hi {{ candidate.frist_name }} {{ jobs.title }}</p>")}
    assert check(tmp_path, files, "F101") == [
        ("templates/t.yaml", 10, 14, "F101"),
        ("templates/t.yaml", 10, 41, "F101"),
    ]
    found = run_lint(tmp_path, BASE, files, "F101")
    assert found[0].message == "unknown field `candidate.frist_name`"
    assert found[0].hint == "Did you mean `candidate.first_name`?"


def test_f101_builtins_loop_variables_and_group_tests(tmp_path: Path) -> None:
    body = (
        "{{ brand.company_name }} {{ locale }} {{ unsubscribe_url | default('') }}\n"
        "{% if interview %}{% for p in interview.interviewers %}{{ p }}{% endfor %}{% endif %}"
    )
    assert check(tmp_path, {"templates/t.yaml": template(body)}, "F101") == []


def test_f101_layout_names_only_in_layouts(tmp_path: Path) -> None:
    files = {
        "templates/t.yaml": template("{{ content }}"),
        "partials/p.yaml": "kind: partial\nid: p\nbody:\n  text: '{{ subject }} {{ job.titel }}'\n",
    }
    assert check(tmp_path, files, "F101") == [
        ("partials/p.yaml", 4, 13, "F101"),
        ("partials/p.yaml", 4, 27, "F101"),
        ("templates/t.yaml", 10, 8, "F101"),
    ]


def test_f101_position_in_locale_override(tmp_path: Path) -> None:
    files = {
        "templates/t.yaml": template("Hi")
        + "locales:\n  de-DE:\n    subject: 'Hallo {{ candidate.name }}'\n"
    }
    assert check(tmp_path, files, "F101") == [("templates/t.yaml", 13, 24, "F101")]


# -- F102 field-not-at-stage --------------------------------------------------------------


def test_f102_field_not_available_at_stage(tmp_path: Path) -> None:
    body = "See you {{ interview.start_at | date }}. {{ job.title }}"
    files = {"templates/t.yaml": template(body, stage="applied")}
    assert check(tmp_path, files, "F102") == [("templates/t.yaml", 10, 16, "F102")]


def test_f102_through_a_partial_points_at_the_include(tmp_path: Path) -> None:
    files = {"templates/t.yaml": template('Hi\n{% include "team" %}', stage="offer")}
    assert check(tmp_path, files, "F102") == [("templates/t.yaml", 11, 17, "F102")]
    [found] = run_lint(tmp_path, BASE, files, "F102")
    assert found.message == (
        "partial `team` uses `interview.interviewers` (only at interview): "
        "not available at stage `offer`"
    )


def test_f102_leaves_an_undeclared_stage_to_r006(tmp_path: Path) -> None:
    import shutil

    from atscomms.checks.config import LintConfig
    from atscomms.checks.engine import lint
    from atscomms.model.build import build

    root = tmp_path / "ws"
    shutil.copytree(BASE, root)
    body = "See you {{ interview.start_at | date }}."
    (root / "templates" / "t.yaml").write_text(template(body, stage="aplied"))
    ws, result = build(root)
    assert [(f.line, f.column, f.code) for f in result.findings] == [(5, 8, "R006")]
    found = lint(ws, result, LintConfig.build({}, select=["F102"])).result.findings
    assert found == []  # no F102 on top of R006 for every stage-bound field


def test_f102_right_stage_or_no_stage(tmp_path: Path) -> None:
    body = "{{ interview.start_at | date }}"
    no_stage = template(body).replace("stage: interview\n", "")
    assert check(tmp_path, {"templates/t.yaml": no_stage}, "F102") == []


# -- F103 missing-fallback ----------------------------------------------------------------


def test_f103_optional_field_without_fallback(tmp_path: Path) -> None:
    body = (
        "{{ recruiter.name }}\n"
        "{{ recruiter.name | default('us') }}\n"
        "{% if recruiter.name %}{{ recruiter.name | upper }}{% endif %}\n"
        "{% for p in interview.interviewers %}{{ p }}{% endfor %}"
    )
    assert check(tmp_path, {"templates/t.yaml": template(body)}, "F103") == [
        ("templates/t.yaml", 10, 8, "F103"),
        ("templates/t.yaml", 13, 17, "F103"),
    ]


def test_f103_in_partials(tmp_path: Path) -> None:
    files = {"partials/p.yaml": "kind: partial\nid: p\nbody:\n  text: 'By {{ recruiter.name }}'\n"}
    assert check(tmp_path, files, "F103") == [("partials/p.yaml", 4, 16, "F103")]


# -- F104 field-without-sample ------------------------------------------------------------


def test_f104_field_without_sample(tmp_path: Path) -> None:
    registry = (BASE / "fields.yaml").read_text() + "  - name: job.location\n    type: string\n"
    assert check(tmp_path, {"fields.yaml": registry}, "F104") == [("fields.yaml", 44, 11, "F104")]


# -- F105 unused-field --------------------------------------------------------------------


def test_f105_unused_field(tmp_path: Path) -> None:
    registry = (
        (BASE / "fields.yaml").read_text()
        + "  - name: candidate.middle_name\n    type: string\n    sample: J.\n"
        + "  - name: candidate.segment\n    type: string\n    sample: campus\n"
    )
    sequence = (
        (BASE / "sequences/loop.yaml")
        .read_text()
        .replace(
            "steps:",
            "segments:\n  - id: c\n    when: {field: candidate.segment, equals: campus}\nsteps:",
        )
    )
    files = {"fields.yaml": registry, "sequences/loop.yaml": sequence}
    # candidate.email is read by the sender (option `implicit`); candidate.timezone by a
    # sequence's timezone_fallbacks; candidate.segment by a segment condition
    assert check(tmp_path, files, "F105") == [("fields.yaml", 44, 11, "F105")]


def test_f105_used_only_by_a_template_in_a_locale_override(tmp_path: Path) -> None:
    registry = (BASE / "fields.yaml").read_text() + (
        "  - name: job.location\n    type: string\n    sample: Berlin\n"
    )
    files = {
        "fields.yaml": registry,
        "templates/t.yaml": template("x")
        + "locales:\n  de-DE:\n    subject: '{{ job.location }}'\n",
    }
    assert check(tmp_path, files, "F105") == []


# -- F106 pii-in-subject-or-sms -----------------------------------------------------------


def test_f106_pii_in_subject(tmp_path: Path) -> None:
    subject = "{{ candidate.email }} {% if recruiter.name %}{{ job.title }}{% endif %}"
    files = {"templates/t.yaml": template("x", subject=subject)}
    found = run_lint(tmp_path, BASE, files, "F106")
    assert [(f.line, f.column, f.code, str(f.severity)) for f in found] == [
        (7, 14, "F106", "warning"),  # contact
        (7, 59, "F106", "info"),  # employment; the `if` test shows nothing
    ]


def test_f106_pii_in_sms_and_allow(tmp_path: Path) -> None:
    sms = (
        "kind: template\nid: s\nchannel: sms\ncategory: offer\nstage: offer\n"
        "body:\n  text: 'Your offer: {{ offer.letter_url }} {{ candidate.timezone }}'\n"
    )
    files = {"templates/s.yaml": sms}
    assert check(tmp_path, files, "F106") == [("templates/s.yaml", 7, 25, "F106")]
    assert check(tmp_path, files, "F106", {"F106": {"allow": ["offer.letter_url"]}}) == []


def test_f106_body_is_fine(tmp_path: Path) -> None:
    files = {"templates/t.yaml": template("{{ candidate.email }}")}
    assert check(tmp_path, files, "F106") == []


# -- F107 unsupported-by-provider / F108 missing-provider-token ----------------------------
# Both report the dialect compilers' own problems (atscomms.providers.lint), for the
# dialect each environment compiles to: what lint reports is what plan and push block on.


def test_f107_ats_export_cannot_express_conditionals_loops_filters(tmp_path: Path) -> None:
    body = (
        "{% if recruiter.name %}{{ recruiter.name | upper }}{% endif %}\n"
        "{{ job.title | default('x') }}"
    )
    files = {"atscomms.yaml": ATS, "templates/t.yaml": template(body)}
    got = [p for p in check(tmp_path, files, "F107") if p[0] == "templates/t.yaml"]
    # token placeholders have no fallback either: the export writes a bare token
    assert got == [
        ("templates/t.yaml", 10, 8, "F107"),
        ("templates/t.yaml", 10, 48, "F107"),
        ("templates/t.yaml", 11, 20, "F107"),
    ]
    # the fixture's partial loops, the fixture's templates format dates and use `default`
    assert [p for p in check(tmp_path, files, "F107") if p[0] != "templates/t.yaml"] == [
        ("partials/team.yaml", 6, 8, "F107"),
        ("partials/team.yaml", 6, 43, "F107"),
        ("templates/interview.yaml", 8, 54, "F107"),
        ("templates/interview.yaml", 12, 43, "F107"),
        ("templates/interview.yaml", 12, 76, "F107"),
    ]
    found = [f for f in run_lint(tmp_path, BASE, files, "F107") if f.path == "templates/t.yaml"]
    assert [f.message for f in found] == [
        "environment `gh`: greenhouse cannot express conditionals (`{% if recruiter.name %}`)",
        "environment `gh`: greenhouse has no formatting: `recruiter.name | upper`",
        "environment `gh`: greenhouse placeholders have no fallback: `job.title | default(...)`",
    ]


def test_f107_full_providers_are_fine(tmp_path: Path) -> None:
    files = {"templates/t.yaml": template("{% if recruiter.name %}{{ recruiter.name }}{% endif %}")}
    assert check(tmp_path, files, "F107") == []


def test_f107_constants_are_compiled_away(tmp_path: Path) -> None:
    # `brand.*` is known when compiling: no conditional, no filter reaches the ATS
    body = "{% if brand.sms_sender %}{{ brand.company_name | upper }}{% endif %}"
    files = {"atscomms.yaml": ATS, "templates/t.yaml": template(body)}
    assert [p for p in check(tmp_path, files, "F107") if p[0] == "templates/t.yaml"] == []


def test_f107_what_no_dialect_compiles(tmp_path: Path) -> None:
    body = (
        "{% for p in interview.interviewers %}{% for q in interview.interviewers %}"
        "{{ q }}{% endfor %}{% endfor %}\n"
        "{% for p in interview.interviewers %}{{ p | upper }}{% endfor %}"
    )
    files = {"templates/t.yaml": template(body)}  # environment `staging`: local, handlebars
    assert check(tmp_path, files, "F107") == [
        ("templates/t.yaml", 10, 45, "F107"),  # the inner `for`
        ("templates/t.yaml", 11, 49, "F107"),  # `upper` on a loop item
    ]


def test_f107_mustachio_conditions_on_loop_items(tmp_path: Path) -> None:
    config = ATS.replace(
        "gh: {provider: export, settings: {path: exports, dialect: greenhouse}}",
        "pm: {provider: postmark, credentials: {server_token: POSTMARK_TOKEN}}",
    )
    body = "{% for p in interview.interviewers %}{% if p %}{{ p }}{% endif %}{% endfor %}"
    files = {"atscomms.yaml": config, "templates/t.yaml": template(body)}
    assert check(tmp_path, files, "F107") == [("templates/t.yaml", 10, 45, "F107")]
    [found] = run_lint(tmp_path, BASE, files, "F107")
    assert found.message == "environment `pm`: mustachio cannot express conditions on loop items"


def test_f107_only_channels_the_provider_takes(tmp_path: Path) -> None:
    config = ATS.replace("staging: {provider: local}\n", "").replace(
        "gh: {provider: export, settings: {path: exports, dialect: greenhouse}}",
        "sg: {provider: sendgrid, settings: {dialect: greenhouse}}",  # no such setting
    )
    sms = (
        "kind: template\nid: s\nchannel: sms\ncategory: interview\nstage: interview\n"
        "body:\n  text: 'Acme: {% for p in interview.interviewers %}{% for q in "
        "interview.interviewers %}{{ q }}{% endfor %}{% endfor %}'\n"
    )
    files = {"atscomms.yaml": config, "templates/s.yaml": sms}
    assert check(tmp_path, files, "F107") == []  # SendGrid sends no SMS


def test_f108_field_without_ats_token(tmp_path: Path) -> None:
    body = "{{ candidate.first_name }} {{ job.title }} {{ interview.start_at }}"
    files = {"atscomms.yaml": ATS, "templates/t.yaml": template(body)}
    got = [p for p in check(tmp_path, files, "F108") if p[0] == "templates/t.yaml"]
    assert got == [("templates/t.yaml", 10, 51, "F108")]
    assert check(tmp_path, {"templates/t.yaml": template(body)}, "F108") == []


def test_f108_inside_constructs_and_not_for_unknown_fields(tmp_path: Path) -> None:
    body = (
        "{% if recruiter.name %}{{ interview.start_at }}{% endif %} "
        "{{ offer.letter_url | default('') }} {{ candidate.frist_name }}"
    )
    files = {"atscomms.yaml": ATS, "templates/t.yaml": template(body)}
    got = [p for p in check(tmp_path, files, "F108") if p[0] == "templates/t.yaml"]
    # F101 reports candidate.frist_name
    assert got == [("templates/t.yaml", 10, 31, "F108"), ("templates/t.yaml", 10, 67, "F108")]


def test_targets_follow_the_provider_plugins() -> None:
    assert targets(
        {
            "a": {"provider": "export", "settings": {"dialect": "lever"}},
            "b": {"provider": "local"},
            "c": {"provider": "export", "settings": {"ats": "lever"}},  # not a setting
            "d": {"provider": "postmark"},
            "e": {"provider": "sendgrid", "settings": {"dialect": "lever"}},  # ignored
            "f": {"provider": "not-installed"},
            "g": {"provider": "local", "settings": {"dialect": "klingon"}},
        }
    ) == [
        Target("a", "export", "lever", ("email", "sms")),
        Target("b", "local", "handlebars", ("email", "sms")),
        Target("c", "export", "greenhouse", ("email", "sms")),
        Target("d", "postmark", "mustachio", ("email",)),
        Target("e", "sendgrid", "handlebars", ("email",)),
    ]
