"""The reporter base: a context every reporter gets, and the class they subclass."""

from __future__ import annotations

import pathlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

from atscomms.findings import Finding, Result


@dataclass
class ReportContext:
    """What a reporter may know besides the findings.

    ``root`` is the workspace root (finding paths are relative to it),
    ``version`` the atscomms version, ``color`` whether to emit terminal colours,
    and ``source(path)`` returns the text of a workspace file for code frames
    (``None`` when it cannot be read).
    """

    root: pathlib.Path | None = None
    version: str = "0"
    color: bool = False
    source: Callable[[str], str | None] | None = None
    _lines: dict[str, list[str] | None] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def lines(self, path: str) -> list[str] | None:
        """The lines of ``path`` (without line endings), read once; ``None`` if unknown."""
        if path not in self._lines:
            text = self.source(path) if self.source is not None else None
            self._lines[path] = None if text is None else split_lines(text)
        return self._lines[path]

    def line(self, path: str, number: int) -> str | None:
        """Line ``number`` (1-based) of ``path``, or ``None`` when unavailable."""
        lines = self.lines(path)
        if lines is None or not 1 <= number <= len(lines):
            return None
        return lines[number - 1]


def split_lines(text: str) -> list[str]:
    """Split on ``\\n`` as the loader counts lines, dropping a ``\\r`` before it."""
    return [line.removesuffix("\r") for line in text.split("\n")]


class Reporter:
    """Turns a :class:`Result` into the text of one output format."""

    name: ClassVar[str]
    description: ClassVar[str] = ""

    def render(self, result: Result, ctx: ReportContext) -> str:
        raise NotImplementedError


def plural(count: int, word: str) -> str:
    """``1 error``, ``2 errors``; ``info`` has no plural."""
    return f"{count} {word}" if count == 1 or word == "info" else f"{count} {word}s"


def counts_phrase(result: Result) -> str:
    """``3 errors, 1 warning, 0 info``."""
    c = result.counts()
    return ", ".join(plural(c[s], s) for s in ("error", "warning", "info"))


def end_position(finding: Finding) -> tuple[int | None, int | None]:
    """``(end_line, end_column)``, with the end line implied by a known end column."""
    end_line = finding.end_line
    if end_line is None and finding.end_column is not None:
        end_line = finding.line
    return end_line, finding.end_column


def with_hint(finding: Finding) -> str:
    """The message, followed by ``hint: ...`` on a new line when there is a hint."""
    return f"{finding.message}\nhint: {finding.hint}" if finding.hint else finding.message
