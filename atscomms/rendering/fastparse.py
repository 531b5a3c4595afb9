"""Jinja's parse tree for plain portable-subset templates, without Jinja's parser.

Jinja lexes and parses a template token by token in Python; for the bodies of a
large workspace that is most of what rendering still costs. Most templates are
text, ``{{ dotted.field | filter('const') }}``, ``{% if [not] field %}``
``{% elif %}``/``{% else %}``/``{% endif %}``, ``{% for item in field %}``
``{% else %}``/``{% endfor %}`` and ``{% include 'partial' %}``. For exactly those,
:func:`parse` builds the same :mod:`jinja2.nodes` tree Jinja's parser builds (node
types, fields and line numbers), from one regular-expression pass.

Anything else returns None and the caller uses Jinja's parser: comments,
whitespace control (``{%-``, ``-}}``...), ``\\r``, tag contents outside that
grammar (operators, calls, subscripts, escapes in strings, floats...), and any
template Jinja would reject (unbalanced blocks): Jinja then reports the error.
``tests/test_fastparse.py`` compares both trees, line numbers included, on
generated templates and on every template of the examples.
"""

from __future__ import annotations

import re
from typing import Any

from jinja2 import nodes

_TAG = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}", re.S)
_TOKEN = re.compile(
    r"\s*(?:(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<string>'[^'\\\n]*'|\"[^\"\\\n]*\")"
    r"|(?P<int>0(?![0-9_])|[1-9][0-9]*(?![0-9_.]))|(?P<op>[.|(),]))",
    re.S,
)
_TRAILING = re.compile(r"\s*")
#: Names Jinja's parser gives a meaning of their own inside expressions.
_RESERVED = frozenset(
    [
        "and",
        "or",
        "not",
        "in",
        "is",
        "if",
        "else",
        "elif",
        "endif",
        "for",
        "endfor",
        "recursive",
        "include",
        "import",
        "from",
        "with",
        "without",
        "context",
        "ignore",
        "missing",
        "set",
        "endset",
        "block",
        "endblock",
        "macro",
        "call",
        "filter",
        "raw",
        "extends",
        "as",
        "do",
    ]
)
_CONSTANTS = {"true": True, "True": True, "false": False, "False": False,
              "none": None, "None": None}  # fmt: skip


class _Unsupported(Exception):
    pass


class _Tokens:
    """The tokens of one tag's content: ``(kind, value, lineno)``."""

    def __init__(self, text: str, offset: int, lines: _Lines) -> None:
        self.items: list[tuple[str, str, int]] = []
        pos = 0
        while True:
            m = _TOKEN.match(text, pos)
            if m is None or m.end() == pos:
                if _TRAILING.fullmatch(text, pos) is None:
                    raise _Unsupported
                break
            kind = m.lastgroup or ""
            self.items.append((kind, m.group(kind), lines.at(offset + m.start(kind))))
            pos = m.end()
        self.i = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.items[self.i] if self.i < len(self.items) else None

    def take(self, kind: str, value: str | None = None) -> tuple[str, str, int]:
        tok = self.peek()
        if tok is None or tok[0] != kind or (value is not None and tok[1] != value):
            raise _Unsupported
        self.i += 1
        return tok

    def done(self) -> None:
        if self.i != len(self.items):
            raise _Unsupported


