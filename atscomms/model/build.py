"""Build the Workspace: load every file, validate it, construct resources, resolve references."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from atscomms.checks.registry import finding
from atscomms.findings import Finding, Result
from atscomms.loading.cache import LoadCache
from atscomms.loading.checked import load_checked, prefetch
from atscomms.loading.document import Document
from atscomms.loading.sources import CONFIG_NAME, GitSource, Source, SourceError, WorktreeSource
from atscomms.loading.validate import validate
from atscomms.loading.yamlsafe import Limits, load
from atscomms.model.config import Config
from atscomms.model.resources import (
    Body,
    FieldDef,
    FieldRegistry,
    Governance,
    Layout,
    Partial,
    Parts,
    Persona,
    Sequence,
    StyleGuide,
    Template,
    Text,
    Variant,
    body_from,
    list_items,
)
from atscomms.model.workspace import Workspace

#: Folders whose YAML files must declare a kind (elsewhere a file without one is not ours).
RESOURCE_FOLDERS = ("templates", "layouts", "partials", "sequences", "personas")


class WorkspaceError(Exception):
    """The workspace cannot be opened: exit code 2 with this one-line reason."""


def open_source(root: Path, rev: str | None = None) -> Source:
    if rev:
        try:
            return GitSource(root, rev)
        except SourceError as exc:
            raise WorkspaceError(str(exc)) from None
    return WorktreeSource(root)


def load_config(source: Source) -> tuple[Config, Document, bytes]:
    try:
        raw = source.read(CONFIG_NAME)
    except (OSError, FileNotFoundError) as exc:
        raise WorkspaceError(f"cannot read {CONFIG_NAME} in {source.label}: {exc}") from None
    doc = load(CONFIG_NAME, raw)
    if not doc.ok:
        first = doc.findings[0]
        raise WorkspaceError(
            f"{CONFIG_NAME}:{first.line}:{first.column}: {first.message} ({first.code})"
        )
    return Config.from_doc(doc), doc, raw


def _config_findings(doc: Document, raw: bytes, cache: LoadCache) -> list[Finding]:
    """The configuration's own findings; schema-checked only when its bytes changed."""
    digest = cache.digest(raw)
    hit = cache.get(CONFIG_NAME, digest)
    if hit is not None:
        return hit[1]
    problems = list(doc.findings) + validate(doc, "workspace")
    cache.put(CONFIG_NAME, digest, None, problems)
    return problems


#: A focused build writes the load cache once this many entries changed (edits since
#: the last save): fewer cost less to parse again than the cache costs to rewrite.
FOCUS_SAVE_FROM = 16


def build(
    root: Path, rev: str | None = None, focus: Callable[[str], bool] | None = None
) -> tuple[Workspace, Result]:
    """Everything up to and including reference resolution.

    ``focus`` (the pre-commit path: ``atscomms lint -w WS FILE``) picks the files whose
    findings are wanted. When every picked file is a template, other templates that the
    cache knows unchanged are not loaded: ``ws.templates`` holds the picked ones and
    ``ws.unloaded`` the ids of the rest. Otherwise (a layout, partial, registry... is
    picked: every template may be affected) everything is loaded as without ``focus``.
    """
    source = open_source(root, rev)
    config, config_doc, raw = load_config(source)
    ws = Workspace(root=root, source=source, config=config)
    ws.documents[CONFIG_NAME] = config_doc
    cache = LoadCache(root, repr(config.limits))
    result = Result(findings=_config_findings(config_doc, raw, cache), files=1)
    configured = set(config.paths.values())
    files = [rel for rel in source.yaml_files(config.exclude) if rel != CONFIG_NAME]
    stats = {rel: source.stat(rel) for rel in files}  # None for a git revision
    prefetch(source, files, stats, config.limits, cache)  # a cold run: parse on every core
    picked = {rel for rel in files if focus(rel)} if focus is not None else None
    if picked is not None and not all(
        _kind(ws, rel, stats[rel], config.limits, cache) == "template" for rel in picked
    ):
        picked = None  # a shared file is in focus: every template may be affected
    loaded: list[Document] = []
    for rel in files:
        if picked is not None and rel not in picked:
            known = cache.peek(rel, stats[rel])
            if known is not None and known[0] == "template":
                if isinstance(known[1], str):
                    ws.unloaded.setdefault(known[1], rel)
                continue
        doc = _load_file(ws, rel, stats[rel], config, cache, configured, result)
        if doc is not None:
            loaded.append(doc)
    for doc in loaded:  # after the loop: duplicates of unloaded templates are known
        _construct(ws, doc, result)
    # the pre-commit path leaves the cache alone for a handful of changed files
    cache.save({CONFIG_NAME, *files}, min_changes=FOCUS_SAVE_FROM if focus else 1)
    from atscomms.model.resolve import resolve

    result.findings.extend(resolve(ws))
    result.resources = len(ws.resources())
    return ws, result


