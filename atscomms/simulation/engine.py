"""The journey simulator: one candidate through one sequence, step by step.

Time only moves forward. At each moment the candidate's events due by then
are applied first (so an exit at the very instant a message is due suppresses
it), then the current step runs. A message that may not go out yet (send
window, holiday, SMS quiet hours, minimum gap, a doubled local time) gets a
``defer`` record and is retried at the first allowed instant; one that is not
sent at all gets a ``skip`` record saying why (no consent, no address, weekly
cap reached, suppressed by an exit, still paused, beyond the horizon).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, tzinfo
from typing import Any

from atscomms.simulation.abtest import bucket, choose
from atscomms.simulation.calendar import Duration, add, next_open
from atscomms.simulation.events import CandidateEvent, parse_instant
from atscomms.simulation.journey import Candidate, Journey, Record
from atscomms.simulation.plan import Plan, Step, holds
from atscomms.simulation.zones import UTC, load_zone, wall_to_instant

EXIT_EVENTS = ("withdrew", "replied", "interview_cancelled", "rejected", "hired", "do_not_contact")
ADDRESS_FIELDS = {"email": "candidate.email", "sms": "candidate.phone"}
HORIZON = timedelta(days=366)
STEP_BUDGET = 10_000


def local_text(at: datetime, tz: tzinfo) -> str:
    local = at.astimezone(tz)
    return f"{local:%a %Y-%m-%d %H:%M} {local.tzname()}"


def resolve_timezone(plan: Plan, cand: Candidate, default: str | None) -> tuple[tzinfo, str, str]:
    """(zone, its name, where it came from) along the sequence's fallbacks; UTC last."""
    sources = {
        "persona": cand.timezone,
        "candidate.timezone": cand.fields.get("candidate.timezone"),
        "job.timezone": cand.fields.get("job.timezone"),
        "workspace": default,
    }
    for source in plan.timezone_fallbacks:
        name = sources.get(source)
        zone = load_zone(name) if isinstance(name, str) else None
        if zone is not None:
            return zone, str(name), source
    zone = load_zone("UTC")
    return zone or UTC, "UTC", "utc"


