"""Resolve references between resources; every dangling one is a finding at its position."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from atscomms.checks.registry import finding
from atscomms.findings import Finding
from atscomms.loading.document import Document, Path
from atscomms.loading.sources import CONFIG_NAME
from atscomms.loading.validate import did_you_mean
from atscomms.model.resources import Body, Template
from atscomms.model.workspace import Workspace

INCLUDE = re.compile(r"""\{%-?\s*include\s+(["'])([^"']+)\1""")


def includes(text: str) -> Iterator[tuple[str, int]]:
    """``(partial id, offset of the id)`` for each ``{% include "id" %}`` in ``text``."""
    for m in INCLUDE.finditer(text):
        yield m.group(2), m.start(2)


def _unknown(
    doc: Document,
    path: Path,
    what: str,
    name: str,
    known: Iterable[str],
    *,
    resource: str | None = None,
    offset: int | None = None,
    code: str = "R001",
) -> Finding:
    known = sorted(known)
    guess = did_you_mean(name, known)
    if guess:
        hint = f"Did you mean `{guess}`?"
    elif known:
        shown = ", ".join(known[:8]) + (", ..." if len(known) > 8 else "")
        hint = f"Known {what}s: {shown}"
    else:
        hint = f"No {what} is defined yet."
    span = doc.span_in_value(path, offset, len(name)) if offset is not None else doc.span(path)
    return finding(code, doc.path, span, f"unknown {what} {name!r}", hint=hint, resource=resource)


def resolve(ws: Workspace) -> list[Finding]:
    out: list[Finding] = []
    out.extend(_config(ws))
    for template in ws.templates.values():
        out.extend(_template(ws, template))
    for resource in (*ws.layouts.values(), *ws.partials.values()):
        bodies = [("body",), *(("locales", loc, "body") for loc in resource.locales)]
        out.extend(_files(ws, resource.doc, bodies, resource.ref))
        out.extend(_locales(ws, resource.doc, resource.ref))
    for seq in ws.sequences.values():
        out.extend(_sequence(ws, seq.doc, seq.ref))
    for persona in ws.personas.values():
        out.extend(_persona(ws, persona))
    if ws.fields is not None:
        for i, f in enumerate(ws.fields.doc.data.get("fields") or []):
            if isinstance(f, dict):
                out.extend(_stages(ws, ws.fields.doc, ("fields", i, "stages"), ws.fields.ref))
    if ws.governance is not None:
        out.extend(_governance(ws))
    return out


def _config(ws: Workspace) -> Iterator[Finding]:
    cfg = ws.config
    doc = cfg.doc
    if "default_locale" in doc.data and cfg.default_locale not in cfg.locales:
        yield _unknown(
            doc, ("default_locale",), "locale", cfg.default_locale, cfg.locales, code="R004"
        )
    for kind, rel in cfg.paths.items():
        resource = getattr(ws, kind, None)
        if resource is None or resource.path != rel:
            yield finding(
                "R001",
                CONFIG_NAME,
                doc.span(("paths", kind)),
                f"paths.{kind} points to {rel!r}, which is not a `kind: {kind}` file",
                hint=f"Create {rel} with `kind: {kind}`, or correct the path.",
            )


def _locales(ws: Workspace, doc: Document, ref: str, base: Path = ()) -> Iterator[Finding]:
    overrides = doc.get((*base, "locales"))
    if isinstance(overrides, dict):
        for loc in overrides:
            if loc not in ws.config.locales:
                yield _unknown(
                    doc,
                    (*base, "locales", loc),
                    "locale",
                    loc,
                    ws.config.locales,
                    resource=ref,
                    code="R004",
                )


def _files(ws: Workspace, doc: Document, paths: Iterable[Path], ref: str) -> Iterator[Finding]:
    for path in paths:
        raw = doc.get((*path, "file"))
        if not isinstance(raw, str):
            continue
        from atscomms.model.resources import body_from

        body = body_from(doc, path)
        rel = body.file if body else None
        span = doc.span((*path, "file"))
        if (
            raw.startswith(("/", "\\"))
            or (len(raw) > 1 and raw[1] == ":")
            or (rel is None or rel.startswith(".."))
        ):
            yield finding(
                "R003",
                doc.path,
                span,
                f"body file {raw!r} is outside the workspace",
                hint="Keep body files inside the workspace folder.",
                resource=ref,
            )
        elif not ws.source.exists(rel):
            yield finding(
                "R003",
                doc.path,
                span,
                f"body file {raw!r} does not exist ({rel})",
                hint="Create the file or correct the path (relative to this YAML file).",
                resource=ref,
            )


def _template(ws: Workspace, t: Template) -> Iterator[Finding]:
    doc, ref = t.doc, t.ref
    if t.layout is not None:
        layout = ws.layouts.get(t.layout)
        if layout is None:
            yield _unknown(doc, ("layout",), "layout", t.layout, ws.layouts, resource=ref)
        elif layout.channel != t.channel:
            yield finding(
                "R007",
                doc.path,
                doc.span(("layout",)),
                f"layout {t.layout!r} is for {layout.channel}, this template is {t.channel}",
                hint=f"Use a {t.channel} layout.",
                resource=ref,
            )
    if t.stage is not None and ws.config.stages and t.stage not in ws.config.stages:
        yield _unknown(
            doc, ("stage",), "stage", t.stage, ws.config.stages, resource=ref, code="R006"
        )
    yield from _locales(ws, doc, ref)
    body_paths: list[Path] = [("body",), *(("locales", loc, "body") for loc in t.locales)]
    for i, v in enumerate(t.variants):
        yield from _locales(ws, doc, ref, ("variants", i))
        body_paths.append(("variants", i, "body"))
        body_paths.extend(("variants", i, "locales", loc, "body") for loc in v.locales)
    yield from _files(ws, doc, body_paths, ref)
    for body in _inline_bodies(t):
        assert body.source is not None
        for name, offset in includes(body.source.value):
            partial = ws.partials.get(name)
            if partial is None:
                yield _unknown(
                    doc, body.source.path, "partial", name, ws.partials, resource=ref, offset=offset
                )
            elif partial.channel and partial.channel != t.channel:
                yield finding(
                    "R007",
                    doc.path,
                    doc.span_in_value(body.source.path, offset, len(name)),
                    f"partial {name!r} is for {partial.channel}, this template is {t.channel}",
                    hint=f"Include a {t.channel} partial.",
                    resource=ref,
                )


def _inline_bodies(t: Template) -> Iterator[Body]:
    parts = [t.parts, *t.locales.values()]
    for v in t.variants:
        parts.append(v.parts)
        parts.extend(v.locales.values())
    for p in parts:
        if p.body is not None and p.body.source is not None:
            yield p.body


def _stages(ws: Workspace, doc: Document, path: Path, ref: str) -> Iterator[Finding]:
    stages = doc.get(path)
    if not ws.config.stages or not isinstance(stages, list):
        return
    for i, stage in enumerate(stages):
        if isinstance(stage, str) and stage not in ws.config.stages and stage != "all":
            yield _unknown(
                doc, (*path, i), "stage", stage, ws.config.stages, resource=ref, code="R006"
            )


def _sequence(ws: Workspace, doc: Document, ref: str) -> Iterator[Finding]:
    def step_lists() -> Iterator[Path]:
        yield ("steps",)
        for i, track in enumerate(doc.get(("tracks",)) or []):
            if isinstance(track, dict):
                yield ("tracks", i, "steps")

    for base in step_lists():
        steps = doc.get(base) or []
        ids = {s.get("id") for s in steps if isinstance(s, dict) and isinstance(s.get("id"), str)}
        for i, step in enumerate(steps):
            if not isinstance(step, dict):
                continue
            here = (*base, i)
            if isinstance(step.get("send"), str) and step["send"] not in ws.templates:
                yield _unknown(
                    doc, (*here, "send"), "template", step["send"], ws.templates, resource=ref
                )
            for j, arm in enumerate(step.get("split") or []):
                name = arm.get("template") if isinstance(arm, dict) else None
                if isinstance(name, str) and name not in ws.templates:
                    yield _unknown(
                        doc,
                        (*here, "split", j, "template"),
                        "template",
                        name,
                        ws.templates,
                        resource=ref,
                    )
            branch = step.get("branch")
            if isinstance(branch, dict):
                for key in ("then", "else"):
                    target = branch.get(key)
                    if isinstance(target, str) and target not in ids:
                        yield _unknown(
                            doc,
                            (*here, "branch", key),
                            "step",
                            target,
                            {x for x in ids if x},
                            resource=ref,
                        )
    yield from _stages(ws, doc, ("pause_on",), ref)


def _persona(ws: Workspace, persona) -> Iterator[Finding]:
    doc, ref = persona.doc, persona.ref
    if persona.locale and persona.locale not in ws.config.locales:
        yield _unknown(
            doc, ("locale",), "locale", persona.locale, ws.config.locales, resource=ref, code="R004"
        )
    if ws.fields is not None:
        known = ws.fields.fields
        for name in persona.fields:
            if name not in known:
                yield _unknown(
                    doc, ("fields", name), "field", name, known, resource=ref, code="R005"
                )


def _governance(ws: Workspace) -> Iterator[Finding]:
    gov = ws.governance
    assert gov is not None
    roles = gov.doc.get(("roles",)) or {}
    for i, rule in enumerate(gov.doc.get(("approvals",)) or []):
        if not isinstance(rule, dict):
            continue
        for j, role in enumerate(rule.get("require") or []):
            if isinstance(role, str) and role not in roles:
                yield _unknown(
                    gov.doc, ("approvals", i, "require", j), "role", role, roles, resource=gov.ref
                )
