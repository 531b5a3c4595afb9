"""`atscomms history TEMPLATE`: versions of a template over git history."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from atscomms.cli.common import (
    FormatOpt,
    OutputOpt,
    RevOpt,
    WorkspaceOpt,
    resolve_workspace,
    write_output,
)


def history(
    template: Annotated[str, typer.Argument(help="Template id.", show_default=False)],
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    rev: RevOpt = None,
    max_count: Annotated[
        int, typer.Option("--max-count", "-n", help="Look at this many commits at most.")
    ] = 500,
) -> None:
    """Versions of a template over git history.

    Includes changes that came through its layout, partials and fields, with
    author, date, commit message and approvals; follows renames of the file.
    """
    from atscomms.governance import cliutil

    fmt = cliutil.check_format(fmt, cliutil.DOC_FORMATS, "text")
    root = resolve_workspace(workspace)
    from atscomms.governance.history import history as template_history

    ws = cliutil.load(root, rev)
    cliutil.template(ws, template)
    with cliutil.git_errors():
        entries = template_history(ws, template, max_count=max_count)
    if fmt == "json":
        data = {"template": template, "versions": [e.to_dict() for e in entries]}
        write_output(json.dumps(data, indent=2, ensure_ascii=False) + "\n", output)
        return
    from atscomms.governance.output import Report

    report = Report(f"History of {template}")
    report.meta.append(("Versions", str(len(entries))))
    table = report.section("Versions, newest first").table(
        ["Version", "Commit", "Date", "Author", "Message", "Changed", "Approvals"]
    )
    for e in entries:
        c = e.commit
        approvals = "\n".join(f"{a.role}: {a.by}" for a in e.approvals)
        table.add(
            e.version + (" (current)" if e.current else ""),
            c.short if c else "worktree",
            c.date[:10] if c else "",
            f"{c.author} <{c.email}>" if c else "",
            c.subject if c else "uncommitted changes",
            "\n".join(e.changed),
            approvals or "-",
        )
    write_output(cliutil.render_doc(report, fmt), output)
