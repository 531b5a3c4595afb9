"""Property tests over random sequences, candidates, time zones and start times:
no message inside quiet hours or outside its window (in the recipient's local
time, never at a doubled local time), none after an exit, gaps and caps kept;
A/B assignment stable and matching its weights."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atscomms.simulation.abtest import assign, bucket
from atscomms.simulation.calendar import SMS_FLOOR, add, is_open
from atscomms.simulation.engine import simulate
from atscomms.simulation.events import parse_events
from atscomms.simulation.journey import Candidate
from atscomms.simulation.plan import TemplateInfo, compile_plan

ZONES = [
    "Europe/Berlin",
    "America/New_York",
    "Asia/Kolkata",
    "Pacific/Auckland",
    "Australia/Lord_Howe",  # 30-minute DST
    "Asia/Kathmandu",  # +05:45
    "Pacific/Chatham",  # +12:45/+13:45
    "America/St_Johns",  # -03:30/-02:30
    "America/Santiago",  # DST at midnight
    "Pacific/Kiritimati",  # +14
    "Pacific/Pago_Pago",  # -11
    "Europe/London",
    "UTC",
]
TEMPLATES = {
    "mail": TemplateInfo("email", "interview"),
    "reject": TemplateInfo("email", "rejection"),
    "text": TemplateInfo("sms", "interview"),
    "ab": TemplateInfo("email", "nurture", variants=(("a", 30), ("b", 70))),
}
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
TIMES = [f"{h:02d}:{m:02d}" for h in range(24) for m in (0, 30)] + ["24:00"]
DURATIONS = ["15m", "1h", "2h", "7h", "23h", "24h", "25h", "1d", "2d", "1w", "1 business day"]


def windows() -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {},
        optional={
            "days": st.lists(st.sampled_from(DAYS), min_size=1, max_size=7, unique=True),
            "start": st.sampled_from(TIMES[:-1]),
            "end": st.sampled_from(TIMES),
        },
    )


step = st.one_of(
    st.builds(lambda t: {"send": t}, st.sampled_from(sorted(TEMPLATES))),
    st.builds(lambda d: {"wait": d}, st.sampled_from(DURATIONS)),
    st.builds(
        lambda o: {"wait_until": {"field": "interview.start_at", "offset": o}},
        st.sampled_from(["-24h", "-2h", "-1d", "-1 business day", "1h"]),
    ),
    st.just({"notify": {"to": "recruiter"}}),
    st.just({"branch": {"if": {"event": "replied"}, "then": "end"}}),
)

sequences = st.fixed_dictionaries(
    {
        "kind": st.just("sequence"),
        "id": st.sampled_from(["seq-a", "seq-b"]),
        "trigger": st.just({"event": "interview_scheduled"}),
        "steps": st.lists(step, min_size=1, max_size=8),
    },
    optional={
        "send_windows": st.fixed_dictionaries({}, optional={"email": windows(), "sms": windows()}),
        "holidays": st.lists(
            st.dates(datetime(2026, 1, 1).date(), datetime(2027, 12, 31).date()).map(str),
            max_size=20,
        ),
        "min_gap": st.sampled_from(["30m", "2h", "12h", "1d"]),
        "weekly_cap": st.integers(1, 4),
        "consent": st.fixed_dictionaries({}, optional={"sms": st.booleans()}),
        "exit_on": st.just(["withdrew", "hired", "do_not_contact", "replied"]),
        "business_days": st.lists(st.sampled_from(DAYS), min_size=1, max_size=7, unique=True),
    },
)


def _transitions(names: list[str]) -> list[datetime]:
    """UTC instants (to the hour) when a zone's offset changes in 2026-2027."""
    out = []
    for name in names:
        tz = ZoneInfo(name)
        day = datetime(2026, 1, 1, tzinfo=UTC)
        while day.year < 2028:
            nxt = day + timedelta(days=1)
            if day.astimezone(tz).utcoffset() != nxt.astimezone(tz).utcoffset():
                hour = day
                while hour.astimezone(tz).utcoffset() == day.astimezone(tz).utcoffset():
                    hour += timedelta(minutes=30)
                out.append(hour)
            day = nxt
    return out


