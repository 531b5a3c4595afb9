"""Static analysis of a sequence's steps, behind the Q lint rules.

Steps form a graph: every step leads to the next one, a ``branch`` to its
``then`` and ``else`` targets, a ``stop`` nowhere. A branch that jumps back
(to itself or an earlier step) makes a loop. Timing checks follow the
forward edges only (loops are Q002's concern) and use nominal durations (a
day is 24 hours, a business day at least one day); a ``wait_until`` makes the
time unknown, so no timing check looks across one.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from atscomms.simulation.calendar import Duration
from atscomms.simulation.plan import Plan, Step, StepList

WEEK = 7 * 24 * 3600.0
MAX_PATHS = 2000


def reachable(steps: list[Step]) -> set[int]:
    seen: set[int] = set()
    todo = [0] if steps else []
    while todo:
        i = todo.pop()
        if i not in seen:
            seen.add(i)
            todo.extend(steps[i].successors(len(steps)))
    return seen


def back_jumps(steps: list[Step]) -> Iterator[tuple[Step, str]]:
    """(branch step, "then"|"else") for every jump to itself or an earlier step."""
    for s in steps:
        if s.kind != "branch":
            continue
        for key, target in (("then", s.then), ("else", s.otherwise)):
            if target is not None and target <= s.index:
                yield s, key


def _forward(steps: list[Step], i: int) -> list[int]:
    return [j for j in steps[i].successors(len(steps)) if j > i]


def _wait(step: Step) -> float:
    """Seconds a step holds the journey (inf: unknown)."""
    if step.kind == "wait":
        return max(step.duration.nominal.total_seconds(), 0.0) if step.duration else 0.0
    if step.kind == "wait_until":
        return math.inf
    return 0.0


def delay_before(steps: list[Step]) -> list[float | None]:
    """Least time from the trigger to each step over any path (None: unreachable)."""
    out: list[float | None] = [None] * len(steps)
    if steps:
        out[0] = 0.0
    for i, step in enumerate(steps):
        here = out[i]
        if here is None:
            continue
        for j in _forward(steps, i):
            value = here + _wait(step)
            current = out[j]
            out[j] = value if current is None else min(current, value)
    return out


def send_gaps(steps: list[Step]) -> Iterator[tuple[Step, Step, float]]:
    """(send, next send, least time between them) for consecutive sends on any path."""
    for s in steps:
        if not s.sends:
            continue
        dist: dict[int, float] = {s.index: 0.0}
        for i in range(s.index, len(steps)):
            if i not in dist or (i != s.index and steps[i].sends):
                continue
            for j in _forward(steps, i):
                value = dist[i] + _wait(steps[i])
                dist[j] = min(dist.get(j, math.inf), value)
        for j, gap in sorted(dist.items()):
            if j != s.index and steps[j].sends and gap < math.inf:
                yield s, steps[j], gap


def _paths(steps: list[Step]) -> Iterator[list[int]]:
    stack: list[list[int]] = [[0]] if steps else []
    count = 0
    while stack and count < MAX_PATHS:
        path = stack.pop()
        nxt = _forward(steps, path[-1])
        if not nxt:
            count += 1
            yield path
        stack.extend([*path, j] for j in reversed(nxt))


def cap_breaches(steps: list[Step], cap: int, gap: Duration | None) -> Iterator[Step]:
    """Send steps at which some path has more than ``cap`` messages within 7 days.

    Times follow the simulator: a message waits for the minimum gap after the
    previous one, and later waits start after it is sent.
    """
    min_gap = gap.nominal.total_seconds() if gap else 0.0
    seen: set[int] = set()
    for path in _paths(steps):
        t, epoch, sent = 0.0, 0, []
        for i in path:
            step = steps[i]
            if step.sends:
                if sent and sent[-1][0] == epoch:
                    t = max(t, sent[-1][1] + min_gap)
                sent.append((epoch, t, i))
                recent = [x for x in sent if x[0] == epoch and x[1] > t - WEEK]
                if len(recent) > cap and i not in seen:
                    seen.add(i)
                    yield step
            wait = _wait(step)
            if wait == math.inf:
                epoch, t = epoch + 1, 0.0
            else:
                t += wait


@dataclass(frozen=True, slots=True)
class Cadence:
    min_gap: Duration | None
    weekly_cap: int | None
    source: str  # "sequence" or "segment <id>"


def cadence(plan: Plan, lst: StepList) -> Cadence:
    """The cadence a step list runs under: a track's matching segment, else the sequence's."""
    if lst.id is not None:
        for seg in plan.segments:
            if seg.id == lst.id or (seg.when is not None and seg.when == lst.when):
                return Cadence(
                    seg.min_gap or plan.min_gap,
                    seg.weekly_cap or plan.weekly_cap,
                    f"segment {seg.id}",
                )
    return Cadence(plan.min_gap, plan.weekly_cap, "sequence")


def fmt_seconds(seconds: float) -> str:
    """A short duration: "1h30m", "2d", "45m"."""
    td = timedelta(seconds=seconds)
    if td.days and not td.seconds:
        return f"{td.days}d"
    hours = td.days * 24 + td.seconds // 3600
    minutes = td.seconds % 3600 // 60
    return f"{hours}h" + (f"{minutes:02d}m" if minutes else "") if hours else f"{minutes}m"
