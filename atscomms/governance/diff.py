"""Semantic and rendered differences between two builds of a workspace.

Resources are compared by their parsed data (formatting-only edits are not
changes); templates by version, so a template whose layout, partials or fields
changed is listed with *how* it changed (``via``). With ``rendered=True`` both
sides are rendered and the subject, preheader, plain text and SMS text are
diffed per locale and persona; identical diffs are grouped.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from atscomms.governance.versions import canonical, inputs
from atscomms.model.resources import Persona, Resource, Template
from atscomms.model.workspace import Workspace

PARTS = ("subject", "preheader", "text", "sms")


@dataclass(slots=True)
class ResourceChange:
    kind: str
    id: str
    change: str  # added | removed | changed
    path: str
    keys: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "resource": f"{self.kind}:{self.id}",
            "kind": self.kind,
            "id": self.id,
            "change": self.change,
            "path": self.path,
            "keys": self.keys,
        }


@dataclass(slots=True)
class RenderedDiff:
    part: str
    labels: list[str]  # "en-US · sample data", "de-DE · campus-berlin"
    diff: str  # the first of the grouped diffs (context lines may differ between them)

    @property
    def key(self) -> str:
        """The changed lines only: diffs with the same key show the same change."""
        return change_key(self.diff)

    def to_dict(self) -> dict[str, Any]:
        return {"part": self.part, "where": self.labels, "diff": self.diff}


@dataclass(slots=True)
class TemplateChange:
    template: str
    change: str  # added | removed | changed
    version_a: str | None
    version_b: str | None
    via: list[str] = field(default_factory=list)
    rendered: list[RenderedDiff] = field(default_factory=list)
    status: str | None = None  # approval status on the head side
    missing: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "template": self.template,
            "change": self.change,
            "version_a": self.version_a,
            "version_b": self.version_b,
            "via": self.via,
            "status": self.status,
            "missing": self.missing,
            "rendered": [r.to_dict() for r in self.rendered],
        }


@dataclass(slots=True)
class DiffResult:
    resources: list[ResourceChange] = field(default_factory=list)
    templates: list[TemplateChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.resources and not self.templates


def _resources(ws: Workspace) -> dict[str, Resource]:
    return {r.ref: r for r in ws.resources()}


def changed_keys(a: Any, b: Any, prefix: str = "", depth: int = 3) -> list[str]:
    """Dotted paths where ``a`` and ``b`` differ (at most ``depth`` levels deep)."""
    if canonical(a) == canonical(b):
        return []
    if depth == 0 or not (isinstance(a, dict) and isinstance(b, dict)):
        return [prefix or "(whole file)"]
    out: list[str] = []
    for key in sorted(set(a) | set(b), key=str):
        out += changed_keys(
            a.get(key), b.get(key), f"{prefix}.{key}" if prefix else str(key), depth - 1
        )
    return out


def compare(
    ws_a: Workspace,
    ws_b: Workspace,
    *,
    rendered: bool = False,
    personas: list[str] | None = None,
    locales: list[str] | None = None,
) -> DiffResult:
    out = DiffResult()
    ra, rb = _resources(ws_a), _resources(ws_b)
    for ref in sorted(set(ra) | set(rb)):
        a, b = ra.get(ref), rb.get(ref)
        if a is None and b is not None:
            out.resources.append(ResourceChange(b.kind, b.id, "added", b.path))
        elif b is None and a is not None:
            out.resources.append(ResourceChange(a.kind, a.id, "removed", a.path))
        elif a is not None and b is not None:
            keys = changed_keys(a.data, b.data)
            if keys:
                out.resources.append(ResourceChange(b.kind, b.id, "changed", b.path, keys))
    for tid in sorted(set(ws_a.templates) | set(ws_b.templates)):
        ta, tb = ws_a.templates.get(tid), ws_b.templates.get(tid)
        ia = inputs(ws_a, ta) if ta else None
        ib = inputs(ws_b, tb) if tb else None
        if ia and ib and ia.version == ib.version:
            continue
        change = "changed" if ia and ib else ("added" if ib else "removed")
        tc = TemplateChange(tid, change, ia.version if ia else None, ib.version if ib else None)
        if ia and ib:
            tc.via = _via(ia.document, ib.document)
        if rendered:
            tc.rendered = render_diffs(ws_a, ta, ws_b, tb, personas=personas, locales=locales)
        out.templates.append(tc)
    return out


def _via(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    via: list[str] = []
    if canonical(a.get("template")) != canonical(b.get("template")):
        via.append("template")
    if canonical(a.get("files")) != canonical(b.get("files")):
        via.append("body files")
    if canonical(a.get("layout")) != canonical(b.get("layout")):
        layout = (b.get("template") or {}).get("layout") or (a.get("template") or {}).get("layout")
        via.append(f"layout:{layout}")
    pa, pb = a.get("partials") or {}, b.get("partials") or {}
    for name in sorted(set(pa) | set(pb)):
        if canonical(pa.get(name)) != canonical(pb.get(name)):
            via.append(f"partial:{name}")
    if canonical(a.get("fields")) != canonical(b.get("fields")):
        via.append("fields")
    if canonical(a.get("brand")) != canonical(b.get("brand")):
        via.append("brand")
    return via


def _parts(rendered: Any) -> dict[str, str]:
    if rendered is None:
        return {}
    out = {
        "subject": rendered.subject,
        "preheader": rendered.preheader,
        "text": rendered.text if rendered.channel == "email" else None,
        "sms": rendered.sms.text if rendered.sms is not None else None,
    }
    return {k: v for k, v in out.items() if v is not None}


def render_diffs(
    ws_a: Workspace,
    ta: Template | None,
    ws_b: Workspace,
    tb: Template | None,
    *,
    personas: list[str] | None = None,
    locales: list[str] | None = None,
) -> list[RenderedDiff]:
    """Unified diffs of each rendered part, per locale and persona (identical ones grouped).

    Sample data is rendered in every locale; each persona in its own locale (or in
    each of ``locales`` when given)."""
    from atscomms.rendering.render import Renderer

    rend_a, rend_b = Renderer(ws_a), Renderer(ws_b)
    all_locales = list(dict.fromkeys([*ws_b.config.locales, *ws_a.config.locales]))
    wanted_locales = locales or all_locales
    ids = list(dict.fromkeys([*ws_b.personas, *ws_a.personas]))
    combos: list[tuple[str, str | None]] = []
    if personas is None:
        combos += [(loc, None) for loc in wanted_locales]
    for pid in personas if personas is not None else ids:
        if pid in ("sample", "-"):
            combos += [(loc, None) for loc in wanted_locales]
            continue
        p = ws_b.personas.get(pid) or ws_a.personas.get(pid)
        if p is None:
            continue
        own = p.locale if p.locale in all_locales else ws_b.config.default_locale
        for loc in locales or [own]:
            combos.append((loc, pid))

    def persona(ws: Workspace, other: Workspace, pid: str | None) -> Persona | None:
        return None if pid is None else (ws.personas.get(pid) or other.personas.get(pid))

    groups: dict[tuple[str, str], tuple[str, list[str]]] = {}
    for loc, pid in combos:
        label = f"{loc} · {pid or 'sample data'}"
        pa = _parts(ta and rend_a.render(ta, persona=persona(ws_a, ws_b, pid), locale=loc))
        pb = _parts(tb and rend_b.render(tb, persona=persona(ws_b, ws_a, pid), locale=loc))
        for part in PARTS:
            if part not in pa and part not in pb:
                continue
            text = unified(pa.get(part, ""), pb.get(part, ""), part)
            if text:
                groups.setdefault((part, change_key(text)), (text, []))[1].append(label)
    return [RenderedDiff(part, labels, text) for (part, _), (text, labels) in groups.items()]


def change_key(diff: str) -> str:
    return "\n".join(
        line
        for line in diff.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++ ", "--- "))
    )


def unified(a: str, b: str, name: str) -> str:
    if a == b:
        return ""
    lines = difflib.unified_diff(
        a.splitlines(), b.splitlines(), f"a/{name}", f"b/{name}", n=2, lineterm=""
    )
    return "\n".join(lines) + "\n"
