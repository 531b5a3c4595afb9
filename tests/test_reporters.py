"""Reporters: exact outputs for hand-made findings."""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from atscomms.checks import registry
from atscomms.findings import Finding, Result, Severity
from atscomms.reporters import REPORTERS, ReportContext, Reporter, get_reporter, names
from atscomms.reporters.github import escape_data, escape_property

SARIF_SCHEMA = Path(__file__).resolve().parents[2] / "shared/data/sarif-schema-2.1.0.json"

REJECT = """\
id: reject
subject: "Your interview
body: |
  Hello {{ candidate.frist_name }}
"""
SOURCES = {"templates/reject.yaml": REJECT, "workspace.yaml": "a: 1\na: 2\n"}


def syntax() -> Finding:
    return Finding(
        code="S001",
        rule="yaml-syntax",
        severity=Severity.ERROR,
        message="unterminated string",
        path="templates/reject.yaml",
        line=2,
        column=10,
        hint="close the quote",
    )


def unknown_field() -> Finding:
    return Finding(
        code="R001",
        rule="unknown-reference",
        severity=Severity.WARNING,
        message="unknown field 'candidate.frist_name'",
        path="templates/reject.yaml",
        line=4,
        column=12,
        end_line=4,
        end_column=32,
        resource="template:reject",
        locale="en-US",
    )


def duplicate() -> Finding:
    return Finding(
        code="S002",
        rule="duplicate-key",
        severity=Severity.INFO,
        message="duplicate key 'a'",
        path="workspace.yaml",
        line=2,
        column=1,
        end_column=2,
    )


@pytest.fixture
def result() -> Result:
    # Deliberately out of order: every reporter sorts by Finding.sort_key.
    return Result([duplicate(), unknown_field(), syntax()], files=41, resources=37)


@pytest.fixture
def ctx() -> ReportContext:
    return ReportContext(root=None, version="1.2.3", color=False, source=SOURCES.get)


def render(name: str, result: Result, ctx: ReportContext) -> str:
    return get_reporter(name).render(result, ctx)


# -- registry -----------------------------------------------------------------


def test_registry_names_and_lookup() -> None:
    assert names() == ["text", "json", "sarif", "junit", "github", "markdown"]
    for name in names():
        reporter = get_reporter(name)
        assert isinstance(reporter, Reporter)
        assert reporter.name == name
        assert REPORTERS[name] is type(reporter)


def test_unknown_reporter_is_a_one_line_key_error() -> None:
    with pytest.raises(KeyError) as info:
        get_reporter("xml")
    assert str(info.value) == (
        "unknown format 'xml' (expected one of: text, json, sarif, junit, github, markdown)"
    )


def test_registered_codes_used_here_exist() -> None:
    for finding in (syntax(), unknown_field(), duplicate()):
        assert registry.get(finding.code).name == finding.rule


# -- json ---------------------------------------------------------------------


def test_json_exact(result: Result, ctx: ReportContext) -> None:
    out = render("json", result, ctx)
    assert out.endswith("}\n")
    assert out.startswith('{\n  "version": 1,\n')
    base = {"resource": None, "locale": None, "hint": None, "end_line": None, "end_column": None}
    assert json.loads(out) == {
        "version": 1,
        "findings": [
            {
                **base,
                "code": "S001",
                "rule": "yaml-syntax",
                "severity": "error",
                "message": "unterminated string",
                "path": "templates/reject.yaml",
                "line": 2,
                "column": 10,
                "hint": "close the quote",
            },
            {
                **base,
                "code": "R001",
                "rule": "unknown-reference",
                "severity": "warning",
                "message": "unknown field 'candidate.frist_name'",
                "path": "templates/reject.yaml",
                "line": 4,
                "column": 12,
                "end_line": 4,
                "end_column": 32,
                "resource": "template:reject",
                "locale": "en-US",
            },
            {
                **base,
                "code": "S002",
                "rule": "duplicate-key",
                "severity": "info",
                "message": "duplicate key 'a'",
                "path": "workspace.yaml",
                "line": 2,
                "column": 1,
                "end_column": 2,
            },
        ],
        "summary": {"files": 41, "resources": 37, "error": 1, "warning": 1, "info": 1},
    }


def test_json_clean(ctx: ReportContext) -> None:
    out = render("json", Result(files=3, resources=2), ctx)
    assert json.loads(out) == {
        "version": 1,
        "findings": [],
        "summary": {"files": 3, "resources": 2, "error": 0, "warning": 0, "info": 0},
    }


# -- text ---------------------------------------------------------------------

