"""`atscomms audit` (with real HTTP link checks), `report compliance|privacy`, `codeowners`."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from atscomms.governance.links import address_problem, check_all
from tests.governance_helpers import ADMIN, CAM, HANA, LEE, approve, make_repo, run


class _Handler(BaseHTTPRequestHandler):
    active = 0
    peak = 0
    lock = threading.Lock()
    seen: list[tuple[str, str]] = []

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _serve(self, head: bool) -> None:
        cls = type(self)
        with cls.lock:
            cls.active += 1
            cls.peak = max(cls.peak, cls.active)
            cls.seen.append((self.command, self.path))
        try:
            time.sleep(0.05)
            path = self.path
            if path == "/slow":
                time.sleep(2)
            if path == "/nohead" and head:
                self.send_response(405)
            elif path in ("/ok", "/privacy", "/nohead", "/slow") or path.startswith("/page"):
                self.send_response(200)
            elif path == "/moved":
                self.send_response(301)
                self.send_header("Location", "/ok")
            elif path == "/loop":
                self.send_response(302)
                self.send_header("Location", "/loop")
            else:
                self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
        finally:
            with cls.lock:
                cls.active -= 1

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(True)

    def do_GET(self) -> None:  # noqa: N802
        self._serve(False)


@pytest.fixture
def server() -> Iterator[str]:
    _Handler.active = _Handler.peak = 0
    _Handler.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_link_checker_against_a_real_server(server) -> None:
    urls = [f"{server}/{p}" for p in ("ok", "missing", "moved", "nohead", "slow", "loop")]
    urls += [f"{server}/page{i}" for i in range(12)]
    # Loopback is refused unless allowed; nothing is requested.
    blocked = check_all(urls, timeout=1)
    assert {r.status for r in blocked.values()} == {"blocked"}
    assert _Handler.seen == []
    results = check_all(urls, allow_private=True, timeout=0.5, workers=3)
    status = {u.rsplit("/", 1)[1]: (r.status, r.code) for u, r in results.items()}
    assert status["ok"] == ("ok", 200)
    assert status["missing"] == ("broken", 404)
    assert status["moved"] == ("ok", 200) and results[f"{server}/moved"].final_url.endswith("/ok")
    assert status["nohead"] == ("ok", 200)  # HEAD refused (405), GET accepted
    assert status["slow"][0] == "error" and "timed out" in results[f"{server}/slow"].detail
    assert status["loop"][0] == "error" and "redirects" in results[f"{server}/loop"].detail
    assert all(status[f"page{i}"] == ("ok", 200) for i in range(12))
    assert _Handler.peak <= 3  # bounded concurrency
    assert ("GET", "/nohead") in _Handler.seen and ("HEAD", "/nohead") in _Handler.seen


def test_address_policy() -> None:
    for url in (
        "http://127.0.0.1/x",
        "http://[::1]/",
        "http://10.1.2.3/",
        "http://192.168.0.1/",
        "http://169.254.169.254/latest/meta-data",
        "http://0.0.0.0/",
        "http://localhost:8080/",
    ):
        assert "non-public" in (address_problem(url, False) or ""), url
        assert address_problem(url, True) is None
    assert address_problem("ftp://example.com/", False) == "scheme 'ftp' is not checked"


def test_audit_reports_everything(tmp_path, capsys, monkeypatch, server) -> None:
    repo, ws = make_repo(tmp_path)
    repo.edit("atscomms.yaml", "https://example.com/careers/privacy", f"{server}/privacy")
    repo.edit(
        "templates/offer-extended.yaml",
        "Your offer letter sets out the details.",
        f'<a href="{server}/missing">Your offer letter</a> sets out the details.',
    )
    (ws / "partials" / "unused.yaml").write_text(
        "kind: partial\nid: unused\nchannel: email\nbody:\n  mjml: <mj-text>Hi</mj-text>\n"
    )
    repo.commit("Local links", ADMIN)
    approve(repo, ws, "application-received", "comms", CAM, capsys, monkeypatch)

    args = ["audit", "-w", str(ws), "--as-of", "2026-03-20", "-f", "json"]
    code, out, err = run(args, capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["links"] is None
    reviews = {r["template"]: r for r in data["reviews"]}
    assert reviews["offer-extended"]["last_reviewed"] == "2026-01-15"
    assert reviews["offer-extended"]["age_days"] == 64
    assert reviews["offer-extended"]["overdue"] is False  # policy: 90 days
    assert reviews["application-received"]["source"].startswith("comms approval by cam@")
    assert reviews["application-received"]["overdue"] is False
    assert reviews["interview-reminder-sms"]["last_reviewed"] is None
    assert reviews["interview-reminder-sms"]["overdue"] is True
    code, out, _ = run([*args, "--max-age-days", "60"], capsys)
    assert {r["template"]: r["overdue"] for r in json.loads(out)["reviews"]}["offer-extended"]
    assert data["unused"] == {
        "templates": ["offer-extended"],
        "partials": ["unused"],
        "layouts": [],
    }
    assert {a["template"] for a in data["approvals"]} == {
        "offer-extended",
        "interview-reminder-sms",
    }
    assert "template:application-received" in data["findings"]

    # Links: loopback refused without --allow-private, checked with it.
    code, out, _ = run([*args, "--check-links"], capsys)
    links = {x["url"]: x for x in json.loads(out)["links"]}
    assert {x["status"] for x in links.values()} == {"blocked"}
    code, out, _ = run([*args, "--check-links", "--allow-private", "--strict"], capsys)
    assert code == 1
    links = {x["url"]: x for x in json.loads(out)["links"]}
    assert links[f"{server}/privacy"]["status"] == "ok"
    assert links[f"{server}/privacy"]["templates"] == [
        "application-received",
        "offer-extended",
    ]
    assert links[f"{server}/missing"] == {
        "url": f"{server}/missing",
        "status": "broken",
        "code": 404,
        "detail": "Not Found",
        "final_url": f"{server}/missing",
        "templates": ["offer-extended"],
    }
    code, out, _ = run([*args[:-2], "--check-links", "--allow-private"], capsys)
    assert "| broken | 404 | " in out and "### Links" in out
    code, html, _ = run([*args[:-2], "-f", "html"], capsys)
    assert html.startswith("<!DOCTYPE html>") and "<th>Template</th>" in html


def test_compliance_and_privacy_reports(tmp_path, capsys, monkeypatch) -> None:
    repo, ws = make_repo(tmp_path)
    approve(repo, ws, "offer-extended", "legal", LEE, capsys, monkeypatch)
    approve(repo, ws, "offer-extended", "hr", HANA, capsys, monkeypatch)
    code, out, err = run(["report", "compliance", "-w", str(ws), "-f", "json"], capsys)
    assert code == 0, err
    rows = {r["template"]: r for r in json.loads(out)["templates"]}
    offer = rows["offer-extended"]
    assert offer["lawful_basis"] == "contract"
    assert offer["retention"] == "6 months after the offer is declined"
    assert offer["approval"]["status"] == "pending"
    assert offer["approval"]["missing"] == ["comms"]
    assert [(a["role"], a["by"]) for a in offer["approval"]["approvals"]] == [
        ("legal", LEE[1]),
        ("hr", HANA[1]),
    ]
    assert offer["last_change"]["message"] == "Initial workspace"
    assert offer["used_in"] == []
    sms = rows["interview-reminder-sms"]
    assert sms["consent"]["required"] is True  # lawful basis: consent
    assert sms["used_in"] == ["application-acknowledgement (text-reminder)"]
    code, html, _ = run(["report", "compliance", "-w", str(ws), "-f", "html"], capsys)
    assert "<caption>Approvals</caption>" in html and "lee@legal.example" in html
    assert "<h2>offer-extended: Offer extended</h2>" in html

    code, out, _ = run(["report", "privacy", "-w", str(ws), "-f", "json"], capsys)
    data = json.loads(out)
    fields = {f["field"]: f for f in data["fields"]}
    assert fields["candidate.phone"]["recipient_address_for"] == ["sms"]
    assert fields["candidate.phone"]["templates"] == ["interview-reminder-sms"]
    assert fields["candidate.first_name"]["channels"] == ["email", "sms"]
    assert "interview-reminder-sms" in fields["candidate.first_name"]["shown_in_previews"]
    assert data["classes"]["name"]["sequences"] == ["application-acknowledgement"]
    code, md, _ = run(["report", "privacy", "-w", str(ws)], capsys)
    assert md.startswith("## Privacy report") and "| PII class |" in md


def test_codeowners_block_is_merged_and_checked(tmp_path, capsys) -> None:
    repo, ws = make_repo(tmp_path, sub="comms")
    (repo.path / ".github").mkdir()
    codeowners = repo.path / ".github" / "CODEOWNERS"
    codeowners.write_text("# Our owners\n*.py @acme/dev\n")
    code, out, _ = run(["codeowners", "-w", str(ws), "--check"], capsys)
    assert code == 1 and "+/comms/templates/ @example/recruiting-ops" in out
    code, out, _ = run(["codeowners", "-w", str(ws)], capsys)
    assert code == 0 and "updated" in out
    text = codeowners.read_text()
    assert text.startswith("# Our owners\n*.py @acme/dev\n\n# BEGIN atscomms")
    assert (
        "/comms/templates/offer-extended.yaml @example/recruiting-ops lee@legal.example "
        "hana@hr.example cam@comms.example casey@comms.example\n"
    ) in text
    assert "/comms/layouts/email.yaml @example/recruiting-ops @example/brand " in text
    assert "/comms/approvals.yaml cam@comms.example" in text
    assert run(["codeowners", "-w", str(ws), "--check"], capsys)[0] == 0
    codeowners.write_text(text + "docs/ @acme/docs\n")
    repo.edit("comms/governance.yaml", "members: [hana@hr.example]", "members: [hr@hr.example]")
    assert run(["codeowners", "-w", str(ws), "--check"], capsys)[0] == 1
    run(["codeowners", "-w", str(ws)], capsys)
    text = codeowners.read_text()
    assert "hr@hr.example" in text and "hana@" not in text
    assert text.startswith("# Our owners\n") and text.endswith("# END atscomms\ndocs/ @acme/docs\n")
