"""Q005-Q009: windows, rejections, gaps and caps."""

from __future__ import annotations

from collections.abc import Iterator

from atscomms.checks.context import LintContext
from atscomms.checks.registry import register
from atscomms.checks.sequences._base import SequenceRule, at, plan_steps, window_paths
from atscomms.findings import Finding, Severity
from atscomms.model.resources import Sequence
from atscomms.simulation import analysis
from atscomms.simulation.calendar import SMS_FLOOR, Duration, Window, hhmm, parse_time
from atscomms.simulation.plan import Plan, Step, StepList


@register
class SmsQuietHours(SequenceRule):
    """
    ## What it does
    Reports an SMS send window that starts before 08:00 or ends after 21:00
    (or wraps past midnight).

    ## Why
    Texts at night are intrusive and, in many places, unlawful. atscomms
    never sends SMS outside 08:00-21:00 local time, so such a window does not
    do what it says.

    ## Example
    ```yaml
    send_windows:
      sms: {start: "07:00", end: "22:00"}
    ```

    ## Fix
    Keep SMS windows within 08:00-21:00.
    """

    code = "Q005"
    name = "sms-quiet-hours"

    def check_sequence(self, ctx: LintContext, seq: Sequence, plan: Plan) -> Iterator[Finding]:
        for path in window_paths(seq):
            if path[-1] != "sms":
                continue
            data = seq.doc.get(path)
            start, end = parse_time(data.get("start"), 0), parse_time(data.get("end"), 86400)
            hint = 'Use a window within "08:00" and "21:00".'
            if start < SMS_FLOOR[0] or start > end:
                where = (*path, "start") if "start" in data else path
                msg = f"SMS window starts at {hhmm(start)}, before 08:00"
                if start > end:
                    msg = f"SMS window {hhmm(start)}-{hhmm(end)} runs through the night"
                yield at(self, seq.doc, where, msg, hint, seq.ref)
            if end > SMS_FLOOR[1] and start <= end:
                where = (*path, "end") if "end" in data else path
                msg = f"SMS window ends at {hhmm(end)}, after 21:00"
                yield at(self, seq.doc, where, msg, hint, seq.ref)


def _rejections(plan: Plan) -> Iterator[tuple[StepList, Step]]:
    for lst, step in plan_steps(plan):
        if step.sends and step.category == "rejection":
            yield lst, step


@register
class RejectionWithoutDelay(SequenceRule):
    """
    ## What it does
    Reports a rejection message that some path reaches without a wait of at
    least `min_delay` (default 1h) after the trigger.

    ## Why
    An instant automated rejection reads as careless, and leaves the hiring
    team no time to call the candidate first or correct a mistake.

    ## Example
    ```yaml
    trigger: {event: rejected}
    steps:
      - send: rejection-after-onsite
    ```

    ## Fix
    Wait first: `- wait: 2 business days`.
    """

    code = "Q006"
    name = "rejection-without-delay"
    severity = Severity.WARNING
    options = {"min_delay": "1h"}

    def check_sequence(self, ctx: LintContext, seq: Sequence, plan: Plan) -> Iterator[Finding]:
        least = Duration.parse(self.opts["min_delay"]) or Duration(1, "hours")
        for lst, step in _rejections(plan):
            delay = analysis.delay_before(lst.steps)[step.index]
            if delay is not None and delay < least.nominal.total_seconds():
                when = f"{analysis.fmt_seconds(delay)} after" if delay > 0 else "right after"
                msg = f"rejection {step.template!r} can go out {when} the trigger"
                hint = f"Add a wait of at least {least} before it."
                yield at(self, seq.doc, (*step.path, "send"), msg, hint, seq.ref)


