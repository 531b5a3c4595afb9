"""Workspace template -> compiled units, one per (locale, variant), in a provider's dialect.

A unit is what a provider stores as one remote template: subject, preheader,
HTML and plain text with the candidate's fields as dialect placeholders. Email
bodies go through the same MJML and CSS inlining as previews, with the
placeholders in place (the compiler checks that MJML kept every one of them).

Compiling needs MJML, so results are cached under ``.atscomms/cache/compiled/``
by a key over every input (template, layout, partials, fields, brand, dialect).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from atscomms.model.resources import Template
from atscomms.model.workspace import Workspace
from atscomms.providers.dialects import emitter
from atscomms.providers.dialects.align import MARK_RE, align, restore
from atscomms.providers.dialects.emit import Emitter, block_tags, guard_standalone
from atscomms.providers.dialects.ir import (
    CompileContext,
    Fragment,
    Mark,
    Node,
    Origin,
    Problem,
    derived_fields,
    strip,
)

#: Bump when compiled output changes for the same input (invalidates caches).
COMPILER_VERSION = "2"  # 2: problems carry a rule code and a position
_LOCALE_SUFFIX = re.compile(r"--([a-z]{2,3}(?:-[a-z0-9]{2,8})*)$")


@dataclass(slots=True)
class Unit:
    key: str  # remote name
    template: str
    locale: str
    variant: str | None
    channel: str
    dialect: str
    subject: str | None = None
    preheader: str | None = None
    html: str | None = None
    text: str | None = None
    derived: dict[str, Any] = field(default_factory=dict)
    hash: str = ""
    #: what the dialect cannot express: ``dialects.ir.Problem`` as dicts (code, message,
    #: resource, path, line, column...); ``providers.lint`` turns them into findings
    problems: list[dict[str, Any]] = field(default_factory=list)

    def content(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "preheader": self.preheader,
            "html": self.html,
            "text": self.text,
        }

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def unit_key(template: str, locale: str, variant: str | None = None) -> str:
    """``interview-invitation--de-de``; a variant adds ``--v-b``."""
    middle = f"--v-{variant}" if variant else ""
    return f"{template}{middle}--{locale.lower()}"


def parse_key(key: str, locales: list[str]) -> tuple[str, str | None, str | None]:
    """(template id, variant, locale) from a remote name; locale None when unrecognised."""
    by_lower = {loc.lower(): loc for loc in locales}
    m = _LOCALE_SUFFIX.search(key)
    if not m:
        return key, None, None
    locale = by_lower.get(m.group(1), m.group(1))
    rest = key[: m.start()]
    variant = None
    if "--v-" in rest:
        rest, variant = rest.rsplit("--v-", 1)
    return rest, variant, locale


def content_hash(content: dict[str, Any], derived: dict[str, Any] | None = None) -> str:
    raw = json.dumps({"c": content, "d": derived or {}}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


class Compiler:
    """Compiles templates of one workspace for one dialect (with an on-disk cache)."""

    def __init__(
        self, ws: Workspace, dialect: str, *, cache: bool = True, renderer: Any = None
    ) -> None:
        from atscomms.rendering.render import Renderer

        self.ws = ws
        self.dialect = dialect
        self.renderer = renderer or Renderer(ws)  # lint shares its own (parsed sources)
        self.cache_dir = ws.root / ".atscomms" / "cache" / "compiled" if cache else None
        self._shared_key: str | None = None
        self.compiled = 0  # units compiled (not from cache), for benchmarks

    # -- keys ------------------------------------------------------------------------
    def _fingerprint(self, resource: Any) -> Any:
        data: dict[str, Any] = {"data": resource.doc.data}
        bodies = [getattr(resource, "body", None), *getattr(resource, "locales", {}).values()]
        if isinstance(resource, Template):
            bodies = [resource.parts.body, *(p.body for p in resource.locales.values())]
            for v in resource.variants:
                bodies += [v.parts.body, *(p.body for p in v.locales.values())]
        files = sorted({b.file for b in bodies if b is not None and getattr(b, "file", None)})
        data["files"] = {f: self.renderer.read_file(f) for f in files}
        return data

    def shared_key(self) -> str:
        if self._shared_key is None:
            ws = self.ws
            shared = {
                "v": COMPILER_VERSION,
                "dialect": self.dialect,
                "inliner": self.renderer.inliner,
                "brand": ws.config.brand,
                "locales": ws.config.locales,
                "fields": ws.fields.doc.data if ws.fields else None,
                "layouts": {k: self._fingerprint(v) for k, v in sorted(ws.layouts.items())},
                "partials": {k: self._fingerprint(v) for k, v in sorted(ws.partials.items())},
            }
            raw = json.dumps(shared, sort_keys=True, default=str, ensure_ascii=False)
            self._shared_key = hashlib.sha256(raw.encode()).hexdigest()
        return self._shared_key

    def source_key(self, template: Template) -> str:
        raw = json.dumps(
            [self.shared_key(), self._fingerprint(template)], sort_keys=True, default=str
        )
        return hashlib.sha256(raw.encode()).hexdigest()

    # -- units -----------------------------------------------------------------------
    def units(self, template: Template) -> list[Unit]:
        key = self.source_key(template)
        cached = self._load(key)
        if cached is not None:
            return cached
        out = []
        for variant in [None, *(v.id for v in template.variants)]:
            for locale in self.ws.config.locales:
                out.append(self.compile(template, locale, variant))
        self._save(key, out)
        return out

    def _load(self, key: str) -> list[Unit] | None:
        if self.cache_dir is None:
            return None
        path = self.cache_dir / f"{key}.json"
        try:
            return [Unit(**u) for u in json.loads(path.read_text("utf-8"))]
        except (OSError, ValueError, TypeError):
            return None

    def _save(self, key: str, units: list[Unit]) -> None:
        if self.cache_dir is None:
            return
        from atscomms.providers.state import atomic_write

        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            atomic_write(self.cache_dir / f"{key}.json", json.dumps([u.to_dict() for u in units]))
        except OSError:
            pass  # a cache is an optimisation

    def compile(
        self,
        template: Template,
        locale: str,
        variant: str | None = None,
        *,
        full: bool = True,
        check: bool = False,
    ) -> Unit:
        """``full=False`` skips MJML and CSS inlining: enough for most of what a dialect
        cannot express, not for what MJML moves. ``check=True``: only as far as problems
        go (``unit.problems`` exact; no plain-text conversion of the HTML, no hash)."""
        self.compiled += 1
        unit = Unit(
            unit_key(template.id, locale, variant),
            template.id,
            locale,
            variant,
            template.channel,
            self.dialect,
        )
        ctx = self._context(template, locale)
        parts = template.parts_for(locale, variant)
        subject = self._text(ctx, parts.subject, template)
        preheader = self._text(ctx, parts.preheader, template)
        body_src = (
            self.renderer.body_source(template.doc, parts.body, template.ref)
            if parts.body
            else None
        )
        fmt = parts.body.format if parts.body else "text"
        html_mode = template.channel == "email" and fmt in ("mjml", "html")
        body: tuple[Node, ...] = ()
        origin = Origin.of(body_src) if body_src is not None else None
        if body_src is not None:
            body = ctx.compile(body_src.text, html=html_mode, resource=template.ref, origin=origin)
            if template.channel == "sms":
                body = strip(body)
        tree = self._layout(ctx, template, locale, body, subject, preheader, html_mode)
        trees = [tree, subject or (), preheader or ()]
        emit = emitter(self.dialect, self.ws)
        if subject is not None:
            unit.subject = emit.emit(subject, template.ref)
        if preheader is not None:
            unit.preheader = emit.emit(preheader, template.ref)
        if template.channel == "sms" or fmt == "text":
            text = emit.emit(strip(tree), template.ref)
            unit.text = text if template.channel == "sms" else text + "\n"
        elif not full:
            emit.check(tree, template.ref)  # its problems; the text is not needed
        else:
            unit.html = self._html(emit, tree, fmt, locale, ctx, template, origin)
            if parts.text is not None:
                tree_text = strip(
                    ctx.compile(
                        parts.text.value,
                        html=False,
                        resource=template.ref,
                        origin=Origin(
                            parts.text.value, template.ref, template.doc, parts.text.path
                        ),
                    )
                )
                trees.append(tree_text)
                unit.text = emit.emit(tree_text, template.ref)
            elif unit.html is not None and not check:
                from atscomms.rendering.text import html_to_text

                unit.text = html_to_text(unit.html)
        derived: dict[str, Any] = {}
        for t in trees:
            derived.update(derived_fields(t))
        unit.derived = {k: list(v) for k, v in sorted(derived.items())}
        unit.problems = [asdict(p) for p in [*ctx.problems, *emit.problems]]
        if not check:
            unit.hash = content_hash(unit.content(), unit.derived)
        return unit

    # -- pieces ----------------------------------------------------------------------
    def _context(self, template: Template, locale: str) -> CompileContext:
        from atscomms.rendering.context import MARKETING

        static: dict[str, Any] = {"brand": dict(self.ws.config.brand), "locale": locale}
        url = self.ws.config.brand.get("preference_center_url")
        if template.category in MARKETING and url:
            static["unsubscribe_url"] = url
        engine = self.renderer.engine(locale)

        def partial(name: str) -> Origin | None:
            src = self.renderer.partial_source(name, locale)
            return Origin.of(src) if src else None

        return CompileContext(engine.parse, partial, static, locale, engine.analysis)

    def _text(self, ctx: CompileContext, value: Any, template: Template) -> tuple[Node, ...] | None:
        if value is None:
            return None
        origin = Origin(value.value, template.ref, template.doc, value.path)
        return strip(ctx.compile(value.value, html=False, resource=template.ref, origin=origin))

    def _layout(
        self,
        ctx: CompileContext,
        template: Template,
        locale: str,
        body: tuple[Node, ...],
        subject: tuple[Node, ...] | None,
        preheader: tuple[Node, ...] | None,
        html_mode: bool,
    ) -> tuple[Node, ...]:
        layout = self.ws.layouts.get(template.layout or "")
        lbody = layout.body_for(locale) if layout else None
        src = self.renderer.body_source(layout.doc, lbody, layout.ref) if layout and lbody else None
        if src is None:
            return body
        saved = ctx.static
        ctx.static = {
            **saved,
            "content": Fragment(body, safe=html_mode),
            "subject": Fragment(subject or (), safe=False),
            "preheader": Fragment(preheader or (), safe=False),
        }
        try:
            return ctx.compile(
                src.text,
                html=html_mode,
                resource=layout.ref,  # type: ignore[union-attr]
                origin=Origin.of(src),
            )
        finally:
            ctx.static = saved

    def _html(
        self,
        emit: Emitter,
        tree: tuple[Node, ...],
        fmt: str,
        locale: str,
        ctx: CompileContext,
        template: Template,
        origin: Origin | None,
    ) -> str | None:
        from atscomms.rendering.inline import inline_css
        from atscomms.rendering.mjml import MjmlError, to_html, wrap

        source, hidden = emit.emit_marked(align(tree), template.ref)
        top = Mark(origin, 1, "line") if origin is not None else None
        html = source
        if fmt == "mjml":
            try:
                html = to_html(
                    wrap(source), lang=locale, include=self.renderer._mj_include, offline=True
                )
            except (MjmlError, OSError) as exc:
                ctx.problems.append(Problem.at(top, f"MJML error: {exc}", "C001", template.ref))
                return None
        marks = MARK_RE.findall(html)
        html = guard_standalone(restore(inline_css(html, self.renderer.inliner), hidden))
        kept = set(block_tags(html))
        expected = [str(i) for i in range(len(hidden))]
        if marks != expected or not kept >= set(block_tags(restore(source, hidden))):
            # the first block tag MJML moved or dropped, else the first one there is
            pairs = zip(marks, expected, strict=False)
            moved = next((i for i, (a, b) in enumerate(pairs) if a != b), None)
            if moved is None and len(marks) < len(expected):
                moved = len(marks)
            ats = [emit.hidden_at[moved]] if moved is not None else []
            at = next((a for a in [*ats, *emit.hidden_at] if a is not None), top)
            ctx.problems.append(
                Problem.at(
                    at,
                    "a condition or loop wraps MJML elements; MJML moved or dropped it "
                    "(keep `{% if %}` and `{% for %}` inside one element, e.g. mj-text)",
                    "F107",
                    template.ref,
                )
            )
        return html


def workspace_path(ws: Workspace, rel: str) -> Path:
    """A settings path resolved inside the workspace (refuses to leave it)."""
    root = ws.root.resolve()
    path = (root / rel).resolve()
    if path != root and root not in path.parents:
        raise ValueError(f"path {rel!r} leaves the workspace")
    return path
