"""Candidate events injected into a simulation (``--events FILE``).

A YAML or JSON file, either a list or a mapping with an ``events:`` list::

    events:
      - at: "2026-12-07T12:00:00+01:00"   # or `after: 2d` (from --start)
        action: withdrew                  # a candidate action...
      - after: 1d
        event: interview_rescheduled      # ...or a system event
        fields: {interview.start_at: "2026-12-10T10:00:00+01:00"}
      - after: 3d
        event: stage_entered
        stage: offer
      - after: 5d
        consent: {sms: false}             # field or consent changes need no name

``at`` without a UTC offset is the recipient's local time. Events before
``--start`` are history (a branch on ``event: interview_scheduled`` sees them).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from pathlib import Path
from typing import Any

from atscomms.loading.validate import did_you_mean
from atscomms.simulation.calendar import Calendar, Duration, add
from atscomms.simulation.zones import UTC, wall_to_instant

ACTIONS = ("application_submitted", "assessment_completed", "replied", "withdrew")
SYSTEM_EVENTS = (
    "stage_entered",
    "job_posted",
    "interview_scheduled",
    "interview_rescheduled",
    "interview_cancelled",
    "offer_extended",
    "rejected",
    "hired",
    "do_not_contact",
)
NAMES = ACTIONS + SYSTEM_EVENTS
KEYS = ("at", "after", "action", "event", "stage", "fields", "consent", "description")


class EventsError(ValueError):
    """An unreadable or invalid events file (exit 2 with this one line)."""


@dataclass(frozen=True, slots=True)
class CandidateEvent:
    index: int
    name: str | None = None
    stage: str | None = None
    fields: Mapping[str, Any] = field(default_factory=dict)
    consent: Mapping[str, bool] = field(default_factory=dict)
    at: datetime | None = None  # aware, or naive = recipient local time
    after: Duration | None = None

    def when(self, start: datetime, tz: tzinfo, cal: Calendar) -> datetime:
        """The UTC instant of the event for a recipient in ``tz``."""
        if self.after is not None:
            return add(start, self.after, tz, cal)
        assert self.at is not None
        if self.at.tzinfo is None:
            return wall_to_instant(self.at, tz)
        return self.at.astimezone(UTC)

    @property
    def label(self) -> str:
        if self.name == "stage_entered":
            return f"stage_entered {self.stage}"
        if self.name:
            return self.name
        changed = [*self.fields, *(f"consent.{k}" for k in self.consent)]
        return "changed " + ", ".join(changed)


def parse_instant(value: Any) -> datetime | None:
    """An ISO-8601 date-time (or date: local midnight); naive when it has no offset."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time())
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def parse_events(items: Any, where: str = "events") -> list[CandidateEvent]:
    if isinstance(items, dict) and "events" in items:
        items = items["events"]
    if not isinstance(items, list):
        raise EventsError(f"{where}: expected a list of events (or a mapping with `events:`)")
    out: list[CandidateEvent] = []
    for i, item in enumerate(items):
        here = f"{where}: event {i + 1}"
        if not isinstance(item, dict):
            raise EventsError(f"{here}: expected a mapping with `at` or `after`")
        unknown = [k for k in item if k not in KEYS]
        if unknown:
            guess = did_you_mean(str(unknown[0]), KEYS)
            extra = f" (did you mean `{guess}`?)" if guess else ""
            raise EventsError(f"{here}: unknown key `{unknown[0]}`{extra}")
        at = parse_instant(item.get("at")) if "at" in item else None
        after = Duration.parse(item.get("after")) if "after" in item else None
        if ("at" in item) == ("after" in item):
            raise EventsError(f"{here}: give exactly one of `at` (ISO-8601) or `after` (e.g. 2d)")
        if "at" in item and at is None:
            raise EventsError(f"{here}: `at` is not an ISO-8601 date-time: {item['at']!r}")
        if "after" in item and after is None:
            raise EventsError(
                f"{here}: `after` is not a duration like 2h, 3d, 1w: {item['after']!r}"
            )
        name = item.get("action", item.get("event"))
        if "action" in item and "event" in item:
            raise EventsError(f"{here}: give `action` or `event`, not both")
        if name is not None and name not in NAMES:
            guess = did_you_mean(str(name), NAMES)
            hint = f" (did you mean {guess!r}?)" if guess else f" (known: {', '.join(NAMES)})"
            raise EventsError(f"{here}: unknown event {name!r}{hint}")
        stage = item.get("stage")
        if name == "stage_entered" and not isinstance(stage, str):
            raise EventsError(f"{here}: `stage_entered` needs `stage: NAME`")
        fields = item.get("fields") or {}
        consent = item.get("consent") or {}
        if not isinstance(fields, dict) or not isinstance(consent, dict):
            raise EventsError(f"{here}: `fields` and `consent` are mappings")
        if any(not isinstance(v, bool) for v in consent.values()):
            raise EventsError(f"{here}: consent values are true or false")
        if name is None and not fields and not consent:
            raise EventsError(f"{here}: give `action`, `event`, `fields` or `consent`")
        out.append(
            CandidateEvent(
                index=i,
                name=name,
                stage=stage if isinstance(stage, str) else None,
                fields=dict(fields),
                consent=dict(consent),
                at=at,
                after=after,
            )
        )
    return out


def load_events(path: Path) -> list[CandidateEvent]:
    """Read and check an events file (YAML or JSON)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise EventsError(f"cannot read {path}: {exc.strerror or exc}") from None
    name = path.name
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise EventsError(f"{name}: not valid JSON: {exc}") from None
        return parse_events(data, name)
    from atscomms.loading.yamlsafe import load

    text = raw.decode("utf-8", errors="replace")
    if _is_list(text):  # a top-level list: read it as `events:`
        text = "events:\n" + "".join("  " + line for line in text.splitlines(keepends=True))
    doc = load(name, text.encode("utf-8"))
    if not doc.ok:
        first = doc.findings[0] if doc.findings else None
        raise EventsError(f"{name}: {first.message if first else 'cannot be read'}")
    return parse_events(doc.data, name)


def _is_list(text: str) -> bool:
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and stripped != "---":
            return stripped == "-" or stripped.startswith("- ")
    return False
