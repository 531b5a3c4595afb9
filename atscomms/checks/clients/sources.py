"""What the author wrote for a template: its bodies, the partials they include and
its layout, as text units with positions; and where a construct appears in them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from atscomms.checks.context import LintContext, TextUnit
from atscomms.findings import Span
from atscomms.model.resources import Template

# Plain HTML comments and Jinja comments are not what the author sends; MSO
# conditional comments are (their content reaches Outlook), so they stay.
# (`<!-->` closes the opening marker of `<!--[if !mso]><!-->`: not a comment.)
_COMMENT = re.compile(r"<!--(?!\[if|<!\[endif|>).*?-->|\{#.*?#\}", re.S)
_PLAIN_COMMENT = re.compile(r"<!--(?!\[if|<!\[endif|>).*?-->", re.S)


def blank(text: str, pattern: re.Pattern[str] = _COMMENT) -> str:
    """``text`` with the matches of ``pattern`` blanked (same length, newlines kept)."""
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def state(ctx: LintContext) -> dict[str, Any]:
    """Per-run memo of this pack, kept on the context (rules stay free of globals)."""
    return ctx.memo.setdefault("clients", {})


@dataclass(slots=True)
class Source:
    unit: TextUnit
    text: str  # unit.source with plain comments blanked
    lower: str = ""
    hits: dict[tuple[str, bool], tuple[int, int, bool] | None] = field(default_factory=dict)
    _words: tuple[frozenset[str], frozenset[str]] | None = None
    #: ``lower`` has the offsets of ``text`` and matching it case-sensitively is matching
    #: ``text`` case-insensitively (see :func:`_evidence`)
    folds: bool = False

    def __post_init__(self) -> None:
        self.lower = self.text.lower()
        self.folds = len(self.lower) == len(self.text) and not _ODD_FOLDS.intersection(self.text)

    def match(self, evidence: str, css_only: bool) -> tuple[int, int, bool] | None:
        """``(start, end, mjml)`` of the first match of ``evidence``, remembered."""
        key = (evidence, css_only)
        hits = self.hits
        if key in hits:
            return hits[key]
        literals, pattern, at, folded = _evidence(evidence)
        found = None
        lower = self.lower
        if all(x in lower for x in literals):
            if folded is not None and self.folds:
                matches = folded.finditer(lower)
            else:
                matches = pattern.finditer(self.text)
            for m in matches:
                mjml = _inside_mj_tag(self.text, m.start())
                if not (css_only and mjml):
                    found = (*(m.span("at") if at else m.span()), mjml)
                    break
        hits[key] = found
        return found

    def words(self) -> tuple[frozenset[str], frozenset[str]]:
        """Tag names and keywords of the markup and style sheets (prose left out)."""
        if self._words is None:
            code = "\n".join(_MARKUP.findall(self.lower))
            self._words = (
                frozenset(re.findall(r"<([a-z][\w-]*)", code)),
                frozenset(re.findall(r"[a-z-]+", code)),
            )
        return self._words


#: The only non-ASCII characters ``re.IGNORECASE`` equates with an ASCII letter whose
#: ``lower()`` is not that letter (İ also changes length; the Kelvin sign lowers to k).
_ODD_FOLDS = frozenset("\u0130\u0131\u017f")


@lru_cache(maxsize=4096)
def _evidence(
    evidence: str,
) -> tuple[tuple[str, ...], re.Pattern[str], bool, re.Pattern[str] | None]:
    """``literals\0pattern`` -> (literals that must all occur, the pattern compiled
    case-insensitively, whether it marks the construct with an ``at`` group, and the
    pattern lower-cased and compiled case-sensitively, for lower-cased text).

    The last is the same search on a :attr:`Source.folds` text, several times faster:
    with ``re.IGNORECASE`` Python's engine cannot skip ahead to a literal prefix. It
    is None for patterns whose meaning lower-casing would change (non-ASCII, or an
    upper-case escape such as ``\\S``)."""
    literals, pattern = evidence.split("\0", 1)
    folded = None
    if pattern.isascii() and not re.search(r"\\[A-Z]", pattern):
        lowered = pattern.lower().replace("(?p<", "(?P<").replace("(?p=", "(?P=")
        folded = re.compile(lowered)
    return tuple(literals.split("\1")), _compiled(pattern), "(?P<at>" in pattern, folded


_MARKUP = re.compile(r"<(?:mj-)?style\b.*?</(?:mj-)?style>|<[^<>]*>", re.S)


@dataclass(slots=True)
class Anchor:
    unit: TextUnit
    offset: int
    length: int
    mjml: bool  # found as an attribute of an MJML component (mj-*)


def _email_body(unit: TextUnit) -> bool:
    return unit.part == "body" and unit.channel != "sms"


def shared(ctx: LintContext, ref: str) -> list[Source]:
    """Body units of a layout or partial (every locale), cached per run."""
    memo = state(ctx).setdefault("shared", {})
    found = memo.get(ref)
    if found is None:
        kind, _, rid = ref.partition(":")
        table = ctx.ws.layouts if kind == "layout" else ctx.ws.partials
        found = []
        r = table.get(rid)
        if r is not None:
            bodies = [(None, r.body), *r.locales.items()]
            for locale, body in bodies:
                if body is None:
                    continue
                unit = ctx.body_unit(body, r.doc, r.ref, locale, None, r.channel)
                if unit is not None:
                    found.append(Source(unit, blank(unit.source)))
        memo[ref] = found
    return found


def template_sources(ctx: LintContext, t: Template) -> list[Source]:
    """The template's bodies, then the partials they (and the layout) include, then the
    layout: the order in which an anchor is looked for."""
    from atscomms.model.resolve import includes

    memo = state(ctx).setdefault("sources", {})
    found = memo.get(t.id)
    if found is not None:
        return found
    own = [Source(u, blank(u.source)) for u in ctx.units(t) if _email_body(u)]
    layout = shared(ctx, f"layout:{t.layout}") if t.layout in ctx.ws.layouts else []
    partials: list[Source] = []
    seen: set[str] = set()
    pending = [s.unit.source for s in (*own, *layout)]
    while pending:
        for name, _ in includes(pending.pop()):
            if name not in seen and name in ctx.ws.partials:
                seen.add(name)
                units = shared(ctx, f"partial:{name}")
                partials += units
                pending += [s.unit.source for s in units]
    found = memo[t.id] = own + partials + layout
    return found


@lru_cache(maxsize=4096)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


def _inside_mj_tag(text: str, pos: int) -> bool:
    lt = text.rfind("<", 0, pos)
    return lt > text.rfind(">", 0, pos) and text.startswith("<mj", lt)


def find(
    sources: Iterable[Source], evidence: Iterable[str], *, css_only: bool = False
) -> Anchor | None:
    """The first place (in source priority order, then text order) where one of
    the ``evidence`` patterns matches. ``css_only``: skip MJML attributes."""
    ordered = sorted(evidence)
    for src in sources:
        best = None
        for item in ordered:
            hit = src.match(item, css_only)
            if hit is not None and (best is None or hit[0] < best[0]):
                best = hit
        if best is not None:
            return Anchor(src.unit, best[0], best[1] - best[0], best[2])
    return None


def find_tags(text: str, names: str) -> Iterator[re.Match[str]]:
    """Start tags named ``names`` (a regex alternation) in author source, attribute
    values with Jinja expressions included; plain comments and ``<mj-head>`` (where
    ``<mj-attributes>`` declares defaults, not content) skipped."""
    pattern = _tag_regex(names)
    yield from pattern.finditer(_body_markup(text))


@lru_cache(maxsize=256)
def _body_markup(text: str) -> str:
    return blank(text, _NOT_BODY)


_NOT_BODY = re.compile(_PLAIN_COMMENT.pattern + r"|<mj-head\b.*?</mj-head\s*>", re.S | re.I)


@lru_cache(maxsize=64)
def _tag_regex(names: str) -> re.Pattern[str]:
    return re.compile(
        r"<(?P<name>" + names + r")(?![\w:-])"
        r"(?P<attrs>(?:[^<>\"'{]|\"[^\"]*\"|'[^']*'|\{\{.*?\}\}|\{%.*?%\}|\{)*?)\s*/?>",
        re.I | re.S,
    )


_ATTR = re.compile(
    r"(?<![\w:-])([\w:-]+)(?:\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s>\"']+)))?"
)


def attributes(m: re.Match[str]) -> dict[str, tuple[str, int, int]]:
    """``name -> (value, offset of the value, offset of the name)`` in the unit's text,
    for a :func:`find_tags` match. Jinja in values is kept as written."""
    attrs_text = m.group("attrs")
    base = m.start("attrs")
    clean = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", lambda x: "_" * len(x.group(0)), attrs_text)
    out: dict[str, tuple[str, int, int]] = {}
    for a in _ATTR.finditer(clean):
        name = a.group(1).lower()
        group = next((g for g in ("dq", "sq", "bare") if a.group(g) is not None), None)
        if group is None:
            out.setdefault(name, ("", base + a.end(), base + a.start()))
        else:
            s, e = a.span(group)
            out.setdefault(name, (attrs_text[s:e], base + s, base + a.start()))
    return out


def body_span(t: Template) -> tuple[str, Span]:
    """Where the template's body is declared (the fallback position)."""
    body = t.parts.body
    path = body.source.path[:-1] if body is not None and body.source is not None else ("body",)
    return t.doc.path, t.doc.key_span(path)
