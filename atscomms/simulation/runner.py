"""Simulate the sequences of a Workspace for its personas."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from atscomms.model.resources import Persona, Sequence
from atscomms.model.workspace import Workspace
from atscomms.simulation.engine import simulate
from atscomms.simulation.events import CandidateEvent, parse_instant
from atscomms.simulation.journey import Candidate, Journey
from atscomms.simulation.plan import Plan, compile_plan, template_infos
from atscomms.simulation.zones import UTC


class StartError(ValueError):
    pass


def parse_start(text: str | None) -> datetime:
    """``--start``: ISO-8601 with an offset (an instant), or without (recipient local time)."""
    if text is None:
        return datetime.now(UTC).replace(second=0, microsecond=0)
    value = parse_instant(text)
    if value is None:
        raise StartError(f"--start: {text!r} is not an ISO-8601 date-time (2026-12-07T09:00+01:00)")
    return value


def plan_for(ws: Workspace, seq: Sequence) -> Plan:
    return compile_plan(seq.data, template_infos(ws.templates), ws.config.stages)


def simulate_personas(
    ws: Workspace,
    seq: Sequence,
    personas: Iterable[Persona],
    start: datetime,
    events: Iterable[CandidateEvent] = (),
) -> tuple[Plan, list[Journey]]:
    plan = plan_for(ws, seq)
    events = list(events)
    journeys = [
        simulate(
            plan,
            Candidate.from_persona(p),
            start,
            events,
            default_timezone=ws.config.timezone,
        )
        for p in personas
    ]
    return plan, journeys
