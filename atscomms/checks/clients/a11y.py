"""C205-C208: accessibility and link hygiene of the markup the author writes.

These rules read the MJML/HTML source (templates in ``check_template``, layouts and
partials once in ``check_workspace``) and point at the tag or attribute as written.
MJML's own output is not checked: its tables carry ``role="presentation"``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator

from atscomms.checks.clients.sources import attributes, find_tags
from atscomms.checks.context import LintContext, TextUnit
from atscomms.checks.registry import Rule, register
from atscomms.findings import Finding, Severity
from atscomms.model.resources import Template


def _markup_units(units: Iterable[TextUnit]) -> Iterator[TextUnit]:
    for unit in units:
        if unit.part == "body" and unit.channel != "sms" and "<" in unit.source:
            yield unit


class _SourceRule(Rule):
    def check_template(self, ctx: LintContext, template: Template) -> Iterator[Finding]:
        if template.channel == "email":
            for unit in _markup_units(ctx.units(template)):
                yield from self.check_unit(unit)

    def check_workspace(self, ctx: LintContext) -> Iterator[Finding]:
        for unit in _markup_units(ctx.shared_units()):
            yield from self.check_unit(unit)

    def check_unit(self, unit: TextUnit) -> Iterator[Finding]:
        raise NotImplementedError


_LINKS = "a|mj-button"
_CLOSE = {"a": re.compile(r"</a\s*>", re.I), "mj-button": re.compile(r"</mj-button\s*>", re.I)}


def _link_texts(unit: TextUnit) -> Iterator[tuple[re.Match[str], int, str]]:
    """``(start tag, offset of the content, content)`` of every link in the unit."""
    for m in find_tags(unit.source, _LINKS):
        if m.group(0).endswith("/>"):
            continue
        close = _CLOSE[m.group("name").lower()].search(unit.source, m.end())
        if close is not None:
            yield m, m.end(), unit.source[m.end() : close.start()]


def _normalise(text: str) -> str:
    text = re.sub(r"\{\{.*?\}\}", " \x00 ", text, flags=re.S)  # an expression is real text
    text = re.sub(r"\{%.*?%\}|\{#.*?#\}|<[^>]*>", " ", text, flags=re.S)
    text = html.unescape(text).lower()
    return " ".join(re.sub(r"[^\w\s\x00'-]", " ", text).split())


@register
class ClickHereLink(_SourceRule):
    """
    ## What it does
    Reports links and buttons whose whole text is "click here", "here", "read more"
    or a similar phrase (the `phrases` option, matched case-insensitively, ignoring
    punctuation and arrows).

    ## Why
    Screen-reader users jump from link to link and hear only the link text: "here,
    here, read more" says nothing. Descriptive links also earn more clicks.

    ## Example
    ```yaml
    body:
      mjml: <mj-text>To book a slot, <a href="https://acme.example/b">click here</a>.</mj-text>
    ```

    ## Fix
    Name the destination: `<a href="...">Book your interview slot</a>`.
    """

    code = "C205"
    name = "click-here-link"
    severity = Severity.WARNING
    options = {
        "phrases": [
            "click here", "here", "click", "read more", "more", "learn more", "this link",
            "link", "hier", "hier klicken", "klicken sie hier", "mehr", "weiterlesen",
            "mehr erfahren", "cliquez ici", "ici", "en savoir plus", "haga clic aquí",
            "aquí", "leer más", "clicca qui", "qui",
        ]
    }  # fmt: skip

    def _phrases(self) -> frozenset[str]:
        cached = self.__dict__.get("_normalised")
        if cached is None:
            values = self.opts.get("phrases") or []
            cached = frozenset(_normalise(p) for p in values if isinstance(p, str))
            self.__dict__["_normalised"] = cached
        return cached

    def check_unit(self, unit: TextUnit) -> Iterator[Finding]:
        phrases = self._phrases()
        for _tag, start, content in _link_texts(unit):
            text = _normalise(content)
            if text and text in phrases:
                prose = re.sub(r"<[^>]*>", lambda x: " " * len(x.group(0)), content)
                first = len(prose) - len(prose.lstrip())
                length = len(prose.strip())
                yield unit.finding(
                    self.code,
                    start + first,
                    length,
                    f"link text {prose.strip()!r} does not say where the link goes",
                    hint="Name the destination or action: 'Book your interview slot'.",
                )


@register
class ImageMissingAlt(_SourceRule):
    """
    ## What it does
    Reports `<img>`, `<mj-image>` and `<mj-carousel-image>` without an `alt`
    attribute.

    ## Why
    Screen readers read the file name instead ("logo underscore final dot png"),
    and with images blocked, the alt text is all the reader sees. MJML does not add
    an `alt` when you leave it out.

    ## Example
    ```yaml
    body:
      mjml: <mj-image src="https://acme.example/logo.png" />
    ```

    ## Fix
    Describe the image (`alt="Acme"`), or write `alt=""` when it is decoration.
    """

    code = "C206"
    name = "image-missing-alt"
    severity = Severity.WARNING

    def check_unit(self, unit: TextUnit) -> Iterator[Finding]:
        for m in find_tags(unit.source, "img|mj-image|mj-carousel-image"):
            if "alt" not in attributes(m):
                name = m.group("name")
                yield unit.finding(
                    self.code,
                    m.start("name"),
                    len(name),
                    f"<{name}> has no alt attribute",
                    hint='Describe the image in alt="...", or use alt="" for decoration.',
                )


_TABLE = re.compile(r"<(/?)table\b", re.I)
_DATA_TABLE = re.compile(r"<(?:th|caption)\b", re.I)


@register
class LayoutTableRole(_SourceRule):
    """
    ## What it does
    Reports an HTML `<table>` written by the author without a `role` attribute,
    unless it is a data table (it has `<th>` or `<caption>`).

    ## Why
    Screen readers announce a table's rows and columns ("table with 3 rows, row 1,
    column 1..."). For a table used only for layout that is noise; `role=
    "presentation"` tells them to read the content only. MJML's own tables have it.

    ## Example
    ```yaml
    body:
      html: <table width="600"><tr><td>Hi {{ candidate.first_name }}</td></tr></table>
    ```

    ## Fix
    `<table role="presentation" ...>`; give data tables a `<th>` header row.
    """

    code = "C207"
    name = "layout-table-role"
    severity = Severity.WARNING

    def check_unit(self, unit: TextUnit) -> Iterator[Finding]:
        for m in find_tags(unit.source, "table"):
            if "role" in attributes(m) or _DATA_TABLE.search(_table_body(unit.source, m.end())):
                continue
            yield unit.finding(
                self.code,
                m.start("name"),
                len(m.group("name")),
                'layout <table> without role="presentation"',
                hint='Add role="presentation", or a <th> row if it holds data.',
            )


def _table_body(text: str, start: int) -> str:
    depth = 1
    for m in _TABLE.finditer(text, start):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return text[start : m.start()]
    return text[start:]


@register
class BadLink(_SourceRule):
    """
    ## What it does
    Reports links that go nowhere or somewhere unsafe: an empty `href`, `href="#"`,
    `javascript:` (an error), plain `http:`; and links or buttons without any text
    or image alt text.

    ## Why
    `#` and empty links do nothing for the candidate; `javascript:` is stripped by
    every client and flagged by spam filters; `http:` links show a "not secure"
    warning and leak the candidate's click over the network. A link without text is
    read out as its address by screen readers.

    ## Example
    ```yaml
    body:
      mjml: <mj-button href="http://acme.example/offer">View your offer</mj-button>
    ```

    ## Fix
    Use the real `https://` address; give every link visible text.
    """

    code = "C208"
    name = "bad-link"
    severity = Severity.WARNING

    def check_unit(self, unit: TextUnit) -> Iterator[Finding]:
        tags = "a|area|mj-button|mj-image|mj-navbar-link|mj-social-element|mj-carousel-image"
        for m in find_tags(unit.source, tags):
            href = attributes(m).get("href")
            if href is None:
                continue
            value, at, name_at = href
            target = value.strip().lower()
            if not target:
                yield unit.finding(self.code, name_at, 4, "link with an empty href")
            elif target == "#":
                yield unit.finding(self.code, at, len(value), 'link goes nowhere (href="#")',
                                   hint="Link to the real page.")  # fmt: skip
            elif target.startswith("javascript:"):
                yield unit.finding(
                    self.code,
                    at,
                    len(value),
                    "javascript: link (email clients remove it; spam filters flag it)",
                    hint="Link to a page instead.",
                    severity=Severity.ERROR,
                )
            elif target.startswith("http:"):
                yield unit.finding(
                    self.code,
                    at,
                    len(value),
                    "insecure http:// link",
                    hint="Use https://.",
                )
        for m, _start, content in _link_texts(unit):
            alt = re.search(r"\balt\s*=\s*(\"[^\"]*\S[^\"]*\"|'[^']*\S[^']*')", content)
            if not _normalise(content) and alt is None:
                name = m.group("name")
                yield unit.finding(
                    self.code,
                    m.start("name"),
                    len(name),
                    f"<{name}> has no text",
                    hint="Give the link text (or its image an alt text) that names the target.",
                )
