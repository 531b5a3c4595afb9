"""Where fields are used: every expression of a text unit, at its exact offset."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from atscomms.checks.registry import finding
from atscomms.findings import Finding

if TYPE_CHECKING:
    from atscomms.checks.context import LintContext, TextUnit
    from atscomms.checks.registry import Rule
    from atscomms.model.resources import Body, FieldDef
    from atscomms.rendering.subset import Analysis

#: Names every template may use without a registry entry (the render context adds them).
BUILTINS = ("brand", "locale", "unsubscribe_url")
#: ... and what a layout may use on top (the wrapped message).
LAYOUT_BUILTINS = ("content", "subject", "preheader")


_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_STRING = re.compile(r"\"[^\"]*\"|'[^']*'")
_TEST = re.compile(r"\{%-?\s*(?:if|elif)\b")


@dataclass(slots=True)
class FieldUse:
    """One field reference in a text unit, at its exact offset in ``unit.source``."""

    name: str
    guarded: bool
    offset: int
    length: int
    via: str | None = None  # the partial it comes from (offset/length: the include)
    test: bool = False  # in an `{% if %}`/`{% elif %}` test: read, not shown


def option(rule: Rule, key: str) -> Any:
    """``rule.opts[key]`` when it has the type of the default, else the default: a wrong
    `lint.options` value must not crash lint (the workspace schema does not type them)."""
    default = type(rule).options[key]
    value = rule.opts.get(key, default)
    if isinstance(default, list):
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else default
    if isinstance(default, int) and (isinstance(value, bool) or not isinstance(value, int)):
        return default
    return value if isinstance(value, type(default)) else default


def analysis(ctx: LintContext, text: str, locale: str | None = None) -> Analysis | None:
    """The portable-subset analysis of a source (None on a syntax error, reported as S014).
    ``locale``: the engine that rendered the source, whose cache already holds it."""
    import jinja2

    try:
        return ctx.renderer.engine(locale or ctx.ws.config.default_locale).analysis(text)
    except jinja2.TemplateError:
        return None


def tags(text: str) -> list[tuple[int, int, str]]:
    """Template tags with string literals blanked: (start, end, masked text)."""
    return [
        (m.start(), m.end(), _STRING.sub(lambda s: " " * len(s.group(0)), m.group(0)))
        for m in _TAG.finditer(text)
    ]


_DOTTED = re.compile(r"(?<![\w.])[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")


def dotted_names(text: str) -> set[str]:
    """Dotted names in the template tags of ``text`` (string literals skipped): a cheap
    over-approximation of the fields it uses (loop variables' attributes included)."""
    if "{" not in text:
        return set()
    return {m.group(0) for _, _, masked in tags(text) for m in _DOTTED.finditer(masked)}


def source_texts(ctx: LintContext) -> Iterator[str]:
    """Every template source as written (all parts, locales, variants), layouts, partials."""
    bodies: list[Body] = []
    for t in ctx.ws.templates.values():
        parts = [t.parts, *t.locales.values()]
        for v in t.variants:
            parts += [v.parts, *v.locales.values()]
        for p in parts:
            yield from (x.value for x in (p.subject, p.preheader, p.text) if x is not None)
            if p.body is not None:
                bodies.append(p.body)
    for r in (*ctx.ws.layouts.values(), *ctx.ws.partials.values()):
        bodies += [b for b in (r.body, *r.locales.values()) if b is not None]
    for body in bodies:
        if body.source is not None:
            yield body.source.value
        elif body.file:
            text = ctx.renderer.read_file(body.file)
            if text is not None:
                yield text


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    return starts


def uses(ctx: LintContext, text: str, locale: str | None = None) -> list[FieldUse]:
    """Every field reference in ``text`` (loop variables excluded), in source order."""
    memo: dict[str, list[FieldUse]] = ctx.__dict__.setdefault("_field_uses", {})
    cached = memo.get(text)
    if cached is None:
        cached = memo[text] = _locate(ctx, text, locale)
    return cached


def _locate(ctx: LintContext, text: str, locale: str | None) -> list[FieldUse]:
    found = analysis(ctx, text, locale)
    if found is None or not found.fields:
        return []
    spans = tags(text)
    starts = _line_starts(text)
    seen: Counter[tuple[str, int]] = Counter()
    out: list[FieldUse] = []
    for ref in found.fields:
        nth = seen[(ref.name, ref.lineno)]
        seen[(ref.name, ref.lineno)] += 1
        line = min(max(ref.lineno, 1), len(starts)) - 1
        lo = starts[line]
        hi = starts[line + 1] if line + 1 < len(starts) else len(text)
        pattern = re.compile(r"(?<![\w.])" + re.escape(ref.name) + r"(?![\w])(?!\.\w)")
        hits = [
            (start + m.start(), bool(_TEST.match(masked)))
            for start, end, masked in spans
            if end > lo and start < hi
            for m in pattern.finditer(masked)
            if lo <= start + m.start() < hi
        ]
        if hits:
            offset, test = hits[min(nth, len(hits) - 1)]
            out.append(FieldUse(ref.name, ref.guarded, offset, len(ref.name), test=test))
        else:
            out.append(FieldUse(ref.name, ref.guarded, lo, 0))
    return out


def uses_with_partials(ctx: LintContext, unit: TextUnit) -> list[FieldUse]:
    """Field uses of a unit and of the partials it includes (at the include's position)."""
    out = list(uses(ctx, unit.source, unit.locale))  # a copy: uses() are cached
    found = analysis(ctx, unit.source, unit.locale)
    if found is None or not found.includes:
        return out
    locale = unit.locale or ctx.ws.config.default_locale
    for name, offset in _include_offsets(unit.source):
        for use in _partial_uses(ctx, name, locale, {name}):
            out.append(FieldUse(use.name, use.guarded, offset, len(name), via=name, test=use.test))
    return out


def _include_offsets(text: str) -> list[tuple[str, int]]:
    from atscomms.model.resolve import includes

    return list(includes(text))


def _partial_uses(ctx: LintContext, name: str, locale: str, seen: set[str]) -> list[FieldUse]:
    source = ctx.renderer.partial_source(name, locale)
    if source is None:
        return []
    out = list(uses(ctx, source.text, locale))
    for inner, _ in _include_offsets(source.text):
        if inner not in seen:
            seen.add(inner)
            out.extend(_partial_uses(ctx, inner, locale, seen))
    return out


def is_builtin(name: str, *, layout: bool = False) -> bool:
    root = name.split(".", 1)[0]
    return root in BUILTINS or (layout and root in LAYOUT_BUILTINS)


def registry_field(ctx: LintContext, name: str) -> FieldDef | None:
    """The registry entry for ``name`` (or for the field ``name`` is an attribute of)."""
    if ctx.ws.fields is None:
        return None
    fields = ctx.ws.fields.fields
    while True:
        f = fields.get(name)
        if f is not None or "." not in name:
            return f
        name = name.rsplit(".", 1)[0]


def is_group(ctx: LintContext, name: str) -> bool:
    assert ctx.ws.fields is not None
    return any(f.startswith(name + ".") for f in ctx.ws.fields.fields)


def field_finding(ctx: LintContext, code: str, f: FieldDef, message: str, hint: str) -> Finding:
    assert ctx.ws.fields is not None
    doc = ctx.ws.fields.doc
    return finding(
        code,
        doc.path,
        doc.span(("fields", f.index, "name")),
        message,
        hint=hint,
        resource=ctx.ws.fields.ref,
    )


def grouped(items: Iterable[tuple[FieldUse, str]]) -> dict[tuple[int, int], list[str]]:
    """Messages per position, so two problems at one include become one finding."""
    out: dict[tuple[int, int], list[str]] = {}
    for use, text in items:
        bucket = out.setdefault((use.offset, use.length), [])
        if text not in bucket:
            bucket.append(text)
    return out


def all_shared(ctx: LintContext) -> Iterator[tuple[TextUnit, bool]]:
    """Layouts and partials whose findings will be shown, with a flag for layouts."""
    for unit in ctx.shared_units():
        if ctx.in_scope(unit.where):
            yield unit, unit.resource.startswith("layout:")
