"""SendGrid against its contract server: exact requests, faults, convergence."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from contract.sendgrid import SendGridServer  # noqa: E402
from contract.workspace import make, set_text  # noqa: E402

from atscomms.cli.app import main  # noqa: E402

KEY = "SG.test-key-123456"


def run(*args: str) -> int:
    try:
        main(list(args))
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


@pytest.fixture
def server():
    with SendGridServer(api_key=KEY) as srv:
        yield srv


@pytest.fixture
def ws(tmp_path: Path, server: SendGridServer, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SENDGRID_KEY", KEY)
    envs = f"""
sg:
  provider: sendgrid
  settings: {{base_url: "{server.url}", rate_limit: 200, timeout: 1, retries: 4}}
  credentials: {{api_key: SENDGRID_KEY}}
"""
    return make(tmp_path / "ws", envs)


def push(ws: Path, *extra: str) -> int:
    return run(
        "push",
        "--env",
        "sg",
        "-w",
        str(ws),
        "--allow-unapproved",
        "--yes",
        "--workers",
        "1",
        *extra,
    )


def test_first_push_exact_requests_then_idempotent(ws, server, capsys):
    assert push(ws) == 0
    writes = [(r.method, r.path) for r in server.writes()]
    assert writes == [
        ("POST", "/v3/templates"),
        ("POST", f"/v3/templates/d-{1:032d}/versions"),
        ("POST", "/v3/templates"),
        ("POST", f"/v3/templates/d-{3:032d}/versions"),
        ("POST", "/v3/templates"),
        ("POST", f"/v3/templates/d-{5:032d}/versions"),
        ("POST", "/v3/templates"),
        ("POST", f"/v3/templates/d-{7:032d}/versions"),
    ]
    first = server.writes()[0].body
    assert first == {"name": "t000--en-us", "generation": "dynamic"}
    version = server.writes()[1].body
    assert version["subject"] == "Hello {{{candidate.first_name}}}"
    assert version["active"] == 1 and version["editor"] == "code"
    assert version["name"].startswith("atscomms ")
    assert "Hi {{candidate.first_name}}, about {{job.title}}: welcome" in version["html_content"]
    assert set(server.active()) == {"t000--en-us", "t000--de-de", "t001--en-us", "t001--de-de"}
    # re-running makes list calls only
    before = len(server.requests)
    assert push(ws) == 0
    assert [(r.method, r.path) for r in server.requests[before:]] == [("GET", "/v3/templates")]
    assert "Nothing to push." in capsys.readouterr().out


def test_update_creates_version_and_plan_json(ws, server, capsys):
    assert push(ws) == 0
    set_text(ws, "t001", "changed")
    capsys.readouterr()
    assert run("plan", "--env", "sg", "-w", str(ws), "--format", "json") == 0
    import json

    plan = json.loads(capsys.readouterr().out)
    actions = {(c["remote"], c["action"]) for c in plan["changes"]}
    assert ("t001--en-us", "update") in actions and ("t000--en-us", "unchanged") in actions
    assert plan["environment"] == "sg" and plan["provider"] == "sendgrid"
    before = len(server.requests)
    assert push(ws) == 0
    new = [(r.method, r.path) for r in server.requests[before:] if r.method != "GET"]
    assert len(new) == 2 and all(p.endswith("/versions") for _, p in new)
    assert "changed" in server.active()["t001--en-us"]["html_content"]


def test_drift_refused_then_forced_with_backup(ws, server, capsys):
    assert push(ws) == 0
    server.edit_remotely("t000--en-us", "<p>edited in the SendGrid UI</p>")
    set_text(ws, "t000", "new text")
    assert push(ws) == 1
    out = capsys.readouterr().out
    assert "drifted" in out and "refused: t000--en-us" in out
    assert server.active()["t000--en-us"]["html_content"] == "<p>edited in the SendGrid UI</p>"
    assert push(ws, "--force") == 0
    backups = list((ws / ".atscomms" / "backups" / "sg").glob("t000--en-us.*.json"))
    assert backups and "edited in the SendGrid UI" in backups[0].read_text()
    assert "new text" in server.active()["t000--en-us"]["html_content"]


@pytest.mark.parametrize("kind", ["429", "500", "slow", "drop"])
def test_faults_on_reads_are_retried(ws, server, kind):
    server.inject("GET", "/v3/templates", kind, times=2, retry_after="0", delay=1.5)
    assert push(ws) == 0
    lists = server.calls("GET", "/v3/templates")
    assert [r.fault for r in lists[:3]] == [kind, kind, None]
    assert len(server.active()) == 4


@pytest.mark.parametrize("kind", ["drop_after", "slow", "500", "drop"])
def test_interrupted_writes_converge_without_duplicates(ws, server, kind):
    server.inject("POST", "/v3/templates", kind, times=1, delay=1.5)
    server.inject("POST", r"/v3/templates/[^/]+/versions", kind, times=1, delay=1.5)
    code = push(ws)
    assert code in (0, 1)
    if code == 1:  # a failure reported for one unit: re-run converges
        assert push(ws) == 0
    names = [t["name"] for t in server.templates.values()]
    assert sorted(names) == sorted(set(names)), "duplicate templates"
    for t in server.templates.values():
        hashes = [v["name"] for v in t["versions"]]
        assert len(hashes) == len(set(hashes)), "duplicate versions"
    assert len(server.active()) == 4
    before = len(server.writes())
    assert push(ws) == 0
    assert len(server.writes()) == before


def test_retry_after_is_honoured(ws, server):
    import time

    server.inject("GET", "/v3/templates", "429", times=1, retry_after="1")
    started = time.monotonic()
    assert push(ws) == 0
    assert time.monotonic() - started >= 1.0


def test_rollback_reactivates_previous_version(ws, server, capsys):
    assert push(ws) == 0
    first = server.active()["t000--en-us"]["id"]
    set_text(ws, "t000", "second")
    assert push(ws) == 0
    assert server.active()["t000--en-us"]["id"] != first
    assert run("push", "--env", "sg", "-w", str(ws), "--rollback", "t000", "--yes") == 0
    assert server.active()["t000--en-us"]["id"] == first
    capsys.readouterr()
    assert run("plan", "--env", "sg", "-w", str(ws)) == 0
    assert "update" in capsys.readouterr().out


def test_secret_never_printed(ws, server, capsys, monkeypatch):
    monkeypatch.setenv("SENDGRID_KEY", "SG.wrong-key-999999")
    assert run("--debug", "plan", "--env", "sg", "-w", str(ws)) == 2
    captured = capsys.readouterr()
    assert "SG.wrong-key-999999" not in captured.out + captured.err
    assert "HTTP 401" in captured.err


def test_https_required(ws, capsys):
    text = (ws / "atscomms.yaml").read_text().replace("http://127.0.0.1", "http://example.com")
    (ws / "atscomms.yaml").write_text(text)
    assert run("plan", "--env", "sg", "-w", str(ws)) == 2
    assert "HTTPS is required" in capsys.readouterr().err
