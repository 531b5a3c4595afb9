"""atscomms.yaml: the workspace settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from atscomms.loading.document import Document
from atscomms.loading.yamlsafe import Limits


@dataclass(slots=True)
class Config:
    doc: Document
    name: str = ""
    brand: dict[str, Any] = field(default_factory=dict)
    locales: list[str] = field(default_factory=lambda: ["en-US"])
    default_locale: str = "en-US"
    timezone: str = "UTC"
    stages: list[str] = field(default_factory=list)
    paths: dict[str, str] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    clients: list[str] = field(default_factory=list)
    environments: dict[str, Any] = field(default_factory=dict)
    render: dict[str, Any] = field(default_factory=dict)
    lint: dict[str, Any] = field(default_factory=dict)
    limits: Limits = field(default_factory=Limits)

    @classmethod
    def from_doc(cls, doc: Document) -> Config:
        data = doc.data if isinstance(doc.data, dict) else {}

        def typed(key: str, kind: type, default: Any) -> Any:
            value = data.get(key)
            return value if isinstance(value, kind) else default

        locales = [x for x in typed("locales", list, []) if isinstance(x, str)] or ["en-US"]
        limits = typed("limits", dict, {})
        return cls(
            doc=doc,
            name=typed("name", str, ""),
            brand=typed("brand", dict, {}),
            locales=locales,
            default_locale=typed("default_locale", str, locales[0]),
            timezone=typed("timezone", str, "UTC"),
            stages=[s for s in typed("stages", list, []) if isinstance(s, str)],
            paths={k: v for k, v in typed("paths", dict, {}).items() if isinstance(v, str)},
            exclude=[p for p in typed("exclude", list, []) if isinstance(p, str)],
            clients=[c for c in typed("clients", list, []) if isinstance(c, str)],
            environments=typed("environments", dict, {}),
            render=typed("render", dict, {}),
            lint=typed("lint", dict, {}),
            limits=Limits(
                **{
                    k: v
                    for k, v in limits.items()
                    if k in Limits.__dataclass_fields__ and isinstance(v, int)
                }
            ),
        )
