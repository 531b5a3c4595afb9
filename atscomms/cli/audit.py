"""`atscomms audit`: the periodic message audit (Markdown, HTML, JSON)."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

import typer

from atscomms.cli.common import (
    FormatOpt,
    OutputOpt,
    WorkspaceOpt,
    fail,
    resolve_workspace,
    workspace_errors,
    write_output,
)


def audit(
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    max_age_days: Annotated[
        int | None,
        typer.Option(
            "--max-age-days", help="Review policy (default: governance review.max_age_days)."
        ),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Audit date, YYYY-MM-DD (default: today).")
    ] = None,
    check_links: Annotated[
        bool, typer.Option("--check-links", help="Request every link (HEAD, then GET).")
    ] = False,
    allow_private: Annotated[
        bool,
        typer.Option(
            "--allow-private", help="Also request private and loopback addresses (intranets)."
        ),
    ] = False,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds per request.")] = 10.0,
    workers: Annotated[int, typer.Option("--workers", help="Concurrent requests.")] = 8,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when the audit lists any problem.")
    ] = False,
) -> None:
    """The periodic message audit (Markdown, HTML, JSON).

    Templates not reviewed in N days, unused templates and partials, unapproved
    or stale versions, lint findings per template and (--check-links) broken
    links.
    """
    from atscomms.governance import cliutil

    fmt = cliutil.check_format(fmt, ("markdown", "html", "json", "text"), "markdown")
    if timeout <= 0 or workers < 1:
        fail("--timeout must be positive and --workers at least 1")
    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        fail(f"--as-of: not a date (YYYY-MM-DD): {as_of!r}")
    root = resolve_workspace(workspace)
    from atscomms.governance.audit import run, to_report
    from atscomms.model.build import build

    with workspace_errors():
        ws, result = build(root)
    with cliutil.git_errors():
        report = run(
            ws,
            result,
            as_of=day,
            max_age_days=max_age_days,
            check_links=check_links,
            allow_private=allow_private,
            timeout=timeout,
            workers=workers,
        )
    if fmt == "json":
        write_output(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n", output)
    else:
        doc = to_report(report, ws.config.name or root.name)
        write_output(cliutil.render_doc(doc, fmt), output)
    raise typer.Exit(1 if strict and report.problems else 0)
