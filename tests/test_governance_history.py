"""`atscomms history`: versions over real git history, through layouts and renames."""

from __future__ import annotations

import json

from tests.governance_helpers import ADMIN, CAM, HANA, IVAN, LEE, approve, make_repo, run


def _history(ws, capsys, template: str, *extra: str) -> list[dict]:
    code, out, err = run(["history", template, "-w", str(ws), "-f", "json", *extra], capsys)
    assert code == 0, err
    return json.loads(out)["versions"]


def test_history_follows_layout_partials_and_renames(tmp_path, capsys, monkeypatch) -> None:
    repo, ws = make_repo(tmp_path)
    first = repo.git("rev-parse", "HEAD").strip()
    approve(repo, ws, "offer-extended", "legal", LEE, capsys, monkeypatch)
    repo.edit("templates/offer-extended.yaml", "delighted", "very happy")
    c_copy = repo.commit("Offer: warmer wording", ADMIN)
    repo.edit("layouts/email.yaml", "Applicant privacy notice", "Privacy notice")
    c_footer = repo.commit("Footer wording", HANA)
    repo.edit("partials/signature.yaml", "Best regards", "Kind regards")
    c_sig = repo.commit("Signature: kind regards", CAM)
    # An unrelated change: not a new version of the offer.
    repo.edit("templates/application-received.yaml", "10 business days", "two weeks")
    repo.commit("Acknowledgement: reply time", IVAN)
    # Rename the file (git detects it): history continues through it.
    (ws / "templates" / "offers").mkdir()
    repo.git("mv", "templates/offer-extended.yaml", "templates/offers/offer.yaml")
    c_move = repo.commit("Move offer template", ADMIN)

    versions = _history(ws, capsys, "offer-extended")
    commits = [v["commit"] for v in versions]
    assert commits == [c_sig, c_footer, c_copy, first]
    assert [v["message"] for v in versions] == [
        "Signature: kind regards",
        "Footer wording",
        "Offer: warmer wording",
        "Initial workspace",
    ]
    assert versions[0]["changed"] == ["partials/signature.yaml"]
    assert versions[1]["changed"] == ["layouts/email.yaml"]
    assert versions[1]["author"] == "Hana HR" and versions[1]["email"] == HANA[1]
    assert versions[2]["changed"] == ["templates/offer-extended.yaml"]
    assert versions[0]["current"] and not versions[1]["current"]
    # Each version names the file it was in when introduced (before the move).
    assert {v["path"] for v in versions} == {"templates/offer-extended.yaml"}
    # The approval recorded on the first version is shown on that version only.
    assert [a["role"] for a in versions[-1]["approvals"]] == ["legal"]
    assert all(not v["approvals"] for v in versions[:-1])
    assert c_move not in commits

    # Rename the file AND change the id inside: followed through git's rename detection.
    repo.git("mv", "templates/offers/offer.yaml", "templates/offers/offer-letter.yaml")
    repo.edit("templates/offers/offer-letter.yaml", "id: offer-extended", "id: offer-letter")
    c_rename = repo.commit("Rename offer-extended to offer-letter", ADMIN)
    versions = _history(ws, capsys, "offer-letter")
    assert [v["commit"] for v in versions] == [c_rename, c_sig, c_footer, c_copy, first]
    assert [v["template"] for v in versions] == ["offer-letter"] + ["offer-extended"] * 4

    # Uncommitted edits show up as the current (working tree) version.
    repo.edit("templates/offers/offer-letter.yaml", "very happy", "thrilled")
    versions = _history(ws, capsys, "offer-letter")
    assert versions[0]["commit"] is None and versions[0]["current"]
    assert versions[0]["changed"] == ["templates/offers/offer-letter.yaml"]

    code, out, _ = run(["history", "offer-letter", "-w", str(ws), "-f", "markdown"], capsys)
    assert code == 0
    assert "| Version | Commit | Date | Author | Message | Changed | Approvals |" in out
    assert "Footer wording" in out


def test_history_outside_git_is_a_usage_error(tmp_path, capsys) -> None:
    import shutil

    from tests.governance_helpers import WS

    shutil.copytree(WS, tmp_path / "ws")
    code, _, err = run(["history", "offer-extended", "-w", str(tmp_path / "ws")], capsys)
    assert code == 2
    assert "is not inside a git repository" in err
