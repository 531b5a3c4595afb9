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
    relative_paths,
    resolve_workspace,
    selected,
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


def validate(
    paths: PathsArg = None,
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    fail_on: FailOnOpt = None,
    rev: RevOpt = None,
    quiet: QuietOpt = False,
    no_color: NoColorOpt = False,
) -> None:
    """Check files against the JSON Schemas and resolve references between them."""
    set_output_flags(quiet, no_color)
    fmt = default_format(fmt)
    check_format(fmt)
    severity = parse_fail_on(fail_on)
    paths = paths or []
    root = resolve_workspace(workspace, paths)
    selectors = relative_paths(root, paths, must_exist=not rev)
    from atscomms.model.build import build

    with workspace_errors():
        ws, result = build(root, rev)
    if selectors:
        result.findings = [f for f in result.findings if selected(f.path, selectors)]
        result.files = sum(1 for p in ws.documents if selected(p, selectors))
    emit(
        result,
        fmt=fmt,
        output=output,
        root=root,
        texts={p: d.text for p, d in ws.documents.items()},
    )
    raise typer.Exit(result.exit_code(severity))
