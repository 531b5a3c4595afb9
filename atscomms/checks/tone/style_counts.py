"""T003, T004, T006: the style guide's counting rules (occurrence, metric,
consistency), and T007 for style-guide rules that cannot run."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from atscomms.checks.context import LintContext, TextUnit
from atscomms.checks.registry import finding, register
from atscomms.checks.tone import metrics
from atscomms.checks.tone.base import StyleKindRule, ToneRule, make
from atscomms.checks.tone.lexicon import Hit
from atscomms.checks.tone.state import Message, ToneState, state
from atscomms.checks.tone.style import with_common
from atscomms.checks.tone.text import Prose
from atscomms.findings import Finding, Severity
from atscomms.model.resources import StyleGuide


def _literal(token: str, ignorecase: bool) -> re.Pattern[str]:
    body = r"\s+".join(re.escape(p) for p in token.split())
    if token[:1].isalnum() or token[:1] == "_":
        body = r"(?<!\w)" + body
    if token[-1:].isalnum() or token[-1:] == "_":
        body += r"(?!\w)"
    return re.compile(body, re.I if ignorecase else 0)


@register
class StyleOccurrence(StyleKindRule):
    """
    ## What it does
    Reports a message in which a style guide's `occurrence` token appears
    more than `max` times.

    A message is what one candidate receives: the parts in `scope` of one
    locale and variant, counted together. The finding points at the first
    occurrence over the limit. The token is literal text (`!`, `unfortunately`).
    {common}

    ## Why
    One exclamation mark is friendly; three are shouting.

    ## Example
    ```yaml
    rules:
      - id: one-exclamation
        type: occurrence
        message: "Use at most one exclamation mark in a message."
        token: "!"
        max: 1
        scope: [subject, preheader, body]
    ```

    ## Fix
    Remove the extra occurrences.
    """

    __doc__ = with_common(__doc__)
    code = "T003"
    name = "style-occurrence"
    severity = Severity.WARNING
    kind = "occurrence"
    default_message = "'%s' appears too often."
    per_message = True

    def check_message(self, st: ToneState, message: Message) -> Iterable[Finding]:
        for r in self.rules(st):
            token = str(r.data["token"])
            rx = _literal(token, r.ignorecase)
            found: list[tuple[TextUnit, Prose, re.Match[str]]] = []
            for unit in message.units:
                prose = st.prose(unit)
                if self.applies(st, r, unit, prose):
                    found += [(unit, prose, m) for m in rx.finditer(prose.text)]
            limit = int(r.max or 0)
            if len(found) > limit:
                unit, prose, m = found[limit]
                yield make(
                    unit,
                    self.code,
                    m.start(),
                    len(m.group()),
                    self.text(r, token),
                    prose=prose,
                    severity=r.level,
                    hint=f"{len(found)} in this message ({message.locale}); at most {limit}.",
                )


@register
class StyleMetric(StyleKindRule):
    """
    ## What it does
    Reports a part whose `metric` is above the style guide rule's `max`.

    Metrics, per part (subject, body...): `sentence_length` (average words
    per sentence; the finding points at the longest sentence),
    `flesch_kincaid_grade` (reading grade; English copy only, as syllable
    counting is language-specific: other locales are skipped),
    `exclamations` (runs of `!`) and `shouting` (all-caps words; see T013).
    `%s` in the message is the value. Sentences end at `.`, `!`, `?`, block
    tags (`<p>`, `<li>`, `<mj-text>`...) and blank lines. {common}

    ## Why
    Short sentences and plain words are read; long ones are skimmed.

    ## Example
    ```yaml
    rules:
      - id: short-sentences
        type: metric
        message: "Sentences average more than 25 words."
        metric: sentence_length
        max: 25
    ```

    ## Fix
    Split long sentences; prefer short words.
    """

    __doc__ = with_common(__doc__)
    code = "T004"
    name = "style-metric"
    severity = Severity.WARNING
    kind = "metric"
    default_message = "%s is above the limit."

    def check_unit(self, st: ToneState, unit: TextUnit, prose: Prose) -> Iterable[Finding]:
        for r in self.rules(st):
            if not self.applies(st, r, unit, prose):
                continue
            limit = r.max or 0
            measured = _measure(prose, r.data["metric"], limit)
            if measured is None or measured[0] <= limit:
                continue
            value, offset, length = measured
            shown = f"{value:.1f}".removesuffix(".0")
            name = str(r.data["metric"]).replace("_", " ")
            yield make(
                unit,
                self.code,
                offset,
                length,
                self.text(r, shown),
                prose=prose,
                severity=r.level,
                hint=f"{name} is {shown}; the limit is {limit:g}.",
            )


def _measure(prose: Prose, metric: str, limit: float) -> tuple[float, int, int] | None:
    """(value, offset, length) of a metric, pointing where to look; None: not measured."""
    if metric == "sentence_length":
        stats = metrics.sentence_stats(prose)
        if stats is None:
            return None
        return stats.average, stats.longest_at, stats.first_word
    if metric == "flesch_kincaid_grade":
        value, first = metrics.grade(prose), prose.first_word()
        if value is None or first is None:
            return None
        return value, first[0], len(first[1])
    if metric == "exclamations":
        marks = metrics.exclamations(prose)
    else:
        marks = metrics.shouting(prose, set(metrics.ALLOWED_CAPS))
    if len(marks) <= limit:
        return None
    mark = marks[int(limit)]
    return float(len(marks)), mark.offset, mark.length


@register
class StyleConsistency(StyleKindRule):
    """
    ## What it does
    Reports a message that uses both spellings of a style guide
    `consistency` pair (`resume` and `CV`).

    The spelling used first in the message (subject, preheader, body, text)
    wins; every occurrence of the other one is reported. {common}

    ## Why
    Switching terms mid-message makes candidates wonder whether two
    different things are meant.

    ## Example
    ```yaml
    rules:
      - id: resume-or-cv
        type: consistency
        message: "Use one spelling in a message, not both."
        either: {resume: CV}
    ```

    ## Fix
    Use the spelling the message starts with, throughout.
    """

    __doc__ = with_common(__doc__)
    code = "T006"
    name = "style-consistency"
    severity = Severity.WARNING
    kind = "consistency"
    default_message = "Do not mix '%s' and '%s' in one message."
    per_message = True

    def check_message(self, st: ToneState, message: Message) -> Iterable[Finding]:
        for r in self.rules(st):
            seen: dict[int, list[tuple[TextUnit, Prose, Hit]]] = {}
            for unit in message.units:
                prose = st.prose(unit)
                if not self.applies(st, r, unit, prose):
                    continue
                for h in st.hits(unit, r.key):
                    seen.setdefault(h.entry.extra[0], []).append((unit, prose, h))
            for found in seen.values():
                first = found[0][2].entry
                for unit, prose, h in found:
                    if h.entry.extra[1] == first.extra[1]:
                        continue
                    yield make(
                        unit,
                        self.code,
                        h.offset,
                        h.length,
                        self.text(r, h.entry.body, first.body),
                        prose=prose,
                        severity=r.level,
                        hint=f"This message uses '{first.body}' first; use it throughout.",
                    )


@register
class InvalidStyleRule(ToneRule):
    """
    ## What it does
    Reports style-guide rules that cannot run (an `existence` rule without
    `tokens`, a `metric` without `max`...) and `disable:` entries that match
    no tone rule.

    ## Why
    A rule that silently does nothing gives false confidence.

    ## Example
    ```yaml
    rules:
      - id: short-sentences
        type: metric
        metric: sentence_length   # no max
    ```

    ## Fix
    Add what the message names, or remove the rule.
    """

    code = "T007"
    name = "invalid-style-rule"
    severity = Severity.ERROR

    def check_template(self, ctx: LintContext, template: object) -> Iterator[Finding]:
        return iter(())

    def check_workspace(self, ctx: LintContext) -> Iterator[Finding]:
        from atscomms.checks import registry

        sg = ctx.ws.styleguide
        if sg is None:
            return
        st = state(ctx)
        for r in st.guide.rules:
            if r.problem is not None:
                yield _at(self.code, sg, ("rules", r.index), f"style rule '{r.id}': {r.problem}")
        tone = [rule for rule in registry.all_rules() if rule.code.startswith("T")]
        entries = sg.doc.data.get("disable") if isinstance(sg.doc.data, dict) else None
        for i, d in enumerate(entries if isinstance(entries, list) else ()):
            text = str(d).strip()
            if not text or not any(
                t.code.startswith(text.upper()) or t.name == text.lower() for t in tone
            ):
                yield _at(self.code, sg, ("disable", i), f"disable: {d!r} matches no tone rule")


def _at(code: str, sg: StyleGuide, path: tuple, message: str) -> Finding:
    return finding(
        code,
        sg.path,
        sg.doc.span(path),
        message,
        resource=sg.ref,
        hint="See `atscomms rules T` for the tone rules.",
    )
