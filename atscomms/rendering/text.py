"""Plain-text alternative part generated from rendered email HTML.

Stdlib only: :mod:`atscomms.rendering.htmltokens` tokenizes exactly as the stdlib
``html.parser`` of Python 3.11.7 does (a faster port of it). The conversion
follows what a reader sees in a browser rather than the markup:

* ``<head>``, ``<title>``, ``<style>``, ``<script>``, ``<template>`` and all
  comments (including MSO conditional comments) are dropped; elements hidden
  with an inline ``display:none`` / ``visibility:hidden`` or the ``hidden``
  attribute are dropped with everything inside them (MJML's preheader div).
* Whitespace collapses as in a browser (``&nbsp;`` counts as a space), there is
  never more than one blank line in a row, lines carry no trailing spaces and
  the result ends with exactly one newline (or is ``""`` when nothing is visible).
* Paragraphs, headings, lists, ``<blockquote>``, ``<pre>`` and ``<hr>`` are
  separated by a blank line; other blocks (``<div>``, table rows and cells, ...)
  start on a new line. Layout tables are not drawn: every cell's content simply
  goes on its own line(s). ``<br>`` is a line break, ``<hr>`` a ``---`` line.
* List items become ``- item`` (``1. item`` inside ``<ol>``), nested lists are
  indented by the width of the parent marker.
* Links become ``text (url)``; just the text when it already shows the target
  (``https://x.test`` / ``x.test/``, ``jobs@x.test`` for ``mailto:jobs@x.test``),
  just the url when the text is empty. ``mailto:`` / ``tel:`` prefixes are not
  repeated; ``#anchor`` and ``javascript:`` links add nothing.
* Images are replaced by their ``alt`` text (nothing when it is empty/missing).

Hiding done through classes in a ``<style>`` block is not seen: convert the
output of :func:`atscomms.rendering.inline.inline_css` to catch those.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from atscomms.rendering.htmltokens import Attrs, tokenize

__all__ = ["html_to_text"]

_VOID = frozenset(
    {
        "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr",
        "img", "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
    }
)  # fmt: skip
# Elements whose content is never rendered as text.
_NOT_RENDERED = frozenset({"head", "title", "style", "script", "template", "xml"})
# Required line breaks around block elements (2 = separated by a blank line).
_BLOCK_BREAKS: dict[str, int] = {
    **dict.fromkeys(("p", "h1", "h2", "h3", "h4", "h5", "h6"), 2),
    **dict.fromkeys(("blockquote", "pre", "dl", "figure"), 2),
    **dict.fromkeys(
        (
            "address", "article", "aside", "body", "caption", "center", "dd",
            "details", "dialog", "div", "dt", "fieldset", "figcaption", "footer",
            "form", "header", "hgroup", "legend", "main", "menu", "nav", "section",
            "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
        ),
        1,
    ),
}  # fmt: skip
_LISTS = frozenset({"ul", "ol", "menu", "dir"})
_SPECIAL = _LISTS | {"a", "li", "pre"}  # opened/closed by more than _BLOCK_BREAKS
# A start tag of one of these closes an open <p> (HTML "p" auto-closing).
_CLOSES_P = frozenset(_BLOCK_BREAKS) | _LISTS | {"hr", "li"}
_P = frozenset({"p"})
_HEAD = frozenset({"head"})
_P_SCOPE_STOP = frozenset(_BLOCK_BREAKS) | _LISTS | {"li"}
# start tag -> (tags whose open element it closes, tags that stop the search)
_Rule = tuple[frozenset[str], frozenset[str]]
_IMPLICIT_END: dict[str, _Rule] = {
    "li": (frozenset({"li"}), _LISTS),
    "dt": (frozenset({"dt", "dd"}), frozenset({"dl"})),
    "dd": (frozenset({"dt", "dd"}), frozenset({"dl"})),
    "tr": (frozenset({"tr", "td", "th"}), frozenset({"table"})),
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "a": (frozenset({"a"}), frozenset()),
}
# start tag -> the rules it applies, in order: an open <head>, <p>, then _IMPLICIT_END
_IMPLICIT_RULES: dict[str, tuple[_Rule, ...]] = {
    tag: ((_HEAD, frozenset()),) * (tag == "body")
    + ((_P, _P_SCOPE_STOP),) * (tag in _CLOSES_P)
    + ((_IMPLICIT_END[tag],) if tag in _IMPLICIT_END else ())
    for tag in {"body", *_CLOSES_P, *_IMPLICIT_END}
}
_HIDDEN_STYLE = re.compile(
    r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b", re.IGNORECASE
)
_WHITESPACE = re.compile(r"[ \t\n\r\f\u00a0]+")
_INVISIBLE = re.compile("[\u00ad\u200b\ufeff]")  # soft hyphen, zero-width space, BOM
_BLANK_RUNS = re.compile(r"\n{3,}")
_LIST_START = re.compile(r"[0-9]{1,9}")
_URL_SCHEME = re.compile(r"^(?:https?:)?//|^(?:mailto|tel):", re.IGNORECASE)
_SPACES = " \t\n\r\f\u00a0"  # what _WHITESPACE matches
_NO_ATTRIBUTES: dict[str, str | None] = {}

# Kinds of open element: _INERT is inside a hidden / non-rendered element,
# _SUPPRESSING hides itself and its content, _LINK is an <a> printing its target.
_NORMAL, _INERT, _SUPPRESSING, _LINK = range(4)


@dataclass(slots=True)
class _ListState:
    ordered: bool
    next_number: int = 1


def html_to_text(html: str) -> str:
    """Return the plain-text rendering of ``html`` (see the module docstring)."""
    extractor = _TextExtractor()
    tokenize(html, extractor)
    return extractor.result()


def _collapse(text: str) -> str:
    return _WHITESPACE.sub(" ", _INVISIBLE.sub("", text))


def _link_target(href: str) -> str | None:
    """What to print for a link's target, or ``None`` when it should not be printed."""
    href = href.strip()
    lowered = href.lower()
    if not href or href.startswith("#") or lowered.startswith("javascript:"):
        return None
    if lowered.startswith("mailto:"):
        return href[len("mailto:") :].split("?", 1)[0].strip() or None
    if lowered.startswith("tel:"):
        return href[len("tel:") :].strip() or None
    return href


