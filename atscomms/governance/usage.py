"""Where resources are used: templates by sequences, partials and layouts by templates."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from atscomms.model.resources import Sequence
from atscomms.model.workspace import Workspace


@dataclass(frozen=True, slots=True)
class Use:
    sequence: str
    step: str
    track: str | None = None

    def __str__(self) -> str:
        where = f"{self.track}/" if self.track else ""
        return f"{self.sequence} ({where}{self.step})"


def _steps(seq: Sequence) -> Iterator[tuple[str | None, int, dict[str, Any]]]:
    for i, step in enumerate(seq.data.get("steps") or []):
        if isinstance(step, dict):
            yield None, i, step
    for track in seq.data.get("tracks") or []:
        if not isinstance(track, dict):
            continue
        tid = track.get("id") if isinstance(track.get("id"), str) else None
        for i, step in enumerate(track.get("steps") or []):
            if isinstance(step, dict):
                yield tid, i, step


def template_uses(ws: Workspace) -> dict[str, list[Use]]:
    """Template id -> the sequence steps that send it (directly or in an A/B split)."""
    out: dict[str, list[Use]] = {tid: [] for tid in ws.templates}
    for seq in sorted(ws.sequences.values(), key=lambda s: s.id):
        for track, i, step in _steps(seq):
            sid = step.get("id") if isinstance(step.get("id"), str) else f"step-{i + 1}"
            names = [step.get("send")]
            names += [a.get("template") for a in step.get("split") or [] if isinstance(a, dict)]
            for name in dict.fromkeys(n for n in names if isinstance(n, str)):
                out.setdefault(name, []).append(Use(seq.id, sid, track))
    return out


def sequence_consent(ws: Workspace, sequence: str, channel: str) -> bool | None:
    seq = ws.sequences.get(sequence)
    consent = seq.data.get("consent") if seq is not None else None
    value = consent.get(channel) if isinstance(consent, dict) else None
    return value if isinstance(value, bool) else None


def condition_fields(seq: Sequence) -> set[str]:
    """Fields a sequence reads for its logic (segments, tracks, branches, wait-until)."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "field" and isinstance(value, str):
                    found.add(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(seq.data)
    return found


def shared_uses(ws: Workspace) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """``(layout id -> template ids, partial id -> template ids)``, nested includes included;
    partials included only by layouts or other partials count through those templates."""
    from atscomms.governance.versions import inputs

    layouts: dict[str, set[str]] = {lid: set() for lid in ws.layouts}
    partials: dict[str, set[str]] = {pid: set() for pid in ws.partials}
    for tid, t in ws.templates.items():
        info = inputs(ws, t)
        if info.layout:
            layouts.setdefault(info.layout, set()).add(tid)
        for pid in info.partials:
            partials.setdefault(pid, set()).add(tid)
    return layouts, partials
