"""`atscomms map`: the pipeline's stages x candidate touchpoints, automated versus human."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from atscomms.cli.common import (
    RevOpt,
    WorkspaceOpt,
    fail,
    resolve_workspace,
    workspace_errors,
    write_output,
)

FORMATS = ("mermaid", "json", "html")


def map_command(
    sequence: Annotated[
        list[str] | None,
        typer.Option("--sequence", "-s", help="Only this sequence (repeatable)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "--output",
            "-o",
            help="Write to FILE (FILE.html: a self-contained HTML page; .json: JSON).",
            show_default=False,
        ),
    ] = None,
    workspace: WorkspaceOpt = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="mermaid, json or html (default: mermaid, or from the --out extension).",
            show_default=False,
        ),
    ] = None,
    rev: RevOpt = None,
) -> None:
    """Diagram of stages x touchpoints per sequence (automated vs human): Mermaid text,
    JSON, or an HTML page."""
    if fmt is None:
        suffix = out.suffix.lower() if out is not None else ""
        fmt = {".html": "html", ".htm": "html", ".json": "json"}.get(suffix, "mermaid")
    if fmt not in FORMATS:
        fail(f"--format: map prints {', '.join(FORMATS)}, not {fmt!r}")
    root = resolve_workspace(workspace)
    from atscomms.loading.validate import did_you_mean
    from atscomms.model.build import build
    from atscomms.simulation.touchpoints import build_map, to_mermaid

    with workspace_errors():
        ws, _ = build(root, rev)
    for name in sequence or []:
        if name not in ws.sequences:
            guess = did_you_mean(name, ws.sequences)
            fail(f"unknown sequence {name!r}" + (f" (did you mean {guess!r}?)" if guess else ""))
    pipeline = build_map(ws, sequence or None)
    if fmt == "json":
        text = json.dumps(pipeline.to_dict(), indent=2, ensure_ascii=False) + "\n"
    elif fmt == "html":
        from atscomms.simulation.map_html import to_html

        text = to_html(pipeline)
    else:
        text = to_mermaid(pipeline)
    write_output(text, out)
    raise typer.Exit(0)
