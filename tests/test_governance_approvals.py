"""Approvals verified against real git history with several authors."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from atscomms.governance.approvals import statuses
from atscomms.governance.records import parse
from atscomms.model.build import build
from tests.governance_helpers import ADMIN, CAM, HANA, IVAN, LEE, approve, make_repo, run


def _json(ws, capsys, *extra: str) -> dict:
    code, out, err = run(["approvals", "-w", str(ws), "--format", "json", *extra], capsys)
    assert code in (0, 1), err
    return {t["template"]: t for t in json.loads(out)["templates"]}


def test_approve_records_and_verifies_by_role(tmp_path, capsys, monkeypatch) -> None:
    repo, ws = make_repo(tmp_path)
    data = _json(ws, capsys)
    offer = data["offer-extended"]
    assert offer["required"] == ["legal", "hr", "comms"]
    assert offer["status"] == "pending" and offer["approved"] == []

    sha_legal = approve(repo, ws, "offer-extended", "legal", LEE, capsys, monkeypatch)
    approve(repo, ws, "offer-extended", "hr", HANA, capsys, monkeypatch)
    sha_comms = approve(repo, ws, "offer-extended", "comms", CAM, capsys, monkeypatch)
    offer = _json(ws, capsys)["offer-extended"]
    assert offer["status"] == "approved"
    assert [(a["role"], a["by"]) for a in offer["approved"]] == [
        ("legal", LEE[1]),
        ("hr", HANA[1]),
        ("comms", CAM[1]),
    ]
    assert offer["approved"][0]["commit"] == sha_legal
    assert offer["approved"][2]["commit"] == sha_comms
    # The DESIGN.md shape: every documented key is there.
    assert {"template", "version", "required", "approved", "status"} <= set(offer)
    assert {"role", "by", "commit"} <= set(offer["approved"][0])
    # --check fails while anything is unapproved.
    assert run(["approvals", "-w", str(ws), "--check"], capsys)[0] == 1
    assert run(["approvals", "offer-extended", "-w", str(ws), "--check"], capsys)[0] == 0


def test_approval_committed_by_non_member_is_rejected(tmp_path, capsys, monkeypatch) -> None:
    repo, ws = make_repo(tmp_path)
    # Lee's approval, but committed by Ivan, who is in no role.
    approve(repo, ws, "offer-extended", "legal", LEE, capsys, monkeypatch, commit_as=IVAN)
    offer = _json(ws, capsys)["offer-extended"]
    assert offer["approved"] == []
    assert offer["status"] == "pending"
    assert "ivan@intern.example, who is not a member of legal" in offer["rejected"][0]["reason"]
    # Ivan also writes an entry by hand, claiming to be Lee.
    text = (ws / "approvals.yaml").read_text()
    version = offer["version"]
    (ws / "approvals.yaml").write_text(
        text + f'  - template: offer-extended\n    version: "{version}"\n    role: hr\n'
        f"    by: {HANA[1]}\n"
    )
    repo.commit("Approve offer (hr)", IVAN)
    ws_model, _ = build(ws)
    st = statuses(ws_model)["offer-extended"]
    assert [a.role for a in st.approved] == []
    assert {a.role for a in st.rejected} == {"legal", "hr"}
    # lint: G002 on both entries, at the `by:` line of each.
    code, out, _ = run(["lint", "-w", str(ws), "--select", "G", "-f", "json"], capsys)
    found = [(f["code"], f["path"], f["line"]) for f in json.loads(out)["findings"]]
    assert ("G002", "approvals.yaml", 10) in found
    assert ("G002", "approvals.yaml", 15) in found


def test_moving_an_entry_does_not_reattribute_it(tmp_path, capsys, monkeypatch) -> None:
    repo, ws = make_repo(tmp_path)
    approve(repo, ws, "offer-extended", "legal", LEE, capsys, monkeypatch)
    approve(repo, ws, "application-received", "comms", CAM, capsys, monkeypatch)
    # A non-member reorders the file and adds a comment: the approvals still count.
    path = ws / "approvals.yaml"
    file = parse("approvals.yaml", path.read_bytes())
    head, _, body = path.read_text().partition("approvals:\n")
    entries = body.split("  - ")[1:]
    path.write_text(head + "# reordered\napprovals:\n" + "".join("  - " + e for e in entries[::-1]))
    assert {r.key for r in parse("approvals.yaml", path.read_bytes()).records} == {
        r.key for r in file.records
    }
    repo.commit("Tidy approvals", IVAN)
    data = _json(ws, capsys)
    assert [a["by"] for a in data["offer-extended"]["approved"]] == [LEE[1]]
    assert data["application-received"]["status"] == "approved"


def test_editing_the_footer_invalidates_every_template_using_it(
    tmp_path, capsys, monkeypatch
) -> None:
    repo, ws = make_repo(tmp_path)
    approve(repo, ws, "offer-extended", "legal", LEE, capsys, monkeypatch)
    approve(repo, ws, "offer-extended", "hr", HANA, capsys, monkeypatch)
    approve(repo, ws, "offer-extended", "comms", CAM, capsys, monkeypatch)
    approve(repo, ws, "application-received", "comms", CAM, capsys, monkeypatch)
    approve(repo, ws, "interview-reminder-sms", "legal", LEE, capsys, monkeypatch)
    approve(repo, ws, "interview-reminder-sms", "comms", CAM, capsys, monkeypatch)
    before = _json(ws, capsys)
    assert {t: d["status"] for t, d in before.items()} == dict.fromkeys(before, "approved")

    repo.edit("layouts/email.yaml", "Applicant privacy notice", "How we use your data")
    repo.commit("Footer: clearer privacy link", ADMIN)
    after = _json(ws, capsys)
    assert after["offer-extended"]["status"] == "stale"
    assert after["application-received"]["status"] == "stale"
    assert after["offer-extended"]["version"] != before["offer-extended"]["version"]
    assert [a["role"] for a in after["offer-extended"]["stale"]] == ["legal", "hr", "comms"]
    # The SMS template does not use the email layout: still approved.
    assert after["interview-reminder-sms"]["status"] == "approved"
    assert after["interview-reminder-sms"]["version"] == before["interview-reminder-sms"]["version"]
    # G003 points at the stale entries; G001 at the templates; both info by default.
    code, out, _ = run(["lint", "-w", str(ws), "--select", "G", "-f", "json"], capsys)
    findings = json.loads(out)["findings"]
    assert code == 0
    assert sorted({(f["code"], f["severity"]) for f in findings}) == [
        ("G001", "info"),
        ("G003", "info"),
    ]
    assert {f["resource"] for f in findings if f["code"] == "G001"} == {
        "template:offer-extended",
        "template:application-received",
    }


def test_formatting_only_edits_keep_the_version(tmp_path, capsys, monkeypatch) -> None:
    repo, ws = make_repo(tmp_path)
    approve(repo, ws, "offer-extended", "legal", LEE, capsys, monkeypatch)
    version = _json(ws, capsys)["offer-extended"]["version"]
    path = ws / "templates" / "offer-extended.yaml"
    text = path.read_text()
    text = text.replace(
        "channel: email\ncategory: offer\n", "category: offer   # moved\nchannel: 'email'\n"
    )
    text = text.replace(
        'subject: "Your offer from {{ brand.company_name }}"',
        "# a comment\nsubject: 'Your offer from {{ brand.company_name }}'",
    )
    text = text.replace("name: Offer extended", "name: Offer extended (renamed)")
    path.write_text(text)
    repo.commit("Reformat", ADMIN)
    assert _json(ws, capsys)["offer-extended"]["version"] == version
    repo.edit("templates/offer-extended.yaml", "delighted", "happy")
    assert _json(ws, capsys)["offer-extended"]["version"] != version


def test_uncommitted_and_unsigned_approvals_do_not_count(tmp_path, capsys, monkeypatch) -> None:
    repo, ws = make_repo(tmp_path)
    code, _, err = run(
        ["approve", "offer-extended", "--role", "legal", "-w", str(ws)], capsys, monkeypatch, LEE
    )
    assert code == 0, err
    offer = _json(ws, capsys)["offer-extended"]
    assert offer["approved"] == [] and offer["uncommitted"][0]["role"] == "legal"
    repo.commit("Approve offer (legal)", LEE)
    assert [a["role"] for a in _json(ws, capsys)["offer-extended"]["approved"]] == ["legal"]
    # With signed commits required, the unsigned commit no longer counts.
    repo.edit(
        "governance.yaml",
        "approvals_file: approvals.yaml",
        "approvals_file: approvals.yaml\nrequire_signed_commits: true",
    )
    offer = _json(ws, capsys)["offer-extended"]
    assert offer["approved"] == []
    assert "not signed" in offer["rejected"][0]["reason"]


def test_approve_refuses_non_members_and_unknown_names(tmp_path, capsys, monkeypatch) -> None:
    _, ws = make_repo(tmp_path)
    code, _, err = run(
        ["approve", "offer-extended", "--role", "legal", "-w", str(ws)], capsys, monkeypatch, IVAN
    )
    assert code == 2
    assert "ivan@intern.example is not a member of role 'legal'" in err
    code, _, err = run(
        ["approve", "offer-extendd", "--role", "legal", "-w", str(ws)], capsys, monkeypatch, LEE
    )
    assert code == 2 and "did you mean 'offer-extended'" in err
    code, _, err = run(["approve", "offer-extended", "--role", "legl", "-w", str(ws)], capsys)
    assert code == 2 and "unknown role 'legl' (did you mean 'legal'?)" in err
    assert not (ws / "approvals.yaml").exists()


def test_approve_keeps_comments_and_is_idempotent(tmp_path, capsys, monkeypatch) -> None:
    repo, ws = make_repo(tmp_path)
    (ws / "approvals.yaml").write_text("# Our approvals.\napprovals: []  # none yet\n")
    repo.commit("Empty approvals file", IVAN)
    approve(repo, ws, "offer-extended", "legal", LEE, capsys, monkeypatch)
    text = (ws / "approvals.yaml").read_text()
    assert text.startswith(
        "# Our approvals.\napprovals: # none yet\n  - template: offer-extended\n"
    )
    code, out, _ = run(
        ["approve", "offer-extended", "--role", "legal", "-w", str(ws)], capsys, monkeypatch, LEE
    )
    assert code == 0 and "already recorded" in out
    assert (ws / "approvals.yaml").read_text() == text


def test_approve_commit_flag_and_workspace_in_subfolder(tmp_path, capsys, monkeypatch) -> None:
    repo, ws = make_repo(tmp_path, sub="comms")
    monkeypatch.setenv("GIT_COMMITTER_NAME", LEE[0])
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", LEE[1])
    code, out, err = run(
        ["approve", "offer-extended", "--role", "legal", "-w", str(ws), "--commit"],
        capsys, monkeypatch, LEE,
    )  # fmt: skip
    assert code == 0, err
    assert "committed approvals.yaml" in out
    assert repo.git("log", "-1", "--format=%ae %s").strip() == (
        "lee@legal.example Approve offer-extended (legal)"
    )
    offer = _json(ws, capsys)["offer-extended"]
    assert [a["role"] for a in offer["approved"]] == ["legal"]


def test_malformed_approvals_file_is_reported(tmp_path, capsys) -> None:
    _, ws = make_repo(tmp_path)
    (ws / "approvals.yaml").write_text(
        "approvals:\n  - template: offer-extended\n    role: legal\n    by: nobody\n"
        '  - template: gone\n    version: "0123456789abcdef"\n    role: legal\n'
        "    by: lee@legal.example\n"
    )
    code, out, _ = run(["lint", "-w", str(ws), "--select", "G,S", "-f", "json"], capsys)
    found = [(f["code"], f["line"], f["column"]) for f in json.loads(out)["findings"]
             if f["path"] == "approvals.yaml"]  # fmt: skip
    assert code == 1
    assert ("S101", 2, 5) in found  # missing `version`
    assert ("S104", 4, 9) in found  # `by` is not an email
    assert ("G004", 5, 15) in found  # orphan: template `gone` does not exist
    (ws / "approvals.yaml").write_text("approvals: [\n")
    code, out, _ = run(["lint", "-w", str(ws), "--select", "G,S", "-f", "json"], capsys)
    assert [f["path"] for f in json.loads(out)["findings"]].count("approvals.yaml") == 1


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs ssh-keygen")
def test_signed_commits_count_when_required(tmp_path, capsys, monkeypatch) -> None:
    repo, ws = make_repo(tmp_path)
    key = tmp_path / "lee_key"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", LEE[1], "-f", str(key)], check=True
    )
    public = (tmp_path / "lee_key.pub").read_text().strip()
    signers = tmp_path / "allowed_signers"
    signers.write_text(f'{LEE[1]} namespaces="git" {public}\n')
    repo.git("config", "gpg.format", "ssh")
    repo.git("config", "gpg.ssh.allowedSignersFile", str(signers))
    repo.git("config", "user.signingkey", str(key))
    repo.edit(
        "governance.yaml",
        "approvals_file: approvals.yaml",
        "approvals_file: approvals.yaml\nrequire_signed_commits: true",
    )
    repo.commit("Require signed approvals", ADMIN)
    code, _, err = run(
        ["approve", "offer-extended", "--role", "legal", "-w", str(ws)], capsys, monkeypatch, LEE
    )
    assert code == 0, err
    repo.tick += 1
    repo.git("add", "approvals.yaml")
    repo.git("commit", "-q", "-S", "-m", "Approve offer (legal), signed", who=LEE)
    assert repo.git("log", "-1", "--format=%G?").strip() == "G"
    offer = _json(ws, capsys)["offer-extended"]
    assert [a["role"] for a in offer["approved"]] == ["legal"]
    # Hana's unsigned approval does not count.
    approve(repo, ws, "offer-extended", "hr", HANA, capsys, monkeypatch)
    offer = _json(ws, capsys)["offer-extended"]
    assert [a["role"] for a in offer["approved"]] == ["legal"]
    assert "not signed" in offer["rejected"][0]["reason"]


def test_attribution_is_kept_per_commit_and_read_without_gitpython(
    tmp_path, capsys, monkeypatch
) -> None:
    import atscomms.governance.approvals as approvals

    repo, ws = make_repo(tmp_path)
    approve(repo, ws, "offer-extended", "legal", LEE, capsys, monkeypatch)
    first = statuses(build(ws)[0])["offer-extended"]
    assert [a.role for a in first.approved] == ["legal"]
    assert (ws / ".atscomms-cache" / "approvals-v1.marshal").is_file()

    def no_repo(*args, **kwargs):
        raise AssertionError("gitpython is not needed at a commit already read")

    approvals._CACHE.clear()
    monkeypatch.setattr(approvals, "Repo", no_repo)
    again = statuses(build(ws)[0])["offer-extended"]
    assert again.approved == first.approved and again.status == first.status
    # A new commit is a new key: history is read again (and here, refused).
    approve(repo, ws, "offer-extended", "hr", HANA, capsys, monkeypatch)
    with pytest.raises(AssertionError, match="gitpython is not needed"):
        statuses(build(ws)[0])
