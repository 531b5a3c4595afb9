"""Schema errors land on the exact key or value, with the best oneOf branch."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from atscomms.loading.schemas import KINDS, schema
from atscomms.loading.validate import validate
from atscomms.loading.yamlsafe import load


def check(kind: str, src: str) -> list[tuple[int, int, str]]:
    doc = load("t.yaml", src.encode())
    assert doc.ok, doc.findings
    return [(f.line, f.column, f.code) for f in validate(doc, kind)]


def messages(kind: str, src: str) -> list[tuple[str, str | None]]:
    doc = load("t.yaml", src.encode())
    return [(f.message, f.hint) for f in validate(doc, kind)]


EMAIL = """kind: template
id: offer-extended
channel: email
category: offer
subject: Your offer
body:
  mjml: <mj-text>Hi</mj-text>
"""


@pytest.mark.parametrize("kind", KINDS)
def test_schemas_are_valid_2020_12_and_documented(kind: str) -> None:
    s = schema(kind)
    Draft202012Validator.check_schema(s)
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            for name, prop in (node.get("properties") or {}).items():
                assert isinstance(prop, dict), f"{where}.{name}"
                target = prop
                if "description" not in prop and "$ref" in prop:
                    target = schema("common")["$defs"][prop["$ref"].rsplit("/", 1)[1]]
                assert "description" in target, f"{where}.{name}"
            for key, value in node.items():
                if key not in ("if", "then", "else"):  # conditions, not documentation
                    walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}[{i}]")

    walk(s, kind)


def test_valid_template() -> None:
    assert check("template", EMAIL) == []


def test_unknown_property_with_suggestion() -> None:
    src = EMAIL + "subjet: typo\n"
    assert check("template", src) == [(8, 1, "S102")]
    assert messages("template", src) == [
        ("unknown property `subjet` in (top level)", "Did you mean `subject`?")
    ]


def test_missing_required_points_at_the_object() -> None:
    src = "kind: template\nid: a\nchannel: email\ncategory: offer\nsubject: x\n"
    assert check("template", src) == [(1, 1, "S101")]
    assert messages("template", src)[0][0] == "missing required property `body` in (top level)"


def test_enum_with_did_you_mean() -> None:
    src = EMAIL.replace("category: offer", "category: ofer")
    assert check("template", src) == [(4, 11, "S104")]
    assert messages("template", src)[0][1] == "Did you mean `offer`?"


def test_wrong_type() -> None:
    src = EMAIL.replace("subject: Your offer", "subject: [Your offer]")
    assert check("template", src) == [(5, 10, "S103")]
    assert messages("template", src)[0][0] == "subject must be a string, not a list"


def test_pattern_and_locale_key() -> None:
    src = EMAIL.replace("id: offer-extended", "id: Offer Extended") + (
        "locales:\n  de-De:\n    subject: Ihr Angebot\n"
    )
    assert check("template", src) == [(2, 5, "S104"), (9, 3, "S104")]


def test_sms_template_refuses_email_parts() -> None:
    src = "kind: template\nid: r\nchannel: sms\ncategory: interview\nsubject: x\nbody:\n  html: y\n"
    assert check("template", src) == [(5, 1, "S102"), (7, 3, "S102")]


def test_body_needs_exactly_one_format() -> None:
    src = EMAIL.replace("  mjml: <mj-text>Hi</mj-text>\n", "  mjml: a\n  text: b\n")
    assert check("template", src) == [(7, 3, "S105")]


def test_one_of_picks_the_intended_step_branch() -> None:
    src = """kind: sequence
id: s
trigger: {event: interview_scheduled}
steps:
  - id: first
    send: interview-invitation
    chanel: email
  - wait: 2 dayz
  - branch: {if: {field: candidate.segment}}
"""
    assert check("sequence", src) == [(7, 5, "S102"), (8, 11, "S104"), (9, 5, "S101")]
    assert [m for m, _ in messages("sequence", src)] == [
        "unknown property `chanel` in steps.0",
        "'2 dayz' is not a valid value for steps.1.wait",
        "missing required property `then` in steps.2.branch",
    ]


def test_schema_cli_prints_valid_json(capsys: pytest.CaptureFixture[str]) -> None:
    from atscomms.cli.app import main

    with pytest.raises(SystemExit) as exit_info:
        main(["schema", "template"])
    assert exit_info.value.code == 0
    assert json.loads(capsys.readouterr().out)["title"] == "atscomms template"
