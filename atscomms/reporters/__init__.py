"""Reporters: turn a :class:`~atscomms.findings.Result` into an output format.

Each format is a :class:`Reporter` subclass registered here by its ``name``;
``atscomms check --format NAME`` looks it up with :func:`get_reporter`::

    reporter = get_reporter("sarif")
    text = reporter.render(result, ReportContext(root, __version__, False, source))
"""

from __future__ import annotations

from atscomms.reporters.base import ReportContext, Reporter
from atscomms.reporters.github import GithubReporter
from atscomms.reporters.json import JsonReporter
from atscomms.reporters.junit import JunitReporter
from atscomms.reporters.markdown import MarkdownReporter
from atscomms.reporters.sarif import SarifReporter
from atscomms.reporters.text import TextReporter

__all__ = ["REPORTERS", "ReportContext", "Reporter", "UnknownReporter", "get_reporter", "names"]

REPORTERS: dict[str, type[Reporter]] = {
    cls.name: cls
    for cls in (
        TextReporter,
        JsonReporter,
        SarifReporter,
        JunitReporter,
        GithubReporter,
        MarkdownReporter,
    )
}


class UnknownReporter(KeyError):
    """An unknown format name; ``str()`` is the one-line message (not repr'd)."""

    def __str__(self) -> str:
        return str(self.args[0])


def names() -> list[str]:
    """Format names in the order ``--help`` lists them (``text`` first)."""
    return list(REPORTERS)


def get_reporter(name: str) -> Reporter:
    try:
        return REPORTERS[name]()
    except KeyError:
        raise UnknownReporter(
            f"unknown format {name!r} (expected one of: {', '.join(names())})"
        ) from None
