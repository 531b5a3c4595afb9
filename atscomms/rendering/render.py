"""Render one template for a persona, locale and variant: subject, preheader, HTML,
plain text and SMS, each part on its own so one broken part does not hide the rest.

    body  --Jinja (sandbox)-->  content  --layout-->  MJML --mjml--> HTML --inline CSS-->
    HTML --html_to_text--> text;   SMS: text body --layout--> text --> encoding/segments
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from atscomms.checks.registry import finding
from atscomms.findings import Finding, Span
from atscomms.loading.document import Document, Path
from atscomms.model.resources import Body, Persona, Template, Text
from atscomms.model.workspace import Workspace
from atscomms.rendering.context import build_context
from atscomms.rendering.engine import Engine, MissingValue, fields

#: Seconds spent per stage since start-up (benchmarks print the shares).
TIMINGS: Counter[str] = Counter()


@dataclass(slots=True)
class Source:
    """Template text and where it lives, so errors point into the user's file."""

    text: str
    resource: str
    doc: Document | None = None
    path: Path | None = None  # inline: path of the string in doc
    file: str | None = None  # file body: workspace-relative path

    def locate(self, lineno: int, token: str = "") -> tuple[str, Span]:
        lines = self.text.split("\n")
        lineno = min(max(lineno, 1), len(lines))
        line = lines[lineno - 1]
        col = line.find(token) if token else -1
        length = len(token) if col >= 0 else len(line.strip()) or 1
        col = col if col >= 0 else len(line) - len(line.lstrip())
        if self.file is not None or self.doc is None or self.path is None:
            return self.file or "", Span(lineno, col + 1, lineno, col + 1 + length)
        offset = sum(len(x) + 1 for x in lines[: lineno - 1]) + col
        return self.doc.path, self.doc.span_in_value(self.path, offset, length)


@dataclass(slots=True)
class Rendered:
    template: str
    locale: str
    persona: str | None
    variant: str | None
    channel: str
    subject: str | None = None
    preheader: str | None = None
    html: str | None = None
    text: str | None = None
    sms: Any = None  # rendering.sms.SmsInfo
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(str(f.severity) == "error" for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "template": self.template,
            "locale": self.locale,
            "persona": self.persona,
            "variant": self.variant,
            "channel": self.channel,
            "subject": self.subject,
            "preheader": self.preheader,
            "html": self.html,
            "text": self.text,
            "sms": self.sms.to_dict() if self.sms is not None else None,
        }


class RenderFailed(Exception):
    """A part could not be rendered; its findings are already recorded."""


