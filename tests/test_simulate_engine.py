"""The simulator's rules one by one: pauses, gaps, caps, loops, exits, consent,
time-zone fallbacks and changes, missing fields, notify, the horizon."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from atscomms.simulation.engine import resolve_timezone, simulate
from atscomms.simulation.events import EventsError, parse_events
from atscomms.simulation.journey import Candidate
from atscomms.simulation.plan import TemplateInfo, compile_plan

TEMPLATES = {
    "mail": TemplateInfo("email", "interview"),
    "text": TemplateInfo("sms", "interview"),
    "no": TemplateInfo("email", "rejection"),
}
START = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # Mon 10:00 CET


def plan(steps: list[dict], **extra):
    data = {"kind": "sequence", "id": "s", "trigger": {"event": "interview_scheduled"}}
    return compile_plan({**data, **extra, "steps": steps}, TEMPLATES, ["interview", "offer"])


def cand(**kw) -> Candidate:
    fields = {"candidate.email": "a@example.com", "candidate.phone": "+4917000000"}
    fields.update(kw.pop("fields", {}))
    return Candidate(kw.pop("id", "c1"), fields, kw.pop("consent", {"email": True, "sms": True}),
                     timezone=kw.pop("timezone", "Europe/Berlin"), **kw)  # fmt: skip


def rows(journey) -> list[tuple]:
    return [(e.step, e.action, e.at.strftime("%m-%d %H:%M"), e.code) for e in journey.events]


def test_min_gap_defers_and_weekly_cap_skips() -> None:
    p = plan(
        [{"id": "a", "send": "mail"}, {"id": "b", "send": "mail"}, {"id": "c", "send": "mail"}],
        min_gap="2h",
        weekly_cap=2,
    )
    j = simulate(p, cand(), START)
    assert rows(j) == [
        ("a", "send", "12-07 09:00", None),
        ("b", "defer", "12-07 09:00", "gap"),
        ("b", "send", "12-07 11:00", None),
        ("c", "defer", "12-07 11:00", "gap"),
        ("c", "skip", "12-07 13:00", "cap"),
    ]
    assert j.events[1].reason.startswith("min gap 2h after the message at Mon 2026-12-07 10:00 CET")


def test_segment_cadence_overrides_the_sequence() -> None:
    p = plan(
        [{"id": "a", "send": "mail"}, {"id": "b", "send": "mail"}],
        min_gap="1h",
        segments=[{"id": "exec", "when": {"field": "candidate.segment", "equals": "x"},
                   "min_gap": "1d"}],
    )  # fmt: skip
    j = simulate(p, cand(fields={"candidate.segment": "x"}), START)
    assert j.segment == "exec"
    assert rows(j)[-1] == ("b", "send", "12-08 09:00", None)
    assert rows(simulate(p, cand(), START))[-1] == ("b", "send", "12-07 10:00", None)


def test_pause_holds_until_the_stage_is_left() -> None:
    p = plan(
        [{"id": "w", "wait": "1d"}, {"id": "a", "send": "mail"}],
        pause_on=["offer"],
        exit_on=["withdrew"],
    )
    events = parse_events(
        [
            {"after": "2h", "event": "stage_entered", "stage": "offer"},
            {"after": "3d", "event": "stage_entered", "stage": "interview"},
        ]
    )
    j = simulate(p, cand(), START, events)
    assert rows(j) == [("a", "defer", "12-08 09:00", "paused"), ("a", "send", "12-10 09:00", None)]
    assert j.events[0].reason == (
        "sequence paused (stage interview); deferred to Thu 2026-12-10 10:00 CET"
    )
    never = simulate(p, cand(), START, events[:1])
    assert rows(never) == [("a", "skip", "12-08 09:00", "paused")]


def test_stage_change_exits_when_declared() -> None:
    p = plan([{"id": "w", "wait": "1d"}, {"id": "a", "send": "mail"}], exit_on=["stage_changed"])
    events = parse_events([{"after": "2h", "event": "stage_entered", "stage": "offer"}])
    assert rows(simulate(p, cand(), START, events)) == [
        ("a", "exit", "12-07 11:00", "exit"),
        ("a", "skip", "12-07 11:00", "exit"),
    ]


def test_exit_at_the_same_instant_wins() -> None:
    p = plan([{"id": "a", "send": "mail"}], exit_on=["withdrew"])
    events = parse_events([{"at": "2026-12-07T10:00:00+01:00", "action": "withdrew"}])
    assert [e.action for e in simulate(p, cand(), START, events).events] == ["exit", "skip"]
    early = parse_events([{"at": "2026-12-01T10:00:00+01:00", "action": "withdrew"}])
    assert [e.action for e in simulate(p, cand(), START, early).events] == ["exit", "skip"]


def test_consent_withdrawn_midway_and_missing_phone() -> None:
    p = plan([{"id": "w", "wait": "1d"}, {"id": "t", "send": "text"}], consent={"sms": True})
    events = parse_events([{"after": "1h", "consent": {"sms": False}}])
    assert rows(simulate(p, cand(), START, events)) == [("t", "skip", "12-08 09:00", "consent")]
    no_phone = cand()
    del no_phone.fields["candidate.phone"]
    assert rows(simulate(p, no_phone, START)) == [("t", "skip", "12-08 09:00", "address")]


def test_sms_needs_opt_in_unless_declared_otherwise() -> None:
    optout = cand(consent={"email": True})
    assert rows(simulate(plan([{"id": "t", "send": "text"}]), optout, START))[0][3] == "consent"
    lax = plan([{"id": "t", "send": "text"}], consent={"sms": False})
    assert rows(simulate(lax, optout, START))[0][1] == "send"


def test_bounded_loop_and_loop_guard() -> None:
    steps = [
        {"id": "nudge", "send": "mail"},
        {"id": "w", "wait": "1d"},
        {"id": "again", "branch": {"if": {"field": "candidate.email"}, "then": "nudge",
                                   "max_visits": 2}},
        {"id": "bye", "notify": {"to": "recruiter", "message": "no reply"}},
    ]  # fmt: skip
    j = simulate(plan(steps), cand(), START)
    assert [(e.step, e.action) for e in j.events] == [
        ("nudge", "send"), ("nudge", "send"), ("nudge", "send"), ("bye", "notify"),
    ]  # fmt: skip
    assert j.events[-1].extra == {"to": "recruiter", "message": "no reply"}
    spin = plan([{"id": "x", "branch": {"if": {"field": "candidate.email"}, "then": "x"}}])
    j = simulate(spin, cand(), START)
    assert [(e.action, e.code) for e in j.events] == [("exit", "loop")]


def test_wait_until_missing_field_exits_and_suppresses() -> None:
    p = plan([{"id": "w", "wait_until": {"field": "interview.start_at"}},
              {"id": "a", "send": "mail"}])  # fmt: skip
    j = simulate(p, cand(), START)
    assert rows(j) == [("w", "exit", "12-07 09:00", "missing_field"),
                       ("a", "skip", "12-07 09:00", "missing_field")]  # fmt: skip


def test_wait_until_in_the_past_continues() -> None:
    p = plan([{"id": "w", "wait_until": {"field": "interview.start_at", "offset": "-24h"}},
              {"id": "a", "send": "mail"}])  # fmt: skip
    j = simulate(p, cand(fields={"interview.start_at": "2026-12-07T12:00:00+01:00"}), START)
    assert rows(j) == [("a", "send", "12-07 09:00", None)]


def test_time_zone_fallbacks_and_change() -> None:
    p = plan([{"id": "a", "send": "mail"}], timezone_fallbacks=["candidate.timezone", "workspace"])
    c = cand(timezone="Asia/Tokyo", fields={"candidate.timezone": "Not/AZone"})
    zone, name, source = resolve_timezone(p, c, "America/New_York")
    assert (name, source) == ("America/New_York", "workspace")
    assert resolve_timezone(p, cand(timezone=None), None)[1:] == ("UTC", "utc")
    windowed = plan(
        [{"id": "w", "wait": "1d"}, {"id": "a", "send": "mail"}],
        send_windows={"email": {"start": "09:00", "end": "17:00"}},
    )
    events = parse_events([{"after": "1h", "fields": {"candidate.timezone": "Asia/Kolkata"}}])
    j = simulate(windowed, cand(timezone=None), START, events)
    assert j.timezone == "Asia/Kolkata"
    # 1d after Mon 09:00Z is Tue 09:00Z = 14:30 IST: inside 09:00-17:00 Kolkata time.
    assert j.events[-1].local.isoformat() == "2026-12-08T14:30:00+05:30"


def test_horizon_and_window_that_never_opens() -> None:
    p = plan([{"id": "w", "wait": "2w"}, {"id": "a", "send": "mail"}])
    j = simulate(p, cand(), START, horizon=timedelta(days=7))
    assert rows(j) == [("a", "skip", "12-14 09:00", "horizon")]
    never = plan([{"id": "a", "send": "mail"}], send_windows={"email": {"days": []}})
    assert rows(simulate(never, cand(), START)) == [("a", "skip", "12-07 09:00", "window")]


def test_by_category_window_wins() -> None:
    p = plan(
        [{"id": "n", "send": "no"}, {"id": "m", "send": "mail"}],
        send_windows={
            "email": {"start": "06:00", "end": "22:00"},
            "by_category": {"rejection": {"email": {"start": "13:00", "end": "15:00"}}},
        },
    )
    assert rows(simulate(p, cand(), START)) == [
        ("n", "defer", "12-07 09:00", "window"),
        ("n", "send", "12-07 12:00", None),
        ("m", "send", "12-07 12:00", None),
    ]


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ({"nope": []}, "expected a list of events"),
        ([{"action": "withdrew"}], "give exactly one of `at`"),
        ([{"at": "tomorrow", "action": "withdrew"}], "`at` is not an ISO-8601"),
        ([{"after": "2 dayz", "action": "withdrew"}], "`after` is not a duration"),
        ([{"after": "2d", "event": "stage_entered"}], "needs `stage: NAME`"),
        ([{"after": "2d", "evnt": "hired"}], "unknown key `evnt` (did you mean `event`?)"),
        ([{"after": "2d"}], "give `action`, `event`, `fields` or `consent`"),
        ([{"after": "2d", "consent": {"sms": "no"}}], "consent values are true or false"),
    ],
)
def test_events_are_checked(items, message: str) -> None:
    with pytest.raises(EventsError) as info:
        parse_events(items)
    assert message in str(info.value)
