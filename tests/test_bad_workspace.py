"""tests/fixtures/bad-workspace: a violation of every lint rule, reported exactly, in every
output format (issue 4).

The fixture plants one clear violation per rule code where it can (the first comment of
each file says which); a few places carry two codes because one violation implies the
other, and their comments say so. ``bad-workspace.expected.json`` holds
``[path, line, column, code]`` of every finding, sorted as the JSON reporter sorts them.
Codes that cannot be planted are listed in ``NOT_COVERED`` with the reason, so a new rule
without a violation in the fixture fails ``test_every_rule_is_planted_or_excused``.

After changing the fixture (or a rule's positions), regenerate the list and read every
finding before committing it::

    ATSCOMMS_NO_CACHE=1 atscomms lint -w tests/fixtures/bad-workspace -f json \\
        --fail-on info | python -c 'import json, sys; print(json.dumps([[f[k] for k in \\
        ("path", "line", "column", "code")] for f in json.load(sys.stdin)["findings"]]))'
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from atscomms.checks.registry import all_rules
from atscomms.cli.app import main
from tests.conftest import FIXTURES, REPO

BAD = FIXTURES / "bad-workspace"
EXPECTED: list[list] = json.loads((FIXTURES / "bad-workspace.expected.json").read_text())
PREFIX = BAD.relative_to(REPO).as_posix() + "/"  # annotation paths are relative to the checkout
SARIF_SCHEMA = REPO.parent / "shared" / "data" / "sarif-schema-2.1.0.json"
FORMATS = ["json", "sarif", "junit", "github", "markdown", "text"]

#: Rule codes without a finding of their own in the fixture, and why.
NOT_COVERED: dict[str, str] = {
    "G002": "needs git history (an approval committed by a non-member); "
    "covered by tests/test_governance_*.py",
    "G003": "needs git history (a counted approval of an older version); "
    "covered by tests/test_governance_*.py",
    "G005": "reports each problem of the approvals file under its structure code: "
    "the S101 at approvals.yaml:10:5 of the fixture is G005's finding",
}


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def lint(fmt: str, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    code, out, err = run(["lint", "-w", str(BAD), "-f", fmt, "--fail-on", "info", *extra], capsys)
    assert code == 1, err
    return out


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATSCOMMS_NO_CACHE", "1")  # no cache files in the fixture folder
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)


def expected_tuples() -> list[tuple[str, int, int, str]]:
    return [(path, line, column, code) for path, line, column, code in EXPECTED]


def test_every_rule_is_planted_or_excused() -> None:
    registered = {rule.code for rule in all_rules()}
    planted = {code for *_, code in EXPECTED}
    assert planted <= registered
    assert set(NOT_COVERED) <= registered, "NOT_COVERED names a code no rule has"
    assert planted.isdisjoint(NOT_COVERED), "a code in NOT_COVERED is planted after all"
    missing = sorted(registered - planted - set(NOT_COVERED))
    assert missing == [], f"plant a violation of {missing} in {BAD} (or say why not)"
    assert all(reason.strip() for reason in NOT_COVERED.values())


def test_expected_list_is_sorted_as_the_json_reporter_sorts() -> None:
    assert sorted(EXPECTED, key=lambda row: tuple(row)) == EXPECTED


@pytest.mark.parametrize("jobs", [[], ["--jobs", "1"]], ids=["default-jobs", "one-process"])
def test_json_findings_are_exactly_the_expected_ones(capsys, jobs: list[str]) -> None:
    data = json.loads(lint("json", capsys, *jobs))
    found = [[f["path"], f["line"], f["column"], f["code"]] for f in data["findings"]]
    assert found == EXPECTED
    summary = data["summary"]
    assert summary["error"] + summary["warning"] + summary["info"] == len(EXPECTED)


def test_sarif_results_are_exactly_the_expected_ones(capsys) -> None:
    sarif = json.loads(lint("sarif", capsys))
    found = [
        [
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"],
            r["ruleId"],
        ]
        for r in sarif["runs"][0]["results"]
    ]
    assert found == EXPECTED


def test_sarif_validates_against_the_sarif_schema(capsys) -> None:
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"SARIF 2.1.0 schema not found at {SARIF_SCHEMA}")
    import jsonschema

    sarif = json.loads(lint("sarif", capsys))
    jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))


def test_junit_has_one_failure_per_finding(capsys) -> None:
    suite = ET.fromstring(lint("junit", capsys))
    assert suite.get("failures") == str(len(EXPECTED))
    assert suite.get("tests") == str(len(EXPECTED))
    cases = []
    for case in suite.iter("testcase"):
        assert case.find("failure") is not None
        code, _rule, position = case.get("name", "").split(" ")
        line, column = position.split(":")
        cases.append((case.get("classname"), int(line), int(column), code))
    assert cases == expected_tuples()


GITHUB = re.compile(
    r"^::(?P<kind>error|warning|notice) file=(?P<file>[^,]+),line=(?P<line>\d+),"
    r"col=(?P<col>\d+),(?:endLine=\d+,)?(?:endColumn=\d+,)?title=(?P<code>[A-Z]\d{3}) "
)
COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def test_github_has_one_annotation_per_finding(capsys) -> None:
    severities = [f["severity"] for f in json.loads(lint("json", capsys))["findings"]]
    lines = lint("github", capsys).splitlines()
    assert len(lines) == len(EXPECTED)
    parsed = []
    for text in lines:
        m = GITHUB.match(text)
        assert m, text
        parsed.append((m["kind"], m["file"], int(m["line"]), int(m["col"]), m["code"]))
    assert [kind for kind, *_ in parsed] == [COMMAND[s] for s in severities]
    assert [tuple(p[1:]) for p in parsed] == [
        (PREFIX + path, line, column, code) for path, line, column, code in EXPECTED
    ]


def test_markdown_has_one_table_row_per_finding(capsys) -> None:
    out = lint("markdown", capsys)
    assert f"**Found {len(EXPECTED)} problems**" in out
    rows: list[tuple[str, int, str]] = []
    path = None
    for text in out.splitlines():
        if text.startswith("### "):
            path = text[4:]
            continue
        m = re.match(r"^\| (\d+) \| `([A-Z]\d{3})` ", text)
        if m:
            assert path is not None
            rows.append((path, int(m[1]), m[2]))
    assert rows == [(path, line, code) for path, line, _, code in EXPECTED]


def test_text_has_every_finding_header(capsys) -> None:
    out = lint("text", capsys, "--no-color")
    assert "\x1b[" not in out
    headers = [
        (m[1], int(m[2]), int(m[3]), m[4])
        for m in re.finditer(r"^(\S+):(\d+):(\d+): ([A-Z]\d{3}) \[", out, re.M)
    ]
    assert headers == expected_tuples()
    for path, line, column, code in EXPECTED:
        assert f"{path}:{line}:{column}: {code} [" in out