class _Run:
    def __init__(
        self,
        plan: Plan,
        cand: Candidate,
        start: datetime,
        events: Iterable[CandidateEvent],
        default_tz: str | None,
        horizon: timedelta,
    ) -> None:
        self.plan, self.cand, self.default_tz = plan, cand, default_tz
        self.fields = dict(cand.fields)
        self.consent = dict(cand.consent)
        self.tz, self.tz_name, self.tz_source = resolve_timezone(plan, cand, default_tz)
        self.start = wall_to_instant(start, self.tz) if start.tzinfo is None else start
        self.start = self.start.astimezone(UTC)
        self.end = self.start + horizon
        cal = plan.calendar
        timed = [(e.when(self.start, self.tz, cal), e.index, e) for e in events]
        self.queue = sorted(timed, key=lambda x: (x[0], x[1]))
        self.records: list[Record] = []
        trigger = plan.trigger_name
        self.happened: set[str] = {trigger} if trigger else set()
        self.stage = plan.stage
        self.paused: str | None = None
        self.paused_from: str | None = None
        self.sent: list[datetime] = []
        self.visits: dict[int, int] = {}
        self.waiting: Step | None = None
        self.held: tuple[int, datetime] | None = None
        self.point: float | None = None  # A/B bucket, computed on first use

    # ----------------------------------------------------------------- records
    def record(self, action: str, at: datetime, step: Step | None = None, **kw: Any) -> Record:
        rec = Record(action, at, at.astimezone(self.tz), step.id if step else None, **kw)
        if step is not None and step.kind == "send" and "channel" not in kw:
            rec.channel, rec.template = step.channel, step.template
        self.records.append(rec)
        return rec

    def suppress(self, steps: list[Step], pc: int, at: datetime, code: str, why: str) -> None:
        for i in sorted(_reachable(steps, pc)):
            if steps[i].sends:
                self.record("skip", at, steps[i], reason=why, code=code)

    # ------------------------------------------------------------------ events
    def apply(self, at: datetime, ev: CandidateEvent) -> str | None:
        """Apply one candidate event; the exit condition it meets, if any."""
        self.record("event", at, reason=ev.label, code="event")
        hits: set[str] = set()
        if ev.name:
            self.happened.add(ev.name)
            if ev.name in EXIT_EVENTS:
                hits.add(ev.name)
        self.fields.update(ev.fields)
        self.consent.update(ev.consent)
        if {"candidate.timezone", "job.timezone"} & set(ev.fields):
            probe = Candidate(self.cand.id, self.fields, self.consent, self.cand.timezone)
            self.tz, self.tz_name, self.tz_source = resolve_timezone(
                self.plan, probe, self.default_tz
            )
        if ev.name == "stage_entered" and ev.stage:
            new = ev.stage
            if new in ("hired", "rejected"):
                hits.add(new)
            if new in self.plan.pause_on:
                if self.paused is None:
                    self.paused_from = self.stage
                self.paused = new
            elif self.paused is not None and new == self.paused_from:
                self.paused = None
            else:
                if new != self.stage:
                    hits.add("stage_changed")
                self.paused = None
            self.stage = new
        exits = sorted(hits & self.plan.exit_on)
        return exits[0] if exits else None

    def target(self, step: Step) -> datetime | None:
        value = parse_instant(self.fields.get(step.field or ""))
        if value is None:
            return None
        instant = wall_to_instant(value, self.tz) if value.tzinfo is None else value
        instant = instant.astimezone(UTC)
        if step.offset is not None:
            instant = add(instant, step.offset, self.tz, self.plan.calendar)
        return instant

    # -------------------------------------------------------------------- main
    def run(self) -> Journey:
        plan = self.plan
        track = next(
            (t for t in plan.tracks if holds(t.when, self.fields, self.happened)), plan.main
        )
        segment = next(
            (
                s
                for s in plan.segments
                if (
                    holds(s.when, self.fields, self.happened)
                    if s.when
                    else s.id == self.cand.segment
                )
            ),
            None,
        )
        gap = (segment.min_gap if segment else None) or plan.min_gap
        cap = (segment.weekly_cap if segment else None) or plan.weekly_cap
        self.loop(track.steps, gap, cap)
        self.records.sort(key=lambda r: r.at)
        return Journey(
            plan.id,
            self.cand.persona,
            self.tz_name,
            self.tz_source,
            self.start,
            segment.id if segment else None,
            track.id,
            self.records,
        )

    def loop(self, steps: list[Step], gap: Duration | None, cap: int | None) -> None:
        pc, due, budget = 0, self.start, STEP_BUDGET
        while pc < len(steps):
            step = steps[pc]
            while self.queue and self.queue[0][0] <= due:
                at, _, ev = self.queue.pop(0)
                exit_name = self.apply(at, ev)
                if exit_name:
                    self.record("exit", at, step, reason=f"exit on {exit_name}", code="exit")
                    self.suppress(steps, pc, at, "exit", f"suppressed: exit on {exit_name}")
                    return
                if self.waiting is not None and self.waiting.field in ev.fields:
                    new = self.target(self.waiting)
                    if new is None:
                        return self.missing_field(steps, pc, at, self.waiting)
                    due = max(new, at)
                    self.record("wait", at, self.waiting, reason=f"until {self.when(due)}")
            if self.paused is not None:
                if self.held is None:
                    self.held = (pc, due)
                if not self.queue:
                    why = f"paused (stage {self.paused}) and never resumed"
                    self.suppress(steps, pc, due, "paused", why)
                    return
                due = max(due, self.queue[0][0])
                continue
            if self.held is not None:
                held_pc, held_at = self.held
                self.held = None
                if steps[held_pc].sends and due > held_at:
                    why = (
                        f"sequence paused (stage {self.paused_from}); deferred to {self.when(due)}"
                    )
                    self.record("defer", held_at, steps[held_pc], reason=why, code="paused")
            if due > self.end:
                self.suppress(steps, pc, self.end, "horizon", "beyond the simulation horizon")
                return
            budget -= 1
            if budget <= 0:
                why = f"loop guard: more than {STEP_BUDGET} steps"
                self.record("exit", due, step, reason=why, code="loop")
                return
            self.waiting = None
            if step.kind == "send":
                new_due = self.send(step, due, gap, cap)
                if new_due is not None:
                    due = new_due
                    continue
                pc += 1
            elif step.kind == "wait":
                if step.duration is not None:
                    due = max(due, add(due, step.duration, self.tz, self.plan.calendar))
                self.record("wait", due, step, reason=f"waited {step.duration}")
                pc += 1
            elif step.kind == "wait_until":
                target = self.target(step)
                if target is None:
                    return self.missing_field(steps, pc, due, step)
                if target > due:
                    self.waiting, due = step, target
                    self.record("wait", due, step, reason=f"until {step.field} {step.offset or ''}")
                else:
                    self.record("wait", due, step, reason="target time already passed")
                pc += 1
            elif step.kind == "branch":
                pc = self.branch(step, pc)
            elif step.kind == "notify":
                extra = {"to": step.to, "message": step.message}
                self.record("notify", due, step, extra=extra)
                pc += 1
            else:
                why = f"stop: {step.message}" if step.message else "stop"
                self.record("exit", due, step, reason=why, code="stop")
                return

    def when(self, at: datetime) -> str:
        return local_text(at, self.tz)

    def missing_field(self, steps: list[Step], pc: int, at: datetime, step: Step) -> None:
        why = f"{step.field} has no date-time value to wait for"
        self.record("exit", at, step, reason=why, code="missing_field")
        self.suppress(steps, pc + 1, at, "missing_field", f"suppressed: {why}")

    def branch(self, step: Step, pc: int) -> int:
        take = holds(step.cond, self.fields, self.happened)
        then = step.then if step.then is not None else pc + 1
        if take and then <= pc:
            seen = self.visits.get(pc, 0) + 1
            self.visits[pc] = seen
            if step.max_visits is not None and seen > step.max_visits:
                take = False
        target = then if take else (step.otherwise if step.otherwise is not None else pc + 1)
        return target

    def send(
        self, step: Step, due: datetime, gap: Duration | None, cap: int | None
    ) -> datetime | None:
        """Send, skip, or defer (return the new due time)."""
        channel = step.channel or "email"
        if self.plan.needs_consent(channel) and self.consent.get(channel) is not True:
            why = f"no consent: {channel} needs a recorded opt-in"
            self.record("skip", due, step, reason=why, code="consent")
            return None
        address = ADDRESS_FIELDS.get(channel)
        if address and not self.fields.get(address):
            self.record("skip", due, step, reason=f"no {address} on file", code="address")
            return None
        earliest, why = due, None
        if gap is not None and self.sent:
            after_gap = add(self.sent[-1], gap, self.tz, self.plan.calendar)
            if after_gap > due:
                earliest = after_gap
                why = f"min gap {gap} after the message at {self.when(self.sent[-1])}"
        window = self.plan.window(channel, step.category)
        opening = next_open(earliest, self.tz, window, self.plan.calendar, channel=channel)
        if opening is None:
            why = f"the {channel} window ({window.label}) never opens"
            self.record("skip", due, step, reason=why, code="window")
            return None
        if opening.at > due:
            why = why or opening.reason
            code = "gap" if why and why.startswith("min gap") else "window"
            msg = f"{why}; deferred to {self.when(opening.at)}"
            self.record("defer", due, step, reason=msg, code=code)
            return opening.at
        if cap is not None:
            week = due - timedelta(days=7)
            if sum(1 for t in self.sent if t > week) >= cap:
                why = f"weekly cap reached: {cap} message(s) in the 7 days before"
                self.record("skip", due, step, reason=why, code="cap")
                return None
        template, variant = self.pick(step)
        self.record("send", due, step, channel=channel, template=template, variant=variant)
        self.sent.append(due)
        return None

    def pick(self, step: Step) -> tuple[str | None, str | None]:
        if self.point is None:
            self.point = bucket(self.cand.id, self.plan.id)
        point = self.point
        if step.arms:
            arm = choose(step.arms, [a.weight for a in step.arms], point)
            return arm.template, arm.variant
        variants = self.plan.variants.get(step.template or "")
        if not variants:
            return step.template, None
        weights = [w for _, w in variants]
        if all(w is None for w in weights):
            weights = [1.0] * len(variants)
        ids = [v for v, _ in variants]
        return step.template, choose(ids, [w or 0.0 for w in weights], point)


def _reachable(steps: list[Step], start: int) -> set[int]:
    seen: set[int] = set()
    todo = [start] if start < len(steps) else []
    while todo:
        i = todo.pop()
        if i in seen:
            continue
        seen.add(i)
        todo.extend(steps[i].successors(len(steps)))
    return seen


def simulate(
    plan: Plan,
    candidate: Candidate,
    start: datetime,
    events: Iterable[CandidateEvent] = (),
    *,
    default_timezone: str | None = None,
    horizon: timedelta = HORIZON,
) -> Journey:
    """Simulate ``candidate`` through ``plan`` from ``start`` (naive: recipient local time)."""
    return _Run(plan, candidate, start, events, default_timezone, horizon).run()
