"""Jinja2 in an immutable sandbox, with strict-but-testable undefined values.

* ``ImmutableSandboxedEnvironment``: no attribute access to internals, no
  mutation of values; the portable-subset check (:mod:`.subset`) runs before
  any template executes.
* A missing value raises :class:`MissingValue` naming the dotted field, unless
  it is tested (``{% if field %}``) or has a ``default``.
* Two environments: HTML bodies autoescape field values, subject / preheader
  / plain text / SMS do not.
* Each distinct source is compiled once and cached (not once per persona):
  sources inside the portable subset straight from the parse tree
  (:mod:`.direct`, no Python code generation), anything else by Jinja.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from jinja2 import ChainableUndefined, TemplateNotFound, nodes
from jinja2.loaders import BaseLoader
from jinja2.sandbox import ImmutableSandboxedEnvironment

from atscomms.rendering import filters
from atscomms.rendering.subset import Analysis, analyze


class MissingValue(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(f"no value for `{name}`")
        self.name = name


class _Missing(ChainableUndefined):
    """Falsy and chainable (for `if` tests and `default`), but never rendered."""

    __slots__ = ()

    def _dotted(self) -> str:
        return str(self._undefined_name)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return _Missing(name=f"{self._dotted()}.{name}")

    __getitem__ = __getattr__

    def _fail(self, *args: Any, **kwargs: Any) -> Any:
        raise MissingValue(self._dotted())

    __str__ = __iter__ = __len__ = __html__ = _fail  # type: ignore[assignment]

    def __bool__(self) -> bool:
        return False


class _Fields(dict):
    """A nested context dict that knows its dotted path, so a missing key is named fully."""

    __slots__ = ("path",)

    def __init__(self, data: dict[str, Any], path: str = "") -> None:
        super().__init__((k, _wrap(v, f"{path}{k}.")) for k, v in data.items())
        self.path = path


def _wrap(value: Any, path: str) -> Any:
    """Nested dicts as :class:`_Fields` (one already wrapped for ``path`` is kept)."""
    if isinstance(value, dict) and not (isinstance(value, _Fields) and value.path == path):
        return _Fields(value, path)
    return value


class _Environment(ImmutableSandboxedEnvironment):
    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, _Fields) and attribute not in obj:
            return self.undefined(name=f"{obj.path}{attribute}")
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(obj, _Fields) and isinstance(argument, str) and argument not in obj:
            return self.undefined(name=f"{obj.path}{argument}")
        return super().getitem(obj, argument)


class _Loader(BaseLoader):
    """Partials by id; ``lookup(name, locale)`` is provided per render."""

    def __init__(self, lookup: Callable[[str], str | None]) -> None:
        self.lookup = lookup

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        source = self.lookup(template)
        if source is None:
            raise TemplateNotFound(template)
        return source, f"<partial:{template}>", lambda: False


def _make_env(autoescape: bool, locale: str | None) -> _Environment:
    env = _Environment(
        autoescape=autoescape,
        undefined=_Missing,
        keep_trailing_newline=True,
        auto_reload=False,
        cache_size=-1,  # partials compile once per engine (one engine per locale)
        # no constant folding at compile time: nothing is evaluated before the sandbox
        # runs it, and compiling (the costliest step of a cold lint) is ~15 % faster
        optimized=False,
    )
    env.globals.clear()
    env.filters["date"] = partial(filters.format_date, locale=locale)
    env.filters["datetime"] = partial(filters.format_datetime, locale=locale)
    env.filters["time"] = partial(filters.format_time, locale=locale)
    return env


class Engine:
    """Compiles and renders template sources for one locale."""

    def __init__(self, locale: str | None, partials: Callable[[str], str | None]) -> None:
        self.locale = locale
        self._loader = _Loader(partials)
        self._envs = {flag: _make_env(flag, locale) for flag in (True, False)}
        for env in self._envs.values():
            env.loader = self._loader
        self._compiled: dict[tuple[str, bool], Any] = {}
        self._analysis: dict[str, Analysis] = {}
        self._asts: dict[str, nodes.Template] = {}
        self._direct: dict[bool, Any] = {}

    def parse(self, source: str) -> nodes.Template:
        """Raises jinja2.TemplateSyntaxError. Parsed once per source: plain subset
        templates by :mod:`.fastparse`, the rest (and every error) by Jinja."""
        ast = self._asts.get(source)
        if ast is None:
            from atscomms.rendering.fastparse import parse

            env = self._envs[False]
            ast = self._asts[source] = parse(source, env) or env.parse(source)
        return ast

    def analysis(self, source: str) -> Analysis:
        cached = self._analysis.get(source)
        if cached is None:
            cached = self._analysis[source] = analyze(self.parse(source), source)
        return cached

    def compile(self, source: str, html: bool) -> Any:
        key = (source, html)
        template = self._compiled.get(key)
        if template is None:
            template = self._compile_direct(source, html)
            if template is None:
                env = self._envs[html]
                code = env.compile(self.parse(source))  # the parsed AST, not the text again
                template = env.template_class.from_code(env, code, env.make_globals(None), None)
            self._compiled[key] = template
        return template

    def _compile_direct(self, source: str, html: bool) -> Any:
        """The template as closures (:mod:`.direct`), or None for Jinja's compiler."""
        from atscomms.rendering.direct import Compiler

        if not self._in_subset(source):
            return None
        compiler = self._direct.get(html)
        if compiler is None:
            compiler = self._direct[html] = Compiler(
                self._envs[html], self._loader.lookup, self._in_subset
            )
        try:
            return compiler.template(self.parse(source))
        except Exception:  # noqa: BLE001 - Unsupported, or any surprise: Jinja's compiler
            return None

    def _in_subset(self, source: str) -> bool:
        return not self.analysis(source).issues

    def render(self, source: str, context: dict[str, Any], *, html: bool) -> str:
        fields = context if isinstance(context, _Fields) else _Fields(context)
        return self.compile(source, html).render(fields)


def fields(context: dict[str, Any]) -> dict[str, Any]:
    """``context`` wrapped once for all the parts of a render (see :class:`_Fields`)."""
    return _Fields(context)