TRANSITIONS = _transitions([z for z in ZONES if z != "UTC"])
starts = st.one_of(
    st.datetimes(datetime(2026, 1, 1), datetime(2027, 6, 30), timezones=st.just(UTC)).map(
        lambda d: d.replace(second=0, microsecond=0)
    ),
    st.builds(
        lambda t, minutes: t + timedelta(minutes=minutes),
        st.sampled_from(TRANSITIONS),
        st.integers(-72 * 60, 72 * 60),
    ),
)


def in_declared_window(local: datetime, wdata: dict | None) -> bool:
    """The window as the YAML says it, checked independently of the calendar module."""
    if not wdata:
        return True
    if DAYS[local.weekday()] not in wdata.get("days", DAYS):
        return False

    def minutes(text: str) -> int:
        h, m = text.split(":")
        return int(h) * 60 + int(m)

    start, end = minutes(wdata.get("start", "00:00")), minutes(wdata.get("end", "24:00"))
    tod = local.hour * 60 + local.minute + local.second / 60
    if start < end:
        return start <= tod < end
    return start > end and (tod >= start or tod < end)


def with_end(data: dict) -> dict:
    data = dict(data)
    data["steps"] = [*data["steps"], {"id": "end", "stop": True}]
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=sequences,
    zone=st.sampled_from(ZONES),
    start=starts,
    consent=st.booleans(),
    interview_in=st.integers(-48, 24 * 20),
    exit_after=st.one_of(st.none(), st.integers(0, 24 * 30)),
    exit_name=st.sampled_from(["withdrew", "hired", "do_not_contact", "replied"]),
)
def test_no_message_outside_windows_quiet_hours_or_after_exit(
    data, zone, start, consent, interview_in, exit_after, exit_name
) -> None:
    plan = compile_plan(with_end(data), TEMPLATES)
    interview = (start + timedelta(hours=interview_in)).isoformat()
    cand = Candidate(
        "cand-1",
        {
            "candidate.email": "c@example.com",
            "candidate.phone": "+15550100",
            "interview.start_at": interview,
        },
        {"email": True, "sms": consent},
        timezone=zone,
    )
    events = []
    if exit_after is not None:
        events = parse_events([{"after": f"{exit_after}h", "action": exit_name}])
    journey = simulate(plan, cand, start, events)
    exit_at = next((r.at for r in journey.records if r.code == "exit"), None)
    sends = [r for r in journey.records if r.action == "send"]
    for rec in sends:
        tz = rec.local.tzinfo
        window = plan.window(rec.channel or "email", TEMPLATES[rec.template or "mail"].category)
        assert is_open(rec.at, tz, window, plan.calendar, rec.channel or "email"), rec
        local = rec.at.astimezone(tz)
        declared = (data.get("send_windows") or {}).get(rec.channel or "email")
        assert in_declared_window(local, declared), (local, declared)
        assert local.replace(tzinfo=None).replace(tzinfo=tz).astimezone(UTC) == rec.at
        naive = local.replace(tzinfo=None)
        assert (
            naive.replace(tzinfo=tz, fold=0).utcoffset()
            == naive.replace(tzinfo=tz, fold=1).utcoffset()
        ), f"doubled local time {local}"
        if rec.channel == "sms":
            seconds = local.hour * 3600 + local.minute * 60 + local.second
            assert SMS_FLOOR[0] <= seconds < SMS_FLOOR[1], local
            assert plan.needs_consent("sms") is False or consent
        assert local.date() not in plan.calendar.holidays
        if exit_at is not None:
            assert rec.at < exit_at
    for rec in journey.records:
        if exit_at is not None and rec.action in ("notify", "defer"):
            assert rec.at <= exit_at
    times = [r.at for r in sends]
    assert times == sorted(times)
    if plan.min_gap is not None:
        for a, b in zip(times, times[1:], strict=False):
            assert b >= add(a, plan.min_gap, journey.records[0].local.tzinfo, plan.calendar)
    if plan.weekly_cap is not None:
        for t in times:
            assert sum(1 for u in times if t - timedelta(days=7) < u <= t) <= plan.weekly_cap


