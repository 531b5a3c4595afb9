"""HTML tokenizer giving exactly the events of the stdlib ``html.parser``.

:func:`tokenize` reports to a :class:`TokenSink` the event stream that
``HTMLParser(convert_charrefs=True)`` (Python 3.11.7 ``html/parser.py`` and
``_markupbase.py``) produces for ``feed(html); close()`` -- same events, same
data chunks, same attribute lists -- with one deliberate difference: an
``<![...`` marked section the stdlib rejects with ``AssertionError``
(``<![if !mso]>``, ``<![ foo``) is skipped up to the next ``>`` without an event,
as a browser treats it as a bogus comment. On MJML output it is about 5x faster:
it does no line/offset bookkeeping, takes a well-formed start or end tag in one
precompiled regex match and remembers the tags it has seen (MJML repeats a few
dozen distinct tags hundreds of times). Anything else goes through a line by
line port of the stdlib code, whose regexes are copied verbatim: the events do
not change with the stdlib of a later Python (which ends unterminated constructs
differently since the security releases of June 2025).

Feeding the whole document and closing is equivalent to one pass with the
stdlib's ``end=True``: every place where ``goahead(0)`` stops early is resumed by
``goahead(1)`` at the same index with the same state. Consequences kept here:
an unterminated construct at the end becomes text up to the next ``>`` (or
``<``), and an unterminated ``<script>``/``<style>`` body is dropped.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Protocol

__all__ = ["Attrs", "TokenSink", "tokenize"]

Attrs = list[tuple[str, str | None]]


class TokenSink(Protocol):
    def start(self, tag: str, attrs: Attrs) -> None: ...
    def startend(self, tag: str, attrs: Attrs) -> None: ...
    def end(self, tag: str) -> None: ...
    def data(self, text: str) -> None: ...

    def markup(self, kind: str, text: str) -> None:
        """``kind`` is ``comment``, ``decl``, ``pi`` or ``unknown_decl`` (stdlib handler names)."""


# -- fast path: well-formed constructs whose stdlib parse is unambiguous ------
# Whitespace is only [ \t\n\r\f] (the stdlib's tag-name terminators), names are
# ASCII, unquoted values exclude quotes, "=", "<", ">", "`" and all of \s, and
# every quantifier is possessive: each construct matches here only if the
# stdlib's regexes split it the same way (tests/test_htmltokens.py checks this).
_W = r"[ \t\n\r\f]"
_NAME = r"[a-zA-Z_:][-.:_a-zA-Z0-9]*+"
_VALUE = r"(?:\"[^\"]*+\"|'[^']*+'|[^\s\"'=<>`]++)"
_ATTR = rf"{_W}++({_NAME})(?:{_W}*+={_W}*+({_VALUE}))?+"
_FAST = re.compile(
    rf"<(?:([a-zA-Z][-.:_a-zA-Z0-9]*+)((?:{_W}++{_NAME}(?:{_W}*+={_W}*+{_VALUE})?+)*+){_W}*+(/?)>"
    r"|/\s*([a-zA-Z][-.a-zA-Z0-9:_]*)\s*>)"  # exactly the stdlib's endtagfind
)
_ATTRS = re.compile(_ATTR).findall
# Tags seen, by their text: (kind, tag name, attributes).
_START, _STARTEND, _END = range(3)
_Token = tuple[int, str, tuple[tuple[str, str | None], ...]]
_TOKENS: dict[str, _Token] = {}
_MAX_TOKENS = 2048  # then start again
_MAX_TOKEN_TEXT = 1000  # longer tags are not remembered

# -- the stdlib's regexes (html/parser.py, _markupbase.py of Python 3.11.7) ---
_tagfind_tolerant = re.compile(r"([a-zA-Z][^\t\n\r\f />\x00]*)(?:\s|/(?!>))*")
_attrfind_tolerant = re.compile(
    r'((?<=[\'"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*'
    r'(\'[^\']*\'|"[^"]*"|(?![\'"])[^>\s]*))?(?:\s|/(?!>))*'
)
_locatestarttagend_tolerant = re.compile(
    r"""
  <[a-zA-Z][^\t\n\r\f />\x00]*       # tag name
  (?:[\s/]*                          # optional whitespace before attribute name
    (?:(?<=['"\s/])[^\s/>][^\s/=>]*  # attribute name
      (?:\s*=+\s*                    # value indicator
        (?:'[^']*'                   # LITA-enclosed value
          |"[^"]*"                   # LIT-enclosed value
          |(?!['"])[^>\s]*           # bare value
         )
        \s*                          # possibly followed by a space
       )?(?:\s|/(?!>))*
     )*
   )?
  \s*                                # trailing whitespace
""",
    re.VERBOSE,
)
_endtagfind = re.compile(r"</\s*([a-zA-Z][-.a-zA-Z0-9:_]*)\s*>")
_commentclose = re.compile(r"--\s*>")
_declname_match = re.compile(r"[a-zA-Z][-_.a-zA-Z0-9]*\s*").match
_markedsectionclose = re.compile(r"]\s*]\s*>")
_msmarkedsectionclose = re.compile(r"]\s*>")
_SECTION_CLOSE = {
    **dict.fromkeys(("temp", "cdata", "ignore", "include", "rcdata"), _markedsectionclose),
    **dict.fromkeys(("if", "else", "endif"), _msmarkedsectionclose),  # MS Office "<![if ...]>"
}
_CDATA_CLOSE = {tag: re.compile(rf"</\s*{tag}\s*>", re.I) for tag in ("script", "style")}
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def tokenize(html: str, sink: TokenSink) -> None:
    """Report the events of ``HTMLParser().feed(html); .close()`` to ``sink``."""
    start, startend, end, data = sink.start, sink.startend, sink.end, sink.data
    tokens = _TOKENS
    find = html.find
    n = len(html)
    i = 0
    while i < n:
        j = find("<", i)
        if j < 0:
            j = n
        if i < j:
            text = html[i:j]
            data(unescape(text) if "&" in text else text)
            if j == n:
                return
        k = find(">", j) + 1
        token = tokens.get(html[j:k]) if 0 < k - j <= _MAX_TOKEN_TEXT else None
        if token is None:
            m = _FAST.match(html, j)
            if m is None:  # comments, declarations, odd or unterminated tags, "<" text
                i = _markup(html, j, sink)
                continue
            token = _token(m)
            if m.end() == k and k - j <= _MAX_TOKEN_TEXT:
                # A tag ending at its first ">" matched without looking past it
                # (any quoted value in it closes before): the same text always
                # gives the same token.
                if len(tokens) >= _MAX_TOKENS:
                    tokens.clear()
                tokens[html[j:k]] = token
            k = m.end()
        kind, tag, attrs = token
        i = k
        if kind == _END:
            end(tag)
        elif kind == _STARTEND:
            startend(tag, list(attrs))
        else:
            start(tag, list(attrs))
            if tag == "script" or tag == "style":
                i = _cdata(html, i, tag, sink)


def _token(m: re.Match[str]) -> _Token:
    """The token of a start or end tag matched by ``_FAST``."""
    if m.lastindex == 4:
        return _END, m[4].lower(), ()
    attrs: list[tuple[str, str | None]] = []
    if m[2]:
        for name, value in _ATTRS(m[2]):
            if not value:
                attrs.append((name.lower(), None))
                continue
            if value[0] in "\"'":
                value = value[1:-1]
            attrs.append((name.lower(), unescape(value) if "&" in value else value))
    return _STARTEND if m[3] else _START, m[1].lower(), tuple(attrs)


def _markup(html: str, i: int, sink: TokenSink) -> int:
    """The stdlib ``goahead`` at a ``<`` (``end=True``); returns where to go on."""
    n = len(html)
    if i + 1 < n and html[i + 1] in _ASCII_LETTERS:
        k = _parse_starttag(html, i, sink)
    elif html.startswith("</", i):
        k = _parse_endtag(html, i, sink)
    elif html.startswith("<!--", i):
        k = _parse_comment(html, i, sink)
    elif html.startswith("<?", i):
        k = html.find(">", i + 2)
        if k >= 0:
            sink.markup("pi", html[i + 2 : k])
            k += 1
    elif html.startswith("<!", i):
        k = _parse_html_declaration(html, i, sink)
    else:  # "<" + anything else, also "<" as the last character
        sink.data("<")
        return i + 1
    if k < 0:  # unterminated: text up to the next ">" (or "<")
        k = html.find(">", i + 1)
        if k < 0:
            k = html.find("<", i + 1)
            if k < 0:
                k = i + 1
        else:
            k += 1
        sink.data(unescape(html[i:k]))
    return k


def _cdata(html: str, i: int, tag: str, sink: TokenSink) -> int:
    """Raw text of a ``<script>``/``<style>`` up to its end tag (stdlib CDATA mode)."""
    close = _CDATA_CLOSE[tag]
    while True:
        m = close.search(html, i)
        if m is None:  # the stdlib drops an unterminated body
            return len(html)
        j = m.start()
        if i < j:
            sink.data(html[i:j])
        gtpos = html.find(">", j + 1) + 1
        found = _endtagfind.match(html, j)
        # re.I lets "</ſcript>" (long s) close the body, endtagfind does not
        if found is None or found[1].lower() != tag:
            sink.data(html[j:gtpos])
            i = gtpos
            continue
        sink.end(tag)
        return gtpos


def _check_for_whole_start_tag(html: str, i: int) -> int:
    j = _locatestarttagend_tolerant.match(html, i).end()  # type: ignore[union-attr]
    next_char = html[j : j + 1]
    if next_char == ">":
        return j + 1
    if next_char == "/":
        if html.startswith("/>", j):
            return j + 2
        return -1  # the stdlib's "buffer boundary" (its other branch is unreachable)
    if next_char == "" or next_char in "abcdefghijklmnopqrstuvwxyz=/ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        return -1
    return j if j > i else i + 1


def _parse_starttag(html: str, i: int, sink: TokenSink) -> int:
    endpos = _check_for_whole_start_tag(html, i)
    if endpos < 0:
        return endpos
    attrs: Attrs = []
    match = _tagfind_tolerant.match(html, i + 1)
    assert match is not None
    k = match.end()
    tag = match[1].lower()
    while k < endpos:
        m = _attrfind_tolerant.match(html, k)
        if not m:
            break
        attrname, rest, raw = m.group(1, 2, 3)
        value: str | None = None
        if rest:
            value = raw
            if raw[:1] == "'" == raw[-1:] or raw[:1] == '"' == raw[-1:]:
                value = raw[1:-1]
            if value:
                value = unescape(value)
        attrs.append((attrname.lower(), value))
        k = m.end()
    end = html[k:endpos].strip()
    if end not in (">", "/>"):
        sink.data(html[i:endpos])
        return endpos
    if end.endswith("/>"):
        sink.startend(tag, attrs)
        return endpos
    sink.start(tag, attrs)
    if tag in ("script", "style"):
        return _cdata(html, endpos, tag, sink)
    return endpos


def _parse_endtag(html: str, i: int, sink: TokenSink) -> int:
    gtpos = html.find(">", i + 1)
    if gtpos < 0:
        return -1
    match = _endtagfind.match(html, i)
    if match:  # (tokenize's _FAST takes these first)
        sink.end(match[1].lower())
        return gtpos + 1
    namematch = _tagfind_tolerant.match(html, i + 2)
    if not namematch:
        if html.startswith("</>", i):
            return i + 3
        sink.markup("comment", html[i + 2 : gtpos])  # parse_bogus_comment
        return gtpos + 1
    # ignore everything between the name and the ">"
    sink.end(namematch[1].lower())
    return html.find(">", namematch.end()) + 1


def _parse_comment(html: str, i: int, sink: TokenSink) -> int:
    match = _commentclose.search(html, i + 4)
    if not match:
        return -1
    sink.markup("comment", html[i + 4 : match.start()])
    return match.end()


def _parse_html_declaration(html: str, i: int, sink: TokenSink) -> int:
    if html.startswith("<![", i):
        return _parse_marked_section(html, i, sink)
    if html[i : i + 9].lower() == "<!doctype":
        gtpos = html.find(">", i + 9)
        if gtpos < 0:
            return -1
        sink.markup("decl", html[i + 2 : gtpos])
        return gtpos + 1
    pos = html.find(">", i + 2)  # parse_bogus_comment
    if pos < 0:
        return -1
    sink.markup("comment", html[i + 2 : pos])
    return pos + 1


def _parse_marked_section(html: str, i: int, sink: TokenSink) -> int:
    j = i + 3
    if j == len(html):  # _scan_name at the end of the buffer
        return -1
    name = _declname_match(html, j)
    if name is not None:
        if j + len(name[0]) == len(html):
            return -1
        close = _SECTION_CLOSE.get(name[0].strip().lower())
        if close is not None:
            match = close.search(html, j)
            if not match:
                return -1
            sink.markup("unknown_decl", html[j : match.start()])
            return match.end()
    # the stdlib raises AssertionError: skip to ">" like a bogus comment
    end = html.find(">", i + 2)
    return -1 if end < 0 else end + 1
