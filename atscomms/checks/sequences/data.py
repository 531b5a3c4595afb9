"""Q010-Q014: fields, A/B weights, time zones, dates, windows that never open."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from atscomms.checks.context import LintContext
from atscomms.checks.registry import Rule, finding, register
from atscomms.checks.sequences._base import SequenceRule, at, plan_steps, window_paths
from atscomms.findings import Finding
from atscomms.loading.document import Document, Path
from atscomms.model.resources import Sequence
from atscomms.simulation.calendar import SMS_FLOOR, Window
from atscomms.simulation.plan import Plan, as_list
from atscomms.simulation.zones import load_zone


def _field_paths(seq: Sequence, plan: Plan) -> Iterator[Path]:
    for key in ("segments", "tracks"):
        for i, item in enumerate(as_list(seq.data.get(key))):
            if isinstance(item, dict) and isinstance(item.get("when"), dict):
                yield (key, i, "when", "field")
    for _, step in plan_steps(plan):
        if step.kind == "wait_until":
            yield (*step.path, "wait_until", "field")
        elif step.kind == "branch":
            yield (*step.path, "branch", "if", "field")


@register
class FieldNotAvailable(SequenceRule):
    """
    ## What it does
    Reports a sequence step (a `wait_until`, a branch or a segment/track
    condition) that uses a field the registry does not provide at the stage
    the sequence runs at (`stage:`, the trigger's stage, or the stage its
    event implies).

    ## Why
    The value would be missing when the step runs: the wait never ends, or
    the branch always goes one way.

    ## Example
    ```yaml
    trigger: {event: rejected}
    steps:
      - wait_until: {field: interview.start_at}
    ```

    ## Fix
    Use a field available at that stage, or list the stage under the field's
    `stages` in the registry.
    """

    code = "Q010"
    name = "field-not-available"

    def check_sequence(self, ctx: LintContext, seq: Sequence, plan: Plan) -> Iterator[Finding]:
        registry = ctx.ws.fields
        if registry is None or plan.stage is None:
            return
        for path in _field_paths(seq, plan):
            name = seq.doc.get(path)
            fdef = registry.fields.get(name) if isinstance(name, str) else None
            if fdef is None or not fdef.stages or "all" in fdef.stages:
                continue
            if plan.stage not in fdef.stages:
                msg = f"field {name!r} is not available at stage {plan.stage!r}"
                hint = f"{name} exists at: {', '.join(fdef.stages)}."
                yield at(self, seq.doc, path, msg, hint, seq.ref)


@register
class SplitWeights(SequenceRule):
    """
    ## What it does
    Reports an A/B `split` whose weights do not add up to 100.

    ## Why
    Weights are percentages of candidates; any other total makes the
    intended shares unclear (atscomms would scale them).

    ## Example
    ```yaml
    split:
      - {variant: a, weight: 50}
      - {variant: b, weight: 40}
    ```

    ## Fix
    Make the weights add up to 100.
    """

    code = "Q011"
    name = "split-weights"

    def check_sequence(self, ctx: LintContext, seq: Sequence, plan: Plan) -> Iterator[Finding]:
        for _, step in plan_steps(plan):
            if step.arms:
                total = sum(a.weight for a in step.arms)
                if abs(total - 100) > 1e-9:
                    msg = f"split weights add up to {total:g}, not 100"
                    span = seq.doc.key_span((*step.path, "split"))
                    hint = "Make the weights add up to 100."
                    yield finding(self.code, seq.path, span, msg, hint=hint, resource=seq.ref)


@register
class UnknownTimezone(Rule):
    """
    ## What it does
    Reports a time zone that is not an IANA zone name: the workspace
    `timezone`, a persona's `timezone`, or a `candidate.timezone` /
    `job.timezone` value.

    ## Why
    Send windows and quiet hours are computed in the recipient's time zone;
    with an unknown zone atscomms falls back to the next source, and the
    message may go out at night.

    ## Example
    ```yaml
    timezone: Europe/Berln
    ```

    ## Fix
    Use a name from the IANA database, e.g. `Europe/Berlin`.
    """

    code = "Q012"
    name = "unknown-timezone"

    def check_workspace(self, ctx: LintContext) -> Iterator[Finding]:
        docs: list[tuple[Document, Path, str | None]] = [(ctx.ws.config.doc, ("timezone",), None)]
        for p in ctx.ws.personas.values():
            docs.append((p.doc, ("timezone",), p.ref))
            for name in ("candidate.timezone", "job.timezone"):
                docs.append((p.doc, ("fields", name), p.ref))
        for doc, path, ref in docs:
            value = doc.get(path)
            if isinstance(value, str) and load_zone(value) is None:
                msg = f"unknown time zone {value!r}"
                hint = "Use an IANA name such as Europe/Berlin or America/New_York."
                yield finding(self.code, doc.path, doc.span(path), msg, hint=hint, resource=ref)


@register
class InvalidDate(SequenceRule):
    """
    ## What it does
    Reports a holiday that is not a real calendar date (`2026-02-30`).

    ## Why
    The date would be ignored, and messages would go out on the holiday.

    ## Example
    ```yaml
    holidays: ["2026-12-32"]
    ```

    ## Fix
    Correct the date.
    """

    code = "Q013"
    name = "invalid-date"

    def check_sequence(self, ctx: LintContext, seq: Sequence, plan: Plan) -> Iterator[Finding]:
        for i, value in enumerate(as_list(seq.data.get("holidays"))):
            try:
                date.fromisoformat(value)
            except (TypeError, ValueError):
                msg = f"{value!r} is not a calendar date"
                yield at(self, seq.doc, ("holidays", i), msg, "Use YYYY-MM-DD.", seq.ref)


@register
class WindowNeverOpen(SequenceRule):
    """
    ## What it does
    Reports a send window that never opens: no days, `start` equal to `end`,
    or (for SMS) no time left within 08:00-21:00.

    ## Why
    Messages on that channel would never be sent.

    ## Example
    ```yaml
    send_windows:
      sms: {start: "21:30", end: "23:00"}
    ```

    ## Fix
    Give the window days and hours when sending is allowed.
    """

    code = "Q014"
    name = "window-never-open"

    def check_sequence(self, ctx: LintContext, seq: Sequence, plan: Plan) -> Iterator[Finding]:
        for path in window_paths(seq):
            window = Window.from_data(seq.doc.get(path))
            if window is None:
                continue
            if path[-1] == "sms":
                window = window.intersect(*SMS_FLOOR)
            if window.never_open:
                msg = f"the {path[-1]} window never opens"
                hint = "Give it days and a start before its end."
                yield at(self, seq.doc, path, msg, hint, seq.ref)