@register
class RejectionOutsideBusinessHours(SequenceRule):
    """
    ## What it does
    Reports a rejection message whose send window is missing or reaches
    beyond business hours (default Monday to Friday, 08:00-18:00).

    ## Why
    A rejection at 2 a.m. or on a Sunday hits a candidate when nobody can
    answer their questions.

    ## Example
    ```yaml
    send_windows:
      email: {days: [mon, tue, wed, thu, fri, sat], start: "07:00", end: "20:00"}
    ```

    ## Fix
    `send_windows: {by_category: {rejection: {email: {days: [mon, tue, wed, thu, fri],
    start: "09:00", end: "17:00"}}}}`
    """

    code = "Q007"
    name = "rejection-outside-business-hours"
    severity = Severity.WARNING
    options = {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "18:00"}

    def check_sequence(self, ctx: LintContext, seq: Sequence, plan: Plan) -> Iterator[Finding]:
        days = Window.from_data({"days": self.opts["days"]})
        lo, hi = parse_time(self.opts["start"], 0), parse_time(self.opts["end"], 86400)
        hint = f"Limit rejections to {', '.join(self.opts['days'])} {hhmm(lo)}-{hhmm(hi)}."
        for _, step in _rejections(plan):
            channel = step.channel or "email"
            path = plan.window_path(channel, step.category)
            if path is None:
                msg = (
                    f"rejection {step.template!r} has no {channel} send window: "
                    "it can go out at any hour"
                )
                yield at(self, seq.doc, (*step.path, "send"), msg, hint, seq.ref)
                continue
            data, window = seq.doc.get(path), plan.window(channel, step.category)
            assert days is not None
            if "days" not in data or not window.days <= days.days:
                msg = "rejection window includes days outside the business week"
                yield at(
                    self, seq.doc, (*path, "days") if "days" in data else path, msg, hint, seq.ref
                )
            start, end = parse_time(data.get("start"), 0), parse_time(data.get("end"), 86400)
            if start < lo or start > end:
                msg = f"rejection window starts at {hhmm(start)}, outside business hours"
                yield at(
                    self, seq.doc, (*path, "start") if "start" in data else path, msg, hint, seq.ref
                )
            if end > hi and start <= end:
                msg = f"rejection window ends at {hhmm(end)}, outside business hours"
                yield at(
                    self, seq.doc, (*path, "end") if "end" in data else path, msg, hint, seq.ref
                )


@register
class GapBelowMinimum(SequenceRule):
    """
    ## What it does
    Reports a message that can follow the previous one sooner than the
    sequence's (or the segment's) `min_gap`.

    ## Why
    The gap is enforced when sending, so the message would silently go out
    later than the steps say; the cadence on paper is not the real one.

    ## Example
    ```yaml
    min_gap: 12h
    steps:
      - send: invite
      - send: reminder
    ```

    ## Fix
    Add a wait of at least the minimum gap between the two messages.
    """

    code = "Q008"
    name = "gap-below-minimum"
    severity = Severity.WARNING

    def check_sequence(self, ctx: LintContext, seq: Sequence, plan: Plan) -> Iterator[Finding]:
        for lst in plan.step_lists:
            c = analysis.cadence(plan, lst)
            if c.min_gap is None:
                continue
            need = c.min_gap.nominal.total_seconds()
            for first, second, gap in analysis.send_gaps(lst.steps):
                if gap < need:
                    msg = (
                        f"{second.id!r} can follow {first.id!r} "
                        + (f"after {analysis.fmt_seconds(gap)}" if gap > 0 else "with no wait")
                        + f"; min_gap ({c.source}) is {c.min_gap}"
                    )
                    hint = f"Wait at least {c.min_gap} between the two messages."
                    yield at(self, seq.doc, (*second.path, "send"), msg, hint, seq.ref)


@register
class WeeklyCapExceeded(SequenceRule):
    """
    ## What it does
    Reports a message that makes some path send more messages within 7 days
    than the sequence's (or the segment's) `weekly_cap`.

    ## Why
    The cap is enforced when sending: the extra message would be dropped.

    ## Example
    ```yaml
    weekly_cap: 1
    steps:
      - send: update
      - wait: 2d
      - send: event-invite
    ```

    ## Fix
    Space the messages out, or raise the cap.
    """

    code = "Q009"
    name = "weekly-cap-exceeded"
    severity = Severity.WARNING

    def check_sequence(self, ctx: LintContext, seq: Sequence, plan: Plan) -> Iterator[Finding]:
        for lst in plan.step_lists:
            c = analysis.cadence(plan, lst)
            if c.weekly_cap is None:
                continue
            for step in analysis.cap_breaches(lst.steps, c.weekly_cap, c.min_gap):
                msg = f"{step.id!r} exceeds the weekly cap of {c.weekly_cap} ({c.source})"
                hint = "Wait longer between messages, or raise `weekly_cap`."
                yield at(self, seq.doc, (*step.path, "send"), msg, hint, seq.ref)
