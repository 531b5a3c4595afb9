"""M: SMS length, encoding and links."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from atscomms.checks.fields.expressions import FieldUse, option, uses_with_partials
from atscomms.checks.legal.footer import URL
from atscomms.checks.registry import Rule, finding, register
from atscomms.findings import Finding, Severity, Span
from atscomms.rendering.sms import analyze, is_gsm, suggestion_for

if TYPE_CHECKING:
    from atscomms.checks.context import LintContext, TextUnit
    from atscomms.model.resources import Body, Template


def sms_units(ctx: LintContext, template: Template | None = None) -> Iterator[TextUnit]:
    """SMS copy as written: a template's SMS body, or (no template) SMS layouts and partials."""
    if template is not None:
        if template.channel == "sms":
            yield from (u for u in ctx.units(template) if u.part == "sms")
        return
    yield from (u for u in ctx.shared_units() if u.channel == "sms")


def _body_anchor(ctx: LintContext, template: Template, body: Body) -> tuple[str, Span]:
    """File and position of the `text:` key of a body (line 1 of a `file:` body)."""
    for unit in ctx.units(template):
        if unit.part != "sms":
            continue
        if body.source is not None and unit.path == body.source.path and unit.doc:
            return unit.doc.path, unit.doc.key_span(unit.path)
        if body.file is not None and unit.file == body.file:
            return body.file, Span(1, 1)
    return template.path, template.doc.key_span(("body",))


@register
class SmsSegments(Rule):
    """
    ## What it does
    Reports SMS that need more segments than the template's budget.

    Every SMS is rendered with its layout for every locale and variant with
    the sample data, and for every persona; the budget is `sms.max_segments`
    (default 2). The finding names the worst case and points at the body it
    came from.

    ## Why
    Each segment is billed, and long texts arrive split or late on some
    phones. One non-GSM character (a curly quote, an accented name) switches
    the whole text to UCS-2: 70 characters per segment instead of 160.

    ## Example
    ```yaml
    sms:
      max_segments: 1
    body:
      text: "Hi {{ candidate.first_name }}, ... (200 characters)"
    ```

    ## Fix
    Shorten the text, replace the characters that force UCS-2 (M102), or
    raise `sms.max_segments` if the cost is accepted.
    """

    code = "M101"
    name = "sms-too-many-segments"
    severity = Severity.WARNING

    def check_template(self, ctx: LintContext, template: Template) -> Iterator[Finding]:
        if template.channel != "sms":
            return
        renders = [*ctx.renders(template)]
        renders += [ctx.render(template, persona=p, full=False) for p in ctx.personas()]
        worst: dict[tuple[str, Span], tuple[Any, Any]] = {}
        for rendered in renders:
            info = rendered.sms
            if info is None or info.segments <= template.max_segments:
                continue
            body = template.parts_for(rendered.locale, rendered.variant).body
            if body is None:
                continue
            key = _body_anchor(ctx, template, body)
            if key not in worst or info.segments > worst[key][1].segments:
                worst[key] = (rendered, info)
        for (path, span), (rendered, info) in worst.items():
            who = f"persona `{rendered.persona}`" if rendered.persona else "the sample data"
            variant = f", variant {rendered.variant}" if rendered.variant else ""
            chars = f"; non-GSM: {' '.join(info.non_gsm)}" if info.non_gsm else ""
            yield finding(
                self.code,
                path,
                span,
                f"SMS needs {info.segments} segments ({info.encoding}, {info.characters} "
                f"characters{chars}) for {who} in {rendered.locale}{variant}; the budget is "
                f"{template.max_segments}",
                hint="Shorten the text"
                + (", replace the characters that force UCS-2" if info.non_gsm else "")
                + ", or raise `sms.max_segments`.",
                resource=template.ref,
                locale=rendered.locale,
            )


def _without_comments(text: str) -> str:
    return re.sub(r"\{#.*?#\}", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)


