"""Shared shape of the tone rules: walk template and shared copy, make findings."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from atscomms.checks.context import LintContext, TextUnit
from atscomms.checks.registry import Rule
from atscomms.checks.tone.guide import StyleRule, pack_rules
from atscomms.checks.tone.lexicon import Hit
from atscomms.checks.tone.state import Dedupe, Message, ToneState, allowed, state
from atscomms.checks.tone.text import Prose, first_line, keep_case
from atscomms.findings import Finding, Severity
from atscomms.model.resources import Template


def shown(text: str) -> str:
    """Matched text for a message: a phrase that wraps is shown on one line."""
    return " ".join(text.split())


def vale_format(message: str, *values: str) -> str:
    """Fill ``%s`` placeholders in order, as Vale does."""
    for v in values:
        if "%s" not in message:
            break
        message = message.replace("%s", shown(v), 1)
    return message


def safe_fix(unit: TextUnit, prose: Prose, offset: int, length: int) -> bool:
    """A replacement is safe when the span holds only prose (no markup, no line break)."""
    span = unit.source[offset : offset + length]
    return span == prose.text[offset : offset + length] and "\n" not in span


def make(
    unit: TextUnit,
    code: str,
    offset: int,
    length: int,
    message: str,
    *,
    prose: Prose,
    hint: str | None = None,
    severity: Severity | None = None,
    replacement: str | None = None,
) -> Finding:
    """A finding at the exact word; the fix only when it can be applied safely."""
    if replacement is not None and not safe_fix(unit, prose, offset, length):
        replacement = None
    if replacement is None:
        length = first_line(unit.source, offset, length)
    return unit.finding(
        code, offset, length, message, hint=hint, severity=severity, replacement=replacement
    )


def swap_text(hit: Hit, ignorecase: bool = True) -> str:
    replacement = hit.entry.replacement or ""
    return keep_case(hit.text, replacement) if ignorecase else replacement


class ToneRule(Rule):
    """Runs :meth:`check_units` on the copy of each template, then of each layout
    and partial. By default that is :meth:`check_unit` per unit, or
    :meth:`check_message` per message when ``per_message`` is set."""

    per_message = False

    def active(self, st: ToneState) -> bool:
        return not st.guide.is_disabled(self.code, self.name)

    def check_template(self, ctx: LintContext, template: Template) -> Iterator[Finding]:
        st = state(ctx)
        if self.active(st):
            st.begin(template)
            yield from self.check_units(st, ctx.units(template), template)

    def check_workspace(self, ctx: LintContext) -> Iterator[Finding]:
        st = state(ctx)
        if self.active(st):
            for unit in ctx.shared_units():
                if not ctx.in_scope(unit.where):
                    continue
                st.begin(unit)
                yield from self.check_units(st, [unit], None)

    def check_units(
        self, st: ToneState, units: list[TextUnit], template: Template | None
    ) -> Iterable[Finding]:
        if not self.per_message:
            for unit in units:
                yield from self.check_unit(st, unit, st.prose(unit))
            return
        if template is None:
            messages = [Message(st.prose(u).locale, None, [u]) for u in units]
        else:
            messages = st.messages(template)
        dedupe = Dedupe()
        for message in messages:
            yield from dedupe(self.check_message(st, message))

    def check_unit(self, st: ToneState, unit: TextUnit, prose: Prose) -> Iterable[Finding]:
        return ()

    def check_message(self, st: ToneState, message: Message) -> Iterable[Finding]:
        return ()


class StyleKindRule(ToneRule):
    """A rule kind of the style guide: runs the guide's rules of type ``kind``."""

    kind: str = ""
    default_message = "%s"
    word_list = False  # existence, substitution, capitalization: driven by lexicon hits

    def active(self, st: ToneState) -> bool:
        return super().active(st) and bool(self.rules(st))

    def rules(self, st: ToneState) -> list[StyleRule]:
        return [r for r in st.guide.rules if r.type == self.kind and r.problem is None]

    def applies(self, st: ToneState, r: StyleRule, unit: TextUnit, prose: Prose) -> bool:
        return (
            (r.scope is None or unit.part in r.scope)
            and allowed(r.channels, st.channels(unit))
            and allowed(r.categories, st.categories(unit))
            and r.applies_to_locale(prose.locale, st.default_locale)
        )

    def text(self, r: StyleRule, *values: str) -> str:
        return f"[{r.id}] " + vale_format(r.message or self.default_message, *values)

    def check_units(
        self, st: ToneState, units: list[TextUnit], template: Template | None
    ) -> Iterable[Finding]:
        if not self.word_list:
            yield from super().check_units(st, units, template)
            return
        for r in self.rules(st):
            for unit, h in st.rule_hits(units, r.key):
                prose = st.prose(unit)
                if self.applies(st, r, unit, prose):
                    f = self.check_hit(st, r, unit, prose, h)
                    if f is not None:
                        yield f

    def check_hit(
        self, st: ToneState, r: StyleRule, unit: TextUnit, prose: Prose, h: Hit
    ) -> Finding | None:
        return None


class PackRule(ToneRule):
    """A rule of a built-in pack: reports its tokens (data in ``packs/<pack>.yaml``).

    ``lint.options.CODE.categories`` replaces the categories the rule applies to.
    """

    message = "'%s'"

    def active(self, st: ToneState) -> bool:
        return super().active(st) and st.guide.pack_enabled(self.code)

    def wanted(self, group_categories: frozenset[str] | None) -> frozenset[str] | None:
        override = self.opts.get("categories")
        return frozenset(override) if isinstance(override, list) else group_categories

    def check_units(
        self, st: ToneState, units: list[TextUnit], template: Template | None
    ) -> Iterable[Finding]:
        if self.per_message:
            yield from super().check_units(st, units, template)
            return
        data = pack_rules()[self.code]
        for unit, h in st.rule_hits(units, self.code):
            prose = st.prose(unit)
            if prose.language not in data.languages:
                continue
            group = data.groups[h.entry.group]
            wanted = self.wanted(group.categories)
            if (wanted is None or st.categories(unit) & wanted) and self.keep(prose, h):
                yield self.report(unit, prose, h, group.hint)

    def keep(self, prose: Prose, h: Hit) -> bool:
        """False to drop a match (a rule's own exceptions)."""
        return True

    def report(self, unit: TextUnit, prose: Prose, h: Hit, hint: str | None) -> Finding:
        e = h.entry
        replacement = None
        if e.extra == "fix":
            replacement = swap_text(h)
            hint = f"Write '{replacement}'."
        elif e.extra == "suggest" and e.replacement:
            r = e.replacement
            if r.startswith("("):
                hint = r[1:2].upper() + r[2:-1] + "."
            else:
                hint = f"Try '{keep_case(h.text, r)}'."
        return make(
            unit,
            self.code,
            h.offset,
            h.length,
            vale_format(self.message, h.text),
            prose=prose,
            hint=hint,
            replacement=replacement,
        )
