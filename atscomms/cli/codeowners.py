"""`atscomms codeowners`: write or check the CODEOWNERS block from the governance file."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path
from typing import Annotated

import typer

from atscomms.cli.common import WorkspaceOpt, fail, resolve_workspace


def codeowners(
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            help="CODEOWNERS file (default: the repository's existing one, else "
            ".github/CODEOWNERS).",
            show_default=False,
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Change nothing; exit 1 (and show a diff) if out of date."),
    ] = False,
    stdout: Annotated[bool, typer.Option("--stdout", help="Print the block only.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Write or check the CODEOWNERS block generated from the governance file.

    Owners per folder, plus the role members who must approve each template
    (and its layout and partials), so the git host requests the right reviews.
    The rest of the file is kept.
    """
    root = resolve_workspace(workspace)
    from atscomms.governance import cliutil
    from atscomms.governance.codeowners import block, default_location, merge
    from atscomms.governance.gitutil import GitError, Repo

    ws = cliutil.load(root)
    if ws.governance is None:
        fail("no governance file in this workspace (paths.governance in atscomms.yaml)")
    try:
        repo = Repo(root)
        top, prefix = repo.top, repo.prefix
    except GitError:
        top, prefix = root, ""
    generated = block(ws, prefix)
    if stdout:
        sys.stdout.write(generated)
        return
    target = file or default_location(top)
    existing = target.read_text(encoding="utf-8") if target.is_file() else None
    try:
        updated = merge(existing, generated)
    except ValueError as exc:
        fail(f"{target}: {exc}")
    if updated == (existing or ""):
        sys.stdout.write(f"{target} is up to date\n")
        return
    if check:
        diff = difflib.unified_diff(
            (existing or "").splitlines(keepends=True),
            updated.splitlines(keepends=True),
            str(target),
            f"{target} (expected)",
        )
        sys.stdout.write("".join(diff))
        sys.stderr.write(f"{target} is out of date: run `atscomms codeowners`\n")
        raise typer.Exit(1)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(updated, encoding="utf-8")
    tmp.replace(target)
    sys.stdout.write(f"{'updated' if existing else 'wrote'} {target}\n")
