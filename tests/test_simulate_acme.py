"""`atscomms simulate` on every examples/acme sequence, with times checked by hand.

Each expected line is (step, action, at_utc, at_local); the comments give the
arithmetic. Time zones: campus-berlin Europe/Berlin (CET, +01:00 in December),
executive-newyork America/New_York (EST, -05:00), sms-optout America/Chicago
(CST, -06:00), missing-optional has none (workspace default America/New_York).
"""

from __future__ import annotations

import json

import pytest

from atscomms.cli.app import main
from atscomms.simulation.abtest import assign
from tests.conftest import FIXTURES, REPO

ACME = REPO / "examples" / "acme"
EVENTS = FIXTURES / "sequences" / "events"


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(["simulate", *args, "-w", str(ACME)])
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def timeline(capsys, *args: str) -> tuple[dict, list[tuple]]:
    code, out, err = run(capsys, *args, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    return data, [(e["step"], e["action"], e["at_utc"], e["at_local"]) for e in data["events"]]


def test_acknowledgement_goes_out_at_any_hour(capsys) -> None:
    # No send window: Saturday 23:30 CET is fine, straight away.
    data, events = timeline(
        capsys, "application-acknowledgement", "-p", "campus-berlin",
        "--start", "2026-12-05T23:30:00+01:00",
    )  # fmt: skip
    assert data["timezone"] == "Europe/Berlin"
    assert events == [
        ("acknowledge", "send", "2026-12-05T22:30:00Z", "2026-12-05T23:30:00+01:00"),
    ]


def test_interview_loop_campus_berlin(capsys) -> None:
    # Fri 17:30 CET: inside Mon-Fri 08:00-19:00, the invite goes now (16:30Z).
    # Interview Tue 12-08 14:00 CET - 24h = Mon 12-07 14:00 CET (13:00Z): email reminder.
    # + 2h = 16:00 CET (15:00Z), inside the SMS window 09:00-20:00; Lena opted in.
    data, events = timeline(
        capsys, "interview-loop", "--persona", "campus-berlin",
        "--start", "2026-12-04T17:30:00+01:00",
    )  # fmt: skip
    assert events == [
        ("invite", "send", "2026-12-04T16:30:00Z", "2026-12-04T17:30:00+01:00"),
        ("remind-email", "send", "2026-12-07T13:00:00Z", "2026-12-07T14:00:00+01:00"),
        ("remind-sms", "send", "2026-12-07T15:00:00Z", "2026-12-07T16:00:00+01:00"),
    ]
    invite = data["events"][0]
    assert invite["template"] == "interview-invitation"
    assert invite["variant"] == assign("campus-berlin", "interview-loop", ["a", "b"], [50, 50])
    assert [e["channel"] for e in data["events"]] == ["email", "email", "sms"]
    assert set(invite) >= {"step", "action", "channel", "template", "at_utc", "at_local", "reason"}


def test_interview_loop_new_york_deferred_invite(capsys) -> None:
    # Mon 20:30 EST is after the 19:00 close: deferred to Tue 08:00 EST (13:00Z).
    # Interview Wed 12-09 10:30 EST - 24h = Tue 10:30 EST (15:30Z), 2.5h after the
    # invite (min_gap 2h is kept); SMS 2h later at 12:30 EST (17:30Z).
    data, events = timeline(
        capsys, "interview-loop", "-p", "executive-newyork",
        "--start", "2026-12-07T20:30:00-05:00",
    )  # fmt: skip
    assert events == [
        ("invite", "defer", "2026-12-08T01:30:00Z", "2026-12-07T20:30:00-05:00"),
        ("invite", "send", "2026-12-08T13:00:00Z", "2026-12-08T08:00:00-05:00"),
        ("remind-email", "send", "2026-12-08T15:30:00Z", "2026-12-08T10:30:00-05:00"),
        ("remind-sms", "send", "2026-12-08T17:30:00Z", "2026-12-08T12:30:00-05:00"),
    ]
    assert data["events"][0]["reason"] == (
        "outside the email window (Mon-Fri 08:00-19:00); deferred to Tue 2026-12-08 08:00 EST"
    )


def test_interview_loop_no_sms_without_opt_in(capsys) -> None:
    # Interview Thu 12-10 15:00 CST - 24h = Wed 15:00 CST (21:00Z); SMS at 17:00 CST skipped.
    data, events = timeline(
        capsys, "interview-loop", "-p", "sms-optout", "--start", "2026-12-04T10:30:00-06:00"
    )
    assert events == [
        ("invite", "send", "2026-12-04T16:30:00Z", "2026-12-04T10:30:00-06:00"),
        ("remind-email", "send", "2026-12-09T21:00:00Z", "2026-12-09T15:00:00-06:00"),
        ("remind-sms", "skip", "2026-12-09T23:00:00Z", "2026-12-09T17:00:00-06:00"),
    ]
    assert data["events"][-1]["reason"] == "no consent: sms needs a recorded opt-in"


def test_interview_loop_reschedule_then_withdrawal(capsys) -> None:
    # The reschedule (Fri 18:30 CET) moves the reminder to Wed 12-09 09:00 CET (08:00Z);
    # the withdrawal at 10:30 CET (09:30Z) comes before the SMS (due 11:00 CET).
    data, events = timeline(
        capsys, "interview-loop", "-p", "campus-berlin",
        "--start", "2026-12-04T17:30:00+01:00",
        "--events", str(EVENTS / "reschedule-then-withdraw.yaml"),
    )  # fmt: skip
    assert events == [
        ("invite", "send", "2026-12-04T16:30:00Z", "2026-12-04T17:30:00+01:00"),
        ("remind-email", "send", "2026-12-09T08:00:00Z", "2026-12-09T09:00:00+01:00"),
        ("remind-sms", "exit", "2026-12-09T09:30:00Z", "2026-12-09T10:30:00+01:00"),
        ("remind-sms", "skip", "2026-12-09T09:30:00Z", "2026-12-09T10:30:00+01:00"),
    ]
    assert data["events"][2]["reason"] == "exit on withdrew"
    assert data["events"][3]["reason"] == "suppressed: exit on withdrew"


def test_interview_loop_cancelled_interview(capsys) -> None:
    # Cancelled Tue 09:00 EST (14:00Z), before the 10:30 EST reminder: both suppressed.
    _, events = timeline(
        capsys, "interview-loop", "-p", "executive-newyork",
        "--start", "2026-12-07T20:30:00-05:00", "--events", str(EVENTS / "cancelled.yaml"),
    )  # fmt: skip
    assert events[2:] == [
        ("remind-email", "exit", "2026-12-08T14:00:00Z", "2026-12-08T09:00:00-05:00"),
        ("remind-email", "skip", "2026-12-08T14:00:00Z", "2026-12-08T09:00:00-05:00"),
        ("remind-sms", "skip", "2026-12-08T14:00:00Z", "2026-12-08T09:00:00-05:00"),
    ]


def test_rescheduled_notice(capsys) -> None:
    # missing-optional has no time zone: the workspace's America/New_York applies.
    # Sat 16:00 EST is inside Mon-Sat 08:00-20:00.
    data, events = timeline(
        capsys, "interview-rescheduled", "-p", "missing-optional",
        "--start", "2026-12-05T21:00:00Z",
    )  # fmt: skip
    assert (data["timezone"], data["timezone_source"]) == ("America/New_York", "workspace")
    assert events == [
        ("notify-new-time", "send", "2026-12-05T21:00:00Z", "2026-12-05T16:00:00-05:00")
    ]
    # Sat 20:30 EST: closed until Mon 08:00 EST (no Sunday in the window).
    _, events = timeline(
        capsys, "interview-rescheduled", "-p", "missing-optional",
        "--start", "2026-12-06T01:30:00Z",
    )  # fmt: skip
    assert events == [
        ("notify-new-time", "defer", "2026-12-06T01:30:00Z", "2026-12-05T20:30:00-05:00"),
        ("notify-new-time", "send", "2026-12-07T13:00:00Z", "2026-12-07T08:00:00-05:00"),
    ]


def test_rejection_needs_an_interview(capsys) -> None:
    _, events = timeline(
        capsys, "post-interview-rejection", "-p", "campus-berlin",
        "--start", "2026-12-16T18:00:00+01:00",
    )  # fmt: skip
    assert events == [
        ("not-interviewed", "exit", "2026-12-16T17:00:00Z", "2026-12-16T18:00:00+01:00")
    ]


def test_rejection_after_two_business_days_in_business_hours(capsys) -> None:
    # Wed 12-16 18:00 EST + 2 business days = Fri 12-18 18:00 EST (23:00Z), after the
    # 17:00 close: deferred to Mon 12-21 09:00 EST (14:00Z).
    args = ["post-interview-rejection", "-p", "executive-newyork"]
    interviewed = ["--events", str(EVENTS / "interviewed.json")]
    _, events = timeline(capsys, *args, "--start", "2026-12-16T18:00:00-05:00", *interviewed)
    assert events == [
        ("reject", "defer", "2026-12-18T23:00:00Z", "2026-12-18T18:00:00-05:00"),
        ("reject", "send", "2026-12-21T14:00:00Z", "2026-12-21T09:00:00-05:00"),
    ]
    # Wed 12-23 16:00 EST: Dec 24 and 25 are declared holidays, so the two business
    # days are Mon 12-28 and Tue 12-29: Tue 16:00 EST (21:00Z), inside 09:00-17:00.
    _, events = timeline(capsys, *args, "--start", "2026-12-23T16:00:00-05:00", *interviewed)
    assert events == [("reject", "send", "2026-12-29T21:00:00Z", "2026-12-29T16:00:00-05:00")]


def test_nurture_tracks_and_segments(capsys) -> None:
    start = ["--start", "2026-12-04T17:30:00+01:00"]
    # Campus track: 1w -> Fri 12-11 17:30 CET, outside Tue-Thu 10:00-16:00 -> Tue 12-15
    # 10:00 CET (09:00Z); 4w later Tue 2027-01-12 10:00 CET (09:00Z).
    data, events = timeline(capsys, "talent-pool-nurture", "-p", "campus-berlin", *start)
    assert (data["track"], data["segment"]) == ("campus", "campus")
    assert events == [
        ("campus-event", "defer", "2026-12-11T16:30:00Z", "2026-12-11T17:30:00+01:00"),
        ("campus-event", "send", "2026-12-15T09:00:00Z", "2026-12-15T10:00:00+01:00"),
        ("campus-update", "send", "2027-01-12T09:00:00Z", "2027-01-12T10:00:00+01:00"),
    ]
    # Executive track: 2w -> Fri 12-18 11:30 EST -> Tue 12-22 10:00 EST (15:00Z); 12w
    # later Tue 2027-03-16 10:00 local, which is EDT by then (DST from 2027-03-14): 14:00Z.
    data, events = timeline(capsys, "talent-pool-nurture", "-p", "executive-newyork", *start)
    assert data["track"] == "executive"
    assert events[1:] == [
        ("executive-approach", "send", "2026-12-22T15:00:00Z", "2026-12-22T10:00:00-05:00"),
        ("executive-update", "send", "2027-03-16T14:00:00Z", "2027-03-16T10:00:00-04:00"),
    ]
    # Everyone else: the general update, 2w -> Tue 12-22 10:00 CST (16:00Z).
    data, events = timeline(capsys, "talent-pool-nurture", "-p", "sms-optout", *start)
    assert data["track"] is None
    assert events[1:] == [
        ("general-update", "send", "2026-12-22T16:00:00Z", "2026-12-22T10:00:00-06:00")
    ]


def test_nurture_reply_suppresses_a_deferred_message(capsys) -> None:
    # The reply (Mon 12-14 17:30 CET) comes while the campus invite waits for Tuesday.
    _, events = timeline(
        capsys, "talent-pool-nurture", "-p", "campus-berlin",
        "--start", "2026-12-04T17:30:00+01:00", "--events", str(EVENTS / "replied.yaml"),
    )  # fmt: skip
    assert events == [
        ("campus-event", "defer", "2026-12-11T16:30:00Z", "2026-12-11T17:30:00+01:00"),
        ("campus-event", "exit", "2026-12-14T16:30:00Z", "2026-12-14T17:30:00+01:00"),
        ("campus-event", "skip", "2026-12-14T16:30:00Z", "2026-12-14T17:30:00+01:00"),
        ("campus-update", "skip", "2026-12-14T16:30:00Z", "2026-12-14T17:30:00+01:00"),
    ]


def test_local_start_without_offset_is_each_candidates_local_time(capsys) -> None:
    _, events = timeline(
        capsys, "application-acknowledgement", "-p", "sms-optout", "--start", "2026-12-07T09:00"
    )
    assert events == [("acknowledge", "send", "2026-12-07T15:00:00Z", "2026-12-07T09:00:00-06:00")]


def test_text_timeline_and_matrix(capsys) -> None:
    code, out, _ = run(
        capsys, "interview-loop", "-p", "sms-optout", "--start", "2026-12-04T10:30:00-06:00"
    )
    assert code == 0
    assert "interview-loop · sms-optout · America/Chicago (from persona)" in out
    assert "no consent: sms needs a recorded opt-in" in out
    assert "Wed 2026-12-09 17:00 CST" in out
    code, out, _ = run(capsys, "interview-loop", "--all-personas", "--start", "2026-12-04T10:30Z")
    assert code == 0
    assert "interview-loop: 4 personas" in out
    for persona in ("campus-berlin", "executive-newyork", "missing-optional", "sms-optout"):
        assert persona in out
    assert "✗ no consent" in out
    code, out, _ = run(
        capsys,
        "talent-pool-nurture",
        "--all-personas",
        "--start",
        "2026-12-04T10:30Z",
        "-f",
        "json",
    )
    data = json.loads(out)
    assert data["sequence"] == "talent-pool-nurture"
    assert [j["persona"] for j in data["journeys"]] == [
        "campus-berlin", "executive-newyork", "missing-optional", "sms-optout",
    ]  # fmt: skip
    assert {"track": "campus", "step": "campus-event"} in data["steps"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope", "-p", "campus-berlin"], "unknown sequence 'nope'"),
        (["interview-loop", "-p", "campus-berln"], "did you mean 'campus-berlin'?"),
        (["interview-loop"], "give --persona P (or --all-personas)"),
        (["interview-loop", "-p", "campus-berlin", "--start", "soon"], "--start: 'soon'"),
        (["interview-loop", "-p", "campus-berlin", "-f", "sarif"], "--format"),
        (
            ["interview-loop", "-p", "campus-berlin", "--events", str(EVENTS / "bad-name.yaml")],
            "bad-name.yaml: event 1: unknown event 'withdraw' (did you mean 'withdrew'?)",
        ),
        (["interview-loop", "--events", "/nonexistent.yaml", "-p", "x"], "cannot read"),
    ],
)
def test_usage_errors_exit_2_with_one_line(capsys, args: list[str], message: str) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
