"""Postmark, Mailgun, Greenhouse, webhook and export against contract servers."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from contract.others import (  # noqa: E402
    GreenhouseServer,
    MailgunServer,
    PostmarkServer,
    WebhookServer,
)
from contract.workspace import make, set_text  # noqa: E402

from atscomms.cli.app import main  # noqa: E402


def run(*args: str) -> int:
    try:
        main(list(args))
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def push(ws: Path, env: str, *extra: str) -> int:
    return run(
        "push", "--env", env, "-w", str(ws), "--allow-unapproved", "--yes", "--workers", "1", *extra
    )


def settings(url: str, **more: str) -> str:
    extra = "".join(f", {k}: {v}" for k, v in more.items())
    return f'{{base_url: "{url}", rate_limit: 200, timeout: 1, retries: 3{extra}}}'


def test_postmark_push_validates_and_converges(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PM_TOKEN", "pm-server-token")
    with PostmarkServer() as srv:
        ws = make(
            tmp_path / "ws",
            f"""
pm:
  provider: postmark
  settings: {settings(srv.url)}
  credentials: {{server_token: PM_TOKEN}}
""",
        )
        srv.inject("POST", "/templates", "drop_after")
        assert push(ws, "pm") == 0
        assert sorted(srv.templates) == ["t000--de-de", "t000--en-us", "t001--de-de", "t001--en-us"]
        first = srv.calls("POST", "/templates/validate")[0].body
        assert first["Subject"] == "Hello {{{candidate.first_name}}}"
        assert "{{candidate.first_name}}" in first["HtmlBody"]
        # the dropped create was adopted, not repeated with a duplicate alias
        assert [r.fault for r in srv.calls("POST", "/templates")].count("drop_after") == 1
        before = len(srv.requests)
        assert push(ws, "pm") == 0
        kinds = {(r.method, r.path) for r in srv.requests[before:]}
        assert kinds <= {("GET", "/templates")} | {
            ("GET", f"/templates/{k}") for k in srv.templates
        }
        srv.templates["t000--en-us"]["HtmlBody"] = "<p>edited</p>"
        capsys.readouterr()
        assert run("plan", "--env", "pm", "-w", str(ws)) == 0
        assert "drifted" in capsys.readouterr().out


def test_mailgun_versions_by_tag(tmp_path, monkeypatch):
    monkeypatch.setenv("MG_KEY", "mg-key-123456")
    with MailgunServer() as srv:
        ws = make(
            tmp_path / "ws",
            f"""
mg:
  provider: mailgun
  settings: {settings(srv.url, domain="mg.acme.example")}
  credentials: {{api_key: MG_KEY}}
""",
        )
        srv.inject("POST", r"/v3/mg.acme.example/templates", "500")
        assert push(ws, "mg") == 0
        create = srv.calls("POST", r"/v3/mg.acme.example/templates")[-1].body
        assert create["name"] == "t001--de-de" and create["tag"].startswith("h-")
        assert json.loads(create["headers"]) == {"Subject": "Hallo {{{candidate.first_name}}}"}
        set_text(ws, "t000", "second")
        assert push(ws, "mg") == 0
        assert "second" in srv.active()["t000--en-us"]["template"]
        assert len(srv.templates["t000--en-us"]["versions"]) == 2
        assert run("push", "--env", "mg", "-w", str(ws), "--rollback", "t000", "--yes") == 0
        assert "welcome" in srv.active()["t000--en-us"]["template"]


def test_greenhouse_is_read_only_plan_and_pull(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GH_KEY", "gh-key-123456")
    items = [
        {
            "id": 7,
            "name": "Offer note",
            "subject": "Hi {{CANDIDATE_FIRST_NAME}}",
            "body": "Your role: {{JOB_NAME}} and {{UNKNOWN_TOKEN}}",
            "html_body": None,
            "updated_at": "2026-01-01T00:00:00Z",
        }
    ]
    with GreenhouseServer(items=items) as srv:
        ws = make(
            tmp_path / "ws",
            f"""
gh:
  provider: greenhouse
  settings: {settings(srv.url)}
  credentials: {{api_key: GH_KEY}}
""",
            templates=0,
        )
        assert run("plan", "--env", "gh", "-w", str(ws)) == 0
        assert "remote-only" in capsys.readouterr().out
        assert run("pull", "--env", "gh", "-w", str(ws)) == 0
        text = (ws / "templates" / "offer-note.yaml").read_text()
        assert "Hi {{ candidate.first_name }}" in text
        assert "{{ job.title }}" in text and '{{ "{{UNKNOWN_TOKEN}}" }}' in text
        assert run("pull", "--env", "gh", "-w", str(ws)) == 1  # refuses to overwrite
        assert run("validate", "-w", str(ws)) == 0
        set_text(ws, "t000", "x")
        assert push(ws, "gh") == 1
        assert all(r.method == "GET" for r in srv.requests)


def test_webhook_signed_put_and_idempotent(tmp_path, monkeypatch):
    monkeypatch.setenv("WH_SECRET", "whsec-123456")
    with WebhookServer() as srv:
        ws = make(
            tmp_path / "ws",
            f"""
wh:
  provider: webhook
  settings: {{url: "{srv.url}", rate_limit: 200, timeout: 1}}
  credentials: {{secret: WH_SECRET}}
""",
        )
        srv.inject("PUT", "/templates/t000--en-us", "slow", delay=1.5)
        assert push(ws, "wh") == 0
        puts = srv.calls("PUT")
        assert [r.path for r in puts][:2] == ["/templates/t000--en-us"] * 2  # retried PUT
        assert puts[-1].body["key"] == "t001--de-de" and puts[-1].body["dialect"] == "handlebars"
        before = len(srv.requests)
        assert push(ws, "wh") == 0
        assert [r.method for r in srv.requests[before:]] == ["GET"]


def test_export_bundles_and_token_errors(tmp_path, capsys):
    ws = make(
        tmp_path / "ws",
        """
ats:
  provider: export
  settings: {path: exports, dialect: smartrecruiters}
""",
    )
    assert push(ws, "ats") == 0
    bundle = json.loads((ws / "exports" / "smartrecruiters" / "t000--en-us.json").read_text())
    assert bundle["subject"] == "Hello [m_applicant_first_name]"
    assert "about [m_job_title]" in bundle["html"]
    (ws / "templates" / "t001.yaml").write_text(
        (ws / "templates" / "t001.yaml")
        .read_text()
        .replace("{{ job.title }}", "{% if recruiter.name %}{{ recruiter.name }}{% endif %}")
    )
    capsys.readouterr()
    assert push(ws, "ats") == 1
    out = capsys.readouterr()
    assert "smartrecruiters cannot express conditionals" in out.out
    assert "BLOCKED" in out.out
