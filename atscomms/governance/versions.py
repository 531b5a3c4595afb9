"""Template versions: a stable content hash of a template *as sent*.

Public API::

    from atscomms.governance.versions import template_version
    version = template_version(ws, ws.templates["offer-extended"])   # "3f9c0a1e5d2b7c44"

The version is the first 16 hex digits of a SHA-256 over a canonical JSON
document built from the *parsed* data (keys sorted, no whitespace), so edits
that only change YAML formatting, quoting, key order or comments keep the
version. It covers everything that shapes the message:

* the template's own data (every locale and A/B variant; ``file:`` bodies by
  content), except bookkeeping keys that never reach a candidate
  (:data:`METADATA_KEYS`: ``name``, ``description``, ``tags``, ``owner``,
  ``review``);
* its layout and every partial it includes, directly or nested (from any
  locale), the same way;
* the registry entries of every field those sources use (``description`` left
  out), the brand values they use (``brand.*``) and, for marketing categories,
  the preference-center URL behind ``unsubscribe_url``.

So a change to a shared footer (layout) changes the version of every template
that uses it, which is what invalidates their approvals.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from atscomms.loading.sources import CONFIG_NAME
from atscomms.model.resources import Body, Template
from atscomms.model.workspace import Workspace

#: Template keys that document a template but never change what is sent.
METADATA_KEYS = frozenset({"name", "description", "tags", "owner", "review"})
#: The same for layouts, partials and field registry entries.
SHARED_METADATA_KEYS = frozenset({"name", "description"})
#: Length of a version string (hex digits of SHA-256).
VERSION_LENGTH = 16


@dataclass(slots=True)
class VersionInputs:
    """What a version was computed from (``files``: every workspace file it depends on)."""

    version: str
    document: dict[str, Any]
    files: set[str] = field(default_factory=set)
    layout: str | None = None
    partials: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)


def canonical(data: Any) -> str:
    """Canonical JSON of plain YAML data (dates and other scalars as strings)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def digest(document: Any) -> str:
    return hashlib.sha256(canonical(document).encode("utf-8")).hexdigest()[:VERSION_LENGTH]


def template_version(ws: Workspace, template: Template) -> str:
    """The content hash of ``template`` as sent (see the module docstring)."""
    return inputs(ws, template).version


def versions(ws: Workspace) -> dict[str, str]:
    """Every template's version, by template id."""
    return {tid: template_version(ws, t) for tid, t in sorted(ws.templates.items())}


