"""Typed resources. Every value keeps the document path it came from, so a
later check can point at the exact line and column in the YAML file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from atscomms.loading.document import Document, Path

BODY_FORMATS = ("mjml", "html", "text")
_FILE_FORMATS = {".mjml": "mjml", ".html": "html", ".htm": "html", ".txt": "text"}


@dataclass(slots=True)
class Text:
    """A string value with the document path it was read from."""

    value: str
    path: Path


@dataclass(slots=True)
class Body:
    format: str  # mjml | html | text
    source: Text | None  # inline text; None when the body lives in a file
    file: str | None = None  # workspace-relative path of a `file:` body


@dataclass(slots=True)
class Parts:
    subject: Text | None = None
    preheader: Text | None = None
    body: Body | None = None
    text: Text | None = None

    def over(self, base: Parts) -> Parts:
        """These parts, falling back to ``base`` where unset."""
        return Parts(
            subject=self.subject or base.subject,
            preheader=self.preheader or base.preheader,
            body=self.body or base.body,
            text=self.text or base.text,
        )


@dataclass(slots=True)
class Resource:
    kind: str
    id: str
    doc: Document

    @property
    def path(self) -> str:
        return self.doc.path

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def data(self) -> dict[str, Any]:
        return self.doc.data


@dataclass(slots=True)
class Variant:
    id: str
    weight: float | None
    parts: Parts
    locales: dict[str, Parts]


@dataclass(slots=True)
class Template(Resource):
    channel: str = "email"
    category: str = "transactional"
    stage: str | None = None
    layout: str | None = None
    parts: Parts = field(default_factory=Parts)
    locales: dict[str, Parts] = field(default_factory=dict)
    variants: list[Variant] = field(default_factory=list)
    max_segments: int = 2

    def parts_for(self, locale: str | None, variant: str | None = None) -> Parts:
        """Locale overrides merged over the default locale; a variant over both."""
        parts = self.parts
        if locale and locale in self.locales:
            parts = self.locales[locale].over(parts)
        for v in self.variants:
            if v.id == variant:
                vparts = v.parts
                if locale and locale in v.locales:
                    vparts = v.locales[locale].over(vparts)
                parts = vparts.over(parts)
        return parts


@dataclass(slots=True)
class Layout(Resource):
    channel: str = "email"
    body: Body | None = None
    locales: dict[str, Body] = field(default_factory=dict)

    def body_for(self, locale: str | None) -> Body | None:
        return self.locales.get(locale or "", self.body)


@dataclass(slots=True)
class Partial(Resource):
    channel: str | None = None
    body: Body | None = None
    locales: dict[str, Body] = field(default_factory=dict)

    def body_for(self, locale: str | None) -> Body | None:
        return self.locales.get(locale or "", self.body)


@dataclass(slots=True)
class Sequence(Resource):
    steps: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class Persona(Resource):
    locale: str | None = None
    timezone: str | None = None
    consent: dict[str, bool] = field(default_factory=dict)
    fields: dict[str, Any] = field(default_factory=dict)

    def context(self) -> dict[str, Any]:
        """Dotted field values as nested dicts: ``{"candidate": {"first_name": ...}}``."""
        return nest(self.fields)


@dataclass(slots=True)
class FieldDef:
    name: str
    type: str
    pii: str = "none"
    required: bool = False
    stages: list[str] | None = None
    sample: Any = None
    tokens: dict[str, str] = field(default_factory=dict)
    index: int = 0  # position in the registry's `fields` list


@dataclass(slots=True)
class FieldRegistry(Resource):
    fields: dict[str, FieldDef] = field(default_factory=dict)


@dataclass(slots=True)
class StyleGuide(Resource):
    pass


@dataclass(slots=True)
class Governance(Resource):
    pass


def nest(flat: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for dotted, value in flat.items():
        node = out
        parts = dotted.split(".")
        for part in parts[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        node[parts[-1]] = value
    return out


def body_from(doc: Document, path: Path) -> Body | None:
    value = doc.get(path)
    if not isinstance(value, dict) or len(value) != 1:
        return None
    ((key, content),) = value.items()
    if not isinstance(content, str):
        return None
    if key == "file":
        suffix = "." + content.rsplit(".", 1)[-1].lower() if "." in content else ""
        base = doc.path.rsplit("/", 1)[0] + "/" if "/" in doc.path else ""
        return Body(_FILE_FORMATS.get(suffix, "text"), None, file=_join(base, content))
    if key in BODY_FORMATS:
        return Body(key, Text(content, (*path, key)))
    return None


def _join(base: str, rel: str) -> str:
    """Normalise ``base + rel`` without touching the filesystem ('..' kept if it escapes)."""
    parts: list[str] = []
    for part in (base + rel).replace("\\", "/").split("/"):
        if part in ("", "."):
            continue
        if part == ".." and parts and parts[-1] != "..":
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts)


def list_items(value: object) -> list:
    """``value`` if it is a list, else nothing (schema findings report the wrong type)."""
    return value if isinstance(value, list) else []
