"""`atscomms approve TEMPLATE... --role R`: record a sign-off of the current version."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from atscomms.cli.common import WorkspaceOpt, fail, resolve_workspace


def approve(
    templates: Annotated[
        list[str], typer.Argument(help="Template id(s) to approve.", show_default=False)
    ],
    role: Annotated[
        str, typer.Option("--role", "-r", help="Role you sign for (from governance.yaml).")
    ],
    note: Annotated[
        str | None, typer.Option("--note", help="A comment stored with the approval.")
    ] = None,
    commit: Annotated[
        bool,
        typer.Option(
            "--commit", help="Commit the approvals file (only that file) under your identity."
        ),
    ] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Record your sign-off of the current version of templates.

    Your identity is the git author identity (git config user.email or
    GIT_AUTHOR_EMAIL). The approval counts once the commit that adds it is
    authored by a member of the role.
    """
    root = resolve_workspace(workspace)
    from atscomms.governance import cliutil
    from atscomms.governance.approvals import required_roles, roles
    from atscomms.governance.gitutil import now_utc
    from atscomms.governance.records import Record, append, file_path, parse
    from atscomms.governance.versions import inputs
    from atscomms.loading.validate import did_you_mean

    ws = cliutil.load(root)
    if ws.governance is None:
        fail("no governance file in this workspace (paths.governance in atscomms.yaml)")
    members = roles(ws)
    if role not in members:
        guess = did_you_mean(role, members)
        fail(
            f"unknown role {role!r}"
            + (f" (did you mean {guess!r}?)" if guess else f" (roles: {', '.join(members)})")
        )
    repo = cliutil.open_repo(root)
    with cliutil.git_errors():
        _, email = repo.identity()
    if email not in members[role]:
        fail(
            f"{email} is not a member of role {role!r} in {ws.governance.path}; "
            "an approval added by you would not count"
        )
    path = file_path(ws)
    target = root / path
    text = target.read_text(encoding="utf-8") if target.is_file() else None
    existing = {r.key for r in parse(path, text.encode("utf-8")).records} if text else set()
    recorded: list[str] = []
    for tid in templates:
        t = cliutil.template(ws, tid)
        info = inputs(ws, t)
        if role not in required_roles(ws, t):
            sys.stderr.write(f"note: {role} approval is not required for {tid!r}\n")
        dirty = repo.dirty(sorted(info.files))
        if dirty:
            sys.stderr.write(
                f"note: approving the working-tree version of {tid!r}: uncommitted changes in "
                f"{', '.join(dirty)}\n"
            )
        record = Record(tid, info.version, role, email, now_utc(), note)
        if record.key in existing:
            sys.stdout.write(f"{tid}: {role} approval of version {info.version} already recorded\n")
            continue
        try:
            text = append(text, record)
        except ValueError as exc:
            fail(f"{path}: {exc}")
        existing.add(record.key)
        recorded.append(tid)
        sys.stdout.write(f"{tid}: recorded {role} approval of version {info.version} ({email})\n")
    if not recorded:
        raise typer.Exit(0)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(text or "", encoding="utf-8")
    tmp.replace(target)
    subject = f"Approve {', '.join(recorded)} ({role})"
    if commit:
        with cliutil.git_errors():
            repo.git_repo.git.add("--", repo.repo_path(path))
            repo.git_repo.git.commit("-m", subject, "--", repo.repo_path(path))
        sys.stdout.write(f"committed {path}: {subject}\n")
    else:
        shown = os.path.relpath(target)
        sys.stdout.write(f'next: git add {shown} && git commit -m "{subject}" -- {shown}\n')
