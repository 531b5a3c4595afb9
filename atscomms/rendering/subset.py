"""The portable expression subset (DESIGN.md): what every provider dialect can express.

Allowed: ``{{ dotted.name }}``, the filters in :data:`FILTERS` with constant
arguments, ``{% if %}/{% elif %}/{% else %}`` over (negated) variables,
``{% for item in list %}`` and ``{% include "partial-id" %}``. Anything else
(calls, arithmetic, comparisons, ``set``, macros, attribute access to
``_private`` names...) is reported before the template is ever executed, which
is also what keeps known server-side-template-injection payloads inert.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jinja2 import nodes

#: Filters the provider compilers can translate, with the number of constant args allowed.
FILTERS: dict[str, int] = {
    "default": 1,
    "upper": 0,
    "lower": 0,
    "title": 0,
    "capitalize": 0,
    "trim": 0,
    "date": 1,
    "datetime": 1,
    "time": 1,
}
#: Names Jinja provides that must never be reachable from a template.
UNSAFE_NAMES = {
    "range",
    "lipsum",
    "cycler",
    "joiner",
    "namespace",
    "self",
    "config",
    "request",
    "loop",
    "caller",
    "varargs",
    "kwargs",
    "super",
}


@dataclass(slots=True)
class Issue:
    code: str  # F001 non-portable, F002 unsafe
    message: str
    lineno: int
    token: str  # text to look for on that line, for the column


@dataclass(slots=True)
class FieldRef:
    name: str  # dotted
    lineno: int
    guarded: bool  # has a fallback: `default` or inside an `if` on it


@dataclass(slots=True)
class Analysis:
    issues: list[Issue] = field(default_factory=list)
    fields: list[FieldRef] = field(default_factory=list)
    includes: list[tuple[str, int]] = field(default_factory=list)
    filters: list[tuple[str, int]] = field(default_factory=list)
    has_conditionals: bool = False
    has_loops: bool = False


def dotted(node: nodes.Node) -> str | None:
    """``candidate.first_name`` for Getattr(Name) chains, else None."""
    parts: list[str] = []
    while isinstance(node, nodes.Getattr):
        parts.append(node.attr)
        node = node.node
    if isinstance(node, nodes.Name):
        parts.append(node.name)
        return ".".join(reversed(parts))
    return None


class _Walker:
    def __init__(self, source: str = "") -> None:
        self.lines = source.split("\n")
        self.result = Analysis()
        self.locals: list[set[str]] = []
        self.guards: list[set[str]] = []

    # -- helpers -----------------------------------------------------------------
    def issue(self, code: str, message: str, node: nodes.Node, token: str) -> None:
        self.result.issues.append(Issue(code, message, getattr(node, "lineno", 1) or 1, token))

    def is_local(self, name: str) -> bool:
        root = name.split(".", 1)[0]
        return any(root in scope for scope in self.locals)

    def is_guarded(self, name: str) -> bool:
        return any(
            name == g or name.startswith(g + ".") or g.startswith(name + ".")
            for scope in self.guards
            for g in scope
        )

    def unsafe(self, node: nodes.Node) -> bool:
        """Report the first private attribute or unsafe global in ``node`` (source order)."""
        found: list[tuple[str, str]] = []
        for sub in (node, *node.find_all((nodes.Getattr, nodes.Getitem, nodes.Name))):
            if isinstance(sub, nodes.Getattr) and sub.attr.startswith("_"):
                found.append((sub.attr, f"access to private attribute `{sub.attr}`"))
            elif isinstance(sub, nodes.Getitem) and isinstance(sub.arg, nodes.Const):
                key = sub.arg.value
                if isinstance(key, str) and key.startswith("_"):
                    found.append((key, f"access to private attribute `{key}`"))
            elif (
                isinstance(sub, nodes.Name)
                and sub.ctx == "load"
                and (sub.name.startswith("_") or sub.name in UNSAFE_NAMES)
                and not self.is_local(sub.name)
            ):
                found.append((sub.name, f"`{sub.name}` is not available in templates"))
        if not found:
            return False
        lineno = getattr(node, "lineno", 1) or 1
        line = self.lines[lineno - 1] if 0 < lineno <= len(self.lines) else ""

        def where(item: tuple[str, str]) -> int:
            index = line.find(item[0])
            return index if index >= 0 else len(line)

        token, message = min(found, key=where)
        self.issue("F002", message, node, token)
        return True

    def variable(self, node: nodes.Node, guarded: bool = False) -> bool:
        """Record a variable reference; False if the node is not a plain (dotted) variable."""
        if self.unsafe(node):
            return True
        name = dotted(node)
        if name is None:
            return False
        if not self.is_local(name):
            self.result.fields.append(
                FieldRef(name, node.lineno or 1, guarded or self.is_guarded(name))
            )
        return True

    # -- expressions ----------------------------------------------------------------
    def expr(self, node: nodes.Node, guarded: bool = False) -> None:
        if isinstance(node, nodes.Const | nodes.TemplateData) or self.unsafe(node):
            return
        if isinstance(node, nodes.Name | nodes.Getattr):
            if not self.variable(node, guarded):
                self.unsupported(node)
            return
        if isinstance(node, nodes.Filter) and node.node is not None:
            self.filter(node)
            return
        if isinstance(node, nodes.Getitem):
            self.issue("F001", "subscript `[...]` is not portable; use a dotted name", node, "[")
            return
        self.unsupported(node)

    def filter(self, node: nodes.Filter) -> None:
        name = node.name
        self.result.filters.append((name, node.lineno or 1))
        if name not in FILTERS:
            self.issue(
                "F001",
                f"filter `{name}` is not in the portable subset ({', '.join(FILTERS)})",
                node,
                name,
            )
        elif node.kwargs or node.dyn_args or node.dyn_kwargs or len(node.args) > FILTERS[name]:
            self.issue(
                "F001", f"filter `{name}` takes at most {FILTERS[name]} argument(s)", node, name
            )
        for arg in node.args:
            if not isinstance(arg, nodes.Const):
                self.issue("F001", f"arguments of `{name}` must be constants", node, name)
        self.expr(node.node, guarded=name == "default")  # type: ignore[arg-type]

    def test(self, node: nodes.Node) -> set[str]:
        """An `if` test: a variable or `not variable`; returns the names it guards."""
        inner = node.node if isinstance(node, nodes.Not) else node
        if isinstance(inner, nodes.Name | nodes.Getattr) and self.variable(inner, guarded=True):
            name = dotted(inner)
            return {name} if name else set()
        self.issue(
            "F001",
            "conditions must test a single field (`{% if field %}`); "
            "comparisons and logic are not portable",
            node,
            "if",
        )
        return set()

    def unsupported(self, node: nodes.Node) -> None:
        kind = type(node).__name__
        labels = {
            "Call": ("function and method calls are not portable", "("),
            "Compare": ("comparisons are not portable", "="),
            "CondExpr": ("inline `if ... else` is not portable", "if"),
        }
        message, token = labels.get(kind, (f"`{kind}` expressions are not portable", ""))
        if isinstance(node, nodes.BinExpr | nodes.UnaryExpr):
            message, token = "arithmetic and operators are not portable", node.operator
        self.issue("F001", message, node, token)

    # -- statements ---------------------------------------------------------------
    def stmt(self, node: nodes.Node) -> None:
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                self.expr(child)
        elif isinstance(node, nodes.If):
            self.result.has_conditionals = True
            guarded = self.test(node.test)
            self.guards.append(guarded)
            self.body(node.body)
            self.guards.pop()
            for elif_ in node.elif_:
                self.stmt(elif_)
            self.body(node.else_)
        elif isinstance(node, nodes.For):
            self.result.has_loops = True
            if not isinstance(node.target, nodes.Name) or node.test is not None or node.recursive:
                self.issue("F001", "only `{% for item in list %}` loops are portable", node, "for")
            if not (isinstance(node.iter, nodes.Name | nodes.Getattr) and self.variable(node.iter)):
                self.issue("F001", "loops must iterate over a field", node, "for")
            self.locals.append({node.target.name} if isinstance(node.target, nodes.Name) else set())
            self.body(node.body)
            self.locals.pop()
            self.body(node.else_)
        elif isinstance(node, nodes.Include):
            if isinstance(node.template, nodes.Const) and isinstance(node.template.value, str):
                self.result.includes.append((node.template.value, node.lineno or 1))
            else:
                self.issue("F001", "include needs a constant partial id", node, "include")
        else:
            label = {
                "Assign": "set",
                "AssignBlock": "set",
                "Macro": "macro",
                "Extends": "extends",
                "Block": "block",
                "Import": "import",
                "FromImport": "import",
                "FilterBlock": "filter",
                "With": "with",
                "CallBlock": "call",
                "ExprStmt": "do",
            }.get(type(node).__name__, type(node).__name__.lower())
            self.issue("F001", f"`{{% {label} %}}` is not in the portable subset", node, label)

    def body(self, statements: list[nodes.Node]) -> None:
        for node in statements:
            self.stmt(node)


def analyze(ast: nodes.Template, source: str = "") -> Analysis:
    walker = _Walker(source)
    walker.body(ast.body)
    return walker.result
