"""`atscomms simulate SEQUENCE`: a candidate journey, step by step, in UTC and local time."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from atscomms.cli.common import (
    NoColorOpt,
    OutputOpt,
    RevOpt,
    WorkspaceOpt,
    color_enabled,
    fail,
    resolve_workspace,
    set_output_flags,
    workspace_errors,
    write_output,
)


def simulate(
    sequence: Annotated[str, typer.Argument(help="Sequence id.", show_default=False)],
    persona: Annotated[
        str | None, typer.Option("--persona", "-p", help="Persona id (the candidate).")
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--start",
            help="When the trigger fires: ISO-8601, e.g. 2026-12-04T17:30+01:00; without an "
            "offset it is the candidate's local time (default: now).",
            show_default=False,
        ),
    ] = None,
    events: Annotated[
        Path | None,
        typer.Option(
            "--events",
            help="YAML/JSON file of timed candidate events (withdrew, stage_entered, "
            "field changes such as a reschedule).",
            show_default=False,
        ),
    ] = None,
    all_personas: Annotated[
        bool, typer.Option("--all-personas", help="Every persona: a persona x step matrix.")
    ] = False,
    workspace: WorkspaceOpt = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help="text (a table) or json.", show_default=False),
    ] = None,
    output: OutputOpt = None,
    rev: RevOpt = None,
    no_color: NoColorOpt = False,
) -> None:
    """Simulate a sequence for a persona: every step with its UTC and local time, and why
    each message that is not sent is deferred or skipped."""
    set_output_flags(False, no_color)
    if fmt not in (None, "text", "json"):
        fail(f"--format: simulate prints text or json, not {fmt!r}")
    if all_personas and persona:
        fail("give --persona P or --all-personas, not both")
    root = resolve_workspace(workspace)
    from atscomms.findings import Severity
    from atscomms.loading.validate import did_you_mean
    from atscomms.model.build import build
    from atscomms.simulation.events import EventsError, load_events
    from atscomms.simulation.runner import StartError, parse_start, simulate_personas

    try:
        when = parse_start(start)
        injected = load_events(events) if events is not None else []
    except (StartError, EventsError) as exc:
        fail(str(exc))
    with workspace_errors():
        ws, result = build(root, rev)
    seq = ws.sequences.get(sequence)
    if seq is None:
        guess = did_you_mean(sequence, ws.sequences)
        fail(f"unknown sequence {sequence!r}" + (f" (did you mean {guess!r}?)" if guess else ""))
    if all_personas:
        personas = list(ws.personas.values())
        if not personas:
            fail("the workspace has no personas")
    elif persona is not None:
        if persona not in ws.personas:
            guess = did_you_mean(persona, ws.personas)
            fail(f"unknown persona {persona!r}" + (f" (did you mean {guess!r}?)" if guess else ""))
        personas = [ws.personas[persona]]
    elif len(ws.personas) == 1:
        personas = list(ws.personas.values())
    else:
        fail("give --persona P (or --all-personas)")
    paths = {seq.path, *(p.path for p in personas)}
    broken = [f for f in result.findings if f.path in paths and f.severity >= Severity.ERROR]
    if broken:
        for f in broken:
            sys.stderr.write(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}\n")
        raise typer.Exit(1)
    plan, journeys = simulate_personas(ws, seq, personas, when, injected)
    from atscomms.simulation import output as out

    color = output is None and color_enabled(sys.stdout)
    if all_personas:
        if fmt == "json":
            data = out.matrix_json(plan, journeys, start or when.isoformat())
            text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        else:
            text = out.matrix_text(plan, journeys, color=color)
    elif fmt == "json":
        text = json.dumps(journeys[0].to_dict(), indent=2, ensure_ascii=False) + "\n"
    else:
        text = out.timeline_text(journeys[0], color=color)
    write_output(text, output)
    raise typer.Exit(0)
