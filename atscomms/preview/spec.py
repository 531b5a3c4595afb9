"""What a gallery is made of: the selection, and each page's identity and file paths."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from atscomms.model.workspace import Workspace


@dataclass(slots=True)
class Options:
    out: Path
    templates: list[str] = field(default_factory=list)  # empty: all
    personas: list[str] = field(default_factory=list)
    locales: list[str] = field(default_factory=list)
    allow_remote_images: bool = False
    jobs: int = 0  # 0: automatic
    atomic: bool = False  # write via a temporary file + rename (while a server reads them)


@dataclass(frozen=True, slots=True)
class Spec:
    template: str
    locale: str
    persona: str | None
    variant: str | None

    @property
    def stem(self) -> str:
        return (self.persona or "sample") + (f"@{self.variant}" if self.variant else "")

    @property
    def path(self) -> str:
        return f"{self.template}/{self.locale}/{self.stem}.html"

    def view_path(self, view: str) -> str:
        return f"{self.template}/{self.locale}/_views/{self.stem}.{view}.html"


def all_specs(ws: Workspace, opts: Options) -> dict[str, list[Spec]]:
    """Every page of the selection, grouped by template, in a stable order."""
    tids = opts.templates or sorted(ws.templates)
    locales = opts.locales or list(ws.config.locales)
    personas: list[str | None] = list(opts.personas or sorted(ws.personas)) or [None]
    out: dict[str, list[Spec]] = {}
    for tid in tids:
        # With A/B variants every send is one of them: preview those, not the base alone.
        variants = [v.id for v in ws.templates[tid].variants] or [None]
        out[tid] = [
            Spec(tid, loc, pid, var) for loc in locales for pid in personas for var in variants
        ]
    return out


def screenshot_path(page_path: str) -> str:
    return "_screenshots/" + page_path[: -len(".html")] + ".png"
