"""htmltokens.tokenize is the stdlib html.parser, event for event (data chunks
included), and html_to_text on top of it prints exactly what the HTMLParser-based
extractor it replaced printed."""

from __future__ import annotations

import _markupbase
import hashlib
import html.parser
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atscomms.model.build import build
from atscomms.rendering import htmltokens
from atscomms.rendering.htmltokens import Attrs, tokenize
from atscomms.rendering.render import Renderer
from atscomms.rendering.text import (
    _BLANK_RUNS,
    _BLOCK_BREAKS,
    _CLOSES_P,
    _HEAD,
    _HIDDEN_STYLE,
    _IMPLICIT_END,
    _INVISIBLE,
    _LIST_START,
    _LISTS,
    _NOT_RENDERED,
    _P,
    _P_SCOPE_STOP,
    _VOID,
    _collapse,
    _link_target,
    _ListState,
    _same_target,
    html_to_text,
)
from tests.conftest import FIXTURES

# The tokenizer ports these two files of Python 3.11.7. The security releases of
# June 2025 on (gh-135462 and follow-ups, 3.9 to 3.14) end unterminated constructs
# differently: there the stdlib is no oracle (and the old extractor printed otherwise).
_PORTED_STDLIB = "c679a63e9a349553de6797dac8a05e51db06f817bc890deab96fd57a13146adc"
_STDLIB = hashlib.sha256(
    Path(html.parser.__file__).read_bytes() + Path(_markupbase.__file__).read_bytes()
).hexdigest()
needs_ported_stdlib = pytest.mark.skipif(
    _STDLIB != _PORTED_STDLIB, reason="html.parser differs from the 3.11.7 one htmltokens ports"
)

Event = tuple[object, ...]


class _Recorder:
    def __init__(self) -> None:
        self.events: list[Event] = []

    def start(self, tag: str, attrs: Attrs) -> None:
        self.events.append(("start", tag, attrs))

    def startend(self, tag: str, attrs: Attrs) -> None:
        self.events.append(("startend", tag, attrs))

    def end(self, tag: str) -> None:
        self.events.append(("end", tag))

    def data(self, text: str) -> None:
        self.events.append(("data", text))

    def markup(self, kind: str, text: str) -> None:
        self.events.append((kind, text))


def events(html: str) -> list[Event]:
    recorder = _Recorder()
    tokenize(html, recorder)
    return recorder.events


