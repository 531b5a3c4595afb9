"""`atscomms approvals [TEMPLATES]`: required versus given sign-offs, verified with git."""

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


def approvals(
    templates: Annotated[
        list[str] | None, typer.Argument(help="Template ids (default: all).", show_default=False)
    ] = None,
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    rev: RevOpt = None,
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 unless every template is approved.")
    ] = False,
) -> None:
    """Required versus given sign-offs per template, verified with git history.

    An approval counts when the commit that added it is authored by a member of
    the role (and signed, when the governance file requires it). --format json
    for scripts; --check exits 1 unless everything is approved.
    """
    from atscomms.governance import cliutil

    fmt = cliutil.check_format(fmt, ("text", "json", "markdown", "html"), "text")
    root = resolve_workspace(workspace)
    from atscomms.governance.approvals import statuses

    ws = cliutil.load(root, rev)
    for tid in templates or []:
        cliutil.template(ws, tid)
    with cliutil.git_errors():
        states = statuses(ws)
    chosen = [states[t] for t in (templates or sorted(states))]
    if fmt == "json":
        data = {"templates": [st.to_dict() for st in chosen]}
        write_output(json.dumps(data, indent=2, ensure_ascii=False) + "\n", output)
    else:
        write_output(cliutil.render_doc(_report(ws, chosen), fmt), output)
    raise typer.Exit(1 if check and any(st.status != "approved" for st in chosen) else 0)


def _report(ws, chosen):
    from atscomms.governance.output import Report

    report = Report("Approvals")
    counts = {
        s: sum(1 for st in chosen if st.status == s) for s in ("approved", "pending", "stale")
    }
    report.meta.append(("Templates", ", ".join(f"{n} {s}" for s, n in counts.items())))
    note = next((st.note for st in chosen if st.note), None)
    if note:
        report.meta.append(("Note", note))
    section = report.section("Required versus given sign-offs")
    table = section.table(["Template", "Version", "Required", "Approved", "Missing", "Status"])
    for st in chosen:
        given = "\n".join(
            f"{a.role}: {a.by} ({a.commit.short if a.commit else '-'})" for a in st.approved
        )
        missing = ", ".join(st.missing)
        if st.stale:
            missing += "\n" + "\n".join(f"({a.role} approved {a.version})" for a in st.stale)
        table.add(
            st.template,
            st.version,
            ", ".join(st.required) or "-",
            given or "-",
            missing or "-",
            st.status,
        )
    problems = [(st, a) for st in chosen for a in (*st.rejected, *st.pending_commit)]
    if problems:
        rej = report.section("Entries that do not count")
        t2 = rej.table(["Template", "Role", "By", "Version", "Why"])
        for st, a in problems:
            t2.add(st.template, a.role, a.record.by, a.version, a.reason)
    return report