def non_gsm(text: str) -> Iterator[tuple[int, int, str | None]]:
    """(offset, length, GSM replacement or None) of each character forcing UCS-2.
    A base letter with combining marks is one item when it composes to a GSM letter."""
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        cluster = text[i:j]
        if not is_gsm(cluster):
            composed = unicodedata.normalize("NFC", cluster)
            if len(cluster) > 1 and is_gsm(composed):
                yield i, j - i, composed
            else:
                for k in range(i, j):
                    if not is_gsm(text[k]):
                        yield k, 1, suggestion_for(text[k])
        i = j


#: Characters that cannot start a plain YAML scalar (TextUnit.fix does not check this).
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")


def _safe(unit: TextUnit, offset: int, replacement: str | None) -> str | None:
    """The replacement, or None when it would change how YAML reads a plain scalar."""
    if replacement is None or unit.doc is None or unit.path is None:
        return replacement
    if not unit.doc.scalar_style(unit.path) and offset == 0 and replacement[:1] in _INDICATORS:
        return None
    return replacement


def _char_name(text: str) -> str:
    ch = unicodedata.normalize("NFC", text)
    if len(ch) != 1:
        return " + ".join(f"U+{ord(c):04X}" for c in text)
    return f"U+{ord(ch):04X} {unicodedata.name(ch, '').title() or 'character'}"


@register
class SmsNonGsmCharacter(Rule):
    """
    ## What it does
    Reports each character of SMS copy that forces UCS-2 encoding.

    Templates, SMS layouts and SMS partials are searched for characters
    outside the GSM 03.38 alphabet, each reported at its position. Curly
    quotes, dashes, ellipses, non-breaking spaces and accented letters with a
    GSM equivalent are fixable (`atscomms lint --fix`); emoji and other
    scripts are reported without a fix.

    ## Why
    One such character switches the whole text to UCS-2: 70 characters per
    segment instead of 160, so the same text costs two or three times as much.
    Word processors insert smart quotes and dashes without anyone noticing.

    ## Example
    ```yaml
    body:
      text: "We’re looking forward to it – see you!"
    ```

    ## Fix
    `--fix` replaces them: `’` with `'`, `–` with `-`, `…` with `...`.
    """

    code = "M102"
    name = "sms-non-gsm-character"
    severity = Severity.WARNING
    fixable = True

    def _check(self, unit: TextUnit) -> Iterator[Finding]:
        text = _without_comments(unit.source)
        if is_gsm(text):
            return
        for offset, length, suggestion in non_gsm(text):
            replacement = _safe(unit, offset, suggestion)
            chars = text[offset : offset + length]
            shown = "" if suggestion is None else f"; replace it with {suggestion!r}"
            yield unit.finding(
                self.code,
                offset,
                length,
                f"{chars!r} ({_char_name(chars)}) forces UCS-2 for the whole SMS: 70 "
                "characters per segment instead of 160" + shown,
                hint="Run `atscomms lint --fix`."
                if replacement is not None
                else "Quote the YAML value, then run `atscomms lint --fix`."
                if suggestion is not None
                else "It has no GSM-7 equivalent: remove it, or accept UCS-2.",
                replacement=replacement,
            )

    def check_template(self, ctx: LintContext, template: Template) -> Iterator[Finding]:
        for unit in sms_units(ctx, template):
            yield from self._check(unit)

    def check_workspace(self, ctx: LintContext) -> Iterator[Finding]:
        for unit in sms_units(ctx):
            yield from self._check(unit)


def _field_urls(ctx: LintContext, name: str) -> list[str]:
    """URL values of a field: the registry sample first, then the personas'."""
    values: list[Any] = []
    if ctx.ws.fields is not None and name in ctx.ws.fields.fields:
        values.append(ctx.ws.fields.fields[name].sample)
    values += [p.fields.get(name) for p in ctx.ws.personas.values()]
    return [v for v in values if isinstance(v, str) and URL.fullmatch(v)]