def _kind(ws: Workspace, rel: str, stat: Any, limits: Limits, cache: LoadCache) -> Any:
    """The ``kind:`` of a file, from the cache when it is unchanged."""
    known = cache.peek(rel, stat)
    if known is not None:
        return known[0]
    try:
        data = load_checked(rel, ws.source.read(rel), limits, cache)[0].data
    except OSError:
        return None
    return data.get("kind") if isinstance(data, dict) else None


def _load_file(
    ws: Workspace,
    rel: str,
    stat: tuple[int, int] | None,
    config: Config,
    cache: LoadCache,
    configured: set[str],
    result: Result,
) -> Document | None:
    """Read, load and check one file; its document when it is one of ours and loaded."""
    try:
        raw = ws.source.read(rel)
    except OSError as exc:
        result.findings.append(
            finding("S001", rel, None, f"cannot read file: {exc.strerror or exc}")
        )
        return None
    doc, problems = load_checked(rel, raw, config.limits, cache, stat)
    if doc.ok and not _is_ours(doc, rel, configured):
        return None
    result.files += 1
    ws.documents[rel] = doc
    result.findings.extend(problems)
    return doc if doc.ok else None


def _is_ours(doc: Document, rel: str, configured: set[str]) -> bool:
    return "kind" in doc.data or rel.split("/", 1)[0] in RESOURCE_FOLDERS or rel in configured


def _text(doc: Document, path: tuple) -> Text | None:
    value = doc.get(path)
    return Text(value, path) if isinstance(value, str) else None


def _parts(doc: Document, base: tuple) -> Parts:
    return Parts(
        subject=_text(doc, (*base, "subject")),
        preheader=_text(doc, (*base, "preheader")),
        body=body_from(doc, (*base, "body")),
        text=_text(doc, (*base, "text")),
    )


def _locale_parts(doc: Document, base: tuple) -> dict[str, Parts]:
    locales = doc.get(base)
    if not isinstance(locales, dict):
        return {}
    return {loc: _parts(doc, (*base, loc)) for loc, v in locales.items() if isinstance(v, dict)}


def _locale_bodies(doc: Document) -> dict[str, Body]:
    out: dict[str, Body] = {}
    for loc in doc.get(("locales",), {}) if isinstance(doc.get(("locales",)), dict) else {}:
        body = body_from(doc, ("locales", loc, "body"))
        if body is not None:
            out[loc] = body
    return out


def _str(data: dict, key: str, default: Any = None) -> Any:
    value = data.get(key)
    return value if isinstance(value, str) else default


