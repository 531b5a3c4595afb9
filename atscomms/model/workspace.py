"""The Workspace: every resource of a workspace, by kind and id."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from atscomms.loading.document import Document
from atscomms.loading.sources import Source
from atscomms.model.config import Config
from atscomms.model.resources import (
    FieldRegistry,
    Governance,
    Layout,
    Partial,
    Persona,
    Resource,
    Sequence,
    StyleGuide,
    Template,
)


@dataclass(slots=True)
class Workspace:
    root: Path
    source: Source
    config: Config
    documents: dict[str, Document] = field(default_factory=dict)
    templates: dict[str, Template] = field(default_factory=dict)
    layouts: dict[str, Layout] = field(default_factory=dict)
    partials: dict[str, Partial] = field(default_factory=dict)
    sequences: dict[str, Sequence] = field(default_factory=dict)
    personas: dict[str, Persona] = field(default_factory=dict)
    styleguide: StyleGuide | None = None
    fields: FieldRegistry | None = None
    governance: Governance | None = None
    #: templates not loaded (``build(focus=...)``, the pre-commit path): id -> file
    unloaded: dict[str, str] = field(default_factory=dict)
    #: values derived from the resources, computed on first use (the model is not edited
    #: after build); e.g. the files each template depends on
    derived: dict[str, Any] = field(default_factory=dict)

    def resources(self) -> list[Resource]:
        out: list[Resource] = []
        for table in (self.templates, self.layouts, self.partials, self.sequences, self.personas):
            out.extend(table.values())
        out.extend(r for r in (self.styleguide, self.fields, self.governance) if r is not None)
        return out

    def table(self, kind: str) -> dict[str, Resource] | None:
        return {
            "template": self.templates,
            "layout": self.layouts,
            "partial": self.partials,
            "sequence": self.sequences,
            "persona": self.personas,
        }.get(kind)  # type: ignore[return-value]

    def read_text(self, rel: str) -> str:
        return self.source.read(rel).decode("utf-8")
