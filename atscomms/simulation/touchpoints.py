"""The touchpoint map: every message a candidate can get, by pipeline stage,
automated (sent by a sequence) or human (a template no sequence sends, so a
recruiter sends it), plus the internal alerts sequences raise. Rendered as
Mermaid text, JSON, or an HTML page (:mod:`.map_html`)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from atscomms.model.workspace import Workspace
from atscomms.simulation.plan import Plan, Step, compile_plan, template_infos

NO_STAGE = "(any stage)"


@dataclass(slots=True)
class Touchpoint:
    id: str
    stage: str
    kind: str  # send | notify | manual
    automated: bool
    template: str | None = None
    channel: str | None = None
    category: str | None = None
    sequence: str | None = None
    track: str | None = None
    step: str | None = None
    timing: str | None = None
    to: str | None = None


@dataclass(slots=True)
class SequenceInfo:
    id: str
    name: str
    trigger: str
    stage: str
    touchpoints: list[str] = field(default_factory=list)  # ids, in step order per track


@dataclass(slots=True)
class PipelineMap:
    workspace: str
    stages: list[str]
    sequences: list[SequenceInfo]
    touchpoints: list[Touchpoint]

    def to_dict(self) -> dict[str, Any]:
        return {
            "workspace": self.workspace,
            "stages": self.stages,
            "sequences": [asdict(s) for s in self.sequences],
            "touchpoints": [asdict(t) for t in self.touchpoints],
        }

    def at(self, stage: str) -> list[Touchpoint]:
        return [t for t in self.touchpoints if t.stage == stage]


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", text)


def _wait_text(step: Step) -> str | None:
    if step.kind == "wait" and step.duration is not None:
        return f"after {step.duration}"
    if step.kind == "wait_until" and step.field:
        off = step.offset
        if off is None or off.amount == 0:
            return f"at {step.field}"
        sign = "before" if off.amount < 0 else "after"
        size = type(off)(abs(off.amount), off.unit)
        return f"{size} {sign} {step.field}"
    return None


def _trigger_text(plan: Plan) -> str:
    name = plan.trigger_name or "?"
    stage = plan.trigger.get("stage")
    return f"{name} {stage}" if stage else name


def build_map(ws: Workspace, only: list[str] | None = None) -> PipelineMap:
    infos = template_infos(ws.templates)
    stages = list(ws.config.stages)
    touchpoints: list[Touchpoint] = []
    sequences: list[SequenceInfo] = []
    used: set[str] = set()
    for seq in ws.sequences.values():
        if not isinstance(seq.data, dict):
            continue
        plan = compile_plan(seq.data, infos, stages)
        for lst in plan.step_lists:
            for s in lst.steps:
                used.update(a.template for a in s.arms)
                if s.template:
                    used.add(s.template)
        if only and seq.id not in only:
            continue
        home = plan.stage or NO_STAGE
        name = seq.data.get("name")
        info = SequenceInfo(
            seq.id, name if isinstance(name, str) else seq.id, _trigger_text(plan), home
        )
        for lst in plan.step_lists:
            waits: list[str] = []
            for s in lst.steps:
                wait = _wait_text(s)
                if wait:
                    waits.append(wait)
                if s.kind not in ("send", "notify"):
                    continue
                template = ws.templates.get(s.template or "")
                tp = Touchpoint(
                    id=_slug(f"{seq.id}__{lst.id or 'main'}__{s.id}"),
                    stage=(template.stage if template and template.stage else None) or home,
                    kind=s.kind,
                    automated=True,
                    template=s.template,
                    channel=s.channel if s.kind == "send" else None,
                    category=s.category if s.kind == "send" else None,
                    sequence=seq.id,
                    track=lst.id,
                    step=s.id,
                    timing=" then ".join(waits) if waits else "immediately",
                    to=s.to,
                )
                waits = []
                touchpoints.append(tp)
                info.touchpoints.append(tp.id)
        sequences.append(info)
    if not only:
        for tid, t in ws.templates.items():
            if tid not in used:
                touchpoints.append(
                    Touchpoint(
                        id=_slug(f"manual__{tid}"),
                        stage=t.stage or NO_STAGE,
                        kind="manual",
                        automated=False,
                        template=tid,
                        channel=t.channel,
                        category=t.category,
                    )
                )
    extra = [t.stage for t in touchpoints if t.stage not in stages]
    stages += [s for s in dict.fromkeys(extra) if s != NO_STAGE]
    if any(t.stage == NO_STAGE for t in touchpoints):
        stages.append(NO_STAGE)
    name = ws.config.name or ws.root.name
    return PipelineMap(name, stages, sequences, touchpoints)


def label(tp: Touchpoint) -> str:
    if tp.kind == "notify":
        return f"alert to {tp.to or 'team'}"
    return f"{'SMS' if tp.channel == 'sms' else 'email'}: {tp.template}"


def detail(tp: Touchpoint) -> str:
    if not tp.automated:
        return "sent by a person"
    track = f" ({tp.track})" if tp.track else ""
    return f"{tp.sequence}{track} · {tp.timing}"


def _esc(text: str) -> str:
    return text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def _q(*lines: str) -> str:
    """A quoted Mermaid label; each argument on its own line."""
    return '"' + "<br/>".join(_esc(x) for x in lines) + '"'


def to_mermaid(m: PipelineMap) -> str:
    lines = [
        "flowchart LR",
        f"  %% {m.workspace}: pipeline stages x candidate touchpoints",
        "  classDef auto fill:#dbeafe,stroke:#1d4ed8,color:#1e3a8a",
        "  classDef human fill:#fef3c7,stroke:#b45309,color:#78350f",
        "  classDef alert fill:#fce7f3,stroke:#be185d,color:#831843",
        "  classDef trigger fill:#f3f4f6,stroke:#6b7280,color:#111827",
    ]
    for i, stage in enumerate(m.stages):
        lines.append(f"  subgraph stage_{i}[{_q(stage)}]")
        lines.append("    direction TB")
        for seq in m.sequences:
            if seq.stage == stage:
                text = _q(seq.trigger, f"starts {seq.id}")
                lines.append(f"    trigger_{_slug(seq.id)}([{text}]):::trigger")
        for tp in m.at(stage):
            cls = "alert" if tp.kind == "notify" else ("auto" if tp.automated else "human")
            lines.append(f"    {tp.id}[{_q(label(tp), detail(tp))}]:::{cls}")
        lines.append("  end")
    for i in range(len(m.stages) - 1):
        lines.append(f"  stage_{i} ~~~ stage_{i + 1}")
    by_id = {t.id: t for t in m.touchpoints}
    for seq in m.sequences:
        prev: dict[str | None, str] = {}
        for tid in seq.touchpoints:
            tp = by_id[tid]
            source = prev.get(tp.track) or prev.get(None) or f"trigger_{_slug(seq.id)}"
            if tp.track is not None and tp.track not in prev:
                source = f"trigger_{_slug(seq.id)}"
            lines.append(f"  {source} -->|{_q(tp.timing or '')}| {tid}")
            prev[tp.track] = tid
    return "\n".join(lines) + "\n"