def _construct(ws: Workspace, doc: Document, result: Result) -> None:
    data = doc.data
    kind = data.get("kind")
    rid = data.get("id")
    if kind in ("styleguide", "fields", "governance"):
        _singleton(ws, doc, kind, result)
        return
    if not isinstance(rid, str) or not rid:
        return
    resource: Any
    if kind == "template":
        variants = []
        for i, v in enumerate(list_items(data.get("variants"))):
            if isinstance(v, dict) and isinstance(v.get("id"), str):
                weight = v.get("weight")
                variants.append(
                    Variant(
                        id=v["id"],
                        weight=weight if isinstance(weight, int | float) else None,
                        parts=_parts(doc, ("variants", i)),
                        locales=_locale_parts(doc, ("variants", i, "locales")),
                    )
                )
        sms = data.get("sms") if isinstance(data.get("sms"), dict) else {}
        resource = Template(
            kind,
            rid,
            doc,
            channel=_str(data, "channel", "email"),
            category=_str(data, "category", "transactional"),
            stage=_str(data, "stage"),
            layout=_str(data, "layout"),
            parts=_parts(doc, ()),
            locales=_locale_parts(doc, ("locales",)),
            variants=variants,
            max_segments=sms.get("max_segments", 2)
            if isinstance(sms.get("max_segments"), int)
            else 2,
        )
    elif kind == "layout":
        resource = Layout(
            kind,
            rid,
            doc,
            channel=_str(data, "channel", "email"),
            body=body_from(doc, ("body",)),
            locales=_locale_bodies(doc),
        )
    elif kind == "partial":
        resource = Partial(
            kind,
            rid,
            doc,
            channel=_str(data, "channel"),
            body=body_from(doc, ("body",)),
            locales=_locale_bodies(doc),
        )
    elif kind == "sequence":
        steps = [s for s in list_items(data.get("steps")) if isinstance(s, dict)]
        resource = Sequence(kind, rid, doc, steps=steps)
    elif kind == "persona":
        consent = data.get("consent") if isinstance(data.get("consent"), dict) else {}
        fields = data.get("fields") if isinstance(data.get("fields"), dict) else {}
        resource = Persona(
            kind,
            rid,
            doc,
            locale=_str(data, "locale"),
            timezone=_str(data, "timezone"),
            consent=consent,
            fields=fields,
        )
    else:
        return
    table = ws.table(kind)
    assert table is not None
    if rid in table:
        result.findings.extend(_duplicate(kind, rid, table[rid].doc, doc))
        return
    if kind == "template" and rid in ws.unloaded:  # only this side is in focus
        result.findings.append(_duplicate(kind, rid, doc, _Elsewhere(ws.unloaded[rid]))[0])
        return
    table[rid] = resource


class _Elsewhere:
    """A document that was not loaded, known by its path (for the duplicate-id message)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.data: dict[str, Any] = {"id": None}

    def span(self, key: tuple) -> None:
        return None


def _duplicate(kind: str, rid: str, first: Any, second: Any) -> list[Finding]:
    key = ("id",) if "id" in second.data else ("kind",)
    return [
        finding(
            "R002",
            a.path,
            a.span(key),
            f"{kind} id {rid!r} is also defined in {b.path}",
            hint="Give one of them another id.",
            resource=f"{kind}:{rid}",
        )
        for a, b in ((first, second), (second, first))
    ]


def _singleton(ws: Workspace, doc: Document, kind: str, result: Result) -> None:
    configured = ws.config.paths.get(kind)
    if configured and configured != doc.path:
        return  # another file of this kind; the configured one wins (resolve checks the path)
    rid = _str(doc.data, "id", kind)
    if kind == "fields":
        registry: dict[str, FieldDef] = {}
        for i, f in enumerate(list_items(doc.data.get("fields"))):
            if isinstance(f, dict) and isinstance(f.get("name"), str):
                registry[f["name"]] = FieldDef(
                    name=f["name"],
                    type=_str(f, "type", "string"),
                    pii=_str(f, "pii", "none"),
                    required=f.get("required") is True,
                    stages=f.get("stages") if isinstance(f.get("stages"), list) else None,
                    sample=f.get("sample"),
                    tokens=f.get("tokens") if isinstance(f.get("tokens"), dict) else {},
                    index=i,
                )
        resource: Any = FieldRegistry(kind, rid, doc, fields=registry)
    elif kind == "styleguide":
        resource = StyleGuide(kind, rid, doc)
    else:
        resource = Governance(kind, rid, doc)
    existing = getattr(ws, kind)
    if existing is not None:
        result.findings.extend(_duplicate(kind, rid, existing.doc, doc))
        return
    setattr(ws, kind, resource)