def inputs(ws: Workspace, template: Template) -> VersionInputs:
    """The version of ``template`` with everything it was computed from."""
    files: set[str] = {template.path}
    texts: list[str] = []
    body_files: dict[str, str | None] = {}

    def bodies_of(resource_bodies: list[Body | None]) -> None:
        for body in resource_bodies:
            if body is None:
                continue
            if body.source is not None:
                texts.append(body.source.value)
            elif body.file:
                text = _read(ws, body.file)
                files.add(body.file)
                body_files[body.file] = text
                if text is not None:
                    texts.append(text)

    bodies: list[Body | None] = [p.body for p in (template.parts, *template.locales.values())]
    for v in template.variants:
        bodies += [p.body for p in (v.parts, *v.locales.values())]
    bodies_of(bodies)
    for parts in (template.parts, *template.locales.values()):
        texts += [t.value for t in (parts.subject, parts.preheader, parts.text) if t is not None]
    for v in template.variants:
        for parts in (v.parts, *v.locales.values()):
            texts += [t.value for t in (parts.subject, parts.preheader, parts.text) if t]

    document: dict[str, Any] = {
        "template": _strip(template.data, METADATA_KEYS),
    }
    layout = ws.layouts.get(template.layout or "")
    if layout is not None:
        files.add(layout.path)
        document["layout"] = _strip(layout.data, SHARED_METADATA_KEYS)
        bodies_of([layout.body, *layout.locales.values()])
    elif template.layout:
        document["layout"] = {"missing": template.layout}

    partials: dict[str, Any] = {}
    pending = list(texts)
    while pending:
        text = pending.pop()
        for name in _includes(text):
            if name in partials:
                continue
            partial = ws.partials.get(name)
            if partial is None:
                partials[name] = {"missing": name}
                continue
            files.add(partial.path)
            partials[name] = _strip(partial.data, SHARED_METADATA_KEYS)
            before = len(texts)
            bodies_of([partial.body, *partial.locales.values()])
            pending.extend(texts[before:])
    document["partials"] = partials
    document["files"] = {
        rel: (text.replace("\r\n", "\n") if text is not None else None)
        for rel, text in sorted(body_files.items())
    }

    refs: set[str] = set()
    for text in texts:
        refs.update(field_refs(text))
    prefixes = {ref[:i] for ref in refs for i, ch in enumerate(ref) if ch == "."}
    used: dict[str, Any] = {}
    if ws.fields is not None:
        entries = ws.fields.doc.data.get("fields") or []
        for name, fdef in ws.fields.fields.items():
            if _uses(name, refs, prefixes):
                entry = entries[fdef.index] if fdef.index < len(entries) else {}
                used[name] = _strip(entry, SHARED_METADATA_KEYS)
        files.add(ws.fields.path)
    document["fields"] = used
    brand = {k: v for k, v in ws.config.brand.items() if _uses(f"brand.{k}", refs, prefixes)}
    if "unsubscribe_url" in refs and template.category in ("nurture", "sourcing"):
        brand["preference_center_url"] = ws.config.brand.get("preference_center_url")
    document["brand"] = brand
    if brand:
        files.add(CONFIG_NAME)
    return VersionInputs(
        version=digest(document),
        document=document,
        files=files,
        layout=layout.id if layout is not None else None,
        partials=sorted(partials),
        fields=sorted(used),
    )


def _strip(data: Any, keys: frozenset[str]) -> Any:
    if not isinstance(data, dict):
        return data
    return {k: v for k, v in data.items() if k not in keys}


def _uses(name: str, refs: set[str], prefixes: set[str]) -> bool:
    """``name`` is read (``name``), read below (``name.x``) or tested above (``{% if n %}``
    for ``n.x``); ``prefixes`` holds every proper dotted prefix of ``refs``."""
    if name in refs or name in prefixes:
        return True
    return any(name[:i] in refs for i, ch in enumerate(name) if ch == ".")


def _read(ws: Workspace, rel: str) -> str | None:
    if rel.startswith(".."):
        return None
    try:
        return ws.source.read(rel).decode("utf-8")
    except (OSError, KeyError, UnicodeDecodeError):
        return None


def _includes(text: str) -> list[str]:
    from atscomms.model.resolve import includes

    return [name for name, _ in includes(text)]


_BLOCK = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}", re.S)
_STRING = re.compile(r"""'[^']*'|"[^"]*\"""")
_NAME = re.compile(r"(\|\s*)?([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)")
_LOOP = re.compile(r"\bfor\s+([A-Za-z_]\w*)\s+in\b")
_KEYWORDS = frozenset(
    [
        "if",
        "elif",
        "else",
        "endif",
        "for",
        "in",
        "endfor",
        "not",
        "and",
        "or",
        "include",
        "is",
        "true",
        "false",
        "none",
        "True",
        "False",
        "None",
        "with",
        "without",
        "context",
        "ignore",
        "missing",
    ]
)


@lru_cache(maxsize=8192)
def field_refs(text: str) -> frozenset[str]:
    """Dotted names a template source reads (loop variables excluded).

    A fast lexical scan of ``{{ }}`` and ``{% %}`` blocks (string literals and
    filter names dropped), not a parse: it may over-approximate, which only makes
    the version more sensitive, never blind to a field the template uses."""
    names: set[str] = set()
    loops: set[str] = set()
    for m in _BLOCK.finditer(text):
        code = _STRING.sub(" ", m.group(1) if m.group(1) is not None else m.group(2))
        loops.update(_LOOP.findall(code))
        for pipe, name in _NAME.findall(code):
            if not pipe and name not in _KEYWORDS:
                names.add(name)
    return frozenset(n for n in names if n.split(".", 1)[0] not in loops)
