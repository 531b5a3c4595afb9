"""Journeys as JSON, as a rich timeline table, and as a persona x step matrix."""

from __future__ import annotations

import io
from typing import Any

from atscomms.simulation.journey import Journey, Record
from atscomms.simulation.plan import Plan

STYLES = {
    "send": "green",
    "skip": "red",
    "defer": "yellow",
    "notify": "cyan",
    "exit": "magenta",
    "wait": "dim",
    "branch": "dim",
    "event": "bold blue",
}
SHORT = {
    "consent": "no consent",
    "address": "no address",
    "cap": "weekly cap",
    "exit": "exit",
    "paused": "paused",
    "horizon": "beyond horizon",
    "window": "window never opens",
    "missing_field": "missing field",
}


def _console(color: bool, width: int | None) -> Any:
    import shutil

    from rich.console import Console

    if width is None and color:
        width = max(100, shutil.get_terminal_size((160, 40)).columns)

    return Console(
        file=io.StringIO(),
        width=width or 160,
        color_system="standard" if color else None,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        soft_wrap=False,
    )


def _local(rec: Record) -> str:
    return f"{rec.local:%a %Y-%m-%d %H:%M} {rec.local.tzname()}"


def timeline_text(journey: Journey, *, color: bool = False, width: int | None = None) -> str:
    """Every step of one journey as a table (UTC and local time, action, why)."""
    from rich.markup import escape
    from rich.table import Table

    title = (
        f"{journey.sequence} · {journey.persona or 'candidate'} · {journey.timezone} "
        f"(from {journey.timezone_source})"
    )
    extra = [f"track {journey.track}"] if journey.track else []
    extra += [f"segment {journey.segment}"] if journey.segment else []
    table = Table(title=escape(title), caption=", ".join(extra) or None, title_justify="left")
    for name in ("Local time", "UTC", "Step", "Action", "Channel", "Template", "Why / details"):
        table.add_column(name, overflow="fold")
    for rec in journey.records:
        details = rec.reason or ""
        if rec.action == "notify":
            details = f"to {rec.extra.get('to')}: {rec.extra.get('message') or ''}".strip()
        template = rec.template or ""
        if rec.variant:
            template += f" [{rec.variant}]"
        table.add_row(
            *(
                escape(v)
                for v in (
                    _local(rec),
                    rec.at.strftime("%Y-%m-%d %H:%MZ"),
                    rec.step or "",
                    rec.action,
                    rec.channel or "",
                    template,
                    details,
                )
            ),
            style=STYLES.get(rec.action),
        )
    console = _console(color, width)
    console.print(table)
    return console.file.getvalue()


def columns(plan: Plan) -> list[tuple[str | None, str]]:
    """(track, step id) of every send and notify step, main steps first."""
    out: list[tuple[str | None, str]] = []
    for lst in plan.step_lists:
        out.extend((lst.id, s.id) for s in lst.steps if s.kind in ("send", "notify"))
    return out


def cell(journey: Journey, step: str) -> str:
    """What happened to one step for one persona, in a few words."""
    recs = [r for r in journey.events if r.step == step and r.action != "exit"]
    if not recs:
        return ""
    last = recs[-1]
    when = f"{last.local:%a %m-%d %H:%M}"
    if last.action in ("send", "notify"):
        mark = " (deferred)" if any(r.action == "defer" for r in recs) else ""
        variant = f" [{last.variant}]" if last.variant else ""
        return f"{'✓' if last.action == 'send' else '⚑'} {when}{variant}{mark}"
    if last.action == "skip":
        return f"✗ {SHORT.get(last.code or '', last.code or 'skipped')}"
    return f"… {last.action}"


#: Above this many rows the matrix is plain aligned text (rich tables get slow).
RICH_ROWS = 200


def matrix_text(
    plan: Plan, journeys: list[Journey], *, color: bool = False, width: int | None = None
) -> str:
    """Personas x send/notify steps: when each message goes out, or why it does not."""
    cols = columns(plan)
    header = ["Persona", "Time zone", *(f"{t}/{s}" if t else s for t, s in cols), "Exit"]
    rows = []
    for j in journeys:
        exits = [r for r in j.events if r.action == "exit"]
        cells = [cell(j, sid) if track == j.track else "" for track, sid in cols]
        rows.append([j.persona or "", j.timezone, *cells, (exits[0].reason if exits else "") or ""])
    title = f"{plan.id}: {len(journeys)} personas"
    if not color or len(rows) > RICH_ROWS:
        return _plain(title, header, rows)
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for name in header:
        table.add_column(escape(name), overflow="fold")
    for row in rows:
        table.add_row(*(escape(v) for v in row))
    console = _console(color, width or max(160, 24 * len(header)))
    console.print(table)
    return console.file.getvalue()


def _plain(title: str, header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [title, line(header), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    return "\n".join(out) + "\n"


def matrix_json(plan: Plan, journeys: list[Journey], start: str) -> dict[str, Any]:
    return {
        "sequence": plan.id,
        "start": start,
        "steps": [{"track": t, "step": s} for t, s in columns(plan)],
        "journeys": [j.to_dict(trace=False) for j in journeys],
    }
