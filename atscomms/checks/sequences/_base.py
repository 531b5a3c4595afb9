"""Shared helpers of the Q rules."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from atscomms.checks.context import LintContext
from atscomms.checks.registry import Rule, finding
from atscomms.findings import Finding
from atscomms.loading.document import Document, Path
from atscomms.model.resources import Sequence
from atscomms.simulation.plan import Plan, Step, StepList, compile_plan, template_infos


def _plans(ctx: LintContext) -> Iterator[tuple[Sequence, Plan]]:
    infos = template_infos(ctx.ws.templates)
    for seq in ctx.ws.sequences.values():
        if isinstance(seq.data, dict):
            yield seq, compile_plan(seq.data, infos, ctx.ws.config.stages)


def at(rule: Rule, doc: Document, path: Path, message: str, hint: str, ref: str) -> Finding:
    return finding(rule.code, doc.path, doc.span(path), message, hint=hint, resource=ref)


def plan_steps(plan: Plan) -> Iterator[tuple[StepList, Step]]:
    for lst in plan.step_lists:
        for step in lst.steps:
            yield lst, step


class SequenceRule(Rule):
    def check_workspace(self, ctx: LintContext) -> Iterable[Finding]:
        for seq, plan in _plans(ctx):
            if ctx.in_scope(seq.path):
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
