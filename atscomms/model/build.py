"""Build the Workspace: load every file, validate it, construct resources, resolve references."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from atscomms.checks.registry import finding
from atscomms.findings import Finding, Result
from atscomms.loading.cache import LoadCache
from atscomms.loading.document import Document
from atscomms.loading.schemas import RESOURCE_KINDS
from atscomms.loading.sources import CONFIG_NAME, GitSource, Source, SourceError, WorktreeSource
from atscomms.loading.validate import did_you_mean, validate
from atscomms.loading.yamlsafe import load
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


def load_config(source: Source) -> tuple[Config, list[Finding]]:
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
    findings = list(doc.findings) + validate(doc, "workspace")
    return Config.from_doc(doc), findings


def build(root: Path, rev: str | None = None) -> tuple[Workspace, Result]:
    """Everything up to and including reference resolution."""
    source = open_source(root, rev)
    config, findings = load_config(source)
    ws = Workspace(root=root, source=source, config=config)
    ws.documents[CONFIG_NAME] = config.doc
    result = Result(findings=findings, files=1)
    configured = set(config.paths.values())
    cache = LoadCache(root, repr(config.limits))
    seen: set[str] = set()
    for rel in source.yaml_files(config.exclude):
        if rel == CONFIG_NAME:
            continue
        try:
            raw = source.read(rel)
        except OSError as exc:
            result.findings.append(
                finding("S001", rel, None, f"cannot read file: {exc.strerror or exc}")
            )
            continue
        seen.add(rel)
        doc, problems = _load_checked(rel, raw, config, cache)
        if doc.ok and not _is_ours(doc, rel, configured):
            continue
        result.files += 1
        ws.documents[rel] = doc
        result.findings.extend(problems)
        if doc.ok:
            _construct(ws, doc, result)
    cache.save(seen)
    from atscomms.model.resolve import resolve

    result.findings.extend(resolve(ws))
    result.resources = len(ws.resources())
    return ws, result


def _load_checked(
    rel: str, raw: bytes, config: Config, cache: LoadCache
) -> tuple[Document, list[Finding]]:
    """Load and schema-check one file, or take both from the cache."""
    digest = cache.digest(raw)
    hit = cache.get(rel, digest)
    if hit is not None:
        data, problems = hit
        text = raw.decode("utf-8-sig", "replace")
        doc = Document(
            path=rel,
            text=text,
            data=data,
            findings=[f for f in problems if f.code in _LOADER_CODES],
        )
        doc.reload = lambda: load(rel, raw, config.limits)
        return doc, problems
    doc = load(rel, raw, config.limits)
    problems = list(doc.findings)
    if doc.ok:
        checked = _check_kind_and_schema(doc)
        rid = doc.data.get("id")
        if isinstance(doc.kind, str) and isinstance(rid, str):
            for f in checked:
                f.resource = f.resource or f"{doc.kind}:{rid}"
        problems += checked
    cache.put(rel, digest, doc.data, problems)
    return doc, problems


_LOADER_CODES = frozenset(f"S{n:03d}" for n in range(1, 13))


def _is_ours(doc: Document, rel: str, configured: set[str]) -> bool:
    return "kind" in doc.data or rel.split("/", 1)[0] in RESOURCE_FOLDERS or rel in configured


def _check_kind_and_schema(doc: Document) -> list[Finding]:
    kind = doc.data.get("kind")
    if kind is None:
        return [
            finding(
                "S013",
                doc.path,
                doc.span(()),
                "file has no `kind:`",
                hint="Start the file with `kind: template` (or layout, partial, sequence, "
                "styleguide, fields, governance, persona).",
            )
        ]
    if kind not in RESOURCE_KINDS:
        guess = did_you_mean(str(kind), RESOURCE_KINDS)
        return [
            finding(
                "S013",
                doc.path,
                doc.span(("kind",)),
                f"unknown kind {kind!r}",
                hint=f"Did you mean `{guess}`?"
                if guess
                else "Known kinds: " + ", ".join(RESOURCE_KINDS),
            )
        ]
    return validate(doc, kind)


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
    table[rid] = resource


def _duplicate(kind: str, rid: str, first: Document, second: Document) -> list[Finding]:
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
