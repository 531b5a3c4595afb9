"""Portable-subset templates rendered straight from Jinja's parse tree.

For a cold lint, turning each template into Python code (Jinja's code generator,
then ``compile``) costs several times more than rendering it for every persona.
Templates inside the portable subset (:mod:`.subset`: text, dotted fields, the
subset's filters with constant arguments, ``if``/``elif``/``else`` over a field or
``not`` a field, ``for item in field``, ``include "partial"``) are small enough to
turn into nested Python closures instead, in microseconds. Anything else (a
subset issue, an unexpected node, a filter that wants the context, an include
cycle) returns ``None`` and the caller uses Jinja's compiler.

The closures do what Jinja's generated code does, step by step and through the
same objects: names from the context or ``environment.undefined(name=...)``,
``environment.getattr`` for dots (so the sandbox and the strict undefined values
behave alike), the environment's filter functions, ``escape``/``str`` on output,
Python truthiness for tests, ``TemplateNotFound`` and ``TemplateSyntaxError`` from
an include when it runs. Jinja reports where an error happened through traceback
frames named ``<template>`` / ``<partial:ID>``; an error raised here carries the
same ``(filename, line)`` list in ``exc.atscomms_frames`` (innermost first; see
:func:`template_frames`). ``tests/test_render_direct.py`` checks output, error
and frames against Jinja on generated templates.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any

from jinja2 import TemplateNotFound, nodes
from jinja2.utils import _PassArg
from markupsafe import escape

Fn = Callable[[dict[str, Any]], Any]

_MISSING = object()
_FRAMES = "atscomms_frames"
_PENDING = "_atscomms_line"


class Unsupported(Exception):
    """Not for the direct path: Jinja's compiler takes the template."""


def _mark(exc: BaseException, lineno: int) -> None:
    """Remember the innermost template line an error passed through."""
    try:
        if getattr(exc, _PENDING, None) is None:
            setattr(exc, _PENDING, lineno)
    except (AttributeError, TypeError):  # pragma: no cover - exceptions without a __dict__
        pass


def _seal(exc: BaseException, filename: str) -> None:
    """One frame per template or partial, like Jinja's rewritten traceback."""
    try:
        line = exc.__dict__.pop(_PENDING, None)
        frames = exc.__dict__.setdefault(_FRAMES, [])
        frames.append((filename, line or 1))
    except (AttributeError, TypeError):  # pragma: no cover
        pass


def template_frames(exc: BaseException) -> list[tuple[str, int]]:
    """``(filename, line)`` of each template frame an error passed, outermost first:
    ``<template>`` or ``<partial:ID>``, from either rendering path."""
    frames = getattr(exc, _FRAMES, None)
    if frames is not None:
        return list(reversed(frames))
    out = []
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename == "<template>" or filename.startswith("<partial:"):
            out.append((filename, tb.tb_lineno))
        tb = tb.tb_next
    return out


class DirectTemplate:
    """A compiled template with Jinja's ``render(context)`` interface."""

    __slots__ = ("_root",)

    def __init__(self, root: Fn) -> None:
        self._root = root

    def render(self, context: dict[str, Any]) -> str:
        return self._root(context)  # type: ignore[no-any-return]


