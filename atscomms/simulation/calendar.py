"""Calendar rules: durations, business days, send windows, holidays, the SMS floor.

Durations: ``m``/``h`` are exact elapsed time; ``d``/``w`` are calendar days in
the recipient's local time (the same wall-clock time N days later, so "1d"
across a DST change is 23 or 25 hours); ``business days`` skip the days that
are not business days (default Monday to Friday) and the declared holidays,
keeping the wall-clock time. Wall-clock results are turned into instants by
:func:`~atscomms.simulation.zones.wall_to_instant`.

A send window is a set of weekdays and a wall-clock range ``[start, end)`` in
the recipient's local time (``end`` may be ``24:00``; ``end`` before ``start``
wraps past midnight on the same local date). SMS are always limited to
08:00-21:00 local time, whatever the window says. Local times that occur twice
(the hour repeated when clocks go back) are always closed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from atscomms.simulation.zones import (
    UTC,
    ambiguity_end,
    ambiguous,
    first_at_or_after,
    wall_to_instant,
)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_BUSINESS_DAYS = frozenset(range(5))
SMS_FLOOR = (8 * 3600, 21 * 3600)  # seconds of the local day
#: How far ahead a window is searched before giving up (a window that never opens).
SEARCH_DAYS = 400

_DURATION = re.compile(
    r"^(-?)([0-9]+) ?(m|min|minutes?|h|hours?|d|days?|w|weeks?|bd|business ?days?)$"
)


@dataclass(frozen=True, slots=True)
class Duration:
    amount: int  # signed
    unit: str  # minutes | hours | days | business_days

    @classmethod
    def parse(cls, text: object) -> Duration | None:
        m = _DURATION.match(text.strip()) if isinstance(text, str) else None
        if m is None:
            return None
        sign = -1 if m.group(1) else 1
        n, unit = int(m.group(2)) * sign, m.group(3)
        if unit.startswith("b"):
            return cls(n, "business_days")
        if unit.startswith("w"):
            return cls(n * 7, "days")
        if unit.startswith("d"):
            return cls(n, "days")
        if unit.startswith("h"):
            return cls(n, "hours")
        return cls(n, "minutes")

    @property
    def nominal(self) -> timedelta:
        """Length for static checks (a day is 24 h, a business day at least one day)."""
        if self.unit == "minutes":
            return timedelta(minutes=self.amount)
        if self.unit == "hours":
            return timedelta(hours=self.amount)
        return timedelta(days=self.amount)

    def __str__(self) -> str:
        n = self.amount
        if self.unit == "business_days":
            return f"{n} business day" + ("" if abs(n) == 1 else "s")
        if self.unit == "days":
            return f"{n // 7}w" if n % 7 == 0 and n else f"{n}d"
        return f"{n}h" if self.unit == "hours" else f"{n}m"


def parse_time(text: object, default: int) -> int:
    """Seconds of the day for ``HH:MM`` (``24:00`` is 86400)."""
    if not isinstance(text, str) or not re.fullmatch(r"[0-9]{1,2}:[0-9]{2}", text):
        return default
    h, m = (int(x) for x in text.split(":"))
    return min(h * 3600 + m * 60, 86400)


def hhmm(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


@dataclass(frozen=True, slots=True)
class Window:
    """Weekdays (0 = Monday) and allowed ranges of the local day, in seconds."""

    days: frozenset[int]
    ranges: tuple[tuple[int, int], ...]
    label: str

    @classmethod
    def from_data(cls, data: object) -> Window | None:
        if not isinstance(data, dict):
            return None
        raw_days = data.get("days")
        if isinstance(raw_days, list):
            days = frozenset(WEEKDAYS.index(d) for d in raw_days if d in WEEKDAYS)
        else:
            days = frozenset(range(7))
        start = parse_time(data.get("start"), 0)
        end = parse_time(data.get("end"), 86400)
        if start < end:
            ranges: tuple[tuple[int, int], ...] = ((start, end),)
        elif start > end:
            ranges = tuple(r for r in ((0, end), (start, 86400)) if r[0] < r[1])
        else:
            ranges = ()
        return cls(days, ranges, _label(days, start, end))

    def intersect(self, lo: int, hi: int) -> Window:
        ranges = tuple((max(a, lo), min(b, hi)) for a, b in self.ranges if max(a, lo) < min(b, hi))
        return Window(self.days, ranges, self.label)

    @property
    def never_open(self) -> bool:
        return not self.days or not self.ranges


ANY_TIME = Window(frozenset(range(7)), ((0, 86400),), "any time")


def _label(days: frozenset[int], start: int, end: int) -> str:
    names = [WEEKDAYS[d].capitalize() for d in sorted(days)]
    if len(names) > 2 and sorted(days) == list(range(min(days), max(days) + 1)):
        day_text = f"{names[0]}-{names[-1]}"
    else:
        day_text = ",".join(names) or "no days"
    return f"{day_text} {hhmm(start)}-{hhmm(end)}"


@dataclass(frozen=True, slots=True)
class Calendar:
    holidays: frozenset[date] = frozenset()
    business_days: frozenset[int] = DEFAULT_BUSINESS_DAYS

    def is_business_day(self, day: date) -> bool:
        return day.weekday() in self.business_days and day not in self.holidays


def add(instant: datetime, duration: Duration, tz: tzinfo, cal: Calendar) -> datetime:
    """``instant`` plus ``duration`` for a recipient in ``tz`` (see the module docstring)."""
    if duration.unit == "minutes":
        return instant + timedelta(minutes=duration.amount)
    if duration.unit == "hours":
        return instant + timedelta(hours=duration.amount)
    wall = instant.astimezone(tz).replace(tzinfo=None)
    if duration.unit == "days":
        return wall_to_instant(wall + timedelta(days=duration.amount), tz)
    step = 1 if duration.amount >= 0 else -1
    day, left = wall.date(), abs(duration.amount)
    if not cal.business_days:
        return instant
    while left:
        day += timedelta(days=step)
        if cal.is_business_day(day):
            left -= 1
    return wall_to_instant(datetime.combine(day, wall.time()), tz)


@dataclass(frozen=True, slots=True)
class Opening:
    at: datetime  # UTC
    reason: str | None  # why the first candidate instant was closed (None: it was open)


def next_open(
    instant: datetime,
    tz: tzinfo,
    window: Window,
    cal: Calendar,
    *,
    channel: str,
) -> Opening | None:
    """The first instant at or after ``instant`` when a message may go out, or None."""
    sms = channel == "sms"
    effective = window.intersect(*SMS_FLOOR) if sms else window
    first_reason: str | None = None
    start_day = instant.astimezone(tz).date()
    t = instant
    while True:
        local = t.astimezone(tz)
        if (local.date() - start_day).days > SEARCH_DAYS:
            return None
        reason, t_next = _closed(local, effective, window, cal, channel)
        if reason is None:
            return Opening(t, first_reason)
        first_reason = first_reason or reason
        t = max(t_next, t + timedelta(seconds=1))


def _next_day(local: datetime) -> datetime:
    tz = local.tzinfo
    assert tz is not None
    return first_at_or_after(datetime.combine(local.date() + timedelta(days=1), time()), tz)


def _closed(
    local: datetime, effective: Window, declared: Window, cal: Calendar, channel: str
) -> tuple[str | None, datetime]:
    """Why ``local`` is closed (None if open) and the next instant worth trying."""
    tz = local.tzinfo
    assert tz is not None
    day = local.date()
    if day in cal.holidays:
        return f"{day.isoformat()} is a holiday", _next_day(local)
    if local.weekday() not in effective.days:
        return f"outside the {channel} window ({declared.label})", _next_day(local)
    tod = local.hour * 3600 + local.minute * 60 + local.second + local.microsecond / 1e6
    for a, b in effective.ranges:
        if a <= tod < b:
            if ambiguous(local):
                return (
                    f"local time {local:%H:%M} occurs twice on {day.isoformat()} (clocks go back)",
                    ambiguity_end(local),
                )
            return None, local.astimezone(UTC)
    if channel == "sms" and not any(a <= tod < b for a, b in declared.ranges):
        why = f"outside the sms window ({declared.label})"
    elif channel == "sms" and not SMS_FLOOR[0] <= tod < SMS_FLOOR[1]:
        why = "SMS quiet hours (21:00-08:00 local)"
    else:
        why = f"outside the {channel} window ({declared.label})"
    later = [a for a, _ in effective.ranges if a > tod]
    if later:
        wall = datetime.combine(day, time()) + timedelta(seconds=min(later))
        nxt = first_at_or_after(wall, tz)
        if nxt <= local:  # we are in the second pass of a repeated hour
            nxt = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
        return why, nxt
    return why, _next_day(local)


def is_open(instant: datetime, tz: tzinfo, window: Window, cal: Calendar, channel: str) -> bool:
    """True when a message on ``channel`` may go out at ``instant`` (used by tests)."""
    effective = window.intersect(*SMS_FLOOR) if channel == "sms" else window
    return _closed(instant.astimezone(tz), effective, window, cal, channel)[0] is None


def parse_dates(values: Iterable[object]) -> frozenset[date]:
    out: set[date] = set()
    for v in values:
        if isinstance(v, str):
            try:
                out.add(date.fromisoformat(v))
            except ValueError:
                continue
    return frozenset(out)
