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

from jinja2 import nodes
from markupsafe import Markup, escape

from atscomms.rendering.subset import dotted

#: Roots known at compile time (the rest comes from the candidate's data).
STATIC_ROOTS = ("brand", "locale", "unsubscribe_url", "subject", "preheader", "content")


@dataclass(frozen=True, slots=True)
class Lit:
    text: str


@dataclass(frozen=True, slots=True)
class Var:
    name: str  # dotted; relative to the loop item when ``local``
    escape: bool
    filters: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    local: bool = False


@dataclass(frozen=True, slots=True)
class If:
    name: str
    negate: bool
    body: tuple[Node, ...]
    else_: tuple[Node, ...] = ()
    local: bool = False
    origin: str = "if"  # "if" or "default" (a `default` fallback)


@dataclass(frozen=True, slots=True)
class Each:
    name: str
    body: tuple[Node, ...]
    else_: tuple[Node, ...] = ()


Node = Lit | Var | If | Each


@dataclass(frozen=True, slots=True)
class Fragment:
    """IR standing for a static name (the layout's ``content``, ``subject``...)."""

    nodes: tuple[Node, ...]
    safe: bool  # Markup: inserted as is into HTML; else escaped there


@dataclass(slots=True)
class Problem:
    """A construct the compiler (or a dialect) cannot express."""

    message: str
    resource: str
    lineno: int = 1
    token: str = ""


_MISSING = object()


@dataclass(slots=True)
class Scope:
    html: bool
    resource: str
    items: list[str] = field(default_factory=list)  # loop item names, innermost last


