"""Options and plumbing shared by every command: workspace lookup, output, exit codes."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from atscomms.loading.sources import CONFIG_NAME, find_root


class UsageError(Exception):
    """A broken command line or unreadable workspace config: exit 2, one line."""


@dataclass
class Globals:
    debug: bool = False
    no_color: bool = False
    quiet: bool = False


GLOBALS = Globals()

WorkspaceOpt = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        help="Workspace folder (default: nearest atscomms.yaml upward).",
        show_default=False,
    ),
]
FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format: text, json, sarif, junit, github, markdown "
        "(default: text; github when GITHUB_ACTIONS=true).",
        show_default=False,
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write the report to FILE.", show_default=False),
]
FailOnOpt = Annotated[
    str | None,
    typer.Option(
        "--fail-on",
        help="Lowest severity that makes the exit code 1: error, warning, info [default: error].",
        show_default=False,
    ),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Only report errors.")]
NoColorOpt = Annotated[bool, typer.Option("--no-color", help="Plain output (also: NO_COLOR=1).")]
RevOpt = Annotated[
    str | None,
    typer.Option("--rev", help="Read files at this git revision instead of the worktree."),
]


def set_output_flags(quiet: bool, no_color: bool) -> None:
    GLOBALS.quiet = GLOBALS.quiet or quiet
    GLOBALS.no_color = GLOBALS.no_color or no_color


def fail(message: str) -> NoReturn:
    raise UsageError(message)


def color_enabled(stream=None) -> bool:
    stream = stream or sys.stdout
    if GLOBALS.no_color or os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def resolve_workspace(workspace: Path | None, paths: list[Path] | None = None) -> Path:
    if workspace is not None:
        if not (workspace / CONFIG_NAME).is_file():
            fail(f"no {CONFIG_NAME} in {workspace}")
        return workspace.resolve()
    for start in [*(p if p.is_dir() else p.parent for p in (paths or [])), Path.cwd()]:
        root = find_root(start)
        if root is not None:
            return root
    fail(f"no {CONFIG_NAME} found in {Path.cwd()} or any parent folder (use --workspace DIR)")


def relative_paths(root: Path, paths: list[Path], *, must_exist: bool = True) -> list[str]:
    """Workspace-relative selectors for PATHS arguments ('' selects everything)."""
    out: list[str] = []
    for p in paths:
        if must_exist and not p.exists():
            fail(f"no such file or folder: {p}")
        try:
            rel = p.resolve().relative_to(root).as_posix()
        except ValueError:
            fail(f"{p} is outside the workspace {root}")
        out.append("" if rel == "." else rel)
    return out


def selected(path: str, selectors: list[str]) -> bool:
    return not selectors or any(
        s == "" or path == s or path.startswith(s.rstrip("/") + "/") for s in selectors
    )


def default_format(fmt: str | None) -> str:
    if fmt:
        return fmt
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def write_output(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        tmp = output.with_name(output.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(output)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")


def parse_fail_on(value: str | None, config_value: str | None = None):
    from atscomms.findings import Severity

    try:
        return Severity.parse(value or config_value or "error")
    except ValueError as exc:
        fail(f"--fail-on: {exc}")


@contextmanager
def workspace_errors() -> Iterator[None]:
    """Turn a WorkspaceError into a UsageError (exit 2)."""
    from atscomms.model.build import WorkspaceError

    try:
        yield
    except WorkspaceError as exc:
        fail(str(exc))


def lookup(table: dict, name: str, what: str):
    """``table[name]``, or exit 2 naming the closest id."""
    if name not in table:
        from atscomms.loading.validate import did_you_mean

        guess = did_you_mean(name, table)
        fail(f"unknown {what} {name!r}" + (f" (did you mean {guess!r}?)" if guess else ""))
    return table[name]


def render_one(
    ws,
    template: str,
    persona: str | None,
    locale: str | None,
    variant: str | None,
    *,
    channel: str | None = None,
):
    """Check the render options, render, print the findings to stderr: (template, Rendered)."""
    from atscomms.rendering.render import Renderer

    tmpl = lookup(ws.templates, template, "template")
    if channel is not None and tmpl.channel != channel:
        fail(f"template {template!r} is an SMS: send-test sends email; use render --part sms")
    who = lookup(ws.personas, persona, "persona") if persona else None
    if locale is not None and locale not in ws.config.locales:
        fail(
            f"--locale: {locale!r} is not one of the workspace locales "
            f"({', '.join(ws.config.locales)})"
        )
    if variant is not None and variant not in {v.id for v in tmpl.variants}:
        fail(f"--variant: template {template!r} has no variant {variant!r}")
    out = Renderer(ws).render(tmpl, persona=who, locale=locale, variant=variant)
    for f in out.findings:
        sys.stderr.write(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}\n")
    return tmpl, out
