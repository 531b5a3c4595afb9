"""The benchmark corpus generator (bench/corpus.py) writes valid, deterministic workspaces,
and its --bad-rate mistakes produce exactly the findings it says it injected."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from atscomms.model.build import build

BENCH = Path(__file__).resolve().parents[1] / "bench"


def generate(out: Path, *args: str) -> dict:
    proc = subprocess.run(
        [sys.executable, str(BENCH / "corpus.py"), str(out), *args, "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_clean_corpus_has_zero_findings_and_exact_counts(tmp_path: Path) -> None:
    ws_dir = tmp_path / "ws"
    summary = generate(
        ws_dir, "--templates", "20", "--locales", "2", "--sequences", "3", "--personas", "4"
    )
    ws, result = build(ws_dir)
    assert [(f.code, f.path, f.line, f.message) for f in result.findings] == []
    assert len(ws.templates) == 20
    assert len(ws.sequences) == 3
    assert len(ws.personas) == 4
    assert len(ws.layouts) == 2
    assert sorted(ws.partials) == ["interview-details", "signature"]
    assert ws.fields is not None and ws.styleguide is not None and ws.governance is not None
    assert ws.config.locales == ["en-US", "de-DE"]
    assert summary["sms_templates"] == sum(t.channel == "sms" for t in ws.templates.values())
    assert summary["injected"] == []
    # every non-default locale is overridden in every template
    assert all(set(t.locales) == {"de-DE"} for t in ws.templates.values())
    assert result.files == summary["files"]


# What a maintained workspace still shows at default settings: nothing to fix.
EXPECTED_INFO_CODES = {"G001", "C103", "C104", "F105", "F106", "M103", "T002"}


def test_clean_corpus_lints_clean_apart_from_infos(tmp_path: Path) -> None:
    ws_dir = tmp_path / "ws"
    # English, German and French copy; one sequence of each of the six kinds
    generate(ws_dir, "--templates", "60", "--locales", "3", "--sequences", "6")
    proc = subprocess.run(
        [sys.executable, "-m", "atscomms", "lint", "-w", str(ws_dir), "--fail-on", "warning"]
        + ["--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.stdout, proc.stderr
    report = json.loads(proc.stdout)
    loud = [
        (f["code"], f["path"], f["line"], f["message"])
        for f in report["findings"]
        if f["severity"] != "info"
    ]
    assert loud == []
    assert proc.returncode == 0, proc.stderr
    codes = {f["code"] for f in report["findings"]}
    assert codes <= EXPECTED_INFO_CODES


def test_generation_is_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    generate(a, "--templates", "12", "--locales", "3", "--seed", "5")
    generate(b, "--templates", "12", "--locales", "3", "--seed", "5")
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert files_a == files_b
    assert all((a / p).read_bytes() == (b / p).read_bytes() for p in files_a)


def test_bad_rate_one_injects_exactly_the_reported_findings(tmp_path: Path) -> None:
    ws_dir = tmp_path / "bad"
    summary = generate(ws_dir, "--templates", "10", "--locales", "2", "--bad-rate", "1.0")
    injected = {(i["path"], i["code"]) for i in summary["injected"]}
    _, result = build(ws_dir)
    found = {(f.path, f.code) for f in result.findings}
    assert injected == found
    # every template, sequence and persona got one mistake
    assert len(summary["injected"]) == 10 + summary["sequences"] + summary["personas"]
    codes = {code for _, code in injected}
    assert codes <= {"S102", "S104", "R001", "R004", "R005", "R006"}
    assert {"S102", "R001", "R005"} <= codes


@pytest.mark.skipif(
    shutil.which("atscomms") is None or shutil.which("yamllint") is None,
    reason="needs the atscomms and yamllint executables",
)
def test_compare_runs_both_tools_and_reports_json(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            str(BENCH / "compare.py"),
            "--templates",
            "5",
            "--locales",
            "1",
            "--repeat",
            "1",
            "--warmup",
            "0",
            "--corpus",
            str(tmp_path / "ws"),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert [m["name"] for m in result["commands"]] == ["atscomms", "yamllint"]
    assert [m["exit_codes"] for m in result["commands"]] == [[0], [0]]
    assert result["warnings"] == []
    assert result["ratio"] is not None