@settings(max_examples=50, deadline=None)
@given(
    ids=st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=20),
    seq=st.text(min_size=1, max_size=12),
)
def test_ab_assignment_is_stable(ids: list[str], seq: str) -> None:
    options = ["a", "b", "c"]
    weights = [20.0, 30.0, 50.0]
    first = [assign(i, seq, options, weights) for i in ids]
    assert first == [assign(i, seq, options, weights) for i in ids]
    assert all(0 <= bucket(i, seq) < 100 for i in ids)


@settings(max_examples=20, deadline=None)
@given(
    weights=st.lists(st.integers(1, 98), min_size=2, max_size=4).filter(lambda w: sum(w) <= 100),
    seq=st.sampled_from(["interview-loop", "nurture", "x"]),
)
def test_ab_assignment_matches_weights(weights: list[int], seq: str) -> None:
    weights = [*weights[:-1], 100 - sum(weights[:-1])]
    if weights[-1] <= 0:
        return
    n = 20_000
    options = [f"arm{i}" for i in range(len(weights))]
    counts = Counter(assign(f"candidate-{k}", seq, options, weights) for k in range(n))
    for option, weight in zip(options, weights, strict=True):
        assert abs(counts[option] / n * 100 - weight) < 1.5, (counts, weights)


def test_split_arm_follows_the_bucket() -> None:
    data = {
        "kind": "sequence",
        "id": "ab-seq",
        "trigger": {"event": "interview_scheduled"},
        "steps": [{"id": "s", "send": "mail", "split": [
            {"variant": "a", "weight": 25}, {"variant": "b", "weight": 75},
        ]}],
    }  # fmt: skip
    plan = compile_plan(data, TEMPLATES)
    start = datetime(2026, 12, 7, 12, tzinfo=UTC)
    seen = Counter()
    for k in range(2000):
        cand = Candidate(f"c{k}", {"candidate.email": "x@example.com"}, {"email": True})
        sent = simulate(plan, cand, start).events[0]
        expected = "a" if bucket(f"c{k}", "ab-seq") < 25 else "b"
        assert sent.variant == expected
        seen[sent.variant] += 1
    assert 400 < seen["a"] < 600


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.sampled_from(["2d", "09:00", "24:00", "sms", "email", "mail", "a", "-1h", "mon", "x"]),
)
_KEYS = [
    "send", "wait", "wait_until", "branch", "notify", "stop", "id", "channel", "split",
    "weight", "variant", "template", "if", "then", "else", "field", "offset", "event", "days",
    "start", "end", "email", "sms", "by_category", "max_visits", "to", "equals", "in", "exists",
]  # fmt: skip
_junk = st.recursive(
    _scalars,
    lambda c: st.one_of(
        st.lists(c, max_size=4), st.dictionaries(st.sampled_from(_KEYS), c, max_size=4)
    ),
    max_leaves=25,
)
_SEQ_KEYS = [
    "id", "trigger", "steps", "tracks", "segments", "consent", "send_windows", "holidays",
    "min_gap", "weekly_cap", "exit_on", "pause_on", "timezone_fallbacks", "business_days",
    "stage", "category",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.dictionaries(st.sampled_from(_SEQ_KEYS), _junk, max_size=10))
def test_malformed_sequences_never_crash(data: dict) -> None:
    from atscomms.simulation import analysis

    plan = compile_plan(data, TEMPLATES)
    fields = {"candidate.email": "e", "candidate.phone": "p", "interview.start_at": "2026-12-01"}
    cand = Candidate("x", fields, {"email": True, "sms": True}, timezone="Europe/Berlin")
    simulate(plan, cand, datetime(2026, 12, 1, tzinfo=UTC))
    for lst in plan.step_lists:
        list(analysis.send_gaps(lst.steps))
        list(analysis.cap_breaches(lst.steps, 1, None))
        analysis.delay_before(lst.steps)
        list(analysis.back_jumps(lst.steps))
