"""From the portable Jinja subset to a small dialect-neutral tree (the IR).

The compiler walks the Jinja AST (``Engine.parse``) of a template part, inlines
partials and the layout, and evaluates everything that is known at compile
time: ``brand.*``, ``locale``, ``unsubscribe_url`` and the layout's
``subject`` / ``preheader`` / ``content``. What is left depends on the
candidate's data and becomes :class:`Var`, :class:`If` and :class:`Each`
nodes that every dialect emitter (Handlebars, Mustachio, ATS tokens) knows.

Escaping follows our renderer exactly: in HTML parts a value is escaped when
printed (``Var.escape``), literal template text never is, and constants are
escaped here, at compile time, the way Jinja's autoescape would.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from jinja2 import filters as jf
from jinja2 import nodes
from markupsafe import Markup, escape

from atscomms.findings import Span
from atscomms.rendering import filters as ours
from atscomms.rendering.subset import UNSAFE_NAMES, Analysis, analyze, dotted

#: Roots known at compile time (the rest comes from the candidate's data).
STATIC_ROOTS = ("brand", "locale", "unsubscribe_url", "subject", "preheader", "content")


@dataclass(eq=False, slots=True)
class Origin:
    """A template text and where it lives, so that problems point into the user's YAML.

    ``doc``/``path``: an inline YAML string (``loading.document.Document`` and the
    value's path in it); ``file``: a ``file:`` body (workspace-relative). Without
    either, positions are lines and columns of ``text`` itself."""

    text: str
    resource: str
    doc: Any = None
    path: Any = None
    file: str | None = None
    ast: nodes.Template | None = None  # set once parsed (for positions)

    @classmethod
    def of(cls, source: Any) -> Origin:
        """From a ``rendering.render.Source`` (text, resource, doc, path, file)."""
        return cls(source.text, source.resource, source.doc, source.path, source.file)

    @property
    def where(self) -> str:
        """The file to report: the YAML document, or the body file."""
        if self.file is not None:
            return self.file
        return str(self.doc.path) if self.doc is not None else ""

    def span(self, offset: int, length: int) -> Span:
        """Position of ``text[offset:offset + length]`` in :attr:`where`."""
        if self.file is None and self.doc is not None and self.path is not None:
            return self.doc.span_in_value(self.path, offset, length)  # type: ignore[no-any-return]
        line = self.text.count("\n", 0, offset) + 1
        column = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        return Span(line, column, line, column + length)


_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_STRING = re.compile(r"\"[^\"]*\"|'[^']*'")
_STATEMENT = {
    "if": re.compile(r"^\{%[-+]?\s*((?:el)?if)\b"),
    "for": re.compile(r"^\{%[-+]?\s*(for)\b"),
    "include": re.compile(r"^\{%[-+]?\s*(include)\b"),
}
_NODE_TYPES: dict[str, Any] = {"if": nodes.If, "for": nodes.For, "include": nodes.Include}


@dataclass(eq=False, slots=True)
class Mark:
    """Where a construct is written: a line of an origin's text and, to tell apart equal
    constructs on one line, its Jinja node.

    ``kind`` says what to point at: ``if`` (the `if`/`elif` keyword), ``for``,
    ``include``, ``filter`` (the filter named ``word``), ``field`` (the dotted name
    ``word``), ``token`` (the first ``word`` on the line, as the renderer points at
    subset issues) or ``line`` (the first tag on the line). For ``if`` and ``field``,
    ``word`` is the field as written (a loop item by its own name)."""

    origin: Origin
    lineno: int
    kind: str
    word: str = ""
    node: Any = None

    def locate(self) -> tuple[int, int]:
        """(offset, length) in the origin's text."""
        text = self.origin.text
        starts = [0, *(m.end() for m in re.finditer("\n", text))]
        index = min(max(self.lineno, 1), len(starts)) - 1
        lo = starts[index]
        hi = starts[index + 1] - 1 if index + 1 < len(starts) else len(text)
        line = text[lo:hi]
        if self.kind == "token":  # exactly as rendering.render.Source.locate
            col = line.find(self.word) if self.word else -1
            if col >= 0:
                return lo + col, len(self.word)
        else:
            hits = self._hits(text, lo, hi)
            if hits:
                return hits[min(self._ordinal(), len(hits) - 1)]
        indent = len(line) - len(line.lstrip())
        return lo + indent, len(line.strip()) or 1

    def _hits(self, text: str, lo: int, hi: int) -> list[tuple[int, int]]:
        if self.kind in _STATEMENT:
            pattern = _STATEMENT[self.kind]
        elif self.kind == "filter":
            pattern = re.compile(r"\|\s*(" + re.escape(self.word) + r")\b")
        elif self.kind == "field":
            pattern = re.compile(r"(?<![\w.])(" + re.escape(self.word) + r")(?!\w)(?!\.\w)")
        else:
            pattern = None
        out: list[tuple[int, int]] = []
        for m in _TAG.finditer(text):
            if m.start() >= hi:
                break
            if m.end() <= lo:
                continue
            if pattern is None:
                if m.start() >= lo:
                    return [(m.start(), len(m.group(0)))]
                continue
            masked = _STRING.sub(lambda s: " " * len(s.group(0)), m.group(0))
            found = [pattern.match(masked)] if self.kind in _STATEMENT else pattern.finditer(masked)
            for g in found:
                if g is not None and lo <= m.start() + g.start(1) < hi:
                    out.append((m.start() + g.start(1), len(g.group(1))))
        return out

    def _ordinal(self) -> int:
        """How many equal constructs come before this one on its line (source order)."""
        ast = self.origin.ast
        if ast is None or self.node is None:
            return 0
        same: list[Any]
        if self.kind in _NODE_TYPES:
            same = list(ast.find_all(_NODE_TYPES[self.kind]))
        elif self.kind == "filter":
            same = [n for n in ast.find_all(nodes.Filter) if n.name == self.word]
        elif self.kind == "field":
            inner = {id(g.node) for g in ast.find_all(nodes.Getattr)}
            same = [
                n
                for n in ast.find_all((nodes.Name, nodes.Getattr))
                if id(n) not in inner and dotted(n) == self.word
            ]
        else:
            return 0
        same = [n for n in same if n.lineno == self.lineno]
        return next((i for i, n in enumerate(same) if n is self.node), 0)


def mark(origin: Origin, node: nodes.Node, kind: str, word: str = "") -> Mark:
    return Mark(origin, getattr(node, "lineno", 1) or 1, kind, word, node)


@dataclass(frozen=True, slots=True)
class Lit:
    text: str
    at: Mark | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Var:
    name: str  # dotted; relative to the loop item when ``local``
    escape: bool
    filters: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    local: bool = False
    at: Mark | None = field(default=None, compare=False, repr=False)  # the name as written
    filter_at: tuple[Mark | None, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class If:
    name: str
    negate: bool
    body: tuple[Node, ...]
    else_: tuple[Node, ...] = ()
    local: bool = False
    origin: str = "if"  # "if" or "default" (a `default` fallback)
    at: Mark | None = field(default=None, compare=False, repr=False)  # `if` or `default`


@dataclass(frozen=True, slots=True)
class Each:
    name: str
    body: tuple[Node, ...]
    else_: tuple[Node, ...] = ()
    at: Mark | None = field(default=None, compare=False, repr=False)


Node = Lit | Var | If | Each


@dataclass(frozen=True, slots=True)
class Fragment:
    """IR standing for a static name (the layout's ``content``, ``subject``...)."""

    nodes: tuple[Node, ...]
    safe: bool  # Markup: inserted as is into HTML; else escaped there


@dataclass(slots=True)
class Problem:
    """A construct the compiler (or a dialect) cannot express, with the rule code that
    lint reports it under and its position in the user's file (``path``, 1-based
    ``line``/``column``; ``lineno`` is the line in the template text itself).

    Codes: F107 (the dialect cannot express it), F108 (a field without a token in a
    token dialect), and the codes of what lint reports on its own: F001/F002 (outside
    the portable subset), F003 (no value for a workspace constant), F101 (a field
    the registry does not declare), R001 (unknown partial), S014 (syntax), C001
    (MJML)."""

    message: str
    resource: str
    lineno: int = 1
    code: str = "F107"
    path: str = ""
    line: int = 1
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None

    @classmethod
    def at(
        cls, where: Mark | None, message: str, code: str = "F107", resource: str = ""
    ) -> Problem:
        """A problem at ``where`` (``resource`` when there is no position)."""
        if where is None:
            return cls(message, resource, code=code)
        offset, length = where.locate()
        span = where.origin.span(offset, length)
        return cls(
            message,
            where.origin.resource,
            where.lineno,
            code,
            where.origin.where,
            span.line,
            span.column,
            span.end_line,
            span.end_column,
        )


_MISSING = object()


@dataclass(slots=True)
class Scope:
    html: bool
    origin: Origin
    items: list[str] = field(default_factory=list)  # loop item names, innermost last

    @property
    def resource(self) -> str:
        return self.origin.resource


class CompileContext:
    """Static values and partial lookup for one (template, locale).

    What lies outside the portable subset is reported from the same analysis lint
    uses (``rendering.subset``: F001, F002), so both name it alike; the walk below
    then only skips such constructs."""

    def __init__(
        self,
        parse: Callable[[str], nodes.Template],
        partial: Callable[[str], Origin | tuple[str, str] | None],
        static: dict[str, Any],
        locale: str,
        analysis: Callable[[str], Analysis] | None = None,
    ) -> None:
        self.parse = parse
        self.partial = partial  # id -> Origin (or (source, resource))
        self.static = static
        self.locale = locale
        self.analysis = analysis or (lambda source: analyze(self.parse(source), source))
        self.problems: list[Problem] = []

    # -- entry ---------------------------------------------------------------------
    def compile(
        self, source: str, *, html: bool, resource: str, origin: Origin | None = None
    ) -> tuple[Node, ...]:
        origin = origin or Origin(source, resource)
        if not self.parsed(origin):
            return ()
        assert origin.ast is not None
        return tuple(_merge(self.body(origin.ast.body, Scope(html, origin), depth=0)))

    def parsed(self, origin: Origin) -> bool:
        """Parse ``origin`` and report its syntax error (S014) or subset issues."""
        import jinja2

        try:
            origin.ast = self.parse(origin.text)
        except jinja2.TemplateSyntaxError as exc:
            where = Mark(origin, exc.lineno or 1, "line")
            self.problems.append(Problem.at(where, f"cannot parse: {exc.message}", "S014"))
            return False
        except Exception as exc:  # noqa: BLE001 - anything else the parser raises
            where = Mark(origin, 1, "line")
            self.problems.append(Problem.at(where, f"cannot parse: {exc}", "S014"))
            return False
        for issue in self.analysis(origin.text).issues:
            where = Mark(origin, issue.lineno, "token", issue.token)
            self.problems.append(Problem.at(where, issue.message, issue.code))
        return True

    # -- statements ----------------------------------------------------------------
    def body(self, stmts: list[nodes.Node], scope: Scope, depth: int) -> list[Node]:
        out: list[Node] = []
        for stmt in stmts:
            out.extend(self.stmt(stmt, scope, depth))
        return out

    def stmt(self, node: nodes.Node, scope: Scope, depth: int) -> list[Node]:
        if isinstance(node, nodes.Output):
            out: list[Node] = []
            for child in node.nodes:
                if isinstance(child, nodes.TemplateData):
                    out.append(Lit(child.data, mark(scope.origin, child, "line")))
                else:
                    out.extend(self.expr(child, scope))
            return out
        if isinstance(node, nodes.If):
            return self.if_(node, node.body, list(node.elif_), node.else_, scope, depth)
        if isinstance(node, nodes.For):
            return self.for_(node, scope, depth)
        if isinstance(node, nodes.Include):
            return self.include(node, scope, depth)
        return []  # not in the portable subset: reported by the analysis (F001)

    def if_(
        self,
        node: nodes.If,
        body: list[nodes.Node],
        elifs: list[nodes.If],
        else_: list[nodes.Node],
        scope: Scope,
        depth: int,
    ) -> list[Node]:
        test = node.test
        negate = isinstance(test, nodes.Not)
        inner = test.node if isinstance(test, nodes.Not) else test
        name = dotted(inner)

        def rest() -> list[Node]:
            if elifs:
                first = elifs[0]
                return self.if_(first, first.body, elifs[1:], else_, scope, depth)
            return self.body(else_, scope, depth)

        if name is None or self.unsafe(name, scope):  # reported by the analysis (F001, F002)
            self.body(body, scope, depth)  # what is inside still has to compile
            rest()
            return []
        if name.split(".", 1)[0] in STATIC_ROOTS and not self.is_local(name, scope):
            value = self.lookup(name)
            truthy = _truthy(value)
            if truthy != negate:
                return self.body(body, scope, depth)
            return rest()
        local, rel = self.localize(name, scope)
        then = tuple(_merge(self.body(body, scope, depth)))
        other = tuple(_merge(rest()))
        at = mark(scope.origin, node, "if", name)
        return [If(rel, negate, then, other, local=local, at=at)]

    def for_(self, node: nodes.For, scope: Scope, depth: int) -> list[Node]:
        name = dotted(node.iter)
        if not isinstance(node.target, nodes.Name) or name is None or self.unsafe(name, scope):
            return []  # reported by the analysis (F001, F002)
        at = mark(scope.origin, node, "for")
        problem = None
        if scope.items:
            problem = "nested loops cannot be compiled for any provider dialect"
        elif name.split(".", 1)[0] in STATIC_ROOTS:
            problem = "loops over workspace constants cannot be compiled for any provider dialect"
        scope.items.append(node.target.name)
        body = tuple(_merge(self.body(node.body, scope, depth)))
        scope.items.pop()
        else_ = tuple(_merge(self.body(node.else_, scope, depth)))
        if problem is not None:
            self.problems.append(Problem.at(at, problem))
            return []
        return [Each(name, body, else_, at=at)]

    def include(self, node: nodes.Include, scope: Scope, depth: int) -> list[Node]:
        target = node.template
        if not (isinstance(target, nodes.Const) and isinstance(target.value, str)):
            return []  # reported by the analysis (F001)
        found = self.partial(target.value)
        if found is None or depth > 10:  # where the renderer reports it
            where = mark(scope.origin, node, "token", target.value)
            self.problems.append(Problem.at(where, f"unknown partial {target.value!r}", "R001"))
            return []
        origin = Origin(*found) if isinstance(found, tuple) else found
        if not self.parsed(origin):
            return []
        assert origin.ast is not None
        inner = Scope(scope.html, origin, scope.items)
        return self.body(origin.ast.body, inner, depth + 1)

    # -- expressions ---------------------------------------------------------------
    def expr(self, node: nodes.Node, scope: Scope) -> list[Node]:
        chain: list[nodes.Filter] = []
        while isinstance(node, nodes.Filter) and node.node is not None:
            chain.append(node)
            node = node.node
        chain.reverse()  # innermost first: the order they apply in
        filters: list[tuple[str, tuple[Any, ...]]] = []
        marks: list[Mark | None] = []
        for f in chain:
            if f.kwargs or f.dyn_args or f.dyn_kwargs:
                return []  # reported by the analysis (F001)
            if not all(isinstance(arg, nodes.Const) for arg in f.args):
                return []  # reported by the analysis (F001)
            filters.append((f.name, tuple(arg.value for arg in f.args)))
            marks.append(mark(scope.origin, f, "filter", f.name))
        if isinstance(node, nodes.Const):
            at = mark(scope.origin, node, "line")
            return [Lit(self.text(_apply(node.value, filters, self.locale), scope), at)]
        name = dotted(node)
        if name is None or self.unsafe(name, scope):
            return []  # reported by the analysis (F001, F002)
        at = mark(scope.origin, node, "field", name)
        if name.split(".", 1)[0] in STATIC_ROOTS and not self.is_local(name, scope):
            return self.static_output(name, filters, marks, at, scope)
        local, rel = self.localize(name, scope)
        var = Var(rel, scope.html, tuple(filters), local, at, tuple(marks))
        return [_lower_default(var, self, scope)]

    def static_output(
        self,
        name: str,
        filters: list[tuple[str, tuple[Any, ...]]],
        marks: list[Mark | None],
        at: Mark,
        scope: Scope,
    ) -> list[Node]:
        value = self.lookup(name)
        if isinstance(value, Fragment):
            if filters:
                self.problems.append(
                    Problem.at(
                        marks[0],
                        f"filters on `{name}` cannot be compiled for any provider dialect",
                    )
                )
            if not scope.html or value.safe:
                return list(value.nodes)
            return [_escaped(n) for n in value.nodes]
        if value is _MISSING and not any(f == "default" for f, _ in filters):
            where = replace(at, kind="token", word=name.rsplit(".", 1)[-1])  # as the renderer
            self.problems.append(
                Problem.at(where, f"no value for `{name}` in the workspace settings", "F003")
            )
            return []
        result = _apply(None if value is _MISSING else value, filters, self.locale, value)
        return [Lit(self.text(result, scope), at)]

    # -- helpers -------------------------------------------------------------------
    def text(self, value: Any, scope: Scope) -> str:
        if scope.html and not isinstance(value, Markup):
            return str(escape(value))
        return str(value)

    def lookup(self, name: str) -> Any:
        value: Any = self.static
        for part in name.split("."):
            if isinstance(value, dict) and part in value:
                value = value[part]
            else:
                return _MISSING
        return value

    def unsafe(self, name: str, scope: Scope) -> bool:
        """What the analysis reports as F002 (never compiled, as it is never rendered)."""
        root = name.split(".", 1)[0]
        if any(part.startswith("_") for part in name.split(".")):
            return True
        return root in UNSAFE_NAMES and not self.is_local(name, scope)

    @staticmethod
    def is_local(name: str, scope: Scope) -> bool:
        return name.split(".", 1)[0] in scope.items

    def localize(self, name: str, scope: Scope) -> tuple[bool, str]:
        root, _, rest = name.partition(".")
        if root in scope.items:
            return True, rest
        return False, name


def _lower_default(var: Var, ctx: CompileContext, scope: Scope) -> Node:
    """``x | f | default("y") | g`` -> ``If(x, x|f|g, "y"|g)``."""
    names = [f for f, _ in var.filters]
    if "default" not in names:
        return var
    i = names.index("default")
    args = var.filters[i][1]
    fallback = args[0] if args else ""
    keep = [j for j in range(len(var.filters)) if j != i and (j < i or names[j] != "default")]
    marks = var.filter_at or (None,) * len(var.filters)
    shown = replace(
        var,
        filters=tuple(var.filters[j] for j in keep),
        filter_at=tuple(marks[j] for j in keep),
    )
    post = [f for j, f in enumerate(var.filters) if j > i and f[0] != "default"]
    text = ctx.text(_apply(fallback, post, ctx.locale), scope)
    return If(
        var.name,
        False,
        (shown,),
        (Lit(text, marks[i]),),
        local=var.local,
        origin="default",
        at=marks[i],
    )


def _apply(
    value: Any, filters: list[tuple[str, tuple[Any, ...]]], locale: str, raw: Any = None
) -> Any:
    """Evaluate filters on a compile-time constant, as our renderer would."""
    missing = raw is _MISSING
    for name, args in filters:
        if name == "default":
            if missing:
                value, missing = (args[0] if args else ""), False
            continue
        table: dict[str, Callable[..., Any]] = {
            "upper": jf.do_upper,
            "lower": jf.do_lower,
            "title": jf.do_title,
            "capitalize": jf.do_capitalize,
            "trim": jf.do_trim,
            "date": lambda v, *a: ours.format_date(v, *a, locale=locale),
            "datetime": lambda v, *a: ours.format_datetime(v, *a, locale=locale),
            "time": lambda v, *a: ours.format_time(v, *a, locale=locale),
        }
        value = table[name](value, *args) if name in table else value
    return value


def _escaped(node: Node) -> Node:
    """A text-mode fragment placed into HTML: escape literals and values."""
    if isinstance(node, Lit):
        return replace(node, text=str(escape(node.text)))
    if isinstance(node, Var):
        return replace(node, escape=True)
    if isinstance(node, If):
        return replace(
            node,
            body=tuple(_escaped(n) for n in node.body),
            else_=tuple(_escaped(n) for n in node.else_),
        )
    return replace(
        node,
        body=tuple(_escaped(n) for n in node.body),
        else_=tuple(_escaped(n) for n in node.else_),
    )


def _merge(items: list[Node]) -> list[Node]:
    out: list[Node] = []
    for item in items:
        if isinstance(item, Lit):
            if not item.text:
                continue
            if out and isinstance(out[-1], Lit):
                out[-1] = join(out[-1], item)
                continue
        out.append(item)
    return out


def join(a: Lit, b: Lit) -> Lit:
    """Two literals as one; the mark of the one with a literal ``{{`` (see ``Emitter``)."""
    at = a.at
    if b.at is not at and "{{" in b.text and "{{" not in a.text:
        at = b.at
    return Lit(a.text + b.text, at)


def strip(nodes_: tuple[Node, ...]) -> tuple[Node, ...]:
    """``str.strip()`` on the literal edges (what the renderer does to subjects)."""
    items = list(nodes_)
    if items and isinstance(items[0], Lit):
        items[0] = replace(items[0], text=items[0].text.lstrip())
    if items and isinstance(items[-1], Lit):
        items[-1] = replace(items[-1], text=items[-1].text.rstrip())
    return tuple(_merge(items))


def _truthy(value: Any) -> bool:
    if value is _MISSING or value is None:
        return False
    if isinstance(value, Fragment):
        return bool(value.nodes)
    return bool(value)


# -- derived fields (filters on candidate data) -------------------------------------------
def derived_name(var: Var) -> str:
    """``interview.start_at`` + ``datetime`` -> ``interview.start_at__datetime``."""
    suffix = ""
    for name, args in var.filters:
        suffix += f"__{name}"
        for arg in args:
            slug = re.sub(r"[^a-z0-9]+", "_", str(arg).lower()).strip("_")
            suffix += f"_{slug}" if slug else "_"
    return var.name + suffix


def derived_fields(tree: tuple[Node, ...]) -> dict[str, tuple[str, list[list[Any]]]]:
    """Every derived field a tree needs: name -> (source field, filters)."""
    out: dict[str, tuple[str, list[list[Any]]]] = {}

    def walk(items: tuple[Node, ...]) -> None:
        for n in items:
            if isinstance(n, Var) and n.filters and not n.local:
                out[derived_name(n)] = (n.name, [[f, list(a)] for f, a in n.filters])
            elif isinstance(n, If | Each):
                walk(n.body)
                walk(n.else_)

    walk(tree)
    return out


def derive(data: dict[str, Any], fields: dict[str, Any], locale: str) -> dict[str, Any]:
    """Add derived values to a sender's template data (a deep copy is returned).

    ``fields`` is a compiled unit's ``derived`` table. ESPs cannot format dates or
    change case in a locale-aware way, so the sending system computes these values
    with the same code our previews use."""
    import copy

    out = copy.deepcopy(data)
    for target, (source, filters) in fields.items():
        value: Any = out
        for part in source.split("."):
            value = value.get(part, _MISSING) if isinstance(value, dict) else _MISSING
        if value is _MISSING or value is None:
            continue
        result = _apply(value, [(f, tuple(a)) for f, a in filters], locale)
        node = out
        *parents, leaf = target.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = str(result)
    return out