@register
class SmsUrlRewritten(Rule):
    """
    ## What it does
    Reports links in SMS that providers will rewrite.

    Any `http://` link, and links longer than option `max_url_length`
    (default 35 characters), which many SMS providers replace with a tracked
    short link (option `rewritten_length`, default 25). The message gives the
    segment count as rendered and after the rewrite. A long link written in
    the template or in `brand:` of atscomms.yaml (`{{ brand.privacy_url }}`) is a
    warning (it can be shortened); a long link from a field (sample or persona
    data) is info; `http://` is always a warning.

    ## Why
    A rewritten link shows the candidate an unknown domain, and the text's
    length (and cost) changes after the lint checked it; carriers filter
    `http://` links and public shorteners.

    ## Example
    ```yaml
    body:
      text: "Book a slot: https://careers.acme.example/interviews/schedule?ref=sms"
    ```

    ## Fix
    Use a short `https://` link on your own domain.
    """

    code = "M103"
    name = "sms-url-rewritten"
    severity = Severity.WARNING
    options = {"max_url_length": 35, "rewritten_length": 25}

    def _problem(self, url: str) -> str | None:
        if url.lower().startswith("http://"):
            return "plain `http://` link: providers rewrite it and carriers may filter it"
        if len(url) > option(self, "max_url_length"):
            return (
                f"{len(url)}-character link: providers shorten links over "
                f"{option(self, 'max_url_length')} characters into tracked links"
            )
        return None

    def _impact(self, ctx: LintContext, template: Template | None, unit: TextUnit, url: str) -> str:
        if template is None:
            return ""
        rendered = ctx.render(template, unit.locale)
        info = rendered.sms
        if info is None or url not in info.text:
            return ""
        after = analyze(info.text.replace(url, "x" * option(self, "rewritten_length"))).segments
        return f" ({info.segments} segment(s) as rendered, {after} after the rewrite)"

    def _check(
        self, ctx: LintContext, unit: TextUnit, template: Template | None
    ) -> Iterator[Finding]:
        for m in URL.finditer(unit.prose):
            url = m.group(0).rstrip(".,;:!?")
            problem = self._problem(url)
            if problem:
                yield unit.finding(
                    self.code,
                    m.start(),
                    len(url),
                    problem + self._impact(ctx, template, unit, url),
                    hint="Use a short https:// link on your own domain.",
                )
        for use in uses_with_partials(ctx, unit):
            if use.test:
                continue
            if use.name.startswith("brand."):
                yield from self._brand(ctx, unit, template, use)
                continue
            found = [(u, self._problem(u)) for u in _field_urls(ctx, use.name)]
            found = [(u, p) for u, p in found if p]
            if found:
                url, problem = found[0]
                plain = url.lower().startswith("http://")
                yield unit.finding(
                    self.code,
                    use.offset,
                    use.length,
                    f"`{use.name}` holds a {problem.split(': ', 1)[0]} in sample data "
                    f"({url}){self._impact(ctx, template, unit, url)}",
                    hint="Give the field short https:// links (or a short-link field for SMS).",
                    severity=None if plain else Severity.INFO,
                )

    def _brand(
        self, ctx: LintContext, unit: TextUnit, template: Template | None, use: FieldUse
    ) -> Iterator[Finding]:
        """A `brand.*` link: the value every message sends, written in atscomms.yaml."""
        url = ctx.ws.config.brand.get(use.name.removeprefix("brand."))
        problem = self._problem(url) if isinstance(url, str) and URL.fullmatch(url) else None
        if problem:
            yield unit.finding(
                self.code,
                use.offset,
                use.length,
                f"`{use.name}` is a {problem.split(': ', 1)[0]} (`brand:` in atscomms.yaml: "
                f"{url}){self._impact(ctx, template, unit, str(url))}",
                hint="Give `brand:` a short https:// link on your own domain for SMS.",
            )

    def check_template(self, ctx: LintContext, template: Template) -> Iterator[Finding]:
        for unit in sms_units(ctx, template):
            yield from self._check(ctx, unit, template)

    def check_workspace(self, ctx: LintContext) -> Iterator[Finding]:
        for unit in sms_units(ctx):
            yield from self._check(ctx, unit, None)