TEXT = """\
templates/reject.yaml
templates/reject.yaml:2:10: S001 [error] unterminated string (yaml-syntax)
  2 | subject: "Your interview
    |          ^
  hint: close the quote

templates/reject.yaml:4:12: R001 [warning] unknown field 'candidate.frist_name' (unknown-reference)
  4 |   Hello {{ candidate.frist_name }}
    |            ^^^^^^^^^^^^^^^^^^^^

workspace.yaml
workspace.yaml:2:1: S002 [info] duplicate key 'a' (duplicate-key)
  2 | a: 2
    | ^

1 error, 1 warning, 1 info in 41 files
"""


def test_text_exact(result: Result, ctx: ReportContext) -> None:
    assert render("text", result, ctx) == TEXT


def test_text_without_source_has_no_frames(result: Result) -> None:
    out = render("text", result, ReportContext(root=None, version="1", color=False))
    assert out == "\n".join(
        line for line in TEXT.split("\n") if not line.startswith(("  2 |", "  4 |", "    |"))
    )


def test_text_frame_gutter_width_tabs_and_multiline_span() -> None:
    source = "x\n" * 9 + "\tkey: value\n"
    finding = Finding(
        code="S002",
        rule="duplicate-key",
        severity=Severity.ERROR,
        message="m",
        path="f.yaml",
        line=10,
        column=7,
        end_line=11,
        end_column=1,
    )
    ctx = ReportContext(root=None, version="1", color=False, source=lambda p: source)
    assert render("text", Result([finding], files=1), ctx) == (
        "f.yaml\n"
        "f.yaml:10:7: S002 [error] m (duplicate-key)\n"
        "  10 | \tkey: value\n"
        "     | \t     ^^^^^\n"
        "\n"
        "1 error, 0 warnings, 0 info in 1 file\n"
    )


def test_text_clean(ctx: ReportContext) -> None:
    assert render("text", Result(files=41), ctx) == "No problems found in 41 files.\n"
    assert render("text", Result(files=1), ctx) == "No problems found in 1 file.\n"


def test_text_color_uses_ansi_and_keeps_markup_literal(ctx: ReportContext) -> None:
    finding = syntax()
    finding.message = "bad [bold]tag[/bold]"
    ctx.color = True
    out = render("text", Result([finding], files=1), ctx)
    assert "\x1b[" in out
    assert "[bold]tag[/bold]" in out
    assert "[error]" in out


def test_plain_text_has_no_escape_codes(result: Result, ctx: ReportContext) -> None:
    assert "\x1b" not in render("text", result, ctx)


# -- github -------------------------------------------------------------------


def test_github_exact(result: Result, ctx: ReportContext) -> None:
    assert render("github", result, ctx).splitlines() == [
        "::error file=templates/reject.yaml,line=2,col=10,title=S001 yaml-syntax"
        "::unterminated string%0Ahint: close the quote",
        "::warning file=templates/reject.yaml,line=4,col=12,endLine=4,endColumn=32,"
        "title=R001 unknown-reference::unknown field 'candidate.frist_name'",
        "::notice file=workspace.yaml,line=2,col=1,endLine=2,endColumn=2,"
        "title=S002 duplicate-key::duplicate key 'a'",
    ]


def test_github_escaping(ctx: ReportContext) -> None:
    finding = Finding(
        code="R001",
        rule="unknown-reference",
        severity=Severity.ERROR,
        message="100% sure: a, b\r\nnext",
        path="dir,x/a:b%.yaml",
        line=3,
        column=5,
        hint="use c, d",
    )
    assert render("github", Result([finding]), ctx) == (
        "::error file=dir%2Cx/a%3Ab%25.yaml,line=3,col=5,title=R001 unknown-reference"
        "::100%25 sure: a, b%0D%0Anext%0Ahint: use c, d\n"
    )
    assert escape_data("a%\r\n:,") == "a%25%0D%0A:,"
    assert escape_property("a%\r\n:,") == "a%25%0D%0A%3A%2C"


def test_github_paths_relative_to_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ctx: ReportContext
) -> None:
    (tmp_path / "comms").mkdir()
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    ctx.root = tmp_path / "comms"
    out = render("github", Result([syntax()]), ctx)
    assert out.startswith("::error file=comms/templates/reject.yaml,line=2,")


def test_github_clean(ctx: ReportContext) -> None:
    assert render("github", Result(files=2), ctx) == ""


# -- junit --------------------------------------------------------------------


