"""IANA time zones and exact DST handling.

Every schedule is computed on UTC instants; local wall-clock times are only
derived from them, so a message can never sit at a local time that does not
exist. Where a rule names a wall-clock time, these helpers turn it into an
instant:

* a wall time inside a spring-forward gap (02:30 on 2026-03-29 in Berlin) is
  read with the offset before the gap (RFC 5545, PEP 495 ``fold=0``): 02:30
  becomes 03:30 CEST;
* a wall time that occurs twice (01:30 on 2026-11-01 in New York) is the first
  occurrence;
* for *send windows*, a local time that occurs twice is never used at all:
  :func:`ambiguous` instants are closed, and :func:`ambiguity_end` gives the
  first instant after the repeated hour, so a message is never sent at a
  doubled local time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "UTC",
    "ambiguity_end",
    "ambiguous",
    "first_at_or_after",
    "load_zone",
    "wall_to_instant",
]


@lru_cache(maxsize=1024)
def load_zone(name: str) -> ZoneInfo | None:
    """The zone called ``name``, or None when it is not an IANA zone name."""
    if not isinstance(name, str) or not name or name.startswith(("/", ".")) or ".." in name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _offset(instant: datetime, tz: tzinfo) -> timedelta:
    off = instant.astimezone(tz).utcoffset()
    assert off is not None
    return off


def _first_with_offset(lo: datetime, hi: datetime, tz: tzinfo) -> datetime:
    """First instant in ``(lo, hi]`` whose offset is that of ``hi`` (exactly one change)."""
    target = _offset(hi, tz)
    lo_s, hi_s = int(lo.timestamp()), int(hi.timestamp())
    while hi_s - lo_s > 1:
        mid = (lo_s + hi_s) // 2
        if _offset(datetime.fromtimestamp(mid, UTC), tz) == target:
            hi_s = mid
        else:
            lo_s = mid
    return datetime.fromtimestamp(hi_s, UTC)


def wall_to_instant(wall: datetime, tz: tzinfo) -> datetime:
    """UTC instant of the naive local ``wall`` time (gap: shifted forward; doubled: first)."""
    return wall.replace(tzinfo=tz, fold=0).astimezone(UTC)


def first_at_or_after(wall: datetime, tz: tzinfo) -> datetime:
    """Earliest UTC instant whose local time is ``wall`` or later (gap: the gap's end)."""
    instant = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) == wall:
        return instant  # exists; for a doubled time this is the first occurrence
    before = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    return _first_with_offset(min(before, instant), max(before, instant), tz)


def ambiguous(local: datetime) -> bool:
    """True when the aware local time ``local`` occurs twice on its day (clocks went back)."""
    tz = local.tzinfo
    assert tz is not None
    naive = local.replace(tzinfo=None)
    return (
        naive.replace(tzinfo=tz, fold=0).utcoffset() != naive.replace(tzinfo=tz, fold=1).utcoffset()
    )


def ambiguity_end(local: datetime) -> datetime:
    """First UTC instant after the repeated hour that ``local`` falls in."""
    tz = local.tzinfo
    assert tz is not None
    naive = local.replace(tzinfo=None)
    off0 = naive.replace(tzinfo=tz, fold=0).utcoffset()
    off1 = naive.replace(tzinfo=tz, fold=1).utcoffset()
    assert off0 is not None and off1 is not None
    first = (naive - off0).replace(tzinfo=UTC)
    second = (naive - off1).replace(tzinfo=UTC)
    change = _first_with_offset(min(first, second), max(first, second), tz)
    return change + abs(off0 - off1)
