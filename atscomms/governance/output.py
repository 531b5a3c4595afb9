"""A tiny document model (sections, paragraphs, tables, code blocks) rendered as
Markdown (PR comments), self-contained HTML (for legal and auditors) or rich text."""

from __future__ import annotations

import html
import io
import shutil
from dataclasses import dataclass, field

from atscomms.reporters.markdown import cell


@dataclass(slots=True)
class Table:
    columns: list[str]
    rows: list[list[str]]
    caption: str | None = None
    empty: str = "None."

    def add(self, *values: object) -> None:
        self.rows.append(["" if v is None else str(v) for v in values])


@dataclass(slots=True)
class Block:
    """Preformatted text (a diff, a commit message); ``lang`` for Markdown fences."""

    text: str
    lang: str = ""
    caption: str | None = None


@dataclass(slots=True)
class Section:
    title: str
    items: list[str | Table | Block | Section] = field(default_factory=list)

    def para(self, text: str) -> None:
        self.items.append(text)

    def table(self, columns: list[str], caption: str | None = None, empty: str = "None.") -> Table:
        t = Table(columns, [], caption, empty)
        self.items.append(t)
        return t

    def block(self, text: str, lang: str = "", caption: str | None = None) -> None:
        self.items.append(Block(text, lang, caption))

    def section(self, title: str) -> Section:
        s = Section(title)
        self.items.append(s)
        return s


@dataclass(slots=True)
class Report:
    title: str
    meta: list[tuple[str, str]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    intro: str | None = None

    def section(self, title: str) -> Section:
        s = Section(title)
        self.sections.append(s)
        return s


# -- Markdown ------------------------------------------------------------------------------
def to_markdown(report: Report, level: int = 2) -> str:
    lines = [f"{'#' * level} {report.title}", ""]
    if report.intro:
        lines += [report.intro, ""]
    for key, value in report.meta:
        lines.append(f"- **{key}:** {value}")
    if report.meta:
        lines.append("")
    for s in report.sections:
        _md_section(s, level + 1, lines)
    return "\n".join(lines).rstrip("\n") + "\n"


def _md_section(s: Section, level: int, lines: list[str]) -> None:
    lines += [f"{'#' * min(level, 6)} {s.title}", ""]
    for item in s.items:
        if isinstance(item, str):
            lines += [item, ""]
        elif isinstance(item, Table):
            if item.caption:
                lines += [f"**{item.caption}**", ""]
            if not item.rows:
                lines += [item.empty, ""]
                continue
            lines.append("| " + " | ".join(cell(c) for c in item.columns) + " |")
            lines.append("|" + "|".join(" --- " for _ in item.columns) + "|")
            lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in item.rows]
            lines.append("")
        elif isinstance(item, Block):
            if item.caption:
                lines += [f"**{item.caption}**", ""]
            fence = "````" if "```" in item.text else "```"
            lines += [f"{fence}{item.lang}", item.text.rstrip("\n"), fence, ""]
        else:
            _md_section(item, level + 1, lines)


# -- HTML ----------------------------------------------------------------------------------
_CSS = """
body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#1f2933;
max-width:72rem;margin:2rem auto;padding:0 1rem;line-height:1.45}
h1{font-size:1.6rem;border-bottom:2px solid #1f2933;padding-bottom:.3rem}
h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #cbd2d9}
h3{font-size:1.05rem;margin-top:1.5rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.9rem}
th,td{border:1px solid #cbd2d9;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f4f8}
tr:nth-child(even) td{background:#fafbfc}
caption{text-align:left;font-weight:bold;padding:.3rem 0}
pre{background:#f5f7fa;border:1px solid #e4e7eb;padding:.6rem;overflow-x:auto;font-size:.85rem}
dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}
dt{font-weight:bold}
.del{color:#9b1c1c}.add{color:#1c6b2d}
@media print{body{max-width:none}h2{page-break-after:avoid}}
"""


