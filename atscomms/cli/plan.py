"""`atscomms plan --env E`: what a push would change, like `terraform plan`. No writes."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from atscomms.cli.common import (
    GLOBALS,
    OutputOpt,
    WorkspaceOpt,
    color_enabled,
    fail,
    resolve_workspace,
    workspace_errors,
    write_output,
)

EnvOpt = Annotated[
    str,
    typer.Option("--env", "-e", help="Environment name from atscomms.yaml.", show_default=False),
]
TemplatesArg = Annotated[
    list[str] | None,
    typer.Argument(help="Template ids (default: every template).", show_default=False),
]
SYMBOLS = {"create": "+", "update": "~", "unchanged": "=", "drifted": "!", "remote-only": "?"}
COLORS = {"create": "32", "update": "33", "drifted": "31", "remote-only": "36", "unchanged": "2"}


@dataclass
class Session:
    root: Path
    ws: Any
    env: str
    config: dict[str, Any]
    provider: Any
    state: Any
    compiler: Any
    versions: dict[str, str]


def open_session(workspace: Path | None, env: str, templates: list[str] | None = None) -> Session:
    """Workspace, environment, provider (credentials from env vars), state and compiler."""
    root = resolve_workspace(workspace)
    from atscomms.model.build import build
    from atscomms.providers.base import ProviderError
    from atscomms.providers.compile import Compiler
    from atscomms.providers.gate import template_version
    from atscomms.providers.registry import environment
    from atscomms.providers.state import State

    with workspace_errors():
        ws, _ = build(root)
    for tid in templates or []:
        if tid not in ws.templates:
            fail(f"unknown template {tid!r}")
    try:
        cfg, provider = environment(ws, env, debug=GLOBALS.debug)
        state = State(root, env)
    except ProviderError as exc:
        fail(str(exc))
    compiler = Compiler(ws, provider.capabilities.dialect)
    versions = {tid: template_version(ws, t) for tid, t in ws.templates.items()}
    return Session(root, ws, env, cfg, provider, state, compiler, versions)


def build_plan(session: Session, templates: list[str] | None) -> Any:
    from atscomms.providers.base import ProviderError
    from atscomms.providers.engine import make_plan

    try:
        return make_plan(
            session.ws,
            session.env,
            session.provider,
            session.state,
            session.compiler,
            templates=templates or None,
            versions=session.versions,
        )
    except ProviderError as exc:
        fail(str(exc))


def render_plan(plan: Any, *, verbose: bool = False, diffs: bool = True) -> str:
    color = color_enabled()
    lines = [
        f"Plan for environment {plan.environment} "
        f"(provider {plan.provider}, dialect {_dialect(plan)}):"
    ]
    width = max((len(c.key) for c in plan.changes), default=10)
    for c in plan.changes:
        if c.action == "unchanged" and not verbose:
            continue
        mark = f"{SYMBOLS[c.action]} {c.action:<11}"
        if color:
            mark = f"\033[{COLORS[c.action]}m{mark}\033[0m"
        extra = f"  version {c.version}" if c.version else ""
        note = f"  ({c.reason})" if c.reason else ""
        blocked = f"  BLOCKED: {c.blocked}" if c.blocked else ""
        lines.append(f"  {mark} {c.key:<{width}}{extra}{note}{blocked}")
    for tid, messages in sorted(plan.problems.items()):
        for m in messages:
            lines.append(f"  error: template {tid}: {m}")
    for s in plan.skipped:
        lines.append(f"  skipped: {s}")
    summary = ", ".join(
        f"{plan.count(a)} {label}"
        for a, label in (
            ("create", "to create"),
            ("update", "to update"),
            ("unchanged", "unchanged"),
            ("drifted", "drifted"),
            ("remote-only", "remote-only"),
        )
    )
    calls = ", ".join(f"{k} {v}" for k, v in sorted(plan.calls.items())) or "none"
    lines.append(f"Summary: {summary}. Provider calls: {calls}.")
    if diffs:
        for c in plan.changes:
            if c.diff:
                lines.append("")
                lines.append(c.diff.rstrip("\n"))
    return "\n".join(lines) + "\n"


def _dialect(plan: Any) -> str:
    return next((c.unit.dialect for c in plan.changes if c.unit is not None), "-")


def plan(
    env: EnvOpt,
    templates: TemplatesArg = None,
    workspace: WorkspaceOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    output: OutputOpt = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List unchanged too.")] = False,
    no_diff: Annotated[bool, typer.Option("--no-diff", help="Leave out rendered diffs.")] = False,
) -> None:
    """Compare the workspace with a provider environment: create / update / unchanged /
    drifted / remote-only, with a rendered diff for updates. Makes no write calls."""
    if fmt not in ("text", "json"):
        fail(f"--format: plan prints text or json, not {fmt!r}")
    session = open_session(workspace, env, templates)
    result = build_plan(session, templates)
    if fmt == "json":
        write_output(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n", output)
    else:
        write_output(render_plan(result, verbose=verbose, diffs=not no_diff), output)
    if result.problems:
        sys.stderr.write(
            f"atscomms: {len(result.problems)} template(s) cannot be compiled to "
            f"{session.provider.capabilities.dialect}\n"
        )
    raise typer.Exit(1 if result.problems else 0)