def test_junit_exact(result: Result, ctx: ReportContext) -> None:
    out = render("junit", result, ctx)
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    suite = ET.fromstring(out.split("\n", 1)[1])
    assert suite.tag == "testsuite"
    assert suite.attrib == {
        "name": "atscomms",
        "tests": "3",
        "failures": "3",
        "errors": "0",
        "skipped": "0",
    }
    cases = suite.findall("testcase")
    assert [c.attrib for c in cases] == [
        {"classname": "templates/reject.yaml", "name": "S001 yaml-syntax 2:10"},
        {"classname": "templates/reject.yaml", "name": "R001 unknown-reference 4:12"},
        {"classname": "workspace.yaml", "name": "S002 duplicate-key 2:1"},
    ]
    failures = [c.find("failure") for c in cases]
    assert [f.attrib for f in failures if f is not None] == [
        {"type": "error", "message": "unterminated string"},
        {"type": "warning", "message": "unknown field 'candidate.frist_name'"},
        {"type": "info", "message": "duplicate key 'a'"},
    ]
    assert failures[0] is not None
    assert failures[0].text == (
        "templates/reject.yaml:2:10: unterminated string\nhint: close the quote"
    )


def test_junit_clean_has_one_passing_case(ctx: ReportContext) -> None:
    suite = ET.fromstring(render("junit", Result(files=5), ctx).split("\n", 1)[1])
    assert suite.attrib["tests"] == "1"
    assert suite.attrib["failures"] == "0"
    (case,) = suite.findall("testcase")
    assert case.attrib == {"classname": "atscomms", "name": "atscomms"}
    assert list(case) == []


def test_junit_survives_characters_xml_cannot_carry(ctx: ReportContext) -> None:
    finding = syntax()
    finding.message = 'bell \x07 <&> "quoted"'
    suite = ET.fromstring(render("junit", Result([finding]), ctx).split("\n", 1)[1])
    failure = suite.find("testcase/failure")
    assert failure is not None
    assert failure.attrib["message"] == 'bell \ufffd <&> "quoted"'


# -- markdown -----------------------------------------------------------------

MARKDOWN = """\
## atscomms report

**Found 3 problems** (1 error, 1 warning, 1 info) in 41 files.

| Errors | Warnings | Info | Files | Resources |
| ---: | ---: | ---: | ---: | ---: |
| 1 | 1 | 1 | 41 | 37 |

### templates/reject.yaml

| Line | Code | Severity | Message |
| ---: | --- | --- | --- |
| 2 | `S001` yaml-syntax | error | unterminated string<br>hint: close the quote |
| 4 | `R001` unknown-reference | warning | unknown field 'candidate.frist_name' |

### workspace.yaml

| Line | Code | Severity | Message |
| ---: | --- | --- | --- |
| 2 | `S002` duplicate-key | info | duplicate key 'a' |
"""


def test_markdown_exact(result: Result, ctx: ReportContext) -> None:
    assert render("markdown", result, ctx) == MARKDOWN


def test_markdown_escapes_cells(ctx: ReportContext) -> None:
    finding = syntax()
    finding.message = "a | b\nc <img> & d"
    finding.hint = None
    out = render("markdown", Result([finding], files=1), ctx)
    assert out.splitlines()[-1] == (
        "| 2 | `S001` yaml-syntax | error | a \\| b<br>c &lt;img&gt; &amp; d |"
    )


def test_markdown_clean(ctx: ReportContext) -> None:
    assert render("markdown", Result(files=41, resources=37), ctx) == (
        "## atscomms report\n"
        "\n"
        "No problems found. Checked 41 files.\n"
        "\n"
        "| Errors | Warnings | Info | Files | Resources |\n"
        "| ---: | ---: | ---: | ---: | ---: |\n"
        "| 0 | 0 | 0 | 41 | 37 |\n"
    )


# -- sarif --------------------------------------------------------------------


def line_hash(code: str, path: str, anchor: str) -> str:
    return hashlib.sha256(f"{code}\0{path}\0{anchor}".encode()).hexdigest()[:16]


def sarif(result: Result, ctx: ReportContext) -> dict:
    return json.loads(render("sarif", result, ctx))


def validate_sarif(document: dict) -> None:
    if not SARIF_SCHEMA.is_file():
        pytest.skip("../shared/data/sarif-schema-2.1.0.json not present")
    from jsonschema.validators import validator_for

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = validator_for(schema)
    cls.check_schema(schema)
    cls(schema, format_checker=cls.FORMAT_CHECKER).validate(document)


