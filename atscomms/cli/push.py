"""`atscomms push --env E`: write approved template versions to a provider environment."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from atscomms.cli.common import WorkspaceOpt, fail
from atscomms.cli.plan import EnvOpt, TemplatesArg, build_plan, open_session, render_plan


def push(
    env: EnvOpt,
    templates: TemplatesArg = None,
    workspace: WorkspaceOpt = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask before writing.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be written; write nothing.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Overwrite templates edited remotely (backed up first)."),
    ] = False,
    allow_unapproved: Annotated[
        bool,
        typer.Option(
            "--allow-unapproved", help="Push versions without approvals (non-production only)."
        ),
    ] = False,
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=32, help="Parallel write calls.")
    ] = 4,
    notify: Annotated[
        bool,
        typer.Option(
            "--notify/--no-notify",
            help="Post a summary to the Slack-compatible webhook in credential `notify_webhook`.",
        ),
    ] = True,
    rollback: Annotated[
        str | None,
        typer.Option(
            "--rollback",
            help="Re-activate the previously pushed version of TEMPLATE (versioned providers).",
            metavar="TEMPLATE",
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Push approved template versions: shows the plan and asks before writing (unless
    --yes). Idempotent: a second run after success writes nothing."""
    if fmt not in ("text", "json"):
        fail(f"--format: push prints text or json, not {fmt!r}")
    session = open_session(workspace, env, templates)
    production = session.config.get("production") is True
    if allow_unapproved and production:
        fail(f"--allow-unapproved is refused for production environment {env!r}")
    if rollback is not None:
        _rollback(session, rollback, yes)
        return
    plan = build_plan(session, templates)
    _gate(session, plan, production=production, allow_unapproved=allow_unapproved)
    writes = [c for c in plan.changes if c.action in ("create", "update")]
    writes += [c for c in plan.changes if c.action == "drifted" and force]
    refused = [c for c in plan.changes if c.action == "drifted" and not force]
    blocked = [c for c in writes if c.blocked]
    if fmt == "text":
        sys.stdout.write(render_plan(plan))
        for c in refused:
            sys.stdout.write(
                f"refused: {c.key} was changed remotely; re-run with --force to overwrite it "
                "(the remote content is backed up first)\n"
            )
    runnable = [c for c in writes if not c.blocked]
    if dry_run or not runnable:
        if fmt == "json":
            sys.stdout.write(json.dumps({**plan.to_dict(), "pushed": []}, indent=2) + "\n")
        elif not runnable and (blocked or refused):
            sys.stdout.write(
                f"Nothing pushed: {len(blocked) + len(refused)} template(s) blocked or refused "
                "(see above).\n"
            )
        elif not runnable:
            sys.stdout.write("Nothing to push.\n")
        else:
            sys.stdout.write(f"Dry run: {len(runnable)} write(s) not made.\n")
        raise typer.Exit(1 if blocked or refused or plan.problems else 0)
    if not yes:
        if not sys.stdin.isatty():
            fail("refusing to write without confirmation (no terminal): pass --yes")
        if not typer.confirm(f"Write {len(runnable)} template(s) to {env}?", default=False):
            fail("push cancelled")
    from atscomms.providers.engine import push as run_push

    outcomes = run_push(
        session.ws, plan, session.provider, session.state, force=force, workers=workers
    )
    failed = [o for o in outcomes if not o.ok]
    if fmt == "json":
        body = {**plan.to_dict(), "pushed": [o.__dict__ for o in outcomes]}
        sys.stdout.write(json.dumps(body, indent=2) + "\n")
    else:
        for o in outcomes:
            status = "ok" if o.ok else "FAILED"
            sys.stdout.write(
                f"{status:<6} {o.action:<8} {o.key}"
                + (f"  ({o.message})" if o.message else "")
                + "\n"
            )
        done = len(outcomes) - len(failed)
        sys.stdout.write(f"Pushed {done} of {len(outcomes)} template(s) to {env}.\n")
    if notify:
        _notify(session, env, outcomes)
    raise typer.Exit(1 if failed or blocked or refused or plan.problems else 0)


def _gate(session: Any, plan: Any, *, production: bool, allow_unapproved: bool) -> None:
    from atscomms.providers import gate
    from atscomms.providers.state import State

    candidates = [c for c in plan.changes if c.action in ("create", "update", "drifted")]
    if not candidates:
        return
    statuses = None if allow_unapproved and not production else gate.approval_statuses(session.ws)
    requires = session.config.get("requires")
    promoted = State(session.root, requires).template_versions() if requires else {}
    for c in candidates:
        if c.template in plan.problems:
            c.blocked = f"cannot be compiled to {session.provider.capabilities.dialect}"
            continue
        decision = gate.check(
            c.template,
            c.version or "",
            statuses=statuses,
            production=production,
            allow_unapproved=allow_unapproved,
            promoted=promoted.get(c.template, set()) if requires else None,
            requires=requires,
        )
        if not decision.allowed:
            c.blocked = decision.reason


def _rollback(session: Any, template: str, yes: bool) -> None:
    from atscomms.providers.base import ProviderError
    from atscomms.providers.engine import rollback

    if template not in session.ws.templates:
        fail(f"unknown template {template!r}")
    if not yes and sys.stdin.isatty():
        if not typer.confirm(f"Roll back {template} in {session.env}?", default=False):
            fail("rollback cancelled")
    elif not yes:
        fail("refusing to write without confirmation (no terminal): pass --yes")
    try:
        outcomes = rollback(session.ws, session.env, session.provider, session.state, template)
    except ProviderError as exc:
        fail(str(exc))
    if not outcomes:
        fail(f"template {template!r} has not been pushed to {session.env}")
    for o in outcomes:
        sys.stdout.write(f"{'ok' if o.ok else 'FAILED':<6} rollback {o.key}  ({o.message})\n")
    raise typer.Exit(0 if all(o.ok for o in outcomes) else 1)


def _notify(session: Any, env: str, outcomes: list[Any]) -> None:
    """Post a one-message summary to a Slack-compatible incoming webhook, if configured."""
    var = (session.config.get("credentials") or {}).get("notify_webhook")
    url = session.provider.ctx.credentials.get("notify_webhook") if var else None
    if not url or not outcomes:
        return
    from atscomms.providers.base import ProviderError
    from atscomms.providers.http import HttpClient

    ok = sum(1 for o in outcomes if o.ok)
    lines = [f"atscomms push to *{env}*: {ok} of {len(outcomes)} template(s) written"]
    lines += [f"- {o.action} `{o.key}`{'' if o.ok else ' FAILED'}" for o in outcomes[:20]]
    try:
        client = HttpClient(url, secrets=[url], retries=2, timeout=10)
        client.request("POST", url, kind="notify", idempotent=True, json={"text": "\n".join(lines)})
    except ProviderError as exc:
        sys.stderr.write(f"atscomms: warning: notification failed: {exc}\n")
