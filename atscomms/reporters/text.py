"""``--format text``: findings grouped by file, with code frames, for people."""

from __future__ import annotations

from itertools import groupby

from atscomms.findings import Finding, Result, Severity
from atscomms.reporters.base import ReportContext, Reporter, counts_phrase, plural

#: A rendered line is a list of ``(text, rich style)`` segments; the style is
#: ignored without colour.
Segment = tuple[str, str]
Line = list[Segment]

STYLES: dict[Severity, str] = {
    Severity.ERROR: "bold red",
    Severity.WARNING: "bold yellow",
    Severity.INFO: "bold blue",
}


def caret_span(finding: Finding, text: str) -> tuple[int, int]:
    """``(start, width)`` of the caret run under ``text``, 0-based and clamped."""
    start = min(max(finding.column, 1), len(text) + 1) - 1
    if finding.end_line in (None, finding.line) and finding.end_column is not None:
        end = min(finding.end_column - 1, len(text))
    elif finding.end_line is not None and finding.end_line > finding.line:
        end = len(text)
    else:
        end = start + 1
    return start, max(end - start, 1)


def code_frame(finding: Finding, ctx: ReportContext) -> list[Line]:
    """The offending line in a numbered gutter, with carets under the span."""
    text = ctx.line(finding.path, finding.line)
    if text is None:
        return []
    number = str(finding.line)
    gutter = " " * len(number)
    start, width = caret_span(finding, text)
    # Keep tabs so the carets line up with the text above them.
    pad = "".join("\t" if ch == "\t" else " " for ch in text[:start])
    return [
        [(f"  {number} | ", "blue"), (text, "")],
        [(f"  {gutter} | ", "blue"), (pad, ""), ("^" * width, STYLES[finding.severity])],
    ]


def finding_lines(finding: Finding, ctx: ReportContext) -> list[Line]:
    severity = str(finding.severity)
    head: Line = [
        (f"{finding.path}:{finding.line}:{finding.column}:", "bold"),
        (" ", ""),
        (finding.code, STYLES[finding.severity]),
        (" ", ""),
        (f"[{severity}]", STYLES[finding.severity]),
        (f" {finding.message} ", ""),
        (f"({finding.rule})", "dim"),
    ]
    lines = [head, *code_frame(finding, ctx)]
    if finding.hint:
        lines.append([("  hint:", "cyan"), (f" {finding.hint}", "")])
    return lines


def summary_line(result: Result) -> Line:
    files = plural(result.files, "file")
    if not result.findings:
        return [(f"No problems found in {files}.", "bold green")]
    worst = max(f.severity for f in result.findings)
    return [(counts_phrase(result), STYLES[worst]), (f" in {files}", "")]


def report_lines(result: Result, ctx: ReportContext) -> list[Line]:
    lines: list[Line] = []
    for path, group in groupby(result.sorted(), key=lambda f: f.path):
        lines.append([(path, "bold underline")])
        for finding in group:
            lines.extend(finding_lines(finding, ctx))
            lines.append([])
    lines.append(summary_line(result))
    return lines


def plain(lines: list[Line]) -> str:
    return "".join("".join(text for text, _ in line) + "\n" for line in lines)


def colored(lines: list[Line]) -> str:
    from io import StringIO

    from rich.console import Console
    from rich.text import Text

    out = StringIO()
    console = Console(
        file=out,
        force_terminal=True,
        color_system="standard",
        no_color=False,
        legacy_windows=False,
        highlight=False,
        emoji=False,
        markup=False,
        width=10_000,
    )
    for line in lines:
        text = Text()
        for segment, style in line:
            text.append(segment, style=style or None)
        console.print(text, soft_wrap=True)
    return out.getvalue()


class TextReporter(Reporter):
    name = "text"
    description = "human-readable report with code frames"

    def render(self, result: Result, ctx: ReportContext) -> str:
        lines = report_lines(result, ctx)
        return colored(lines) if ctx.color else plain(lines)
