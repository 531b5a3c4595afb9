"""Shared helpers of the Q rules."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from atscomms.checks.context import LintContext
from atscomms.checks.registry import Rule, finding
from atscomms.findings import Finding
from atscomms.loading.document import Document, Path
from atscomms.model.resources import Sequence
from atscomms.simulation.plan import Plan, Step, StepList, compile_plan, template_infos


def _plans(ctx: LintContext) -> list[tuple[Sequence, Plan]]:
    """The compiled plan of every sequence whose findings will be shown (once per run)."""
    plans = ctx.memo.get("sequence-plans")
    if plans is None:
        seqs = [s for s in ctx.ws.sequences.values() if isinstance(s.data, dict)]
        seqs = [s for s in seqs if ctx.in_scope(s.path)]
        infos = template_infos(ctx.ws.templates) if seqs else {}
        stages = ctx.ws.config.stages
        plans = ctx.memo["sequence-plans"] = [
            (s, compile_plan(s.data, infos, stages)) for s in seqs
        ]
    return plans


def at(rule: Rule, doc: Document, path: Path, message: str, hint: str, ref: str) -> Finding:
    return finding(rule.code, doc.path, doc.span(path), message, hint=hint, resource=ref)


def plan_steps(plan: Plan) -> Iterator[tuple[StepList, Step]]:
    for lst in plan.step_lists:
        for step in lst.steps:
            yield lst, step


class SequenceRule(Rule):
    def check_workspace(self, ctx: LintContext) -> Iterable[Finding]:
        for seq, plan in _plans(ctx):
            yield from self.check_sequence(ctx, seq, plan)

    def check_sequence(self, ctx: LintContext, seq: Sequence, plan: Plan) -> Iterable[Finding]:
        return ()


def window_paths(seq: Sequence) -> Iterator[Path]:
    windows = seq.data.get("send_windows")
    if not isinstance(windows, dict):
        return
    for channel in ("email", "sms"):
        if isinstance(windows.get(channel), dict):
            yield ("send_windows", channel)
    by_cat = windows.get("by_category")
    for cat, per in by_cat.items() if isinstance(by_cat, dict) else []:
        for channel in ("email", "sms"):
            if isinstance(per, dict) and isinstance(per.get(channel), dict):
                yield ("send_windows", "by_category", cat, channel)
