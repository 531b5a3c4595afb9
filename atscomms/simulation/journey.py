"""What a simulation produces: the candidate, each record, the journey."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from atscomms.simulation.zones import UTC, load_zone

#: Actions of the `simulate --format json` contract; the trace adds wait, branch, event.
CONTRACT_ACTIONS = ("send", "skip", "defer", "notify", "exit")


@dataclass(slots=True)
class Candidate:
    id: str
    fields: dict[str, Any]
    consent: dict[str, bool]
    timezone: str | None = None
    segment: str | None = None
    persona: str | None = None

    @classmethod
    def from_persona(cls, persona: Any) -> Candidate:
        fields = dict(persona.fields)
        segment = persona.data.get("segment") if isinstance(persona.data, dict) else None
        if isinstance(segment, str):
            fields.setdefault("candidate.segment", segment)
        cid = fields.get("candidate.id")
        return cls(
            id=str(cid) if cid is not None else persona.id,
            fields=fields,
            consent={k: v for k, v in persona.consent.items() if isinstance(v, bool)},
            timezone=persona.timezone,
            segment=segment if isinstance(segment, str) else None,
            persona=persona.id,
        )


@dataclass(slots=True)
class Record:
    action: str
    at: datetime  # UTC
    local: datetime
    step: str | None = None
    channel: str | None = None
    template: str | None = None
    variant: str | None = None
    reason: str | None = None
    code: str | None = None  # short reason: window, gap, consent, exit, paused, cap...
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "action": self.action,
            "channel": self.channel,
            "template": self.template,
            "at_utc": self.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "at_local": self.local.isoformat(timespec="seconds"),
            "reason": self.reason,
            "variant": self.variant,
            "reason_code": self.code,
            **self.extra,
        }


@dataclass(slots=True)
class Journey:
    sequence: str
    persona: str | None
    timezone: str
    timezone_source: str
    start: datetime
    segment: str | None
    track: str | None
    records: list[Record]

    @property
    def events(self) -> list[Record]:
        return [r for r in self.records if r.action in CONTRACT_ACTIONS]

    def to_dict(self, *, trace: bool = True) -> dict[str, Any]:
        out = {
            "sequence": self.sequence,
            "persona": self.persona,
            "timezone": self.timezone,
            "events": [r.to_dict() for r in self.events],
            "timezone_source": self.timezone_source,
            "start_utc": self.start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "start_local": self.start.astimezone(load_zone(self.timezone) or UTC).isoformat(
                timespec="seconds"
            ),
            "segment": self.segment,
            "track": self.track,
        }
        if trace:
            out["trace"] = [r.to_dict() for r in self.records]
        return out
