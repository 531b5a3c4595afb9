"""Render a Result with a named reporter and write it out."""

from __future__ import annotations

from pathlib import Path

from atscomms import __version__
from atscomms.cli.common import GLOBALS, color_enabled, fail, write_output
from atscomms.findings import Result


def check_format(fmt: str) -> None:
    from atscomms.reporters import names

    if fmt not in names():
        fail(f"--format: unknown format {fmt!r} (choose from {', '.join(names())})")


def emit(
    result: Result,
    *,
    fmt: str,
    output: Path | None,
    root: Path | None,
    texts: dict[str, str] | None = None,
) -> None:
    from atscomms.reporters import get_reporter
    from atscomms.reporters.base import ReportContext

    reporter = get_reporter(fmt)
    if GLOBALS.quiet and fmt == "text":
        result = Result(
            findings=[f for f in result.findings if str(f.severity) == "error"],
            files=result.files,
            resources=result.resources,
        )
    texts = texts or {}
    ctx = ReportContext(
        root=root,
        version=__version__,
        color=output is None and color_enabled(),
        source=texts.get,
    )
    write_output(reporter.render(result, ctx), output)