class _StdlibRecorder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[Event] = []

    def handle_starttag(self, tag: str, attrs: Attrs) -> None:
        self.events.append(("start", tag, attrs))

    def handle_startendtag(self, tag: str, attrs: Attrs) -> None:
        self.events.append(("startend", tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("end", tag))

    def handle_data(self, data: str) -> None:
        self.events.append(("data", data))

    def handle_comment(self, data: str) -> None:
        self.events.append(("comment", data))

    def handle_decl(self, decl: str) -> None:
        self.events.append(("decl", decl))

    def handle_pi(self, data: str) -> None:
        self.events.append(("pi", data))

    def unknown_decl(self, data: str) -> None:
        self.events.append(("unknown_decl", data))

    def parse_html_declaration(self, i: int) -> int:  # as the old extractor did
        try:
            return super().parse_html_declaration(i)
        except AssertionError:
            end = self.rawdata.find(">", i + 2)
            return -1 if end < 0 else end + 1


def stdlib_events(html: str) -> list[Event]:
    parser = _StdlibRecorder()
    parser.feed(html)
    parser.close()
    return parser.events


@dataclass(slots=True)
class _Element:
    tag: str
    inert: bool = False
    suppressing: bool = False
    href: str | None = None
    capture: list[str] | None = None


class _OldExtractor(HTMLParser):
    """atscomms.rendering.text._TextExtractor before the tokenizer (verbatim)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._out: list[str] = []
        self._started = False  # some visible text has been written
        self._newlines = 0  # newlines written since the last visible text
        self._pending_breaks = 0  # newlines required before the next text
        self._pending_space = False
        self._stack: list[_Element] = []
        self._open_tags: Counter[str] = Counter()  # keeps stack searches cheap
        self._suppressed = 0  # open elements that hide their content
        self._pre = 0
        self._pre_start = False
        self._captures: list[list[str]] = []
        self._lists: list[_ListState] = []
        self._item_widths: list[int] = []  # marker widths of the open list items
        self._marker: str | None = None  # list marker waiting for the item's text

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
        for capture in self._captures:
            if separated:
                capture.append(" ")
            capture.append(text)
        self._started = True
        self._newlines = 0
        self._pending_space = False

    def _inline(self, collapsed: str) -> None:
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
            self._pending_breaks = max(self._pending_breaks, count)
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

    def _pop_to(self, index: int) -> None:
        while len(self._stack) > index:
            element = self._stack.pop()
            self._open_tags[element.tag] -= 1
            self._close(element)

    def _find_open(self, tags: frozenset[str], stop: frozenset[str]) -> int | None:
        if not any(self._open_tags[tag] for tag in tags):
            return None
        for index in range(len(self._stack) - 1, -1, -1):
            tag = self._stack[index].tag
            if tag in tags:
                return index
            if tag in stop:
                return None
        return None

    def _implicit_end(self, tag: str) -> None:
        if tag == "body":
            index = self._find_open(_HEAD, frozenset())
            if index is not None:
                self._pop_to(index)
        if tag in _CLOSES_P:
            index = self._find_open(_P, _P_SCOPE_STOP)
            if index is not None:
                self._pop_to(index)
        if tag in _IMPLICIT_END:
            closes, stop = _IMPLICIT_END[tag]
            index = self._find_open(closes, stop)
            if index is not None:
                self._pop_to(index)

    def _close(self, element: _Element) -> None:
        if element.inert:
            return
        if element.suppressing:
            self._suppressed -= 1
            return
        tag = element.tag
        if tag == "a":
            self._finish_link(element)
        elif tag == "li":
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
        elif tag in _BLOCK_BREAKS:
            self._break(_BLOCK_BREAKS[tag])

    def _finish_link(self, element: _Element) -> None:
        capture = element.capture
        if capture is None:
            return
        self._captures = [c for c in self._captures if c is not capture]
        href = element.href or ""
        shown = _link_target(href)
        if shown is None:
            return
        text = _collapse("".join(capture)).strip()
        if text and _same_target(text, href, shown):
            return
        space_after = self._pending_space and bool(text)
        self._pending_space = True
        self._put(shown if not text else f"({shown})")
        self._pending_space = space_after

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes: dict[str, str] = {}
        for name, value in attrs:
            attributes.setdefault(name, value or "")
        self._implicit_end(tag)
        hides = (
            tag in _NOT_RENDERED
            or "hidden" in attributes
            or bool(_HIDDEN_STYLE.search(attributes.get("style", "")))
        )
        if tag in _VOID:
            if not (hides or self._suppressed):
                self._void(tag, attributes)
            return
        element = _Element(tag)
        self._stack.append(element)
        self._open_tags[tag] += 1
        if self._suppressed:
            element.inert = True
        elif hides:
            element.suppressing = True
            self._suppressed += 1
        else:
            self._open(element, attributes)

    def _void(self, tag: str, attributes: dict[str, str]) -> None:
        if tag == "br":
            self._line_break()
        elif tag == "hr":
            self._break(2)
            self._put("---")
            self._break(2)
        elif tag == "img":
            self._inline(_collapse(attributes.get("alt", "")))

    def _open(self, element: _Element, attributes: dict[str, str]) -> None:
        tag = element.tag
        if tag == "a":
            element.href = attributes.get("href", "")
            element.capture = []
            self._captures.append(element.capture)
        elif tag in _LISTS:
            self._break(1 if self._lists else 2)
            start = attributes.get("start", "").strip()
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
        elif tag in _BLOCK_BREAKS:
            self._break(_BLOCK_BREAKS[tag])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "br":  # browsers treat a stray </br> as <br>
            self.handle_starttag("br", [])
            return
        if self._open_tags[tag]:
            for index in range(len(self._stack) - 1, -1, -1):
                if self._stack[index].tag == tag:
                    self._pop_to(index)
                    return
        if tag == "p":  # a stray </p> is an empty paragraph
            self._break(2)

    def handle_data(self, data: str) -> None:
        if self._suppressed:
            return
        if not self._pre:
            self._inline(_collapse(data))
            return
        if self._pre_start and data.startswith(("\r\n", "\n")):
            data = data[2:] if data.startswith("\r\n") else data[1:]
        self._pre_start = False
        text = _INVISIBLE.sub("", data.replace("\r\n", "\n").replace("\r", "\n"))
        for number, line in enumerate(text.replace("\u00a0", " ").split("\n")):
            if number:
                self._line_break()
            self._put(line)

    def parse_html_declaration(self, i: int) -> int:
        try:
            return super().parse_html_declaration(i)
        except AssertionError:
            end = self.rawdata.find(">", i + 2)
            return -1 if end < 0 else end + 1


def old_html_to_text(html: str, *, stdlib: bool) -> str:
    """The old extractor, fed by the stdlib parser or by ``tokenize``."""
    extractor = _OldExtractor()
    if stdlib:
        extractor.feed(html)
        extractor.close()
    else:
        tokenize(html, _OldCallbacks(extractor))
    return extractor.result()


class _OldCallbacks:
    def __init__(self, extractor: _OldExtractor) -> None:
        self.start = extractor.handle_starttag
        self.startend = extractor.handle_startendtag
        self.end = extractor.handle_endtag
        self.data = extractor.handle_data

    def markup(self, kind: str, text: str) -> None:
        pass


# -- strategies -------------------------------------------------------------

_WS = st.sampled_from([" "] * 4 + ["", "\n", "  ", "\t", "\r\n", "\f", "\v", "\xa0"])
_VISIBLE_TAGS = ["a", "a", "p", "div", "br", "img", "hr", "li", "ol", "ul", "pre", "td", "tr",
                 "table", "span", "h1", "b", "A", "P"]  # fmt: skip
_OTHER_TAGS = ["head", "body", "title", "script", "style", "SCRIPT", "sTyLe", "template",
               "xml", "o:p", "x-y", "b1", "a\vb", "p\x00"]  # fmt: skip
_VALUE = st.one_of(
    st.sampled_from(
        [
            "", "x", "https://x.test/a", "x.test", "mailto:a@x.test?s=1", "tel:+1 555",
            "#top", "javascript:x()", "3", " 2 ", "display:none", "a:b; DISPLAY : None",
            "visibility:hıdden", "Visibility:HİDDEN", "dısplay:none", "color:red",
            "a>b", "a&amp;b", "&#39;", "&#x27", "x/", "é", "a b", "=", "`",
        ]
    ),
    st.text(max_size=4),
)  # fmt: skip
_QUOTED = st.tuples(st.sampled_from(['"', '"', "'", ""]), _VALUE).map(
    lambda qv: qv[0] + qv[1] + qv[0]
)
_ATTR = st.tuples(
    _WS,
    st.sampled_from(["href", "href", "HREF", "alt", "style", "hidden", "start", "class", "_:b"]),
    st.one_of(st.just(""), st.tuples(_WS, st.sampled_from(["=", "=="]), _WS, _QUOTED).map("".join)),
).map("".join)


def _start(tags: list[str]) -> st.SearchStrategy[str]:
    ending = st.sampled_from([">"] * 5 + ["/>", " />", "/ >", "", "/", "\x00>"])
    return st.tuples(st.just("<"), st.sampled_from(tags), st.lists(_ATTR, max_size=3).map("".join),
                     st.sampled_from(["", "", " ", "\n", "\v"]), ending).map("".join)  # fmt: skip


def _end(tags: list[str]) -> st.SearchStrategy[str]:
    ending = st.sampled_from([">"] * 5 + [" >", " x>", "\n>", ""])
    return st.tuples(st.sampled_from(["</"] * 5 + ["</ "]), st.sampled_from(tags), ending).map(
        "".join
    )


_BITS = st.sampled_from(
    [
        "<", ">", "</", "<!", "<![", "<!--", "-->", "--!>", "- ->", "<!-->", "<!---->",
        "<!--[if mso]>", "<![endif]-->", "<!DOCTYPE html>", "<!doctype", "<![if mso]>",
        "<![if !mso]>", "<![endif]>", "<![CDATA[x]]>", "<![CDATA[x", "<![if mso", "<![ if]>",
        "<![foo[", "<!x>", "<?pi>", "<?xml v?>", "</x y>", "</>", "</3>", "<3", "< p", "<<",
        "&amp;", "&#39;", "&#x27", "&", "&lt", "&nbsp;", "&#0;", "&#xd;", "=", '"', "'", "/>",
        "\r\n", "\r", "\n", "\xa0", "\u00ad", "\u200b", "\x00", "ſ", "İ", "é", "😀",
        "</ſcript>", "</SCRIPT >", "</style>",
    ]
)  # fmt: skip
_TEXT = st.one_of(
    st.text(max_size=5),
    st.sampled_from(["Hello", " world ", "a  b", "1.", "https://x.test/a", "x.test/", "a@x.test",
                     "+1 555", "\n", "\n\n  ", " ", "&amp;", "&nbsp;"]),
)  # fmt: skip
_CDATA = st.tuples(
    st.sampled_from(["<script>", "<style>", "<SCRIPT type=x>", "<style/>"]),
    st.lists(st.one_of(_BITS, _TEXT, _end(_VISIBLE_TAGS)), max_size=4).map("".join),
    st.sampled_from(["</script>", "</style>", "</script >", "</ſcript>", ""]),
).map("".join)
_ALL_TAGS = _VISIBLE_TAGS + _OTHER_TAGS
# anything HTML-ish, and mostly visible markup (whose text html_to_text prints)
HTML_SOUP = st.lists(
    st.one_of(_start(_ALL_TAGS), _start(_ALL_TAGS), _end(_ALL_TAGS), _BITS, _TEXT, _CDATA),
    max_size=25,
).map("".join)
_MARKUP = st.sampled_from(
    [
        '<a href="https://x.test/a">', "<a href='mailto:a@x.test?s=1'>", "<a href=tel:+1555>",
        '<a href="#top">', '<a href="x.test/">', "</a>", '<ol start="3">', "<ol>", "<ul>",
        "<li>", "</li>", "</ol>", "</ul>", "<pre>", "<pre>\r\n", "</pre>", "<p>", "</p>",
        "<br>", "</br>", "<hr>", '<img alt="Logo">', "<div hidden>", '<b style="display:none">',
        "</b>", "<div>", "</div>", "<td>", "<tr>", "<table>", "</table>", "<head>", "<body>",
    ]
)  # fmt: skip
VISIBLE_SOUP = st.lists(
    st.one_of(_MARKUP, _MARKUP, _start(_VISIBLE_TAGS), _end(_VISIBLE_TAGS), _TEXT, _TEXT),
    max_size=30,
).map("".join)

_TREE_TAGS = st.sampled_from(_VISIBLE_TAGS + ["ol", "ul", "li", "li", "pre", "a"])
# nested elements, some left open
TREE_SOUP = st.recursive(
    st.one_of(_TEXT, _MARKUP),
    lambda children: st.tuples(
        _TREE_TAGS, st.lists(_ATTR, max_size=2), st.lists(children, max_size=4), st.booleans()
    ).map(lambda t: f"<{t[0]}{''.join(t[1])}>{''.join(t[2])}" + f"</{t[0]}>" * t[3]),
    max_leaves=20,
)


# -- the tokenizer is the stdlib parser ---------------------------------------


@needs_ported_stdlib
@settings(max_examples=800, deadline=None)
@given(st.one_of(HTML_SOUP, VISIBLE_SOUP, TREE_SOUP))
def test_events_are_the_stdlib_parsers(html: str) -> None:
    expected = stdlib_events(html)
    assert events(html) == expected  # with tags cached by earlier examples
    htmltokens._TOKENS.clear()
    assert events(html) == expected  # with nothing cached


# Stdlib events of Python 3.11.7 (these run on any Python).
@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            '<p class="a" id=b hidden>x &amp; y&#39;s &#x27 z & w</p>',
            [
                ("start", "p", [("class", "a"), ("id", "b"), ("hidden", None)]),
                ("data", "x & y's ' z & w"),
                ("end", "p"),
            ],
        ),
        (
            "<img src='x' alt=\"A &lt;b&gt;\"/><br/><A HREF=x/ Title=T>",
            [
                ("startend", "img", [("src", "x"), ("alt", "A <b>")]),
                ("startend", "br", []),
                ("start", "a", [("href", "x/"), ("title", "T")]),
            ],
        ),
        (
            "<p a=\"1\"b='2'c=3 d = 4 e=><div/ ><p\vq>",
            [
                ("start", "p", [("a", "1"), ("b", "2"), ("c", "3"), ("d", "4"), ("e", "")]),
                ("start", "div", []),
                ("start", "p\vq", []),
            ],
        ),
        (
            "<!DOCTYPE html><!--[if mso]><p>x</p><![endif]--><![if !mso]>all<![endif]><?xml?>",
            [
                ("decl", "DOCTYPE html"),
                ("comment", "[if mso]><p>x</p><![endif]"),
                ("unknown_decl", "if !mso"),
                ("data", "all"),
                ("unknown_decl", "endif"),
                ("pi", "xml?"),
            ],
        ),
        (
            "<![CDATA[x]]><![ if]>y<!>z<!x>",
            [
                ("unknown_decl", "CDATA[x"),
                ("data", "y"),
                ("comment", ""),
                ("data", "z"),
                ("comment", "x"),
            ],
        ),  # fmt: skip
        (
            "a < b <3 </> </ p> </x y> </3 q>",
            [
                ("data", "a "),
                ("data", "<"),
                ("data", " b "),
                ("data", "<"),
                ("data", "3 "),
                ("data", " "),
                ("end", "p"),
                ("data", " "),
                ("end", "x"),
                ("data", " "),
                ("comment", "3 q"),
            ],
        ),  # fmt: skip
        (
            "<script>if (a<b && c>d) {}</p></SCRIPT >&amp;",
            [
                ("start", "script", []),
                ("data", "if (a<b && c>d) {}</p>"),
                ("end", "script"),
                ("data", "&"),
            ],
        ),  # fmt: skip
        (  # re.I lets the long s match "s"; endtagfind does not
            "<style>p{}</ſtyle>x</style>",
            [
                ("start", "style", []),
                ("data", "p{}"),
                ("data", "</ſtyle>"),
                ("data", "x"),
                ("end", "style"),
            ],
        ),  # fmt: skip
        ("<script>never closed", [("start", "script", [])]),
        (
            "<p>open <!-- comment > here",
            [("start", "p", []), ("data", "open "), ("data", "<!-- comment >"), ("data", " here")],
        ),  # fmt: skip
        ("text<a b='c", [("data", "text"), ("data", "<"), ("data", "a b='c")]),
        ("x<![if", [("data", "x"), ("data", "<"), ("data", "![if")]),
        ("x<![if mso", [("data", "x"), ("data", "<"), ("data", "![if mso")]),
        ("<p>\r\ncr\rlf\n&amp", [("start", "p", []), ("data", "\r\ncr\rlf\n&")]),
    ],
)
def test_stdlib_events(html: str, expected: list[Event]) -> None:
    assert events(html) == expected


def test_cached_tags_are_whole_tags() -> None:
    # only tags ending at their first ">" are cached, by their text up to there
    assert events('<a title="x>y">') == [("start", "a", [("title", "x>y")])]  # not cached
    assert events('<a title="x>') == [("data", '<a title="x>')]
    assert events("<a title=x>") == [("start", "a", [("title", "x")])]  # cached
    assert events('<a title=x>y">') == [("start", "a", [("title", "x")]), ("data", 'y">')]


def test_a_full_tag_cache_starts_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(htmltokens, "_MAX_TOKENS", 1)
    assert events("<p class=x><b>t</b></p><p class=x>") == [
        ("start", "p", [("class", "x")]),
        ("start", "b", []),
        ("data", "t"),
        ("end", "b"),
        ("end", "p"),
        ("start", "p", [("class", "x")]),
    ]
    assert len(htmltokens._TOKENS) == 1
    long = f"<p title='{'x' * 2000}'>"
    assert events(long) == [("start", "p", [("title", "x" * 2000)])]
    assert long not in htmltokens._TOKENS


# -- html_to_text prints what the HTMLParser-based extractor printed ----------


@settings(max_examples=600, deadline=None)
@given(st.one_of(TREE_SOUP, VISIBLE_SOUP, HTML_SOUP))
def test_html_to_text_is_the_old_extractors(html: str) -> None:
    assert html_to_text(html) == old_html_to_text(html, stdlib=False)


@needs_ported_stdlib
@settings(max_examples=300, deadline=None)
@given(st.one_of(TREE_SOUP, VISIBLE_SOUP, HTML_SOUP))
def test_html_to_text_is_the_old_html_to_text(html: str) -> None:
    assert html_to_text(html) == old_html_to_text(html, stdlib=True)


@pytest.mark.parametrize(
    ("html", "expected"),
    [  # _HIDDEN_STYLE's re.I matches dotless and dotted i
        ('<p style="dısplay:none">x</p>y', "y\n"),
        ('<p style="visibility:hıdden">x</p>y', "y\n"),
        ('<p style="color:red; VISIBILITY: HİDDEN">x</p>y', "y\n"),
        ('<p style="display:nones">x</p>y', "x\n\ny\n"),
    ],
)
def test_hidden_styles(html: str, expected: str) -> None:
    assert html_to_text(html) == expected == old_html_to_text(html, stdlib=False)


def test_rendered_emails() -> None:
    workspace, _ = build(FIXTURES / "render")
    renderer = Renderer(workspace)
    emails = [t for t in workspace.templates.values() if t.channel == "email"]
    assert emails
    for template in emails:
        html = renderer.render(template).html
        assert html_to_text(html) == old_html_to_text(html, stdlib=False)
        if _STDLIB == _PORTED_STDLIB:
            assert events(html) == stdlib_events(html)
            assert html_to_text(html) == old_html_to_text(html, stdlib=True)
