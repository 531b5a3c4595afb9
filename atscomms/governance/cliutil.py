"""Plumbing shared by the governance commands (exit 2 with one line on git problems)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from atscomms.cli.common import fail, workspace_errors

__all__ = ["fail", "git_errors", "load", "open_repo", "template", "check_format", "render_doc"]

if TYPE_CHECKING:
    from atscomms.governance.gitutil import Repo
    from atscomms.model.resources import Template
    from atscomms.model.workspace import Workspace

DOC_FORMATS = ("text", "markdown", "html", "json")


@contextmanager
def git_errors() -> Iterator[None]:
    from atscomms.governance.gitutil import GitError

    try:
        yield
    except GitError as exc:
        fail(str(exc))


def load(root: Path, rev: str | None = None) -> Workspace:
    from atscomms.model.build import build

    with workspace_errors():
        ws, _ = build(root, rev)
    return ws


def open_repo(root: Path) -> Repo:
    from atscomms.governance.gitutil import Repo

    with git_errors():
        return Repo(root)


def template(ws: Workspace, tid: str) -> Template:
    from atscomms.loading.validate import did_you_mean

    found = ws.templates.get(tid)
    if found is None:
        guess = did_you_mean(tid, ws.templates)
        fail(f"unknown template {tid!r}" + (f" (did you mean {guess!r}?)" if guess else ""))
    return found


def check_format(fmt: str | None, allowed: tuple[str, ...], default: str) -> str:
    fmt = fmt or default
    if fmt not in allowed:
        fail(f"--format: choose from {', '.join(allowed)} (not {fmt!r})")
    return fmt


def render_doc(report, fmt: str) -> str:
    """Render an output.Report as text (rich), markdown or html."""
    from atscomms.cli.common import color_enabled
    from atscomms.governance import output

    if fmt == "markdown":
        return output.to_markdown(report)
    if fmt == "html":
        return output.to_html(report)
    return output.to_text(report, color=color_enabled())