class Compiler:
    """Compiles parse trees of one environment (autoescape or not)."""

    def __init__(
        self,
        env: Any,
        lookup: Callable[[str], str | None],
        in_subset: Callable[[str], bool],
    ) -> None:
        self.env = env
        self.lookup = lookup  # partial id -> source (None: not found)
        self.in_subset = in_subset  # no subset issues in this source
        self.convert: Callable[[Any], str] = escape if env.autoescape else str
        self._partials: dict[str, Fn] = {}
        self._compiling: set[str] = set()

    def template(self, ast: nodes.Template, filename: str = "<template>") -> DirectTemplate:
        return DirectTemplate(self._root(ast, filename))

    def _root(self, ast: nodes.Template, filename: str) -> Fn:
        body = self._body(ast.body)

        def root(scope: dict[str, Any]) -> str:
            try:
                return body(scope)  # type: ignore[no-any-return]
            except Exception as exc:
                _seal(exc, filename)
                raise

        return root

    # -- statements ----------------------------------------------------------------
    def _body(self, stmts: list[nodes.Node]) -> Fn:
        parts = [self._stmt(s) for s in stmts]
        if not parts:
            return lambda scope: ""
        if len(parts) == 1:
            return parts[0]
        return lambda scope: "".join([p(scope) for p in parts])

    def _stmt(self, node: nodes.Node) -> Fn:
        if isinstance(node, nodes.Output):
            return self._output(node)
        if isinstance(node, nodes.If):
            return self._if(node)
        if isinstance(node, nodes.For):
            return self._for(node)
        if isinstance(node, nodes.Include):
            return self._include(node)
        raise Unsupported(type(node).__name__)

    def _output(self, node: nodes.Output) -> Fn:
        convert = self.convert
        parts: list[Fn] = []
        for child in node.nodes:
            if isinstance(child, nodes.TemplateData):
                parts.append(lambda scope, data=child.data: data)
                continue
            expr = self._expr(child)
            lineno = child.lineno

            def out(scope: dict[str, Any], expr: Fn = expr, lineno: int = lineno) -> str:
                try:
                    return convert(expr(scope))
                except Exception as exc:
                    _mark(exc, lineno)
                    raise

            parts.append(out)
        if len(parts) == 1:
            return parts[0]
        return lambda scope: "".join([p(scope) for p in parts])

    def _if(self, node: nodes.If) -> Fn:
        branches = [(node.lineno, self._test(node.test), self._body(node.body))]
        for elif_ in node.elif_:
            branches.append((elif_.lineno, self._test(elif_.test), self._body(elif_.body)))
        else_ = self._body(node.else_)

        def if_(scope: dict[str, Any]) -> str:
            for lineno, test, body in branches:
                try:
                    truth = bool(test(scope))
                except Exception as exc:
                    _mark(exc, lineno)
                    raise
                if truth:
                    return body(scope)  # type: ignore[no-any-return]
            return else_(scope)  # type: ignore[no-any-return]

        return if_

    def _test(self, node: nodes.Node) -> Fn:
        if isinstance(node, nodes.Not):
            inner = self._expr(node.node)
            return lambda scope: not inner(scope)
        return self._expr(node)

    def _for(self, node: nodes.For) -> Fn:
        if not isinstance(node.target, nodes.Name) or node.test is not None or node.recursive:
            raise Unsupported("for")
        target = node.target.name
        iterable = self._expr(node.iter)
        body = self._body(node.body)
        else_ = self._body(node.else_) if node.else_ else None
        lineno = node.lineno

        def for_(scope: dict[str, Any]) -> str:
            try:
                items = iter(iterable(scope))
            except Exception as exc:
                _mark(exc, lineno)
                raise
            inner = dict(scope)
            out = []
            while True:
                try:
                    item = next(items)
                except StopIteration:
                    break
                except Exception as exc:
                    _mark(exc, lineno)
                    raise
                inner[target] = item
                out.append(body(inner))
            if not out and else_ is not None:
                return else_(scope)  # type: ignore[no-any-return]
            return "".join(out)

        return for_

    def _include(self, node: nodes.Include) -> Fn:
        name = node.template.value if isinstance(node.template, nodes.Const) else None
        if not isinstance(name, str) or node.ignore_missing or not node.with_context:
            raise Unsupported("include")
        partial = self._partial(name)
        lineno = node.lineno

        def include(scope: dict[str, Any]) -> str:
            try:
                return partial(scope)  # type: ignore[no-any-return]
            except Exception as exc:
                _mark(exc, lineno)
                raise

        return include

    def _partial(self, name: str) -> Fn:
        found = self._partials.get(name)
        if found is not None:
            return found
        if name in self._compiling:
            raise Unsupported("include cycle")
        source = self.lookup(name)
        filename = f"<partial:{name}>"
        if source is None:

            def not_found(scope: dict[str, Any]) -> str:
                raise TemplateNotFound(name)

            return not_found
        try:
            ast = self.env.parse(source, name, filename)
        except Exception:  # noqa: BLE001 - raised again, as Jinja does, when it runs

            def broken(scope: dict[str, Any]) -> str:
                self.env.parse(source, name, filename)
                raise AssertionError("unreachable")  # pragma: no cover

            return broken
        if not self.in_subset(source):
            raise Unsupported("partial outside the subset")
        self._compiling.add(name)
        try:
            found = self._partials[name] = self._root(ast, filename)
        finally:
            self._compiling.discard(name)
        return found

    # -- expressions ---------------------------------------------------------------
    def _expr(self, node: nodes.Node) -> Fn:
        if isinstance(node, nodes.Const):
            value = node.value
            return lambda scope: value
        if isinstance(node, nodes.Name) and node.ctx == "load":
            return self._name(node.name)
        if isinstance(node, nodes.Getattr):
            inner = self._expr(node.node)
            getattr_ = self.env.getattr
            attr = node.attr
            return lambda scope: getattr_(inner(scope), attr)
        if isinstance(node, nodes.Filter) and node.node is not None:
            return self._filter(node)
        raise Unsupported(type(node).__name__)

    def _name(self, name: str) -> Fn:
        undefined = self.env.undefined

        def lookup(scope: dict[str, Any]) -> Any:
            value = scope.get(name, _MISSING)
            return undefined(name=name) if value is _MISSING else value

        return lookup

    def _filter(self, node: nodes.Filter) -> Fn:
        func = self.env.filters.get(node.name)
        if func is None or _PassArg.from_obj(func) is not None:
            raise Unsupported(f"filter {node.name}")
        if node.kwargs or node.dyn_args or node.dyn_kwargs:
            raise Unsupported("filter arguments")
        if not all(isinstance(a, nodes.Const) for a in node.args):
            raise Unsupported("filter arguments")
        args = tuple(a.value for a in node.args)
        inner = self._expr(node.node)  # type: ignore[arg-type]
        if not args:
            return lambda scope: func(inner(scope))
        return lambda scope: func(inner(scope), *args)