def _same_target(text: str, href: str, shown: str) -> bool:
    def norm(value: str) -> str:
        return _URL_SCHEME.sub("", value.strip()).rstrip("/").lower()

    if href.strip().lower().startswith("tel:"):
        return re.sub(r"[^\d+]", "", text) == re.sub(r"[^\d+]", "", shown)
    return norm(text) in {norm(href), norm(shown)}


def _hidden(style: str) -> bool:
    # _HIDDEN_STYLE matches only around "none" or "hidden", whose "i" may also be
    # a dotless/dotted i for re.I ("hıdden"): look for "none" or "dden" first.
    lowered = style.lower()
    return ("none" in lowered or "dden" in lowered) and bool(_HIDDEN_STYLE.search(style))


class _TextExtractor:
    """Receives the tokens (a :class:`~atscomms.rendering.htmltokens.TokenSink`)."""

    def __init__(self) -> None:
        self._out: list[str] = []
        self._started = False  # some visible text has been written
        self._newlines = 0  # newlines written since the last visible text
        self._pending_breaks = 0  # newlines required before the next text
        self._pending_space = False
        # the open elements, innermost last: tag and kind (_NORMAL, _INERT, ...)
        self._tags: list[str] = []
        self._kinds: list[int] = []
        self._open_tags: dict[str, int] = {}  # tag -> open count; cheap stack searches
        self._suppressed = 0  # open elements that hide their content
        self._pre = 0
        self._pre_start = False
        self._links: list[tuple[str, list[str]]] = []  # open _LINKs: href, visible text
        self._lists: list[_ListState] = []
        self._item_widths: list[int] = []  # marker widths of the open list items
        self._marker: str | None = None  # list marker waiting for the item's text

    # -- output -------------------------------------------------------------

    def result(self) -> str:
        self._pop_to(0)
        text = "".join(self._out)
        text = "\n".join(line.rstrip() for line in text.split("\n"))
        text = _BLANK_RUNS.sub("\n\n", text).strip("\n")
        return f"{text}\n" if text else ""

    def _line_prefix(self) -> str:
        if not self._item_widths:
            return ""
        if self._marker is not None:
            marker, self._marker = self._marker, None
            return " " * sum(self._item_widths[:-1]) + marker
        return " " * sum(self._item_widths)

    def _put(self, text: str) -> None:
        """Write visible text verbatim, after any pending line breaks or space."""
        if self._suppressed or not text:
            return
        separated = False
        if self._started and self._pending_breaks > self._newlines:
            self._out.append("\n" * (self._pending_breaks - self._newlines))
            self._newlines = self._pending_breaks
        self._pending_breaks = 0
        if not self._started or self._newlines:
            self._out.append(self._line_prefix())
            separated = self._started
        elif self._pending_space:
            self._out.append(" ")
            separated = True
        self._out.append(text)
        for _, capture in self._links:
            if separated:
                capture.append(" ")
            capture.append(text)
        self._started = True
        self._newlines = 0
        self._pending_space = False

    def _inline(self, collapsed: str) -> None:
        """Write whitespace-collapsed inline text."""
        if self._suppressed or not collapsed:
            return
        core = collapsed.strip(" ")
        if collapsed[0] == " ":
            self._pending_space = True
        if core:
            self._put(core)
            self._pending_space = collapsed[-1] == " "

    def _break(self, count: int) -> None:
        if not self._suppressed:
            if count > self._pending_breaks:
                self._pending_breaks = count
            self._pending_space = False

    def _line_break(self) -> None:
        if self._suppressed:
            return
        self._pending_space = False
        if not self._started:
            return
        if self._pending_breaks > self._newlines:
            self._out.append("\n" * (self._pending_breaks - self._newlines))
            self._newlines = self._pending_breaks
        self._pending_breaks = 0
        self._out.append("\n")
        self._newlines += 1

    # -- tree bookkeeping ---------------------------------------------------

    def _pop_to(self, index: int) -> None:
        tags, kinds, open_tags = self._tags, self._kinds, self._open_tags
        while len(tags) > index:
            tag = tags.pop()
            kind = kinds.pop()
            open_tags[tag] -= 1
            if kind == _NORMAL:
                if tag in _SPECIAL:
                    self._close(tag)
                elif tag in _BLOCK_BREAKS:
                    self._break(_BLOCK_BREAKS[tag])
            elif kind == _SUPPRESSING:
                self._suppressed -= 1
            elif kind == _LINK:
                self._finish_link(*self._links.pop())

    def _find_open(self, tags: frozenset[str], stop: frozenset[str]) -> int | None:
        stack = self._tags
        for index in range(len(stack) - 1, -1, -1):
            tag = stack[index]
            if tag in tags:
                return index
            if tag in stop:
                return None
        return None

    def _close(self, tag: str) -> None:
        """Close a _NORMAL element in _SPECIAL."""
        if tag == "li":
            if self._item_widths:
                self._item_widths.pop()
            self._marker = None
            self._break(1)
        elif tag in _LISTS:
            if self._lists:
                self._lists.pop()
            self._break(1 if self._lists else 2)
        elif tag == "pre":
            self._pre = max(self._pre - 1, 0)
            self._break(2)

    def _finish_link(self, href: str, capture: list[str]) -> None:
        shown = _link_target(href)
        if shown is None:
            return
        text = _collapse("".join(capture)).strip()
        if text and _same_target(text, href, shown):
            return
        # "<a>text </a>next" keeps its space; with no text it was the space before
        space_after = self._pending_space and bool(text)
        self._pending_space = True
        self._put(shown if not text else f"({shown})")
        self._pending_space = space_after

    # -- token callbacks ----------------------------------------------------

    def start(self, tag: str, attrs: Attrs) -> None:
        open_tags = self._open_tags
        for closes, stop in _IMPLICIT_RULES.get(tag, ()):
            for name in closes:
                if open_tags.get(name):
                    index = self._find_open(closes, stop)
                    if index is not None:
                        self._pop_to(index)
                    break
        # the first of repeated attributes wins
        attributes = dict(reversed(attrs)) if attrs else _NO_ATTRIBUTES
        style = attributes.get("style")
        hides = tag in _NOT_RENDERED or "hidden" in attributes or bool(style and _hidden(style))
        if tag in _VOID:
            if not (hides or self._suppressed):
                self._void(tag, attributes)
            return
        self._tags.append(tag)
        open_tags[tag] = open_tags.get(tag, 0) + 1
        if self._suppressed:
            self._kinds.append(_INERT)
        elif hides:
            self._kinds.append(_SUPPRESSING)
            self._suppressed += 1
        elif tag in _SPECIAL:
            self._kinds.append(self._open(tag, attributes))
        else:
            self._kinds.append(_NORMAL)
            if tag in _BLOCK_BREAKS:
                self._break(_BLOCK_BREAKS[tag])

    def _void(self, tag: str, attributes: dict[str, str | None]) -> None:
        if tag == "br":
            self._line_break()
        elif tag == "hr":
            self._break(2)
            self._put("---")
            self._break(2)
        elif tag == "img":
            self._inline(_collapse(attributes.get("alt") or ""))

    def _open(self, tag: str, attributes: dict[str, str | None]) -> int:
        """Open a rendered element in _SPECIAL; returns its kind."""
        if tag == "a":
            self._links.append((attributes.get("href") or "", []))
            return _LINK
        if tag in _LISTS:
            self._break(1 if self._lists else 2)
            start = (attributes.get("start") or "").strip()
            number = int(start) if _LIST_START.fullmatch(start) else 1
            self._lists.append(_ListState(ordered=tag == "ol", next_number=number))
        elif tag == "li":
            self._break(1)
            state = self._lists[-1] if self._lists else None
            if state is not None and state.ordered:
                marker = f"{state.next_number}. "
                state.next_number += 1
            else:
                marker = "- "
            self._marker = marker
            self._item_widths.append(len(marker))
        elif tag == "pre":
            self._break(2)
            self._pre += 1
            self._pre_start = True
        return _NORMAL

    def startend(self, tag: str, attrs: Attrs) -> None:
        # "<br/>" is just "<br>"; "<div/>" opens and closes an empty element.
        self.start(tag, attrs)
        if tag not in _VOID:
            self.end(tag)

    def end(self, tag: str) -> None:
        if tag == "br":  # browsers treat a stray </br> as <br>
            self.start("br", [])
            return
        if self._open_tags.get(tag):
            tags = self._tags
            index = len(tags) - 1
            if tags[index] != tag:
                index -= tags[::-1].index(tag)
            self._pop_to(index)
            return
        if tag == "p":  # a stray </p> is an empty paragraph
            self._break(2)

    def data(self, data: str) -> None:
        if self._suppressed:
            return
        if not self._pre:
            if data.strip(_SPACES):
                self._inline(_collapse(data))
            elif data:  # collapses to " "
                self._pending_space = True
            return
        if self._pre_start and data.startswith(("\r\n", "\n")):
            data = data[2:] if data.startswith("\r\n") else data[1:]
        self._pre_start = False
        text = _INVISIBLE.sub("", data.replace("\r\n", "\n").replace("\r", "\n"))
        for number, line in enumerate(text.replace("\u00a0", " ").split("\n")):
            if number:
                self._line_break()
            self._put(line)

    def markup(self, kind: str, text: str) -> None:
        pass  # comments, declarations and processing instructions show nothing
