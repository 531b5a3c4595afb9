"""The lint engine: parallel and cached runs give exactly what a plain run gives."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from atscomms.checks.config import ConfigError, LintConfig
from atscomms.checks.engine import lint
from atscomms.model.build import build
from tests.conftest import FIXTURES, REPO


def _keys(findings) -> list[tuple]:
    return sorted((f.path, f.line, f.column, f.code, f.message) for f in findings)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "ws"
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "corpus.py"), str(out), "--templates", "60",
         "--locales", "2", "--bad-rate", "0.3"],
        check=True, capture_output=True,
    )  # fmt: skip
    return out


def test_parallel_and_cached_runs_match_a_plain_run(corpus: Path, monkeypatch) -> None:
    monkeypatch.setenv("ATSCOMMS_NO_CACHE", "1")
    ws, result = build(corpus)
    plain = _keys(lint(ws, result, LintConfig.build({}), jobs=1).result.findings)
    ws, result = build(corpus)
    parallel = _keys(lint(ws, result, LintConfig.build({}), jobs=2).result.findings)
    assert parallel == plain and plain
    monkeypatch.delenv("ATSCOMMS_NO_CACHE")
    shutil.rmtree(corpus / ".atscomms-cache", ignore_errors=True)
    ws, result = build(corpus)
    cold = _keys(lint(ws, result, LintConfig.build({}), jobs=2).result.findings)
    ws, result = build(corpus)
    warm = _keys(lint(ws, result, LintConfig.build({}), jobs=2).result.findings)
    assert cold == warm == plain
    assert (corpus / ".atscomms-cache" / "lint-v1.marshal").is_file()


def test_a_changed_file_invalidates_its_cache_entry(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(FIXTURES / "render", root)
    cfg = LintConfig.build({"select": ["F003"]})
    ws, result = build(root)
    before = [(f.path, f.line, f.code) for f in lint(ws, result, cfg).result.findings]
    assert before == [("templates/thanks.yaml", 11, "F003")]  # the fixture's own gap
    template = root / "templates" / "invite.yaml"
    template.write_text(template.read_text().replace("{{ job.title }}", "{{ job.owner }}", 1))
    ws, result = build(root)
    found = sorted((f.path, f.line, f.code) for f in lint(ws, result, cfg).result.findings)
    assert found == [("templates/invite.yaml", 7, "F003"), ("templates/thanks.yaml", 11, "F003")]


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"select": ["X9"]}, "select: no rule matches 'X9'"),
        ({"ignore": ["nonsense-rule"]}, "ignore: no rule matches 'nonsense-rule'"),
        ({"severity": {"S002": "fatal"}}, "lint.severity.S002: unknown severity 'fatal'"),
    ],
)
def test_bad_lint_config_is_a_clear_error(section: dict, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        LintConfig.build(section)
    assert str(info.value).startswith(message)


def test_selection_severity_and_per_path_ignores(capsys) -> None:
    from atscomms.cli.app import main

    bad = str(FIXTURES / "bad-foundation")
    with pytest.raises(SystemExit) as code:
        main(["lint", "-w", bad, "-f", "json", "--select", "S", "--ignore", "S104,S013"])
    found = json.loads(capsys.readouterr().out)["findings"]
    assert code.value.code == 1
    assert {f["code"] for f in found} == {"S002", "S006", "S008", "S009", "S010", "S101",
                                          "S102", "S105"}
    cfg = LintConfig.build({"severity": {"S002": "info"}, "per-path-ignores": {
        "templates/sch*.yaml": ["S1"]}})
    ws, result = build(FIXTURES / "bad-foundation")
    found = lint(ws, result, cfg).result.findings
    assert [str(f.severity) for f in found if f.code == "S002"] == ["info"]
    assert not [f for f in found if f.path == "templates/schema.yaml" and f.code.startswith("S1")]
