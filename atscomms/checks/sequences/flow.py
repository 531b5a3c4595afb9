"""Q001-Q004: the shape of a sequence (reachability, loops, exits, consent)."""

from __future__ import annotations

from collections.abc import Iterator

from atscomms.checks.context import LintContext
from atscomms.checks.registry import finding, register
from atscomms.checks.sequences._base import SequenceRule, at, plan_steps
from atscomms.findings import Finding, Severity
from atscomms.loading.document import Path
from atscomms.model.resources import Sequence
from atscomms.simulation import analysis
from atscomms.simulation.plan import Plan


@register
class UnreachableStep(SequenceRule):
    """
    ## What it does
    Reports a step that no path from the first step reaches: it follows a
    `stop`, or a branch jumps over it both ways.

    ## Why
    A step that never runs is a message that is never sent, although the
    file says it is.

    ## Example
    ```yaml
    steps:
      - stop: true
      - send: follow-up
    ```

    ## Fix
    Remove the step, or point a branch's `then`/`else` at it.
    """

    code = "Q001"
    name = "unreachable-step"
    severity = Severity.WARNING

    def check_sequence(self, ctx: LintContext, seq: Sequence, plan: Plan) -> Iterator[Finding]:
        for lst in plan.step_lists:
            seen = analysis.reachable(lst.steps)
            for step in lst.steps:
                if step.index not in seen:
                    msg = f"step {step.id!r} is never reached"
                    hint = "Remove it, or make a branch lead to it."
                    yield at(self, seq.doc, step.path, msg, hint, seq.ref)


@register
class UnboundedLoop(SequenceRule):
    """
    ## What it does
    Reports a branch that jumps back to itself or an earlier step without
    `max_visits`.

    ## Why
    A loop without a bound can message a candidate forever.

    ## Example
    ```yaml
      - id: check
        branch: {if: {event: replied}, then: done, else: nudge}
    ```

    ## Fix
    Add `max_visits: 3` to the branch.
    """

    code = "Q002"
    name = "unbounded-loop"

    def check_sequence(self, ctx: LintContext, seq: Sequence, plan: Plan) -> Iterator[Finding]:
        for lst in plan.step_lists:
            for step, key in analysis.back_jumps(lst.steps):
                if step.max_visits is None:
                    target = lst.steps[step.then if key == "then" else step.otherwise].id
                    msg = f"branch {step.id!r} loops back to {target!r} without a bound"
                    hint = "Add `max_visits: N` to the branch."
                    path = (*step.path, "branch", key)
                    yield at(self, seq.doc, path, msg, hint, seq.ref)


@register
class MissingExit(SequenceRule):
    """
    ## What it does
    Reports a sequence whose `exit_on` lacks `withdrew`, `hired` or
    `do_not_contact` (`stage_changed` also covers `hired`).

    ## Why
    A nurture email to someone who withdrew, or a reminder to a new hire,
    costs trust; messaging someone who asked not to be contacted breaks the law.

    ## Example
    ```yaml
    exit_on: [replied]
    ```

    ## Fix
    `exit_on: [withdrew, hired, do_not_contact, replied]`
    """

    code = "Q003"
    name = "missing-exit"
    options = {"required": ["withdrew", "hired", "do_not_contact"]}

    def check_sequence(self, ctx: LintContext, seq: Sequence, plan: Plan) -> Iterator[Finding]:
        exits = set(plan.exit_on)
        if "stage_changed" in exits:
            exits.add("hired")
        missing = [e for e in self.opts["required"] if e not in exits]
        if missing:
            where: Path = ("exit_on",) if "exit_on" in seq.data else ("trigger",)
            span = seq.doc.span(where) if where == ("exit_on",) else seq.doc.key_span(where)
            msg = "sequence does not exit on " + ", ".join(missing)
            hint = f"Add {', '.join(missing)} to `exit_on`."
            yield finding(self.code, seq.path, span, msg, hint=hint, resource=seq.ref)


@register
class SmsWithoutConsent(SequenceRule):
    """
    ## What it does
    Reports SMS steps in a sequence that does not require SMS consent
    (`consent.sms: true`).

    ## Why
    Texting without a recorded opt-in breaks TCPA, PECR and similar laws.
    The simulator skips SMS without an opt-in unless `consent.sms: false` says
    otherwise; the file should say what happens.

    ## Example
    ```yaml
    consent: {sms: false}
    ```

    ## Fix
    `consent: {sms: true}`
    """

    code = "Q004"
    name = "sms-without-consent"

    def check_sequence(self, ctx: LintContext, seq: Sequence, plan: Plan) -> Iterator[Finding]:
        sms = [s for _, s in plan_steps(plan) if s.sends and s.channel == "sms"]
        if not sms or plan.consent.get("sms") is True:
            return
        hint = "Set `consent: {sms: true}` so only candidates who opted in get texts."
        if "sms" in plan.consent:
            msg = "SMS steps are sent without a consent requirement"
            yield at(self, seq.doc, ("consent", "sms"), msg, hint, seq.ref)
        else:
            msg = f"SMS step {sms[0].id!r}: the sequence declares no SMS consent requirement"
            yield at(self, seq.doc, (*sms[0].path, "channel"), msg, hint, seq.ref)
