"""`atscomms rollback` and `atscomms diff` against real git repositories."""

from __future__ import annotations

import json

from atscomms.model.build import build
from atscomms.rendering.render import Renderer
from tests.governance_helpers import ADMIN, CAM, HANA, LEE, approve, make_repo, run


def _renders(ws_path, template: str) -> dict:
    ws, _ = build(ws_path)
    renderer = Renderer(ws)
    out = {}
    for locale in ws.config.locales:
        for persona in [None, *ws.personas.values()]:
            r = renderer.render(ws.templates[template], persona=persona, locale=locale)
            out[(locale, persona.id if persona else None)] = r.to_dict()
    return out


def test_rollback_restores_byte_identical_rendered_output(tmp_path, capsys, monkeypatch) -> None:
    repo, ws = make_repo(tmp_path)
    approve(repo, ws, "offer-extended", "legal", LEE, capsys, monkeypatch)
    approve(repo, ws, "offer-extended", "hr", HANA, capsys, monkeypatch)
    approve(repo, ws, "offer-extended", "comms", CAM, capsys, monkeypatch)
    good = repo.git("rev-parse", "HEAD").strip()
    before = _renders(ws, "offer-extended")

    # The incident: a wrong offer text, plus a footer and signature change on top.
    repo.edit("templates/offer-extended.yaml", "We are delighted", "Unfortunately, we are")
    repo.edit("layouts/email.yaml", "Applicant privacy notice", "Privacy")
    repo.edit("partials/signature.yaml", "Best regards", "Cheers")
    repo.commit("Bad change", ADMIN)
    assert _renders(ws, "offer-extended") != before

    # Without dependencies: the template file comes back, but the version differs.
    code, out, err = run(["rollback", "offer-extended", "--to", good, "-w", str(ws)], capsys)
    assert code == 0, err
    assert "restored templates/offer-extended.yaml" in out
    assert "use --with-dependencies" in err
    # Uncommitted edits are protected.
    repo.edit("layouts/email.yaml", "Privacy", "Privacy policy")
    code, _, err = run(
        ["rollback", "offer-extended", "--to", good, "-w", str(ws), "--with-dependencies"], capsys
    )
    assert code == 2 and "uncommitted changes in layouts/email.yaml" in err
    assert "Privacy policy" in (ws / "layouts/email.yaml").read_text()
    repo.git("checkout", "--", "layouts/email.yaml")

    code, out, err = run(
        ["rollback", "offer-extended", "--to", good, "-w", str(ws), "--with-dependencies"], capsys
    )
    assert code == 0, err
    assert "offer-extended is at version" in out and "again" in out
    assert "note: this also changes the version of application-received" in out
    assert "Suggested commit message:" in out
    assert f"Roll back offer-extended to {good[:10]}" in out
    assert _renders(ws, "offer-extended") == before  # byte-identical: subject, html, text
    # History is untouched: the rollback is a working-tree change.
    assert repo.git("log", "-1", "--format=%s").strip() == "Bad change"
    assert "templates/offer-extended.yaml" in repo.git("status", "--porcelain")
    # Its approvals count again once it is committed: the version is the approved one.
    repo.commit("Roll back offer-extended", ADMIN)
    code, out, _ = run(["approvals", "offer-extended", "-w", str(ws), "-f", "json"], capsys)
    assert json.loads(out)["templates"][0]["status"] == "approved"


def test_rollback_force_keeps_a_backup(tmp_path, capsys) -> None:
    repo, ws = make_repo(tmp_path)
    first = repo.git("rev-parse", "HEAD").strip()
    repo.edit("templates/offer-extended.yaml", "delighted", "glad")
    repo.commit("Glad", ADMIN)
    repo.edit("templates/offer-extended.yaml", "glad", "thrilled")  # uncommitted
    code, _, err = run(["rollback", "offer-extended", "--to", first, "-w", str(ws)], capsys)
    assert code == 2 and "--force" in err
    assert "thrilled" in (ws / "templates/offer-extended.yaml").read_text()
    code, out, err = run(
        ["rollback", "offer-extended", "--to", first, "-w", str(ws), "--force"], capsys
    )
    assert code == 0, err
    backups = list((ws / ".atscomms-cache" / "backups").rglob("offer-extended.yaml"))
    assert len(backups) == 1 and "thrilled" in backups[0].read_text()
    assert "delighted" in (ws / "templates/offer-extended.yaml").read_text()
    code, out, _ = run(["rollback", "offer-extended", "--to", first, "-w", str(ws)], capsys)
    assert code == 0 and "nothing to do" in out
    code, _, err = run(["rollback", "offer-extended", "--to", "nope", "-w", str(ws)], capsys)
    assert code == 2 and "unknown git revision 'nope'" in err


