"""`atscomms validate`, `schema`, `init` end to end: exit codes, formats, paths, --rev."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from atscomms.cli.app import main
from tests.conftest import FIXTURES, REPO

BAD = FIXTURES / "bad-foundation"
ACME = REPO / "examples" / "acme"
EXPECTED = json.loads((FIXTURES / "bad-foundation.expected.json").read_text())


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_bad_foundation_exact_findings(capsys) -> None:
    code, out, _ = run(["validate", "-w", str(BAD), "--format", "json"], capsys)
    data = json.loads(out)
    assert code == 1
    assert [[f["path"], f["line"], f["column"], f["code"]] for f in data["findings"]] == EXPECTED
    assert data["summary"] == {
        "files": 20,
        "resources": 12,
        "error": len(EXPECTED),
        "warning": 0,
        "info": 0,
    }
    assert data["version"] == 1
    assert set(data["findings"][0]) == {
        "code", "rule", "severity", "message", "path", "line", "column",
        "end_line", "end_column", "resource", "locale", "hint",
    }  # fmt: skip


def test_every_format_reports_every_finding(capsys, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    code, out, _ = run(["validate", "-w", str(BAD), "-f", "github"], capsys)
    assert code == 1
    assert len(out.splitlines()) == len(EXPECTED)
    assert out.splitlines()[0] == (
        "::error file=tests/fixtures/bad-foundation/atscomms.yaml,line=7,col=17,endLine=7,"
        "endColumn=22,title=R004 unknown-locale::unknown locale 'fr-FR'%0A"
        "hint: Known locales: de-DE, en-US"
    )
    code, out, _ = run(["validate", "-w", str(BAD), "-f", "junit"], capsys)
    suite = ET.fromstring(out)
    assert suite.get("failures") == str(len(EXPECTED))
    code, out, _ = run(["validate", "-w", str(BAD), "-f", "sarif"], capsys)
    sarif = json.loads(out)
    results = sarif["runs"][0]["results"]
    assert [
        [
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"],
            r["ruleId"],
        ]
        for r in results
    ] == EXPECTED
    schema_path = REPO.parent / "shared" / "data" / "sarif-schema-2.1.0.json"
    if schema_path.is_file():
        import jsonschema

        jsonschema.validate(sarif, json.loads(schema_path.read_text()))
    code, out, _ = run(["validate", "-w", str(BAD), "-f", "markdown"], capsys)
    assert out.count(" | `S") + out.count(" | `R") == len(EXPECTED)
    assert "| 7 | `R004` unknown-locale | error | unknown locale 'fr-FR'<br>" in out
    code, out, _ = run(["validate", "-w", str(BAD), "-f", "text", "--no-color"], capsys)
    assert "\x1b[" not in out
    assert "templates/schema.yaml:4:11: S104 [error]" in out
    assert "  4 | category: ofer\n    |           ^^^^" in out


def test_output_file_and_quiet(capsys, tmp_path) -> None:
    target = tmp_path / "reports" / "findings.json"
    code, out, _ = run(["validate", "-w", str(BAD), "-f", "json", "-o", str(target)], capsys)
    assert code == 1 and out == ""
    assert len(json.loads(target.read_text())["findings"]) == len(EXPECTED)


def test_paths_select_what_is_reported(capsys, monkeypatch) -> None:
    monkeypatch.chdir(BAD)
    code, out, _ = run(["validate", "templates/dupkey.yaml", "-f", "json"], capsys)
    data = json.loads(out)
    assert code == 1
    assert [(f["path"], f["line"], f["code"]) for f in data["findings"]] == [
        ("templates/dupkey.yaml", 6, "S002")
    ]
    code, out, _ = run(["validate", "templates/dup-a.yaml", "-f", "json"], capsys)
    assert [f["code"] for f in json.loads(out)["findings"]] == ["R002"]  # needs the whole model


def test_workspace_found_from_the_path_argument(capsys, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    code, out, _ = run(
        ["validate", str(BAD.relative_to(REPO) / "templates" / "tabs.yaml"), "-f", "json"], capsys
    )
    assert code == 1
    assert [f["code"] for f in json.loads(out)["findings"]] == ["S008"]


def test_acme_validates_clean(capsys) -> None:
    code, out, _ = run(["validate", "-w", str(ACME), "-f", "json"], capsys)
    assert json.loads(out)["findings"] == []
    assert code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate", "-w", "/nonexistent"], "no atscomms.yaml in /nonexistent"),
        (["validate", "-f", "xml"], "--format: unknown format 'xml'"),
        (["validate", "--fail-on", "fatal"], "--fail-on: unknown severity 'fatal'"),
        (["validate", "no/such/file.yaml"], "no such file or folder: no/such/file.yaml"),
        (["schema", "tempalte"], "unknown kind 'tempalte' (did you mean 'template'?)"),
        (["frobnicate"], "No such command 'frobnicate'"),
        (["validate", "--rev", "HEAD"], "is not inside a git repository"),
    ],
)
def test_usage_errors_exit_2_with_one_line(capsys, monkeypatch, tmp_path, args, message) -> None:
    (tmp_path / "atscomms.yaml").write_text(
        "name: x\nbrand: {company_name: A, postal_address: B, privacy_url: 'https://a.example'}\n"
        "locales: [en-US]\n"
    )
    monkeypatch.chdir(tmp_path)
    code, out, err = run(args, capsys)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("atscomms: error: ")
    assert message in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("name: [unclosed\n", "atscomms.yaml:2:1: invalid YAML"),
        ("", "atscomms.yaml:1:1: file is empty (S009)"),
        ("name: a\nname: b\n", None),  # duplicate key: a finding, not exit 2
    ],
)
def test_unreadable_config_is_exit_2(capsys, tmp_path, config, message) -> None:
    (tmp_path / "atscomms.yaml").write_text(config)
    code, out, err = run(["validate", "-w", str(tmp_path), "-f", "json"], capsys)
    if message is None:
        assert code == 1
        assert "S002" in [f["code"] for f in json.loads(out)["findings"]]
    else:
        assert code == 2 and message in err


def test_fail_on_and_severity(capsys, tmp_path) -> None:
    code, _, _ = run(["validate", "-w", str(ACME), "--fail-on", "info"], capsys)
    assert code == 0


def test_github_format_is_default_on_actions(capsys, monkeypatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, _ = run(["validate", "-w", str(BAD)], capsys)
    assert out.startswith("::error ")


def test_init_creates_a_clean_workspace_and_never_clobbers(capsys, tmp_path) -> None:
    target = tmp_path / "new"
    code, out, _ = run(["init", str(target)], capsys)
    assert code == 0 and "Created an atscomms workspace" in out
    code, out, _ = run(["validate", "-w", str(target), "-f", "json"], capsys)
    assert (code, json.loads(out)["findings"]) == (0, [])
    config = target / "atscomms.yaml"
    config.write_text(config.read_text() + "# my edit\n")
    code, _, err = run(["init", str(target)], capsys)
    assert code == 2 and "already exists" in err and "--force" in err
    assert config.read_text().endswith("# my edit\n")
    code, _, err = run(["init", str(target), "--force"], capsys)
    assert code == 0
    backups = list(target.glob("atscomms.yaml.bak-*"))
    assert len(backups) == 1 and backups[0].read_text().endswith("# my edit\n")


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.com"}  # fmt: skip
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True
    ).stdout


def test_rev_reads_files_from_git(capsys, tmp_path) -> None:
    repo = tmp_path / "repo"
    run(["init", str(repo / "comms")], capsys)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "clean")
    template = next((repo / "comms" / "templates").glob("*.yaml"))
    template.write_text(template.read_text() + "subjet: typo\n")
    _git(repo, "commit", "-qam", "typo")
    template.write_text(template.read_text().replace("subjet: typo\n", ""))  # worktree clean
    ws = str(repo / "comms")
    assert run(["validate", "-w", ws], capsys)[0] == 0
    code, out, _ = run(["validate", "-w", ws, "--rev", "HEAD", "-f", "json"], capsys)
    assert code == 1
    assert [f["code"] for f in json.loads(out)["findings"]] == ["S102"]
    assert run(["validate", "-w", ws, "--rev", "HEAD~1"], capsys)[0] == 0
    code, _, err = run(["validate", "-w", ws, "--rev", "nope"], capsys)
    assert code == 2 and "unknown git revision 'nope'" in err


def test_console_script_starts_and_reports_version() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "atscomms", "--version"], capture_output=True, text=True
    )
    assert proc.returncode == 0
    assert proc.stdout.startswith("atscomms ")
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "atscomms", "--version"],
        capture_output=True,
        text=True,
    )
    heavy = {"jinja2", "mjml", "git", "requests", "jsonschema", "css_inline", "premailer"}
    imported = {line.split("|")[-1].strip().split(".")[0] for line in proc.stderr.splitlines()}
    assert heavy.isdisjoint(imported)
