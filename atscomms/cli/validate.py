"""`atscomms validate [PATHS]`: schema + references only (fast; the pre-commit schema hook)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from atscomms.cli.common import (
    FailOnOpt,
    FormatOpt,
    NoColorOpt,
    OutputOpt,
    QuietOpt,
    RevOpt,
    WorkspaceOpt,
    default_format,
    parse_fail_on,
    set_output_flags,
    workspace_errors,
)
from atscomms.cli.report import check_format, emit

PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Files or folders to report on (default: the whole workspace).", show_default=False
    ),
]


SkipOutsideOpt = Annotated[
    bool,
    typer.Option("--skip-outside", help="Ignore PATHS outside any workspace (for hooks)."),
]


def validate(
    paths: PathsArg = None,
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    fail_on: FailOnOpt = None,
    rev: RevOpt = None,
    quiet: QuietOpt = False,
    no_color: NoColorOpt = False,
    skip_outside: SkipOutsideOpt = False,
) -> None:
    """Check files against the JSON Schemas and resolve references between them."""
    set_output_flags(quiet, no_color)
    fmt = default_format(fmt)
    check_format(fmt)
    severity = parse_fail_on(fail_on)
    from atscomms.cli.targets import Outcome, merge, narrow, targets
    from atscomms.model.build import build

    outcomes = []
    for target in targets(workspace, paths or [], rev=rev, skip_outside=skip_outside):
        with workspace_errors():
            ws, result = build(target.root, rev, focus=target.focus())
        narrow(result, ws.documents, target.selectors)
        outcomes.append(Outcome(target.root, result, {p: d.text for p, d in ws.documents.items()}))
    out = merge(outcomes) if outcomes else Outcome(None)
    emit(out.result, fmt=fmt, output=output, root=out.root, texts=out.texts)
    raise typer.Exit(out.result.exit_code(severity))
