"""htmltokens.tokenize is the stdlib html.parser, event for event (data chunks
included), and html_to_text on top of it prints exactly what its extractor prints when
the stdlib parser drives it. (When the tokenizer replaced the HTMLParser subclass, the
new html_to_text was also checked against the old one on 30,000 generated documents.)"""

from __future__ import annotations

import _markupbase
import hashlib
import html.parser
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atscomms.model.build import build
from atscomms.rendering import htmltokens
from atscomms.rendering.htmltokens import Attrs, tokenize
from atscomms.rendering.render import Renderer
from atscomms.rendering.text import _TextExtractor, html_to_text
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


class _StdlibFed(HTMLParser):
    """html_to_text's extractor driven by the stdlib parser instead of ``tokenize``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.extractor = _TextExtractor()
        self.handle_starttag = self.extractor.start  # type: ignore[method-assign]
        self.handle_startendtag = self.extractor.startend  # type: ignore[method-assign]
        self.handle_endtag = self.extractor.end  # type: ignore[method-assign]
        self.handle_data = self.extractor.data  # type: ignore[method-assign]

    def parse_html_declaration(self, i: int) -> int:
        # "<![if !mso]>" makes the 3.11 parser raise; html_to_text skips it up to ">"
        try:
            return super().parse_html_declaration(i)
        except AssertionError:
            end = self.rawdata.find(">", i + 2)
            return -1 if end < 0 else end + 1


def stdlib_html_to_text(html: str) -> str:
    parser = _StdlibFed()
    parser.feed(html)
    parser.close()
    return parser.extractor.result()


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


# -- html_to_text prints what the extractor prints on the stdlib's events ----------


@needs_ported_stdlib
@settings(max_examples=600, deadline=None)
@given(st.one_of(TREE_SOUP, VISIBLE_SOUP, HTML_SOUP))
def test_html_to_text_is_the_extractor_on_stdlib_events(html: str) -> None:
    assert html_to_text(html) == stdlib_html_to_text(html)


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
    assert html_to_text(html) == expected


def test_rendered_emails() -> None:
    workspace, _ = build(FIXTURES / "render")
    renderer = Renderer(workspace)
    emails = [t for t in workspace.templates.values() if t.channel == "email"]
    assert emails
    for template in emails:
        html = renderer.render(template).html
        if _STDLIB == _PORTED_STDLIB:
            assert events(html) == stdlib_events(html)
            assert html_to_text(html) == stdlib_html_to_text(html)