class CompileContext:
    """Static values and partial lookup for one (template, locale)."""

    def __init__(
        self,
        parse: Callable[[str], nodes.Template],
        partial: Callable[[str], tuple[str, str] | None],
        static: dict[str, Any],
        locale: str,
    ) -> None:
        self.parse = parse
        self.partial = partial  # id -> (source, resource)
        self.static = static
        self.locale = locale
        self.problems: list[Problem] = []

    # -- entry ---------------------------------------------------------------------
    def compile(self, source: str, *, html: bool, resource: str) -> tuple[Node, ...]:
        try:
            ast = self.parse(source)
        except Exception as exc:  # noqa: BLE001 - a syntax error: lint reports it in full
            self.problems.append(Problem(f"cannot parse: {exc}", resource))
            return ()
        return tuple(_merge(self.body(ast.body, Scope(html, resource), depth=0)))

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
                    out.append(Lit(child.data))
                else:
                    out.extend(self.expr(child, scope))
            return out
        if isinstance(node, nodes.If):
            return self.if_(node.test, node.body, list(node.elif_), node.else_, scope, depth)
        if isinstance(node, nodes.For):
            return self.for_(node, scope, depth)
        if isinstance(node, nodes.Include):
            return self.include(node, scope, depth)
        self.problem(f"`{type(node).__name__}` is not in the portable subset", node, scope)
        return []

    def if_(
        self,
        test: nodes.Node,
        body: list[nodes.Node],
        elifs: list[nodes.If],
        else_: list[nodes.Node],
        scope: Scope,
        depth: int,
    ) -> list[Node]:
        negate = isinstance(test, nodes.Not)
        inner = test.node if isinstance(test, nodes.Not) else test
        name = dotted(inner)

        def rest() -> list[Node]:
            if elifs:
                first = elifs[0]
                return self.if_(first.test, first.body, elifs[1:], else_, scope, depth)
            return self.body(else_, scope, depth)

        if name is None:
            self.problem("conditions must test a single field", test, scope, "if")
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
        return [If(rel, negate, then, other, local=local)]

    def for_(self, node: nodes.For, scope: Scope, depth: int) -> list[Node]:
        name = dotted(node.iter)
        if not isinstance(node.target, nodes.Name) or name is None:
            self.problem("only `{% for item in field %}` loops are portable", node, scope, "for")
            return []
        if scope.items:
            self.problem("nested loops are not supported by provider dialects", node, scope, "for")
            return []
        if name.split(".", 1)[0] in STATIC_ROOTS:
            self.problem("loops over workspace constants are not supported", node, scope, "for")
            return []
        scope.items.append(node.target.name)
        body = tuple(_merge(self.body(node.body, scope, depth)))
        scope.items.pop()
        else_ = tuple(_merge(self.body(node.else_, scope, depth)))
        return [Each(name, body, else_)]

    def include(self, node: nodes.Include, scope: Scope, depth: int) -> list[Node]:
        target = node.template
        if not (isinstance(target, nodes.Const) and isinstance(target.value, str)):
            self.problem("include needs a constant partial id", node, scope, "include")
            return []
        found = self.partial(target.value)
        if found is None or depth > 10:
            self.problem(f"unknown partial {target.value!r}", node, scope, target.value)
            return []
        source, resource = found
        try:
            ast = self.parse(source)
        except Exception as exc:  # noqa: BLE001
            self.problems.append(Problem(f"cannot parse: {exc}", resource))
            return []
        inner = Scope(scope.html, resource, scope.items)
        return self.body(ast.body, inner, depth + 1)

    # -- expressions ---------------------------------------------------------------
    def expr(self, node: nodes.Node, scope: Scope) -> list[Node]:
        filters: list[tuple[str, tuple[Any, ...]]] = []
        while isinstance(node, nodes.Filter) and node.node is not None:
            args = []
            for arg in node.args:
                if not isinstance(arg, nodes.Const):
                    self.problem(f"arguments of `{node.name}` must be constants", node, scope)
                    return []
                args.append(arg.value)
            if node.kwargs or node.dyn_args or node.dyn_kwargs:
                self.problem(f"filter `{node.name}` takes constant arguments only", node, scope)
                return []
            filters.append((node.name, tuple(args)))
            node = node.node
        filters.reverse()  # innermost first: the order they apply in
        if isinstance(node, nodes.Const):
            return [Lit(self.text(_apply(node.value, filters, self.locale), scope))]
        name = dotted(node)
        if name is None:
            self.problem(f"`{type(node).__name__}` expressions are not portable", node, scope)
            return []
        if name.split(".", 1)[0] in STATIC_ROOTS and not self.is_local(name, scope):
            return self.static_output(name, filters, node, scope)
        local, rel = self.localize(name, scope)
        return [_lower_default(Var(rel, scope.html, tuple(filters), local), self, scope)]

    def static_output(
        self, name: str, filters: list[tuple[str, tuple[Any, ...]]], node: nodes.Node, scope: Scope
    ) -> list[Node]:
        value = self.lookup(name)
        if isinstance(value, Fragment):
            if filters:
                self.problem(f"filters on `{name}` are not supported", node, scope, name)
            if not scope.html or value.safe:
                return list(value.nodes)
            return [_escaped(n) for n in value.nodes]
        if value is _MISSING and not any(f == "default" for f, _ in filters):
            self.problem(f"no value for `{name}` in the workspace settings", node, scope, name)
            return []
        result = _apply(None if value is _MISSING else value, filters, self.locale, value)
        return [Lit(self.text(result, scope))]

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

    @staticmethod
    def is_local(name: str, scope: Scope) -> bool:
        return name.split(".", 1)[0] in scope.items

    def localize(self, name: str, scope: Scope) -> tuple[bool, str]:
        root, _, rest = name.partition(".")
        if root in scope.items:
            return True, rest
        return False, name

    def problem(self, message: str, node: nodes.Node, scope: Scope, token: str = "") -> None:
        self.problems.append(Problem(message, scope.resource, getattr(node, "lineno", 1), token))


def _lower_default(var: Var, ctx: CompileContext, scope: Scope) -> Node:
    """``x | f | default("y") | g`` -> ``If(x, x|f|g, "y"|g)``."""
    names = [f for f, _ in var.filters]
    if "default" not in names:
        return var
    i = names.index("default")
    args = var.filters[i][1]
    fallback = args[0] if args else ""
    post = tuple(f for f in var.filters[i + 1 :] if f[0] != "default")
    pre = var.filters[:i]
    shown = replace(var, filters=pre + post)
    text = ctx.text(_apply(fallback, list(post), ctx.locale), scope)
    return If(var.name, False, (shown,), (Lit(text),), local=var.local, origin="default")


def _apply(
    value: Any, filters: list[tuple[str, tuple[Any, ...]]], locale: str, raw: Any = None
) -> Any:
    """Evaluate filters on a compile-time constant, as our renderer would."""
    from jinja2 import filters as jf

    from atscomms.rendering import filters as ours

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
        return Lit(str(escape(node.text)))
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
                out[-1] = Lit(out[-1].text + item.text)
                continue
        out.append(item)
    return out


def strip(nodes_: tuple[Node, ...]) -> tuple[Node, ...]:
    """``str.strip()`` on the literal edges (what the renderer does to subjects)."""
    items = list(nodes_)
    if items and isinstance(items[0], Lit):
        items[0] = Lit(items[0].text.lstrip())
    if items and isinstance(items[-1], Lit):
        items[-1] = Lit(items[-1].text.rstrip())
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
