"""`atscomms pull --env E`: import remote templates as workspace YAML."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from atscomms.cli.common import WorkspaceOpt, fail
from atscomms.cli.plan import EnvOpt, TemplatesArg, open_session


def pull(
    env: EnvOpt,
    templates: TemplatesArg = None,
    workspace: WorkspaceOpt = None,
    out: Annotated[
        str, typer.Option("--out", help="Folder (in the workspace) for new template files.")
    ] = "templates",
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite existing files (a backup is kept).")
    ] = False,
) -> None:
    """Import a provider environment's templates as workspace YAML, translating the
    provider's dialect back to the portable subset. Existing files are kept unless --force."""
    from atscomms.providers.base import ProviderError
    from atscomms.providers.pull import pull as run_pull

    session = open_session(workspace, env)
    if out.startswith(("/", "..")) or "/../" in out:
        fail("--out must be a folder inside the workspace")
    try:
        results = run_pull(
            session.ws, env, session.provider, out_dir=out, force=force, only=templates or None
        )
    except ProviderError as exc:
        fail(str(exc))
    for r in results:
        status = "wrote" if r.written else "kept"
        sys.stdout.write(f"{status:<6} {r.path}" + (f"  ({r.reason})" if r.reason else "") + "\n")
        for w in r.warnings:
            sys.stdout.write(f"       warning: {w}\n")
    written = sum(r.written for r in results)
    sys.stdout.write(f"Pulled {written} of {len(results)} template(s) from {env}.\n")
    raise typer.Exit(1 if any(not r.written for r in results) else 0)
