"""examples/acme in a real git repository: approve, change, diff, roll back, report."""

from __future__ import annotations

import json

from atscomms.model.build import build
from atscomms.rendering.render import Renderer
from tests.conftest import REPO
from tests.governance_helpers import ADMIN, make_repo, run

ACME = REPO / "examples" / "acme"
PRIYA = ("Priya Shah", "priya.shah@acme.example")  # legal
DANA = ("Dana Okafor", "dana.okafor@acme.example")  # hr
ALEX = ("Alex Rivera", "alex.rivera@acme.example")  # comms


def _status(ws, capsys) -> dict[str, dict]:
    code, out, err = run(["approvals", "-w", str(ws), "-f", "json"], capsys)
    assert code == 0, err
    return {t["template"]: t for t in json.loads(out)["templates"]}


def _render_all(ws_path, rev=None) -> dict:
    ws, _ = build(ws_path, rev)
    renderer = Renderer(ws)
    return {
        (locale, p.id if p else None): renderer.render(
            ws.templates["offer-extended"], persona=p, locale=locale
        ).to_dict()
        for locale in ws.config.locales
        for p in [None, *ws.personas.values()]
    }


def test_acme_end_to_end(tmp_path, capsys, monkeypatch) -> None:
    repo, ws = make_repo(tmp_path, source=ACME, sub="comms")
    w = ["-w", str(ws)]

    # Approve: each reviewer records and commits under their own identity.
    for who, role in ((PRIYA, "legal"), (DANA, "hr"), (ALEX, "comms")):
        code, out, err = run(["approve", "offer-extended", "--role", role, *w], capsys,
                             monkeypatch, who)  # fmt: skip
        assert code == 0, err
        repo.commit(f"Approve offer-extended ({role})", who)
    approved_rev = repo.git("rev-parse", "HEAD").strip()
    status = _status(ws, capsys)
    assert status["offer-extended"]["status"] == "approved"
    assert [a["by"] for a in status["offer-extended"]["approved"]] == [
        PRIYA[1],
        DANA[1],
        ALEX[1],
    ]
    approved_render = _render_all(ws)

    # Change the shared footer: the offer's approvals become stale.
    repo.edit("comms/layouts/acme-email.yaml", "Applicant privacy notice", "Privacy notice")
    repo.commit("Footer: shorter privacy link", ADMIN)
    status = _status(ws, capsys)
    assert status["offer-extended"]["status"] == "stale"
    assert status["offer-extended"]["missing"] == ["legal", "hr", "comms"]

    # CI on main: G001 as an error (what `lint --require-approvals` sets).
    repo.edit("comms/atscomms.yaml", "render:\n", "lint:\n  severity:\n    G001: error\nrender:\n")
    code, out, _ = run(["lint", *w, "--select", "G", "-f", "json"], capsys)
    assert code == 1
    g001 = [f for f in json.loads(out)["findings"] if f["code"] == "G001"]
    assert {f["severity"] for f in g001} == {"error"}
    assert len(g001) == 13
    repo.git("checkout", "--", "comms/atscomms.yaml")

    # The reviewer sees the rendered change without opening YAML.
    code, out, err = run(["diff", approved_rev, "HEAD", *w, "--rendered", "-f", "markdown"],
                         capsys)  # fmt: skip
    assert code == 0, err
    assert "| changed | layout:acme-email | layouts/acme-email.yaml | body.mjml |" in out
    assert "-Applicant privacy notice (https://acme.example/careers/privacy)" in out
    assert "+Privacy notice (https://acme.example/careers/privacy)" in out
    assert "offer-extended" in out and "stale (needs legal, hr, comms)" in out

    # History shows both versions, the older one with its approvals.
    code, out, _ = run(["history", "offer-extended", *w, "-f", "json"], capsys)
    versions = json.loads(out)["versions"]
    assert [v["message"] for v in versions] == ["Footer: shorter privacy link", "Initial workspace"]
    assert [a["role"] for a in versions[1]["approvals"]] == ["legal", "hr", "comms"]

    # Roll back the footer with the template: byte-identical output, approved again.
    code, out, err = run(
        ["rollback", "offer-extended", "--to", approved_rev, *w, "--with-dependencies"], capsys
    )
    assert code == 0, err
    assert "restored layouts/acme-email.yaml" in out
    assert _render_all(ws) == approved_render
    repo.commit("Roll back the footer", ADMIN)
    assert _status(ws, capsys)["offer-extended"]["status"] == "approved"

    # Reports a legal reviewer can read.
    out_dir = tmp_path / "reports"
    for args in (["report", "compliance"], ["report", "privacy"], ["audit"]):
        target = out_dir / f"{args[-1]}.html"
        code, _, err = run([*args, *w, "-f", "html", "-o", str(target)], capsys)
        assert code == 0, err
        html = target.read_text()
        assert html.startswith("<!DOCTYPE html>") and "<table>" in html
    compliance = (out_dir / "compliance.html").read_text()
    assert "priya.shah@acme.example" in compliance and "Lawful basis" in compliance
    code, out, _ = run(["report", "compliance", *w, "-f", "json"], capsys)
    offer = next(t for t in json.loads(out)["templates"] if t["template"] == "offer-extended")
    assert offer["approval"]["status"] == "approved"
    assert offer["last_change"]["message"] == "Roll back the footer"
    code, out, _ = run(["codeowners", *w], capsys)
    assert code == 0 and (repo.path / ".github" / "CODEOWNERS").is_file()
