"""What lint rules see: the workspace, cached renders, and text units with positions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from atscomms.checks.registry import finding
from atscomms.findings import Finding, Severity, Span
from atscomms.loading.document import Document, Path
from atscomms.model.resources import Body, Parts, Persona, Template, Text
from atscomms.model.workspace import Workspace

# Markup and template syntax are blanked out (same length, newlines kept) so that
# regular expressions over prose give offsets that are valid in the source text.
_MASK = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|<!--.*?-->|<[^<>]*>|&[#a-zA-Z0-9]+;", re.S)


#: Characters that may not start a plain YAML scalar.
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_EXPRESSIONS = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_NOT_NEWLINE = re.compile(r"[^\n]")


def _blank(m: re.Match[str]) -> str:
    text = m.group(0)
    return _NOT_NEWLINE.sub(" ", text) if "\n" in text else " " * len(text)


def mask(text: str) -> str:
    """Markup, entities and template syntax blanked (same length, newlines kept)."""
    return _MASK.sub(_blank, text)


def mask_expressions(text: str) -> str:
    """Blank only template syntax (for plain-text parts and SMS)."""
    return _EXPRESSIONS.sub(_blank, text)


@dataclass(slots=True)
class TextUnit:
    """One piece of copy a candidate reads, as written in the workspace."""

    source: str  # as written
    prose: str  # same length; markup and expressions blanked
    part: str  # subject | preheader | body | text | sms
    resource: str  # "template:offer-extended"
    category: str | None  # None for layouts and partials
    channel: str | None
    locale: str | None  # None: the default locale
    doc: Document | None = None
    path: Path | None = None
    file: str | None = None  # a `file:` body, workspace-relative

    @property
    def where(self) -> str:
        return self.file or (self.doc.path if self.doc else "")

    def span(self, offset: int, length: int) -> Span:
        if self.file is not None or self.doc is None or self.path is None:
            line = self.source.count("\n", 0, offset) + 1
            col = offset - (self.source.rfind("\n", 0, offset) + 1) + 1
            return Span(line, col, line, col + length)
        return self.doc.span_in_value(self.path, offset, length)

    def finding(
        self,
        code: str,
        offset: int,
        length: int,
        message: str,
        *,
        hint: str | None = None,
        severity: Severity | None = None,
        replacement: str | None = None,
    ) -> Finding:
        f = finding(
            code,
            self.where,
            self.span(offset, length),
            message,
            hint=hint,
            resource=self.resource,
            locale=self.locale,
            severity=severity,
        )
        if replacement is not None:
            f.fix = self.fix(offset, length, replacement)
        return f

    def fix(self, offset: int, length: int, replacement: str) -> dict[str, Any] | None:
        """An edit of the YAML (or body file) text, or None when it cannot be made safely."""
        if self.file is not None:
            return {
                "path": self.file,
                "offset": offset,
                "length": length,
                "replacement": replacement,
            }
        if self.doc is None or self.path is None:
            return None
        index = self.doc.index_in_value(self.path, offset, length)
        if index is None:
            return None
        style = self.doc.scalar_style(self.path)
        if style == '"':
            replacement = replacement.replace("\\", "\\\\").replace('"', '\\"')
        elif style == "'":
            replacement = replacement.replace("'", "''")
        elif not style and (
            ": " in replacement
            or " #" in replacement
            or (index == self.doc.values[self.path][0] and replacement[:1] in _INDICATORS)
        ):
            return None  # would change what a plain scalar means: leave it to the author
        return {
            "path": self.doc.path,
            "offset": index,
            "length": length,
            "replacement": replacement,
        }


@dataclass
class LintContext:
    ws: Workspace
    renderer: Any  # rendering.render.Renderer (imported lazily)
    #: per-run state rule packs may keep (compiled patterns, loaded data), by pack name
    memo: dict[str, Any] = field(default_factory=dict)
    #: with PATHS or --changed-since: the files whose findings will be shown (None: all)
    scope: set[str] | None = None
    _renders: dict[str, dict[tuple, Any]] = field(default_factory=dict)  # by template id
    _units: dict[str, list[TextUnit]] = field(default_factory=dict)

    def in_scope(self, path: str) -> bool:
        """Whether findings in ``path`` will be shown; workspace rules skip the rest."""
        return self.scope is None or path in self.scope

    @property
    def locales(self) -> list[str]:
        return self.ws.config.locales

    def personas(self) -> list[Persona]:
        return list(self.ws.personas.values())

    def render(
        self,
        template: Template,
        locale: str | None = None,
        persona: Persona | None = None,
        variant: str | None = None,
        full: bool = True,
    ) -> Any:
        """A render (all parts; only the Jinja parts with ``full=False``), cached.
        ``locale=None`` with a persona: the persona's locale."""
        if locale is None and persona is None:
            locale = self.ws.config.default_locale
        key = (locale, persona.id if persona else None, variant, full)
        made = self._renders.setdefault(template.id, {})
        out = made.get(key)
        if out is None:
            out = made[key] = self.renderer.render(
                template, persona=persona, locale=locale, variant=variant, full=full
            )
        return out

    def renders_of(self, template: Template) -> list[Any]:
        """Every render of ``template`` made so far (by rules or the engine)."""
        return list(self._renders.get(template.id, {}).values())

    def forget(self, template: Template) -> None:
        """Drop the renders (and text units) of a template whose checks are done."""
        self._renders.pop(template.id, None)
        self._units.pop(template.id, None)

    def renders(self, template: Template) -> Iterator[Any]:
        """Sample-data renders: every locale, and every variant."""
        for locale in self.locales:
            yield self.render(template, locale)
            for v in template.variants:
                yield self.render(template, locale, variant=v.id)

    def units(self, template: Template) -> list[TextUnit]:
        cached = self._units.get(template.id)
        if cached is None:
            cached = self._units[template.id] = list(self._template_units(template))
        return cached

    def _template_units(self, t: Template) -> Iterator[TextUnit]:
        groups: list[tuple[str | None, Parts]] = [(None, t.parts)]
        groups += list(t.locales.items())
        for v in t.variants:
            groups.append((None, v.parts))
            groups += list(v.locales.items())
        for locale, parts in groups:
            for name in ("subject", "preheader", "text"):
                value: Text | None = getattr(parts, name)
                if value is not None:
                    yield self._unit(value.value, name, t, locale, t.doc, value.path, markup=False)
            if parts.body is not None:
                unit = self.body_unit(parts.body, t.doc, t.ref, locale, t.category, t.channel)
                if unit is not None:
                    yield unit

    def body_unit(
        self,
        body: Body,
        doc: Document,
        resource: str,
        locale: str | None,
        category: str | None,
        channel: str | None,
    ) -> TextUnit | None:
        part = "sms" if channel == "sms" else "body"
        markup = body.format in ("mjml", "html")
        if body.source is not None:
            text, path, file = body.source.value, body.source.path, None
        elif body.file:
            text = self.renderer.read_file(body.file)
            if text is None:
                return None
            path, file = None, body.file
        else:
            return None
        return TextUnit(
            text,
            mask(text) if markup else mask_expressions(text),
            part,
            resource,
            category,
            channel,
            locale,
            None if file else doc,
            path,
            file,
        )

    def _unit(
        self,
        text: str,
        part: str,
        t: Template,
        locale: str | None,
        doc: Document,
        path: Path,
        *,
        markup: bool,
    ) -> TextUnit:
        prose = mask(text) if markup else mask_expressions(text)
        return TextUnit(text, prose, part, t.ref, t.category, t.channel, locale, doc, path)

    def shared_units(self) -> Iterator[TextUnit]:
        """Copy in layouts and partials (no category)."""
        for r in (*self.ws.layouts.values(), *self.ws.partials.values()):
            bodies: list[tuple[str | None, Body | None]] = [(None, r.body)]
            bodies += list(r.locales.items())
            for locale, body in bodies:
                if body is not None:
                    unit = self.body_unit(body, r.doc, r.ref, locale, None, r.channel)
                    if unit is not None:
                        yield unit
