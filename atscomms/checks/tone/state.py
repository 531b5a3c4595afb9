"""What the tone rules of one lint run share: the compiled guide, prose and
hits of the template being checked, and how copy groups into messages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from atscomms.checks.context import LintContext, TextUnit
from atscomms.checks.tone.guide import Guide, compile_guide
from atscomms.checks.tone.lexicon import Hit, keep_longest
from atscomms.checks.tone.text import Prose
from atscomms.findings import Finding, Severity
from atscomms.model.resources import Parts, Template

_KEY = "_tone_state"


@dataclass(slots=True)
class Message:
    """What one candidate receives: the parts of one locale and variant."""

    locale: str
    variant: str | None
    units: list[TextUnit]


def unit_key(unit: TextUnit) -> tuple:
    return ("file", unit.file) if unit.file else tuple(unit.path or ())


class ToneState:
    def __init__(self, ctx: LintContext) -> None:
        self.ctx = ctx
        ws = ctx.ws
        self.default_locale = ws.config.default_locale
        sg = ws.styleguide
        if sg is None:
            self.guide = Guide(self.default_locale)
        else:
            self.guide = compile_guide(sg.doc.text, sg.doc.data, self.default_locale)
        self._owner: object = None  # the template (or "shared") the caches are for
        self._prose: dict[int, Prose] = {}
        self._hits: dict[int, dict[str, list[Hit]]] = {}
        self._messages: list[Message] | None = None
        self._index: dict[str, list[tuple[TextUnit, Hit]]] | None = None
        self._usage: dict[str, tuple[frozenset[str], frozenset[str]]] | None = None

    def begin(self, owner: object) -> None:
        """Keep caches for one template at a time (memory stays flat on big workspaces)."""
        if owner is not self._owner:
            self._owner = owner
            self._prose.clear()
            self._hits.clear()
            self._messages = None
            self._index = None

    def prose(self, unit: TextUnit) -> Prose:
        p = self._prose.get(id(unit))
        if p is None:
            p = self._prose[id(unit)] = Prose.of(unit, self.default_locale)
        return p

    def hits(self, unit: TextUnit, rule: str) -> list[Hit]:
        """The word-list matches of one rule (``T203``, ``style:0``) in the unit.

        One scan finds the matches of every rule; it runs once per unit."""
        by_rule = self._hits.get(id(unit))
        if by_rule is None:
            p = self.prose(unit)
            by_rule = self._hits[id(unit)] = {}
            lex = self.guide.lexicon(p.language)
            for h in keep_longest(lex.scan(p.text, p.lower), p.text):
                by_rule.setdefault(h.entry.rule, []).append(h)
        return by_rule.get(rule, [])

    def rule_hits(self, units: list[TextUnit], rule: str) -> list[tuple[TextUnit, Hit]]:
        """The matches of one rule in the current template's (or shared) units."""
        if self._index is None:
            index: dict[str, list[tuple[TextUnit, Hit]]] = {}
            for u in units:
                self.hits(u, "")
                for key, hits in self._hits[id(u)].items():
                    index.setdefault(key, []).extend((u, h) for h in hits)
            self._index = index
        return self._index.get(rule, [])

    # -- where copy is used ----------------------------------------------------------

    def categories(self, unit: TextUnit) -> frozenset[str]:
        if unit.category is not None:
            return frozenset((unit.category,))
        return self._used_by(unit)[0]

    def channels(self, unit: TextUnit) -> frozenset[str]:
        if unit.category is not None or unit.channel is not None:
            return frozenset((unit.channel,)) if unit.channel else frozenset()
        return self._used_by(unit)[1]

    def _used_by(self, unit: TextUnit) -> tuple[frozenset[str], frozenset[str]]:
        """Categories and channels of the templates that include a layout or partial."""
        if self._usage is None:
            from atscomms.checks.engine import template_files

            ws = self.ctx.ws
            refs = {r.path: r.ref for r in (*ws.layouts.values(), *ws.partials.values())}
            found: dict[str, tuple[set[str], set[str]]] = {}
            for t in ws.templates.values():
                for path in template_files(ws, t):
                    ref = refs.get(path)
                    if ref is not None:
                        cats, chans = found.setdefault(ref, (set(), set()))
                        cats.add(t.category)
                        chans.add(t.channel)
            self._usage = {k: (frozenset(c), frozenset(h)) for k, (c, h) in found.items()}
        return self._usage.get(unit.resource, (frozenset(), frozenset()))

    # -- messages --------------------------------------------------------------------

    def messages(self, template: Template) -> list[Message]:
        """One message per locale and variant; a part not overridden is shared."""
        if self._messages is not None:
            return self._messages
        index: dict[tuple, TextUnit] = {}
        for u in self.ctx.units(template):
            index.setdefault(unit_key(u), u)
        out: list[Message] = []
        seen: set[tuple[int, ...]] = set()
        for locale in self.ctx.locales:
            for variant in (None, *(v.id for v in template.variants)):
                parts = template.parts_for(locale, variant)
                units = [index[k] for k in _part_keys(parts) if k in index]
                sig = tuple(id(u) for u in units)
                if units and sig not in seen:
                    seen.add(sig)
                    out.append(Message(locale, variant, units))
        self._messages = out
        return out


def _part_keys(parts: Parts) -> Iterable[tuple]:
    for value in (parts.subject, parts.preheader):
        if value is not None:
            yield tuple(value.path)
    if parts.body is not None:
        if parts.body.source is not None:
            yield tuple(parts.body.source.path)
        elif parts.body.file:
            yield ("file", parts.body.file)
    if parts.text is not None:
        yield tuple(parts.text.path)


def state(ctx: LintContext) -> ToneState:
    st = ctx.__dict__.get(_KEY)
    if st is None:
        st = ctx.__dict__[_KEY] = ToneState(ctx)
    return st


def allowed(wanted: frozenset[str] | list[str] | None, have: Iterable[str]) -> bool:
    """A filter (None: everything) against what the unit has."""
    return wanted is None or any(h in wanted for h in have)


class Dedupe:
    """Drop repeated findings (a part shared by several messages is checked once)."""

    def __init__(self) -> None:
        self.seen: set[tuple] = set()

    def __call__(self, findings: Iterable[Finding]) -> Iterable[Finding]:
        for f in findings:
            key = (f.code, f.path, f.line, f.column, f.message)
            if key not in self.seen:
                self.seen.add(key)
                yield f


def level(value: Severity | None, default: Severity) -> Severity:
    return value if value is not None else default
