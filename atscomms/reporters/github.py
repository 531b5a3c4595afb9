"""``--format github``: GitHub Actions workflow commands that annotate the PR diff."""

from __future__ import annotations

import os
import pathlib

from atscomms.findings import Finding, Result, Severity
from atscomms.reporters.base import ReportContext, Reporter, end_position, with_hint

COMMANDS: dict[Severity, str] = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
}


def escape_data(value: str) -> str:
    """Escape a command's message as ``@actions/core`` does."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a command property value as ``@actions/core`` does."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation_path(path: str, root: pathlib.Path | None) -> str:
    """``path`` relative to the checkout, which is where GitHub resolves annotations.

    Finding paths are relative to the workspace root; when the workspace is a
    subdirectory of the checkout (``$GITHUB_WORKSPACE``, else the current
    directory), prefix the difference. Otherwise keep the path as it is.
    """
    if root is None:
        return path
    base = pathlib.Path(os.environ.get("GITHUB_WORKSPACE") or os.getcwd()).resolve()
    try:
        return (root.resolve() / path).relative_to(base).as_posix()
    except ValueError:
        return path


def command(finding: Finding, root: pathlib.Path | None = None) -> str:
    end_line, end_column = end_position(finding)
    props: list[tuple[str, object]] = [
        ("file", annotation_path(finding.path, root)),
        ("line", finding.line),
        ("col", finding.column),
        ("endLine", end_line),
        ("endColumn", end_column),
        ("title", f"{finding.code} {finding.rule}"),
    ]
    rendered = ",".join(f"{k}={escape_property(str(v))}" for k, v in props if v is not None)
    return f"::{COMMANDS[finding.severity]} {rendered}::{escape_data(with_hint(finding))}"


class GithubReporter(Reporter):
    name = "github"
    description = "GitHub Actions annotations (workflow commands)"

    def render(self, result: Result, ctx: ReportContext) -> str:
        return "".join(command(f, ctx.root) + "\n" for f in result.sorted())
