"""`atscomms rollback TEMPLATE --to REV`: restore a version as a working-tree change."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from atscomms.cli.common import WorkspaceOpt, fail, resolve_workspace


def rollback(
    template: Annotated[str, typer.Argument(help="Template id.", show_default=False)],
    to: Annotated[str, typer.Option("--to", help="Revision holding the version to restore.")],
    with_dependencies: Annotated[
        bool,
        typer.Option(
            "--with-dependencies",
            help="Also restore its layout and partials (changes other templates using them).",
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Overwrite uncommitted edits (a backup is kept)."),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be restored; change nothing.")
    ] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Restore a template version as a working-tree change.

    History is never rewritten: the files come back as uncommitted changes and
    a commit message is suggested. Uncommitted edits are kept unless --force
    (then a backup is saved).
    """
    root = resolve_workspace(workspace)
    from atscomms.governance import cliutil
    from atscomms.governance.rollback import RollbackError, apply, commit_message, plan

    ws = cliutil.load(root)  # the template may be gone from the worktree: it can come back
    try:
        with cliutil.git_errors():
            p = plan(ws, template, to, dependencies=with_dependencies)
            out = sys.stdout
            if not p.write and not p.remove:
                out.write(f"{template} already matches {to} ({p.commit.short}); nothing to do\n")
                raise typer.Exit(0)
            if dry_run:
                for rel in sorted(p.write):
                    out.write(f"would restore {rel}\n")
                for rel in p.remove:
                    out.write(f"would remove {rel}\n")
                raise typer.Exit(0)
            outcome = apply(ws, p, force=force)
    except RollbackError as exc:
        fail(str(exc))
    for rel in outcome.written:
        out.write(f"restored {rel} from {p.commit.short}\n")
    for rel in outcome.removed:
        out.write(f"removed {rel}\n")
    if outcome.backup is not None:
        out.write(f"backup of your uncommitted edits: {outcome.backup.relative_to(root)}\n")
    if p.shared:
        out.write(f"note: this also changes the version of {', '.join(p.shared)}\n")
    if outcome.exact:
        out.write(f"{p.id_at_rev} is at version {p.version} again\n")
    else:
        sys.stderr.write(
            f"warning: {p.id_at_rev} is now at version {outcome.version_now}, not {p.version}: "
            "its layout, partials or fields changed since; use --with-dependencies to restore "
            "them too\n"
        )
    out.write("\nSuggested commit message:\n\n")
    out.write(commit_message(outcome, to))
