"""Resolve references between resources; every dangling one is a finding at its position."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from atscomms.checks.registry import finding
from atscomms.findings import Finding
from atscomms.loading.document import Document, Path
from atscomms.loading.sources import CONFIG_NAME
from atscomms.loading.validate import did_you_mean
from atscomms.model.resources import Body, Template, list_items
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
    key: bool = False,
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
    if offset is not None:
        span = doc.span_in_value(path, offset, len(name))
    else:
        span = doc.key_span(path) if key else doc.span(path)
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
        inline = [b for b in (resource.body, *resource.locales.values()) if b and b.source]
        out.extend(_includes(ws, resource.doc, inline, resource.ref, resource.channel))
    for seq in ws.sequences.values():
        out.extend(_sequence(ws, seq.doc, seq.ref))
    for persona in ws.personas.values():
        out.extend(_persona(ws, persona))
    if ws.fields is not None:
        for i, f in enumerate(list_items(ws.fields.doc.data.get("fields"))):
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
                hint=f"Use {_a(t.channel)} layout.",
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
    yield from _includes(ws, doc, list(_inline_bodies(t)), ref, t.channel)


def _includes(
    ws: Workspace, doc: Document, bodies: list[Body], ref: str, channel: str | None
) -> Iterator[Finding]:
    for body in bodies:
        assert body.source is not None
        for name, offset in includes(body.source.value):
            partial = ws.partials.get(name)
            if partial is None:
                yield _unknown(
                    doc, body.source.path, "partial", name, ws.partials, resource=ref, offset=offset
                )
            elif partial.channel and channel and partial.channel != channel:
                yield finding(
                    "R007",
                    doc.path,
                    doc.span_in_value(body.source.path, offset, len(name)),
                    f"partial {name!r} is for {partial.channel}, this {ref.split(':')[0]} is "
                    f"for {channel}",
                    hint=f"Include {_a(channel)} partial.",
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
        for i, track in enumerate(list_items(doc.get(("tracks",)))):
            if isinstance(track, dict):
                yield ("tracks", i, "steps")

    for base in step_lists():
        steps = [s if isinstance(s, dict) else {} for s in list_items(doc.get(base))]
        first_index: dict[str, int] = {}
        for i, step in enumerate(steps):
            sid = step.get("id")
            if isinstance(sid, str):
                if sid in first_index:
                    yield finding(
                        "R002",
                        doc.path,
                        doc.span((*base, i, "id")),
                        f"step id {sid!r} is also used by step {first_index[sid] + 1}",
                        hint="Give every step of a sequence its own id.",
                        resource=ref,
                    )
                first_index.setdefault(sid, i)
        for i, step in enumerate(steps):
            yield from _step(ws, doc, ref, (*base, i), step, set(first_index))
    for path in _conditions(doc):
        yield from _field(ws, doc, (*path, "field"), ref)
    yield from _stages(ws, doc, ("pause_on",), ref)
    stage = doc.get(("trigger", "stage"))
    if isinstance(stage, str) and ws.config.stages and stage not in ws.config.stages:
        yield _unknown(
            doc, ("trigger", "stage"), "stage", stage, ws.config.stages, resource=ref, code="R006"
        )


def _step(
    ws: Workspace, doc: Document, ref: str, here: Path, step: dict, ids: set[str]
) -> Iterator[Finding]:
    name = step.get("send")
    template = ws.templates.get(name) if isinstance(name, str) else None
    if isinstance(name, str) and template is None and name not in ws.unloaded:
        yield _unknown(doc, (*here, "send"), "template", name, ws.templates, resource=ref)
    channel = step.get("channel")
    if template is not None and isinstance(channel, str) and channel != template.channel:
        yield finding(
            "R007",
            doc.path,
            doc.span((*here, "channel")),
            f"step sends {name!r} as {channel}, but that template is {template.channel}",
            hint=f"Use `channel: {template.channel}`.",
            resource=ref,
        )
    for j, arm in enumerate(list_items(step.get("split"))):
        if not isinstance(arm, dict):
            continue
        arm_name = arm.get("template", name)
        arm_template = ws.templates.get(arm_name) if isinstance(arm_name, str) else None
        if isinstance(arm.get("template"), str) and arm_template is None:
            if arm_name in ws.unloaded:
                continue
            yield _unknown(
                doc,
                (*here, "split", j, "template"),
                "template",
                arm_name,
                ws.templates,
                resource=ref,
            )
        variant = arm.get("variant")
        if arm_template is not None and isinstance(variant, str):
            variants = {v.id for v in arm_template.variants}
            if variant not in variants:
                yield _unknown(
                    doc, (*here, "split", j, "variant"), "variant", variant, variants, resource=ref
                )
    branch = step.get("branch")
    if isinstance(branch, dict):
        for key in ("then", "else"):
            target = branch.get(key)
            if isinstance(target, str) and target not in ids:
                yield _unknown(doc, (*here, "branch", key), "step", target, ids, resource=ref)
    if isinstance(step.get("wait_until"), dict):
        yield from _field(ws, doc, (*here, "wait_until", "field"), ref)


def _conditions(doc: Document) -> Iterator[Path]:
    """Paths of every condition object (`when:`, `branch.if`) in a sequence."""
    for key in ("segments", "tracks"):
        for i, item in enumerate(list_items(doc.get((key,)))):
            if isinstance(item, dict) and isinstance(item.get("when"), dict):
                yield (key, i, "when")
    bases: list[Path] = [("steps",)]
    bases += [("tracks", i, "steps") for i, _ in enumerate(list_items(doc.get(("tracks",))))]
    for base in bases:
        for i, step in enumerate(list_items(doc.get(base))):
            branch = step.get("branch") if isinstance(step, dict) else None
            if isinstance(branch, dict) and isinstance(branch.get("if"), dict):
                yield (*base, i, "branch", "if")


def _field(ws: Workspace, doc: Document, path: Path, ref: str) -> Iterator[Finding]:
    name = doc.get(path)
    if ws.fields is not None and isinstance(name, str) and name not in ws.fields.fields:
        yield _unknown(doc, path, "field", name, ws.fields.fields, resource=ref, code="R005")


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
                yield _unknown(  # the name is the key: underline it, not its value
                    doc, ("fields", name), "field", name, known, resource=ref, code="R005", key=True
                )


def _governance(ws: Workspace) -> Iterator[Finding]:
    gov = ws.governance
    assert gov is not None
    roles = gov.doc.get(("roles",)) or {}
    for i, rule in enumerate(list_items(gov.doc.get(("approvals",)))):
        if not isinstance(rule, dict):
            continue
        for j, role in enumerate(list_items(rule.get("require"))):
            if isinstance(role, str) and role not in roles:
                yield _unknown(
                    gov.doc, ("approvals", i, "require", j), "role", role, roles, resource=gov.ref
                )


def _a(channel: str | None) -> str:
    return "an email" if channel == "email" else f"an {channel.upper()}" if channel else "a"
