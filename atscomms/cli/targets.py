"""Which workspaces a command runs on, and merging their results.

With ``--workspace`` (or no PATHS) there is one workspace. Otherwise each PATH
belongs to the nearest workspace above it, so the pre-commit hooks work in a
repository holding several workspaces; with ``--skip-outside`` (what the hooks
pass) files outside any workspace are ignored instead of being an error.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from atscomms.cli.common import fail, relative_paths, resolve_workspace, selected
from atscomms.findings import Result
from atscomms.loading.sources import find_root


@dataclass
class Target:
    root: Path
    selectors: list[str]

    def picks(self, rel: str) -> bool:
        """Whether PATHS picked this workspace file (all files without PATHS)."""
        return selected(rel, self.selectors)

    def focus(self) -> Callable[[str], bool] | None:
        """For ``build(focus=...)``: PATHS naming only YAML files (the pre-commit hook).
        None when a folder or another file (an MJML body...) is named: load everything."""
        if not self.selectors or not all(s.endswith((".yaml", ".yml")) for s in self.selectors):
            return None
        return self.picks


@dataclass
class Outcome:
    root: Path | None
    result: Result = field(default_factory=Result)
    texts: dict[str, str] = field(default_factory=dict)


def targets(
    workspace: Path | None, paths: list[Path], *, rev: str | None, skip_outside: bool
) -> list[Target]:
    if workspace is not None or not paths:
        root = resolve_workspace(workspace, paths)
        return [Target(root, relative_paths(root, paths, must_exist=not rev))]
    groups: dict[Path, list[Path]] = {}
    for p in paths:
        if not rev and not p.exists():
            fail(f"no such file or folder: {p}")
        root = find_root(p if p.is_dir() else p.parent)
        if root is None:
            if skip_outside:
                continue
            fail(f"{p} is not inside an atscomms workspace (no atscomms.yaml above it)")
        groups.setdefault(root, []).append(p)
    return [
        Target(root, relative_paths(root, group, must_exist=not rev))
        for root, group in groups.items()
    ]


def narrow(result: Result, documents: dict, selectors: list[str]) -> None:
    """Keep only findings (and the file count) for the selected paths."""
    if selectors:
        result.findings = [f for f in result.findings if selected(f.path, selectors)]
        result.files = sum(1 for p in documents if selected(p, selectors))


def merge(outcomes: list[Outcome]) -> Outcome:
    """One outcome; with several workspaces, paths become relative to the current folder."""
    if len(outcomes) == 1:
        return outcomes[0]
    merged = Outcome(root=Path.cwd())
    for o in outcomes:
        assert o.root is not None
        prefix = os.path.relpath(o.root, Path.cwd()).replace(os.sep, "/")

        def rebase(path: str, prefix: str = prefix) -> str:
            return path if prefix == "." else f"{prefix}/{path}"

        for f in o.result.findings:
            f.path = rebase(f.path)
            merged.result.findings.append(f)
        merged.result.files += o.result.files
        merged.result.resources += o.result.resources
        merged.texts.update({rebase(p): t for p, t in o.texts.items()})
    return merged