class Renderer:
    def __init__(self, ws: Workspace, *, offline: bool = True, inliner: str | None = None):
        self.ws = ws
        self.offline = offline
        self.inliner = inliner or ws.config.render.get("inliner") or "css-inline"
        self._engines: dict[str, Engine] = {}
        self._files: dict[str, str | None] = {}
        self._contexts: dict[tuple, tuple[Persona | None, Any]] = {}

    # -- sources -------------------------------------------------------------------
    def engine(self, locale: str) -> Engine:
        engine = self._engines.get(locale)
        if engine is None:
            engine = self._engines[locale] = Engine(locale, lambda n: self._partial_text(n, locale))
        return engine

    def _partial_text(self, name: str, locale: str) -> str | None:
        src = self.partial_source(name, locale)
        return src.text if src else None

    def partial_source(self, name: str, locale: str) -> Source | None:
        partial = self.ws.partials.get(name)
        if partial is None:
            return None
        body = partial.body_for(locale)
        return self.body_source(partial.doc, body, partial.ref) if body else None

    def read_file(self, rel: str) -> str | None:
        if rel not in self._files:
            try:
                self._files[rel] = self.ws.source.read(rel).decode("utf-8")
            except (OSError, UnicodeDecodeError, KeyError):
                self._files[rel] = None
        return self._files[rel]

    def body_source(self, doc: Document, body: Body, resource: str) -> Source | None:
        if body.source is not None:
            return Source(body.source.value, resource, doc, body.source.path)
        if body.file and not body.file.startswith(".."):
            text = self.read_file(body.file)
            if text is not None:
                return Source(text, resource, file=body.file)
        return None

    # -- one part ------------------------------------------------------------------
    def run(
        self, src: Source, context: dict[str, Any], locale: str, *, html: bool, out: Rendered
    ) -> str:
        import jinja2
        from jinja2.sandbox import SecurityError

        engine = self.engine(locale)
        started = time.perf_counter()
        try:
            self._check_subset(engine, src, locale, out, seen=set())
            return engine.render(src.text, context, html=html)
        except jinja2.TemplateSyntaxError as exc:
            where = self._frame_source(exc, src, locale)
            self._add(
                out,
                "S014",
                where,
                exc.lineno or 1,
                "",
                f"template syntax error: {exc.message}",
                "Fix the Jinja syntax at this line.",
            )
        except MissingValue as exc:
            where, lineno = self._traceback_line(exc, src, locale)
            who = f"persona {out.persona!r}" if out.persona else "the sample data"
            self._add(
                out,
                "F003",
                where,
                lineno,
                exc.name.rsplit(".", 1)[-1],
                f"no value for `{exc.name}` in {who}",
                f'Add a fallback: `{{{{ {exc.name} | default("...") }}}}` or '
                f"`{{% if {exc.name} %}}`, or give the persona a value.",
            )
        except jinja2.TemplateNotFound as exc:
            where, lineno = self._traceback_line(exc, src, locale)
            self._add(
                out,
                "R001",
                where,
                lineno,
                exc.name,
                f"unknown partial {exc.name!r}",
                "Create the partial or correct the id.",
            )
        except SecurityError as exc:
            where, lineno = self._traceback_line(exc, src, locale)
            self._add(
                out,
                "F002",
                where,
                lineno,
                "",
                f"unsafe template expression: {exc}",
                "Use only dotted field names, `default` and formatting filters.",
            )
        except _Unsafe:
            pass
        except Exception as exc:  # noqa: BLE001 - a filter given a bad value, a type error...
            where, lineno = self._traceback_line(exc, src, locale)
            self._add(
                out,
                "F004",
                where,
                lineno,
                "",
                f"cannot render: {exc}",
                "Check the field value in the persona or the registry sample.",
            )
        finally:
            TIMINGS["jinja"] += time.perf_counter() - started
        raise RenderFailed

    def _check_subset(
        self, engine: Engine, src: Source, locale: str, out: Rendered, seen: set[str]
    ) -> None:
        analysis = engine.analysis(src.text)
        unsafe = False
        for issue in analysis.issues:
            self._add(
                out,
                issue.code,
                src,
                issue.lineno,
                issue.token,
                issue.message,
                "Keep to the portable subset: dotted fields, `default`, formatting "
                "filters, if/elif/else, for, include.",
            )
            unsafe = unsafe or issue.code == "F002"
        for name, _line in analysis.includes:
            if name not in seen:
                seen.add(name)
                partial = self.partial_source(name, locale)
                if partial is not None:
                    self._check_subset(engine, partial, locale, out, seen)
        if unsafe:
            raise _Unsafe

    def _frame_source(self, exc: BaseException, src: Source, locale: str) -> Source:
        name = getattr(exc, "name", None)
        if isinstance(name, str) and name != src.resource:
            partial = self.partial_source(name, locale)
            if partial is not None:
                return partial
        return src

    def _traceback_line(self, exc: BaseException, src: Source, locale: str) -> tuple[Source, int]:
        from atscomms.rendering.direct import template_frames

        where, lineno = src, 1
        for filename, line in template_frames(exc):
            if filename == "<template>":
                where, lineno = src, line
            elif filename.startswith("<partial:"):
                partial = self.partial_source(filename[9:-1], locale)
                if partial is not None:
                    where, lineno = partial, line
        return where, lineno

    def _add(
        self,
        out: Rendered,
        code: str,
        src: Source,
        lineno: int,
        token: str,
        message: str,
        hint: str,
    ) -> None:
        path, span = src.locate(lineno, token)
        f = finding(code, path, span, message, hint=hint, resource=src.resource, locale=out.locale)
        if all(f.key != g.key or f.message != g.message for g in out.findings):
            out.findings.append(f)

    # -- a whole message -----------------------------------------------------------------
    def render(
        self,
        template: Template,
        *,
        persona: Persona | None = None,
        locale: str | None = None,
        variant: str | None = None,
        full: bool = True,
    ) -> Rendered:
        """Render every part. ``full=False`` stops after Jinja (no MJML, CSS or text
        conversion): enough to find missing values for many personas cheaply."""
        locale = (
            locale
            or (persona.locale if persona and persona.locale in self.ws.config.locales else None)
            or self.ws.config.default_locale
        )
        out = Rendered(
            template.id, locale, persona.id if persona else None, variant, template.channel
        )
        parts = template.parts_for(locale, variant)
        context = self._context(template, persona, locale)
        doc = template.doc

        def text_part(value: Text | None) -> str | None:
            if value is None:
                return None
            try:
                return self.run(
                    Source(value.value, template.ref, doc, value.path),
                    context,
                    locale,
                    html=False,
                    out=out,
                ).strip()
            except RenderFailed:
                return None

        out.subject = text_part(parts.subject)
        out.preheader = text_part(parts.preheader)
        body = parts.body
        src = self.body_source(doc, body, template.ref) if body else None
        if src is None:
            return out
        try:
            if template.channel == "sms":
                self._sms(template, src, context, locale, out)
            else:
                self._email(template, body.format, src, context, locale, out, full)  # type: ignore[union-attr]
                if parts.text is not None:
                    out.text = text_part(parts.text)
        except RenderFailed:
            pass
        return out

    def _context(self, template: Template, persona: Persona | None, locale: str) -> Any:
        """The render context (:func:`build_context`, wrapped), shared by every render of
        the same stage, category, persona and locale: templates never change it."""
        key = (template.stage, template.category, persona.id if persona else None, locale)
        found = self._contexts.get(key)
        if found is None or found[0] is not persona:
            if len(self._contexts) > 256:
                self._contexts.clear()
            found = self._contexts[key] = (
                persona,
                fields(build_context(self.ws, template, persona, locale)),
            )
        return found[1]

    def _layout(self, template: Template, locale: str) -> Source | None:
        layout = self.ws.layouts.get(template.layout or "")
        if layout is None:
            return None
        body = layout.body_for(locale)
        return self.body_source(layout.doc, body, layout.ref) if body else None

    def _sms(
        self, template: Template, src: Source, context: dict[str, Any], locale: str, out: Rendered
    ) -> None:
        from atscomms.rendering.sms import analyze

        content = self.run(src, context, locale, html=False, out=out).strip()
        layout = self._layout(template, locale)
        if layout is not None:
            content = self.run(
                layout, {**context, "content": content}, locale, html=False, out=out
            ).strip()
        out.text = content
        out.sms = analyze(content)

    def _email(
        self,
        template: Template,
        fmt: str,
        src: Source,
        context: dict[str, Any],
        locale: str,
        out: Rendered,
        full: bool = True,
    ) -> None:
        html_mode = fmt in ("mjml", "html")
        content = self.run(src, context, locale, html=html_mode, out=out)
        own = content  # the template's part, before its layout wraps it
        layout = self._layout(template, locale)
        if layout is not None:
            wrapped = {
                **context,
                "content": Markup(content) if html_mode else content,
                "subject": out.subject or "",
                "preheader": out.preheader or "",
            }
            content = self.run(layout, wrapped, locale, html=html_mode, out=out)
        if fmt == "text":
            out.text = content.strip() + "\n"
            return
        if not full:
            return
        html = self._mjml(content, locale, src, layout, out, own) if fmt == "mjml" else content
        started = time.perf_counter()
        from atscomms.rendering.inline import inline_css

        out.html = inline_css(html, self.inliner)
        TIMINGS["inline"] += time.perf_counter() - started
        started = time.perf_counter()
        from atscomms.rendering.text import html_to_text

        out.text = html_to_text(out.html)
        TIMINGS["text"] += time.perf_counter() - started

    def _mjml(
        self,
        content: str,
        locale: str,
        src: Source,
        layout: Source | None,
        out: Rendered,
        own: str,
    ) -> str:
        from atscomms.rendering.mjml import MjmlError, to_html, wrap

        started = time.perf_counter()
        try:
            return to_html(
                wrap(content), lang=locale, include=self._mj_include, offline=self.offline
            )
        except MjmlError as exc:
            where = src
            if layout is not None:  # blame the layout only if the template compiles alone
                try:
                    to_html(wrap(own), include=self._mj_include, offline=True)
                    where = layout
                except MjmlError:
                    pass
            self._add(
                out,
                "C001",
                where,
                1,
                "",
                f"MJML error: {exc}",
                "Check that every MJML tag is closed and nested as MJML requires "
                "(mj-section > mj-column > mj-text).",
            )
            raise RenderFailed from None
        finally:
            TIMINGS["mjml"] += time.perf_counter() - started

    def _mj_include(self, path: str) -> str:
        from atscomms.model.resources import _join

        rel = _join("", path)
        if path.startswith(("/", "\\")) or rel.startswith("..") or ":" in path:
            raise PermissionError(f"mj-include path {path!r} leaves the workspace")
        text = self.read_file(rel)
        if text is None:
            raise FileNotFoundError(path)
        return text


class _Unsafe(Exception):
    """The source holds an unsafe construct: reported, never executed."""