def test_sarif_valid_and_exact(result: Result, ctx: ReportContext, tmp_path: Path) -> None:
    ctx.root = tmp_path
    doc = sarif(result, ctx)
    validate_sarif(doc)
    assert doc["version"] == "2.1.0"
    assert doc["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    (run,) = doc["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": tmp_path.resolve().as_uri() + "/"}}

    driver = run["tool"]["driver"]
    assert driver["name"] == "atscomms"
    assert driver["informationUri"] == "https://github.com/atscomms/atscomms"
    assert driver["version"] == "1.2.3"
    assert [r["id"] for r in driver["rules"]] == ["R001", "S001", "S002"]
    s001 = driver["rules"][1]
    rule = registry.get("S001")
    assert s001 == {
        "id": "S001",
        "name": "yaml-syntax",
        "shortDescription": {"text": "Reports a file that is not well-formed YAML."},
        "fullDescription": {
            "text": "Reports a file that is not well-formed YAML.\n\n"
            "A file that cannot be parsed cannot be checked, rendered or pushed."
        },
        "defaultConfiguration": {"level": "error"},
        "help": {"text": rule.doc(), "markdown": rule.doc()},
    }
    assert s001["shortDescription"]["text"] == rule.summary()

    results = run["results"]
    assert [(r["ruleId"], r["ruleIndex"], r["level"]) for r in results] == [
        ("S001", 1, "error"),
        ("R001", 0, "warning"),
        ("S002", 2, "note"),
    ]
    assert results[0]["message"] == {"text": "unterminated string\nhint: close the quote"}
    assert [r["locations"][0]["physicalLocation"] for r in results] == [
        {
            "artifactLocation": {"uri": "templates/reject.yaml", "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": 2, "startColumn": 10},
        },
        {
            "artifactLocation": {"uri": "templates/reject.yaml", "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": 4, "startColumn": 12, "endLine": 4, "endColumn": 32},
        },
        {
            "artifactLocation": {"uri": "workspace.yaml", "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": 2, "startColumn": 1, "endLine": 2, "endColumn": 2},
        },
    ]
    # sha256 of code, path and the stripped offending line, NUL-separated, first 16 hex.
    assert [r["partialFingerprints"] for r in results] == [
        {"primaryLocationLineHash": "f27baf08d8e9b3ef:1"},
        {"primaryLocationLineHash": "26ad90534cdc3bf5:1"},
        {"primaryLocationLineHash": "f8afbabe51b3e9c8:1"},
    ]
    assert line_hash("S002", "workspace.yaml", "a: 2") == "f8afbabe51b3e9c8"


def test_sarif_fingerprints_without_source_and_duplicates() -> None:
    ctx = ReportContext(root=None, version="1", color=False, source=None)
    first, second = syntax(), syntax()
    second.column = 20
    doc = sarif(Result([first, second]), ctx)
    validate_sarif(doc)
    (run,) = doc["runs"]
    assert "originalUriBaseIds" not in run
    # Without source the message stands in for the line; duplicates get :2, :3...
    assert line_hash("S001", "templates/reject.yaml", "unterminated string") == "13d693ffc04ec885"
    assert [r["partialFingerprints"]["primaryLocationLineHash"] for r in run["results"]] == [
        "13d693ffc04ec885:1",
        "13d693ffc04ec885:2",
    ]


def test_sarif_fingerprint_ignores_unrelated_edits(ctx: ReportContext) -> None:
    moved = syntax()
    moved.line = 3
    shifted = {"templates/reject.yaml": "# comment\n" + REJECT}
    before = sarif(Result([syntax()]), ctx)
    after = sarif(Result([moved]), ReportContext(None, "1", False, shifted.get))
    assert (
        before["runs"][0]["results"][0]["partialFingerprints"]
        == after["runs"][0]["results"][0]["partialFingerprints"]
    )


def test_sarif_clean_and_encoded_uri(ctx: ReportContext) -> None:
    clean = sarif(Result(files=1), ctx)
    validate_sarif(clean)
    assert clean["runs"][0]["results"] == []
    assert clean["runs"][0]["tool"]["driver"]["rules"] == []
    finding = syntax()
    finding.path = "my templates/reject.yaml"
    doc = sarif(Result([finding]), ctx)
    location = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "my%20templates/reject.yaml"


def test_sarif_unregistered_code_falls_back_to_finding(ctx: ReportContext) -> None:
    finding = Finding("Z999", "made-up", Severity.WARNING, "m", "a.yaml")
    doc = sarif(Result([finding]), ctx)
    validate_sarif(doc)
    assert doc["runs"][0]["tool"]["driver"]["rules"] == [
        {
            "id": "Z999",
            "name": "made-up",
            "shortDescription": {"text": "made-up"},
            "defaultConfiguration": {"level": "warning"},
        }
    ]


def test_import_is_cheap() -> None:
    import subprocess
    import sys

    code = "import sys, atscomms.reporters; print('rich' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_finding_to_dict_has_every_field_but_fix() -> None:
    from dataclasses import asdict, fields

    from atscomms.findings import Finding, Severity

    f = Finding("T001", "x", Severity.WARNING, "m", "a.yaml", 2, 3, 2, 5, "t:a", "de-DE", "h")
    f.fix = {"path": "a.yaml"}
    expected = asdict(f)
    expected.pop("fix")
    expected["severity"] = "warning"
    assert f.to_dict() == expected
    assert list(f.to_dict()) == [x.name for x in fields(Finding) if x.name != "fix"]
