"""Inline suppressions: `# atscomms: disable=CODE -- reason`.

* ``disable=CODES -- reason`` at the end of a line silences those codes on that
  line; when the line opens a multi-line value (a ``|`` block, say), in the
  whole value. On a line of its own it applies to the next line.
* ``disable-next-line=CODES -- reason`` applies to the next line (and its value).
* ``disable-file=CODES -- reason`` applies to the whole file.

CODES are codes, prefixes (``T1``) or rule names, separated by commas. A
suppression without a reason (S020) or one that silences nothing (S021) is a
finding itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from atscomms.checks.registry import finding
from atscomms.findings import Finding, Span
from atscomms.loading.document import Document

_COMMENT = re.compile(
    r"(?:^|\s)#\s*atscomms:\s*(disable|disable-next-line|disable-file)\s*=\s*"
    r"([A-Za-z0-9_,\- ]+?)\s*(?:--\s*(.*?))?\s*$"
)


@dataclass
class Suppression:
    path: str
    line: int  # 1-based line of the comment
    column: int
    codes: list[str]
    first: int  # first and last line it covers
    last: int
    reason: str
    used: bool = field(default=False)

    def covers(self, f: Finding) -> bool:
        return (
            self.first <= f.line <= self.last
            and f.code not in ("S020", "S021")
            and any(f.code.startswith(c.upper()) or f.rule == c.lower() for c in self.codes)
        )


def _value_extent(doc: Document) -> dict[int, int]:
    """For each 0-based line that starts a multi-line value, the last line of that value."""
    extent: dict[int, int] = {}
    for table in (doc.keys, doc.values):
        for path, mark in table.items():
            start, end = mark[2], mark[4]
            if table is doc.keys:
                value = doc.values.get(path)
                if value is None:
                    continue
                end = value[4]
            if mark[5] == 0 and end > start:
                end -= 1  # a block ends at column 0 of the following line
            if end > start:
                extent[start] = max(extent.get(start, start), end)
    return extent


def _block_lines(doc: Document) -> set[int]:
    """0-based lines that are content of block scalars (a `#` there is text)."""
    lines: set[int] = set()
    for mark in doc.values.values():
        if mark[6] in ("|", ">"):
            lines.update(range(mark[2] + 1, mark[4] + (1 if mark[5] else 0)))
    return lines


def parse(doc: Document) -> list[Suppression]:
    if "atscomms:" not in doc.text:
        return []
    out: list[Suppression] = []
    lines = doc.text.split("\n")
    blocks = _block_lines(doc)
    extent = _value_extent(doc)
    for i, line in enumerate(lines):
        if i in blocks or "atscomms:" not in line:
            continue
        m = _COMMENT.search(line)
        if m is None:
            continue
        kind, codes, reason = m.group(1), m.group(2), (m.group(3) or "").strip()
        column = line.index("#", m.start()) + 1
        own_line = not line[: column - 1].strip()
        if kind == "disable-file":
            first, last = 1, len(lines)
        else:
            target = i + 1 if (kind == "disable-next-line" or own_line) else i
            first, last = target + 1, extent.get(target, target) + 1
        out.append(
            Suppression(
                doc.path,
                i + 1,
                column,
                [c.strip() for c in codes.split(",") if c.strip()],
                first,
                last,
                reason,
            )
        )
    return out


def apply(findings: list[Finding], docs: dict[str, Document]) -> list[Finding]:
    """Drop suppressed findings; add S020/S021 for bad suppressions."""
    by_path: dict[str, list[Suppression]] = {}
    for path, doc in docs.items():
        parsed = parse(doc)
        if parsed:
            by_path[path] = parsed
    if not by_path:
        return findings
    kept: list[Finding] = []
    for f in findings:
        hit = [s for s in by_path.get(f.path, ()) if s.covers(f)]
        for s in hit:
            s.used = True
        if not hit:
            kept.append(f)
    for suppressions in by_path.values():
        for s in suppressions:
            span = Span(s.line, s.column)
            if not s.reason:
                kept.append(
                    finding(
                        "S020",
                        s.path,
                        span,
                        f"suppression of {', '.join(s.codes)} gives no reason",
                        hint="Add ` -- why` after the codes.",
                    )
                )
            if not s.used:
                kept.append(
                    finding(
                        "S021",
                        s.path,
                        span,
                        f"suppression of {', '.join(s.codes)} silences nothing",
                        hint="Remove the comment.",
                    )
                )
    return kept