def to_html(report: Report) -> str:
    out = io.StringIO()
    e = html.escape
    out.write(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(report.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<h1>{e(report.title)}</h1>\n"
    )
    if report.intro:
        out.write(f"<p>{e(report.intro)}</p>\n")
    if report.meta:
        out.write("<dl>\n")
        for key, value in report.meta:
            out.write(f"<dt>{e(key)}</dt><dd>{e(value)}</dd>\n")
        out.write("</dl>\n")
    for s in report.sections:
        _html_section(s, 2, out)
    out.write("</body>\n</html>\n")
    return out.getvalue()


def _html_section(s: Section, level: int, out: io.StringIO) -> None:
    e = html.escape
    h = min(level, 6)
    out.write(f"<section>\n<h{h}>{e(s.title)}</h{h}>\n")
    for item in s.items:
        if isinstance(item, str):
            out.write(f"<p>{e(item)}</p>\n")
        elif isinstance(item, Table):
            if not item.rows:
                if item.caption:
                    out.write(f"<p><strong>{e(item.caption)}</strong></p>\n")
                out.write(f"<p>{e(item.empty)}</p>\n")
                continue
            out.write("<table>\n")
            if item.caption:
                out.write(f"<caption>{e(item.caption)}</caption>\n")
            out.write("<thead><tr>" + "".join(f"<th>{e(c)}</th>" for c in item.columns))
            out.write("</tr></thead>\n<tbody>\n")
            for row in item.rows:
                cells = "".join(f"<td>{e(v).replace(chr(10), '<br>')}</td>" for v in row)
                out.write(f"<tr>{cells}</tr>\n")
            out.write("</tbody>\n</table>\n")
        elif isinstance(item, Block):
            if item.caption:
                out.write(f"<p><strong>{e(item.caption)}</strong></p>\n")
            out.write("<pre>" + _html_block(item) + "</pre>\n")
        else:
            _html_section(item, level + 1, out)
    out.write("</section>\n")


def _html_block(item: Block) -> str:
    if item.lang != "diff":
        return html.escape(item.text)
    lines = []
    for line in item.text.splitlines():
        cls = "add" if line.startswith("+") else "del" if line.startswith("-") else ""
        text = html.escape(line)
        lines.append(f'<span class="{cls}">{text}</span>' if cls else text)
    return "\n".join(lines)


# -- terminal ------------------------------------------------------------------------------
def to_text(report: Report, *, color: bool = False, width: int | None = None) -> str:
    from rich.console import Console
    from rich.table import Table as RichTable

    buf = io.StringIO()
    console = Console(
        file=buf,
        force_terminal=color,
        no_color=not color,
        width=width or max(100, shutil.get_terminal_size((120, 24)).columns),
        highlight=False,
        emoji=False,
        soft_wrap=False,
    )
    console.print(report.title, style="bold", markup=False)
    for key, value in report.meta:
        console.print(f"{key}: {value}", markup=False)
    if report.intro:
        console.print()
        console.print(report.intro, markup=False)

    def section(s: Section, depth: int) -> None:
        console.print()
        console.print(s.title, style="bold underline" if depth == 0 else "bold", markup=False)
        for item in s.items:
            if isinstance(item, str):
                console.print(item, markup=False)
            elif isinstance(item, Table):
                if not item.rows:
                    console.print(item.empty, markup=False)
                    continue
                t = RichTable(title=item.caption, show_lines=False, title_justify="left")
                for c in item.columns:
                    t.add_column(c, overflow="fold")
                for row in item.rows:
                    t.add_row(*[_escape(v) for v in row])
                console.print(t)
            elif isinstance(item, Block):
                if item.caption:
                    console.print(item.caption, style="bold", markup=False)
                for line in item.text.rstrip("\n").splitlines():
                    style = ""
                    if item.lang == "diff":
                        style = (
                            "green"
                            if line.startswith("+")
                            else ("red" if line.startswith("-") else "")
                        )
                    console.print(line, style=style, markup=False, highlight=False)
            else:
                section(item, depth + 1)

    for s in report.sections:
        section(s, 0)
    return buf.getvalue()


def _escape(value: str) -> str:
    from rich.markup import escape

    return escape(value)
