"""Q rules: a fixture sequence with each violation yields exactly those findings
(exact line, column, code); a clean one and examples/acme yield none; snippets
cover the other branches of each rule."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from atscomms.checks import registry
from atscomms.cli.app import main
from tests.conftest import FIXTURES, REPO

Q_FIXTURE = FIXTURES / "sequences" / "q-rules"
ACME = REPO / "examples" / "acme"

EXPECTED = [
    ("personas/bad-tz.yaml", 3, 11, "Q012"),  # timezone: Mars/Olympus_Mons
    ("personas/bad-tz.yaml", 6, 23, "Q012"),  # candidate.timezone: Europe/Berln
    ("sequences/bad.yaml", 7, 8, "Q004"),  # consent.sms: false
    ("sequences/bad.yaml", 10, 11, "Q007"),  # rejection window includes sat
    ("sequences/bad.yaml", 12, 10, "Q007"),  # ... and ends at 20:00
    ("sequences/bad.yaml", 14, 12, "Q005"),  # SMS from 07:00
    ("sequences/bad.yaml", 15, 10, "Q005"),  # SMS until 22:00
    ("sequences/bad.yaml", 18, 14, "Q014"),  # nurture window with no days
    ("sequences/bad.yaml", 19, 26, "Q013"),  # 2026-02-30
    ("sequences/bad.yaml", 22, 10, "Q003"),  # exit_on: [replied]
    ("sequences/bad.yaml", 25, 11, "Q006"),  # rejection straight away
    ("sequences/bad.yaml", 28, 11, "Q008"),  # invite right after the rejection
    ("sequences/bad.yaml", 30, 5, "Q011"),  # weights 50 + 40
    ("sequences/bad.yaml", 36, 11, "Q008"),  # SMS 1h after the invite
    ("sequences/bad.yaml", 36, 11, "Q009"),  # third message within a week, cap 2
    ("sequences/bad.yaml", 40, 19, "Q010"),  # offer field at the interview stage
    ("sequences/bad.yaml", 41, 13, "Q002"),  # loop back to invite, no max_visits
    ("sequences/bad.yaml", 44, 5, "Q001"),  # step after `stop`
]


def lint(capsys, ws: Path, *extra: str) -> tuple[int, list[tuple]]:
    with pytest.raises(SystemExit) as exit_info:
        main(["lint", "-w", str(ws), "--select", "Q", "--format", "json", *extra])
    out, _ = capsys.readouterr()
    data = json.loads(out)
    found = [(f["path"], f["line"], f["column"], f["code"]) for f in data["findings"]]
    return int(exit_info.value.code or 0), found


def test_each_violation_exactly_once(capsys) -> None:
    code, found = lint(capsys, Q_FIXTURE)
    assert code == 1
    assert found == EXPECTED
    assert {c for *_, c in EXPECTED} == {r.code for r in registry.select(["Q"])}


def test_clean_sequence_and_acme_have_no_findings(capsys) -> None:
    _, found = lint(capsys, Q_FIXTURE)
    assert not [f for f in found if f[0] == "sequences/good.yaml"]
    code, found = lint(capsys, ACME, "--fail-on", "warning")
    assert (code, found) == (0, [])


def test_every_q_rule_is_documented() -> None:
    for rule in registry.select(["Q"]):
        doc = rule.doc()
        for heading in ("## What it does", "## Why", "## Example", "## Fix"):
            assert heading in doc, (rule.code, heading)


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(Q_FIXTURE, root)
    for name in ("sequences/bad.yaml", "sequences/good.yaml", "personas/bad-tz.yaml"):
        (root / name).unlink()
    return root


def snippet(capsys, ws: Path, text: str) -> list[tuple[int, int, str]]:
    (ws / "sequences" / "s.yaml").write_text(text)
    _, found = lint(capsys, ws)
    return [(line, col, code) for path, line, col, code in found if path == "sequences/s.yaml"]


HEAD = """kind: sequence
id: s
trigger: {event: interview_scheduled}
"""
EXITS = "exit_on: [withdrew, hired, do_not_contact]\n"


def test_q003_without_exit_on_points_at_trigger(capsys, ws) -> None:
    assert snippet(capsys, ws, HEAD + "steps:\n  - send: invite\n") == [(3, 1, "Q003")]
    text = HEAD + "exit_on: [stage_changed, withdrew, do_not_contact]\nsteps:\n  - send: invite\n"
    assert snippet(capsys, ws, text) == []


def test_q004_without_consent_block_points_at_the_sms_step(capsys, ws) -> None:
    text = HEAD + EXITS + "steps:\n  - send: nudge-sms\n    channel: sms\n"
    assert snippet(capsys, ws, text) == [(7, 14, "Q004")]
    text = HEAD + EXITS + "consent: {sms: true}\nsteps:\n  - send: nudge-sms\n    channel: sms\n"
    assert snippet(capsys, ws, text) == []


def test_q005_overnight_sms_window(capsys, ws) -> None:
    text = HEAD + EXITS + 'send_windows:\n  sms: {start: "20:00", end: "09:00"}\n'
    text += "steps:\n  - send: invite\n"
    assert snippet(capsys, ws, text) == [(6, 16, "Q005")]


def test_q006_q007_rejection_with_delay_and_category_window(capsys, ws) -> None:
    text = (
        HEAD + EXITS + "send_windows:\n  by_category:\n    rejection:\n"
        '      email: {days: [mon, tue, wed, thu, fri], start: "09:00", end: "17:00"}\n'
        "steps:\n  - wait: 30m\n  - send: rejection\n"
    )
    assert snippet(capsys, ws, text) == [(11, 11, "Q006")]
    assert snippet(capsys, ws, text.replace("30m", "1 business day")) == []
    no_window = HEAD + EXITS + "steps:\n  - wait: 2d\n  - send: rejection\n"
    assert snippet(capsys, ws, no_window) == [(7, 11, "Q007")]


def test_q008_q009_use_the_segment_cadence_for_its_track(capsys, ws) -> None:
    text = (
        HEAD + EXITS + "min_gap: 1h\nweekly_cap: 5\n"
        "segments:\n  - id: vip\n    when: {field: candidate.first_name, equals: Lena}\n"
        "    min_gap: 2d\n    weekly_cap: 1\n"
        "steps:\n  - send: invite\n  - wait: 1d\n  - send: invite\n"
        "tracks:\n  - id: vip\n    when: {field: candidate.first_name, equals: Lena}\n"
        "    steps:\n      - send: invite\n      - wait: 1d\n      - send: invite\n"
    )
    assert snippet(capsys, ws, text) == [(22, 15, "Q008"), (22, 15, "Q009")]


def test_q009_wait_until_starts_a_new_week(capsys, ws) -> None:
    text = (
        HEAD + EXITS + "weekly_cap: 1\nsteps:\n  - send: invite\n"
        "  - wait_until: {field: interview.start_at, offset: -24h}\n  - send: invite\n"
    )
    assert snippet(capsys, ws, text) == []


def test_q010_explicit_stage_and_trigger_stage(capsys, ws) -> None:
    text = HEAD + EXITS + "stage: offer\nsteps:\n  - wait_until: {field: interview.start_at}\n"
    text += "  - send: invite\n"
    assert snippet(capsys, ws, text) == [(7, 25, "Q010")]
    talent = "kind: sequence\nid: s\ntrigger: {event: stage_entered, stage: talent_pool}\n" + EXITS
    talent += "tracks:\n  - id: t\n    when: {field: offer.response_deadline}\n"
    talent += "    steps:\n      - send: invite\nsteps:\n  - send: invite\n"
    assert snippet(capsys, ws, talent) == [(7, 19, "Q010")]


def test_q001_branch_jumping_over_both_ways(capsys, ws) -> None:
    text = (
        HEAD
        + EXITS
        + (
            "steps:\n  - id: b\n    branch: {if: {event: replied}, then: c, else: c}\n"
            "  - id: skipped\n    send: invite\n  - id: c\n    send: invite\n"
        )
    )
    assert snippet(capsys, ws, text) == [(8, 5, "Q001")]


def test_q002_bounded_loop_is_fine(capsys, ws) -> None:
    text = (
        HEAD
        + EXITS
        + (
            "steps:\n  - id: a\n    send: invite\n  - wait: 1w\n"
            "  - branch: {if: {event: replied}, then: done, else: a, max_visits: 3}\n"
            "  - id: done\n    stop: true\n"
        )
    )
    assert snippet(capsys, ws, text) == []
    assert snippet(capsys, ws, text.replace(", max_visits: 3", "")) == [(9, 54, "Q002")]


def test_rules_command_explains_a_q_rule(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["rules", "Q005"])
    out, _ = capsys.readouterr()
    assert "sms-quiet-hours" in out
    assert "08:00-21:00" in out


def test_invalid_sequences_do_not_crash_the_rules(capsys, ws) -> None:
    text = (
        "kind: sequence\nid: s\ntrigger: {event: [1]}\nexit_on: 3\nholidays: '2026'\n"
        "send_windows: {sms: x, by_category: [1]}\nsegments: {a: 1}\n"
        "tracks: [{steps: [5]}, 7]\nsteps:\n  - branch: {if: {event: [1]}, then: 3}\n"
        "  - send: invite\n    split: [{weight: x}, 4]\n  - wait: soon\n"
        "  - wait_until: {field: 5}\n"
    )
    (ws / "sequences" / "s.yaml").write_text(text)
    with pytest.raises(SystemExit) as exit_info:
        main(["lint", "-w", str(ws), "--select", "Q", "--format", "json"])
    assert exit_info.value.code in (0, 1)
    with pytest.raises(SystemExit) as exit_info:
        main(["simulate", "s", "-w", str(ws), "-p", "good", "--start", "2026-12-07T09:00Z"])
    _, err = capsys.readouterr()
    assert exit_info.value.code == 1  # schema errors in the sequence: listed, not simulated
    assert "sequences/s.yaml:" in err and "internal error" not in err