def test_rollback_across_a_rename(tmp_path, capsys) -> None:
    repo, ws = make_repo(tmp_path)
    first = repo.git("rev-parse", "HEAD").strip()
    repo.git("mv", "templates/offer-extended.yaml", "templates/offer.yaml")
    repo.edit("templates/offer.yaml", "delighted", "glad")
    repo.commit("Move and edit", ADMIN)
    code, out, err = run(["rollback", "offer-extended", "--to", first, "-w", str(ws)], capsys)
    assert code == 0, err
    assert "removed templates/offer.yaml" in out
    assert not (ws / "templates/offer.yaml").exists()
    assert (ws / "templates/offer-extended.yaml").read_bytes() == repo.git(
        "show", f"{first}:templates/offer-extended.yaml"
    ).encode()


def test_diff_semantic_and_rendered(tmp_path, capsys) -> None:
    repo, ws = make_repo(tmp_path)
    base = repo.git("rev-parse", "HEAD").strip()
    repo.git("checkout", "-q", "-b", "footer")
    repo.edit("layouts/email.yaml", "Applicant privacy notice", "How we use your data")
    # Formatting only: not a change.
    repo.edit("templates/interview-reminder-sms.yaml", "channel: sms", "channel: 'sms'  # text")
    repo.commit("Footer", ADMIN)
    repo.edit("templates/offer-extended.yaml", "delighted", "thrilled")  # worktree

    # Default: merge base with main vs the working tree.
    code, out, err = run(["diff", "-w", str(ws), "-f", "json", "--rendered"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["base"]["commit"] == base and data["head"]["commit"] is None
    assert [(r["resource"], r["change"], r["keys"]) for r in data["resources"]] == [
        ("layout:email", "changed", ["body.mjml"]),
        ("template:offer-extended", "changed", ["body.mjml"]),
    ]
    templates = {t["template"]: t for t in data["templates"]}
    assert set(templates) == {"application-received", "offer-extended"}
    assert templates["offer-extended"]["via"] == ["template", "layout:email"]
    assert templates["application-received"]["via"] == ["layout:email"]
    assert templates["offer-extended"]["status"] == "pending"
    diffs = templates["application-received"]["rendered"]
    assert [d["part"] for d in diffs] == ["text"]
    assert "-Applicant privacy notice (https://example.com/careers/privacy)" in diffs[0]["diff"]
    assert "+How we use your data (https://example.com/careers/privacy)" in diffs[0]["diff"]
    assert "en-US · sample data" in diffs[0]["where"]
    assert "en-US · sample-candidate" in diffs[0]["where"]
    offer = "\n".join(d["diff"] for d in templates["offer-extended"]["rendered"])
    assert "+We are thrilled to offer you" in offer

    # Two revisions, markdown for a PR comment.
    code, out, _ = run(["diff", base, "footer", "-w", str(ws), "-f", "markdown", "--rendered"],
                       capsys)  # fmt: skip
    assert code == 0
    assert out.startswith("## atscomms diff\n")
    assert "| changed | layout:email | layouts/email.yaml | body.mjml |" in out
    assert "```diff\n" in out and "thrilled" not in out
    assert "pending (needs comms)" in out
    code, out, _ = run(["diff", "footer", "footer", "-w", str(ws), "--exit-code"], capsys)
    assert code == 0 and "No changes" in out
    assert run(["diff", base, "footer", "-w", str(ws), "--exit-code"], capsys)[0] == 1


def test_rollback_brings_back_a_deleted_template(tmp_path, capsys) -> None:
    repo, ws = make_repo(tmp_path)
    first = repo.git("rev-parse", "HEAD").strip()
    repo.git("rm", "-q", "templates/offer-extended.yaml")
    repo.commit("Delete the offer", ADMIN)
    code, out, err = run(["rollback", "offer-extended", "--to", first, "-w", str(ws)], capsys)
    assert code == 0, err
    assert "restored templates/offer-extended.yaml" in out
    code, _, err = run(["rollback", "offer-extendd", "--to", first, "-w", str(ws)], capsys)
    assert code == 2 and f"template 'offer-extendd' does not exist at {first}" in err