class _Lines:
    """1-based line of an offset, for offsets that only grow."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.pos = 0
        self.line = 1

    def at(self, offset: int) -> int:
        if offset < self.pos:
            return 1 + self.source.count("\n", 0, offset)
        self.line += self.source.count("\n", self.pos, offset)
        self.pos = offset
        return self.line


def _field(toks: _Tokens) -> nodes.Expr:
    """``name(.name)*`` (no constants: a loop or test needs a field)."""
    kind, value, lineno = toks.take("name")
    if value in _RESERVED or value in _CONSTANTS:
        raise _Unsupported
    node: nodes.Expr = nodes.Name(value, "load", lineno=lineno)
    while (tok := toks.peek()) is not None and tok[:2] == ("op", "."):
        dot = toks.take("op", ".")
        attr = toks.take("name")
        node = nodes.Getattr(node, attr[1], "load", lineno=dot[2])
    return node


def _const(toks: _Tokens) -> nodes.Const:
    tok = toks.peek()
    if tok is None:
        raise _Unsupported
    kind, value, lineno = tok
    if kind == "string":
        toks.take("string")
        if (nxt := toks.peek()) is not None and nxt[0] == "string":
            raise _Unsupported  # implicit concatenation
        return nodes.Const(value[1:-1], lineno=lineno)
    if kind == "int":
        toks.take("int")
        return nodes.Const(int(value), lineno=lineno)
    if kind == "name" and value in _CONSTANTS:
        toks.take("name")
        return nodes.Const(_CONSTANTS[value], lineno=lineno)
    raise _Unsupported


def _expression(toks: _Tokens) -> nodes.Expr:
    """``field`` or a constant, then ``| filter`` or ``| filter(constant)``."""
    tok = toks.peek()
    if tok is not None and tok[0] == "name" and tok[1] not in _CONSTANTS:
        node: nodes.Expr = _field(toks)
    else:
        node = _const(toks)
    while (tok := toks.peek()) is not None and tok[:2] == ("op", "|"):
        toks.take("op", "|")
        _, name, lineno = toks.take("name")
        args: list[nodes.Expr] = []
        if (tok := toks.peek()) is not None and tok[:2] == ("op", "("):
            toks.take("op", "(")
            if (tok := toks.peek()) is not None and tok[:2] != ("op", ")"):
                args.append(_const(toks))
            toks.take("op", ")")
        node = nodes.Filter(node, name, args, [], None, None, lineno=lineno)
    return node


def _test(toks: _Tokens) -> nodes.Expr:
    tok = toks.peek()
    if tok is not None and tok[:2] == ("name", "not"):
        toks.take("name")
        return nodes.Not(_field(toks), lineno=tok[2])
    return _field(toks)


class _Frame:
    """An open block: where its statements go and what may close it."""

    def __init__(self, node: nodes.Node | None, kind: str) -> None:
        self.node = node
        self.kind = kind  # "template", "if", "for"
        self.body: list[nodes.Node] = []
        self.data: list[nodes.Node] = []
        self.in_else = False
        self.current_if = node  # the If (or elif If) whose body is being filled

    def flush(self) -> None:
        if self.data:
            self.body.append(nodes.Output(self.data[:], lineno=self.data[0].lineno))
            self.data.clear()


def parse(source: str, environment: Any) -> nodes.Template | None:
    """The tree ``environment.parse(source)`` returns, or None (use Jinja's parser)."""
    if "{#" in source or "\r" in source:
        return None
    try:
        return _parse(source, environment)
    except _Unsupported:
        return None


def _parse(source: str, environment: Any) -> nodes.Template:
    lines = _Lines(source)
    stack = [_Frame(None, "template")]
    pos = 0
    for m in _TAG.finditer(source):
        frame = stack[-1]
        if m.start() > pos:
            frame.data.append(_data(source, pos, m.start(), lines))
        pos = m.end()
        if m.group(1) is not None:
            content = m.group(1)
            if content[:1] in "-+" or content[-1:] in "-+":
                raise _Unsupported  # whitespace control
            toks = _Tokens(content, m.start(1), lines)
            expr = _expression(toks)
            toks.done()
            frame.data.append(expr)
            continue
        content = m.group(2)
        if content[:1] in "-+" or content[-1:] in "-+":
            raise _Unsupported
        toks = _Tokens(content, m.start(2), lines)
        _, keyword, lineno = toks.take("name")
        frame.flush()
        _statement(keyword, lineno, toks, stack)
    if len(stack) != 1:
        raise _Unsupported  # an unclosed block: Jinja says so
    frame = stack[0]
    if pos < len(source):
        frame.data.append(_data(source, pos, len(source), lines))
    frame.flush()
    result = nodes.Template(frame.body, lineno=1)
    result.set_environment(environment)
    return result


def _data(source: str, start: int, end: int, lines: _Lines) -> nodes.TemplateData:
    text = source[start:end]
    if "{{" in text or "{%" in text:
        raise _Unsupported  # a tag without its end: Jinja reports it
    return nodes.TemplateData(text, lineno=lines.at(start))


def _statement(keyword: str, lineno: int, toks: _Tokens, stack: list[_Frame]) -> None:
    frame = stack[-1]
    if keyword == "if":
        test = _test(toks)
        toks.done()
        node = nodes.If(test, [], [], [], lineno=lineno)
        frame.body.append(node)
        stack.append(_Frame(node, "if"))
    elif keyword == "elif":
        if frame.kind != "if" or frame.in_else:
            raise _Unsupported
        first = toks.peek()
        test = _test(toks)
        toks.done()
        assert first is not None
        _close_branch(frame)
        node = nodes.If(test, [], [], [], lineno=first[2])
        frame.node.elif_.append(node)  # type: ignore[union-attr]
        frame.current_if = node
    elif keyword == "else":
        toks.done()
        if frame.kind not in ("if", "for") or frame.in_else:
            raise _Unsupported
        _close_branch(frame)
        frame.in_else = True
    elif keyword in ("endif", "endfor"):
        toks.done()
        if frame.kind != keyword[3:]:
            raise _Unsupported
        _close_branch(frame)
        stack.pop()
    elif keyword == "for":
        _, target, target_line = toks.take("name")
        if target in _RESERVED or target in _CONSTANTS:
            raise _Unsupported
        toks.take("name", "in")
        iterable = _field(toks)
        toks.done()
        node = nodes.For(
            nodes.Name(target, "store", lineno=target_line), iterable, [], [], None, False,
            lineno=lineno,
        )  # fmt: skip
        frame.body.append(node)
        stack.append(_Frame(node, "for"))
    elif keyword == "include":
        _, value, at = toks.take("string")
        toks.done()
        node = nodes.Include(lineno=lineno)
        node.template = nodes.Const(value[1:-1], lineno=at)
        node.ignore_missing = False
        node.with_context = True
        frame.body.append(node)
    else:
        raise _Unsupported


def _close_branch(frame: _Frame) -> None:
    """Move the statements parsed so far into the open branch of ``frame``."""
    frame.flush()
    node = frame.node
    if frame.in_else:
        node.else_ = frame.body  # type: ignore[union-attr]
    elif frame.kind == "if":
        frame.current_if.body = frame.body  # type: ignore[union-attr]
    else:
        node.body = frame.body  # type: ignore[union-attr]
    frame.body = []
