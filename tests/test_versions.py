"""Template versions: what changes them and what does not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from atscomms.governance.versions import inputs, template_version, versions
from atscomms.model.build import build
from tests.governance_helpers import WS


@pytest.fixture
def ws_dir(tmp_path: Path) -> Path:
    target = tmp_path / "ws"
    shutil.copytree(WS, target)
    return target


def _versions(root: Path) -> dict[str, str]:
    ws, result = build(root)
    assert not [f for f in result.findings if str(f.severity) == "error"], result.findings
    return versions(ws)


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text()
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1))


def test_version_is_stable_and_short(ws_dir: Path) -> None:
    first = _versions(ws_dir)
    assert first == _versions(ws_dir)
    assert all(len(v) == 16 and int(v, 16) >= 0 for v in first.values())
    assert len(set(first.values())) == len(first)


@pytest.mark.parametrize(
    ("rel", "old", "new"),
    [
        # comments, quoting, key order, flow vs block style, metadata keys
        ("templates/offer-extended.yaml", "channel: email\n", "# the channel\nchannel: 'email'\n"),
        ("templates/offer-extended.yaml", "kind: template\nid: offer-extended\n",
         "id: offer-extended\nkind: template\n"),
        ("templates/offer-extended.yaml", "description: The offer letter is ready.",
         "description: Sent when the offer letter is ready."),
        ("templates/offer-extended.yaml", "last_reviewed: 2026-01-15", "last_reviewed: 2026-02-01"),
        ("templates/offer-extended.yaml", "owner: recruiting@example.com", "owner: o@example.com"),
        ("layouts/email.yaml", "name: Email layout", "name: Standard email layout"),
        ("fields.yaml", "kind: fields", "# registry\nkind: fields"),
        ("partials/signature.yaml", "channel: email", 'channel: "email"'),
    ],
)  # fmt: skip
def test_formatting_and_metadata_do_not_change_the_version(ws_dir, rel, old, new) -> None:
    before = _versions(ws_dir)
    _edit(ws_dir, rel, old, new)
    assert _versions(ws_dir) == before


@pytest.mark.parametrize(
    ("rel", "old", "new", "changed"),
    [
        ("templates/offer-extended.yaml", "delighted", "happy", {"offer-extended"}),
        ("templates/offer-extended.yaml", "Ihr Angebot", "Ihr neues Angebot", {"offer-extended"}),
        ("templates/offer-extended.yaml", "lawful_basis: contract", "lawful_basis: consent",
         {"offer-extended"}),
        ("layouts/email.yaml", "Applicant privacy notice", "Privacy",
         {"offer-extended", "application-received"}),
        ("partials/signature.yaml", "Best regards", "Kind regards",
         {"offer-extended", "application-received"}),
        ("layouts/sms.yaml", "{{ brand.sms_sender }}: ", "{{ brand.sms_sender }} - ",
         {"interview-reminder-sms"}),
        # the registry entry of a field the SMS uses (and the emails do not)
        ("fields.yaml", "name: interview.start_at\n    type: datetime",
         "name: interview.start_at\n    type: string", {"interview-reminder-sms"}),
        # a brand value every email footer prints
        ("atscomms.yaml", "123 Example Street", "125 Example Street",
         {"offer-extended", "application-received"}),
    ],
)  # fmt: skip
def test_content_changes_change_exactly_the_affected_versions(
    ws_dir, rel, old, new, changed
) -> None:
    before = _versions(ws_dir)
    _edit(ws_dir, rel, old, new)
    after = _versions(ws_dir)
    assert {t for t in before if before[t] != after[t]} == changed


def test_nested_partials_variants_and_body_files(ws_dir: Path) -> None:
    (ws_dir / "partials" / "legal-line.yaml").write_text(
        "kind: partial\nid: legal-line\nchannel: email\nbody:\n"
        "  mjml: <mj-text>Acme is an equal opportunity employer.</mj-text>\n"
    )
    _edit(ws_dir, "partials/signature.yaml", "    </mj-text>\n",
          '    </mj-text>\n    {% include "legal-line" %}\n')  # fmt: skip
    (ws_dir / "templates" / "bodies").mkdir()
    (ws_dir / "templates" / "bodies" / "welcome.mjml").write_text(
        "<mj-section><mj-column><mj-text>Welcome {{ candidate.first_name }}</mj-text>"
        "</mj-column></mj-section>\n"
    )
    (ws_dir / "templates" / "welcome.yaml").write_text(
        "kind: template\nid: welcome\nchannel: email\ncategory: transactional\n"
        "layout: email\nsubject: Welcome\nbody:\n  file: bodies/welcome.mjml\n"
        "variants:\n  - id: b\n    subject: Hello there\n"
    )
    ws, _ = build(ws_dir)
    info = inputs(ws, ws.templates["offer-extended"])
    assert info.partials == ["legal-line", "signature"]
    assert "partials/legal-line.yaml" in info.files
    welcome = inputs(ws, ws.templates["welcome"])
    assert "templates/bodies/welcome.mjml" in welcome.files
    assert welcome.fields == ["candidate.first_name"]
    before = _versions(ws_dir)
    _edit(ws_dir, "partials/legal-line.yaml", "equal opportunity", "equal-opportunity")
    after = _versions(ws_dir)
    assert {t for t in before if before[t] != after[t]} == {
        "offer-extended",
        "application-received",
    }
    _edit(ws_dir, "templates/bodies/welcome.mjml", "Welcome", "Welcome aboard,")
    assert _versions(ws_dir)["welcome"] != after["welcome"]
    _edit(ws_dir, "templates/welcome.yaml", "Hello there", "Hi there")
    final = _versions(ws_dir)
    assert final["welcome"] != after["welcome"]
    ws, _ = build(ws_dir)
    assert template_version(ws, ws.templates["welcome"]) == final["welcome"]
