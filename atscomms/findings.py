"""Findings: the one currency every stage of the pipeline pays in.

A :class:`Finding` is a problem in a user's file, with the position in the YAML
file the user edits. Reporters turn lists of findings into text, JSON, SARIF...
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import IntEnum


class Severity(IntEnum):
    """Ordered so that ``severity >= fail_on`` reads naturally."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls[value.upper()]
        except KeyError:
            raise ValueError(
                f"unknown severity {value!r} (expected error, warning or info)"
            ) from None


@dataclass(frozen=True, slots=True)
class Span:
    """1-based line and column of a region in a file (end exclusive column)."""

    line: int = 1
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None


@dataclass(slots=True)
class Finding:
    code: str
    rule: str
    severity: Severity
    message: str
    path: str
    line: int = 1
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None
    resource: str | None = None
    locale: str | None = None
    hint: str | None = None
    fix: dict | None = field(default=None, compare=False, repr=False)

    @classmethod
    def at(cls, span: Span | None, **kwargs) -> Finding:
        span = span or Span()
        return cls(
            line=span.line,
            column=span.column,
            end_line=span.end_line,
            end_column=span.end_column,
            **kwargs,
        )

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code, self.message)

    def to_dict(self) -> dict:
        """The JSON reporter's object (every field but ``fix``; written out: ``asdict``
        deep-copies and is the slowest part of reporting thousands of findings)."""
        return {
            "code": self.code,
            "rule": self.rule,
            "severity": str(self.severity),
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "resource": self.resource,
            "locale": self.locale,
            "hint": self.hint,
        }

    def pack(self) -> tuple:
        """A tuple of plain values (for the marshal caches); :meth:`unpack` reverses it."""
        return (
            self.code,
            self.rule,
            int(self.severity),
            self.message,
            self.path,
            self.line,
            self.column,
            self.end_line,
            self.end_column,
            self.resource,
            self.locale,
            self.hint,
            self.fix,
        )

    @classmethod
    def unpack(cls, t: tuple) -> Finding:
        code, rule, sev, message, path, line, col, end_line, end_col, resource, locale, hint = t[
            :12
        ]
        fix = t[12] if len(t) > 12 else None
        return cls(
            code,
            rule,
            Severity(sev),
            message,
            path,
            line,
            col,
            end_line,
            end_col,
            resource,
            locale,
            hint,
            fix,
        )

    @property
    def key(self) -> tuple[str, int, int, str]:
        """``(path, line, column, code)``: what rule tests compare."""
        return (self.path, self.line, self.column, self.code)


@dataclass(slots=True)
class Result:
    """What a command checked and what it found."""

    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    resources: int = 0

    def sorted(self) -> list[Finding]:
        return sorted(self.findings, key=Finding.sort_key)

    def counts(self) -> dict[str, int]:
        c = Counter(str(f.severity) for f in self.findings)
        return {"error": c["error"], "warning": c["warning"], "info": c["info"]}

    def summary(self) -> dict[str, int]:
        return {"files": self.files, "resources": self.resources, **self.counts()}

    def exit_code(self, fail_on: Severity) -> int:
        return 1 if any(f.severity >= fail_on for f in self.findings) else 0
