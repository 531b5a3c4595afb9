"""``--format markdown``: a pull-request comment."""

from __future__ import annotations

from itertools import groupby

from atscomms.findings import Finding, Result
from atscomms.reporters.base import ReportContext, Reporter, counts_phrase, plural

HEADING = "## atscomms report"


def cell(value: str) -> str:
    """Make ``value`` safe inside a GitHub-flavoured markdown table cell."""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = value.replace("\\", "\\\\").replace("|", "\\|")
    return "<br>".join(value.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def status_line(result: Result) -> str:
    files = plural(result.files, "file")
    if not result.findings:
        return f"No problems found. Checked {files}."
    problems = plural(len(result.findings), "problem")
    return f"**Found {problems}** ({counts_phrase(result)}) in {files}."


def counts_table(result: Result) -> list[str]:
    s = result.summary()
    return [
        "| Errors | Warnings | Info | Files | Resources |",
        "| ---: | ---: | ---: | ---: | ---: |",
        f"| {s['error']} | {s['warning']} | {s['info']} | {s['files']} | {s['resources']} |",
    ]


def finding_row(f: Finding) -> str:
    message = f"{f.message}\nhint: {f.hint}" if f.hint else f.message
    return f"| {f.line} | `{f.code}` {f.rule} | {f.severity} | {cell(message)} |"


class MarkdownReporter(Reporter):
    name = "markdown"
    description = "markdown summary for a pull-request comment"

    def render(self, result: Result, ctx: ReportContext) -> str:
        lines = [HEADING, "", status_line(result), "", *counts_table(result)]
        for path, group in groupby(result.sorted(), key=lambda f: f.path):
            lines += ["", f"### {cell(path)}", ""]
            lines += ["| Line | Code | Severity | Message |", "| ---: | --- | --- | --- |"]
            lines += [finding_row(f) for f in group]
        return "\n".join(lines) + "\n"
