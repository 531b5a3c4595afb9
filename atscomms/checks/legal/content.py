"""Rules over what is written: acknowledgements, internal links, layouts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from atscomms.checks.fields.expressions import analysis, option, uses, uses_with_partials
from atscomms.checks.legal.footer import URL
from atscomms.checks.registry import Rule, finding, register
from atscomms.findings import Finding, Span

if TYPE_CHECKING:
    from atscomms.checks.context import LintContext, TextUnit
    from atscomms.model.resources import Template


def named_acknowledgement(template: Template, rule: Rule) -> bool:
    """An id or name matching option `pattern`; or (option `stages`, off by default)
    any transactional template at those stages."""
    if template.category == "transactional" and template.stage in option(rule, "stages"):
        return True
    try:
        pattern = re.compile(option(rule, "pattern"), re.I)
    except re.error:
        pattern = re.compile(type(rule).options["pattern"], re.I)
    name = template.data.get("name") if isinstance(template.data, dict) else None
    return bool(pattern.search(template.id) or (isinstance(name, str) and pattern.search(name)))


def sequence_acknowledgements(ctx: LintContext) -> list[str]:
    """Ids of templates sent first by a sequence triggered by `application_submitted`."""
    out: list[str] = []
    for seq in ctx.ws.sequences.values():
        trigger = seq.data.get("trigger") if isinstance(seq.data, dict) else None
        if isinstance(trigger, dict) and trigger.get("action") == "application_submitted":
            sends = [s.get("send") for s in seq.steps if isinstance(s, dict) and s.get("send")]
            if sends and isinstance(sends[0], str) and sends[0] not in out:
                out.append(sends[0])
    return out


@register
class AcknowledgementPrivacyNotice(Rule):
    """
    ## What it does
    Checks that application acknowledgements link the applicant privacy notice.

    The link (`{{ brand.privacy_url }}`, or the URL itself) must be in the
    template's own body, in every locale and variant; a link in the layout's
    footer does not count. A template is an acknowledgement when it is the
    first message of a sequence triggered by `application_submitted`, or when
    its id or name matches option `pattern` ("acknowledg...", "application
    received/confirmed", "thank you for applying"). Option `stages` (default
    none) makes every `transactional` template at those stages one too: off
    by default, because screening invitations and document requests are sent
    at `applied` as well.

    ## Why
    The acknowledgement is sent when the personal data is collected: that is
    when GDPR Art. 13 requires telling the candidate how it is used.

    ## Example
    ```yaml
    id: application-received
    category: transactional
    stage: applied
    body:
      text: "We have your application."
    ```

    ## Fix
    Add a sentence with `<a href="{{ brand.privacy_url }}">applicant privacy notice</a>`.
    """

    code = "L103"
    name = "acknowledgement-privacy-notice"
    options = {
        "stages": [],
        "pattern": r"acknowledg|application[-_ ]?(received|confirm)"
        r"|thank(s|[-_ ]you)[-_ ]for[-_ ]applying",
    }

    def _check(self, ctx: LintContext, template: Template) -> Iterator[Finding]:
        url = ctx.ws.config.brand.get("privacy_url")
        for unit in ctx.units(template):
            if unit.part not in ("body", "sms") or analysis(ctx, unit.source, unit.locale) is None:
                continue
            if isinstance(url, str) and url in unit.source:
                continue
            if any(u.name == "brand.privacy_url" for u in uses_with_partials(ctx, unit)):
                continue
            span = unit.doc.key_span(unit.path) if unit.doc and unit.path else Span()
            yield finding(
                self.code,
                unit.where,
                span,
                "application acknowledgement does not link the applicant privacy notice",
                hint='Add `<a href="{{ brand.privacy_url }}">applicant privacy notice</a>`.',
                resource=unit.resource,
                locale=unit.locale,
            )

    def check_template(self, ctx: LintContext, template: Template) -> Iterator[Finding]:
        # Only what the template's own inputs decide: per-template results are cached.
        if named_acknowledgement(template, self):
            yield from self._check(ctx, template)

    def check_workspace(self, ctx: LintContext) -> Iterator[Finding]:
        # Sequences are not among a template's cached inputs: checked once per run.
        for tid in sequence_acknowledgements(ctx):
            template = ctx.ws.templates.get(tid)
            if template is None or not ctx.in_scope(template.path):
                continue
            if not named_acknowledgement(template, self):
                yield from self._check(ctx, template)


def _internal(patterns: list[str]) -> re.Pattern[str]:
    """A pattern matches inside a URL, not inside a longer word (`/admin` != `/administration`)."""
    parts = []
    for p in patterns:
        head = r"(?<![\w-])" if p[:1].isalnum() else ""
        tail = r"(?![\w-])" if p[-1:].isalnum() else ""
        parts.append(head + re.escape(p) + tail)
    return re.compile("|".join(parts), re.I)


def _jinja_comments(text: str) -> str:
    return re.sub(r"\{#.*?#\}", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)


@register
class InternalLink(Rule):
    """
    ## What it does
    Reports internal-only links (ATS profiles, scorecards, admin pages) in
    candidate messages.

    Templates, layouts and partials are searched, and so are the fields they
    show whose sample or persona values are such links. Option
    `internal_url_patterns` lists what is internal.

    ## Why
    A link to a candidate's ATS profile or to interview scorecards exposes
    internal notes, or at best shows the candidate a login page.

    ## Example
    ```yaml
    body:
      text: "Your profile: https://app.greenhouse.io/people/4821"
    ```

    ## Fix
    Link the candidate portal or a public page instead.
    """

    code = "L106"
    name = "internal-link"
    options = {
        "internal_url_patterns": [
            "app.greenhouse.io/people",
            "/scorecards",
            "hire.lever.co/candidates",
            "/admin",
            "internal.",
            "intranet.",
        ]
    }

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self.internal = _internal(option(self, "internal_url_patterns"))
        self._bad_fields: tuple[Any, dict[str, str]] | None = None

    def bad_fields(self, ctx: LintContext) -> dict[str, str]:
        """Field name -> an internal link among its sample and persona values."""
        if self._bad_fields is None or self._bad_fields[0] is not ctx.ws:
            values: list[tuple[str, Any]] = []
            if ctx.ws.fields is not None:
                values += [(f.name, f.sample) for f in ctx.ws.fields.fields.values()]
            for persona in ctx.ws.personas.values():
                values += list(persona.fields.items())
            bad: dict[str, str] = {}
            for name, value in values:
                if isinstance(value, str) and URL.match(value) and self.internal.search(value):
                    bad.setdefault(name, value)
            self._bad_fields = (ctx.ws, bad)
        return self._bad_fields[1]

    def _scan(self, ctx: LintContext, unit: TextUnit) -> Iterator[Finding]:
        if "://" in unit.source:
            for m in URL.finditer(_jinja_comments(unit.source)):
                hit = self.internal.search(m.group(0))
                if hit:
                    yield unit.finding(
                        self.code,
                        m.start(),
                        len(m.group(0)),
                        f"internal link in a candidate message: {m.group(0)} "
                        f"(matches `{hit.group(0)}`)",
                        hint="Candidates cannot open internal tools; link a public page.",
                    )
        bad_fields = self.bad_fields(ctx)
        if not bad_fields:
            return
        for use in uses_with_partials(ctx, unit):
            bad = bad_fields.get(use.name)
            if bad is not None and not use.test:
                via = f"partial `{use.via}` shows " if use.via else ""
                yield unit.finding(
                    self.code,
                    use.offset,
                    use.length,
                    f"{via}`{use.name}`, whose sample data is an internal link ({bad})",
                    hint="Use a field that holds a candidate-facing link.",
                )

    def check_template(self, ctx: LintContext, template: Template) -> Iterator[Finding]:
        for unit in ctx.units(template):
            yield from self._scan(ctx, unit)

    def check_workspace(self, ctx: LintContext) -> Iterator[Finding]:
        for unit in ctx.shared_units():
            yield from self._scan(ctx, unit)


@register
class LayoutWithoutContent(Rule):
    """
    ## What it does
    Reports a layout body (any locale) that never outputs `{{ content }}`.

    ## Why
    Every template using the layout would be sent as an empty shell: a logo
    and a footer.

    ## Example
    ```yaml
    kind: layout
    body:
      text: "{{ brand.sms_sender }}: Reply STOP to opt out."
    ```

    ## Fix
    Put `{{ content }}` where the message goes.
    """

    code = "L107"
    name = "layout-without-content"

    def check_workspace(self, ctx: LintContext) -> Iterator[Finding]:
        for unit in ctx.shared_units():
            if not unit.resource.startswith("layout:"):
                continue
            if analysis(ctx, unit.source, unit.locale) is None:
                continue
            if any(u.name == "content" and not u.test for u in uses(ctx, unit.source, unit.locale)):
                continue
            span = unit.doc.key_span(unit.path) if unit.doc and unit.path else Span()
            yield finding(
                self.code,
                unit.where,
                span,
                f"layout `{unit.resource.split(':', 1)[1]}` never outputs `{{{{ content }}}}`"
                + (f" ({unit.locale})" if unit.locale else ""),
                hint="Add `{{ content }}` where the message goes.",
                resource=unit.resource,
                locale=unit.locale,
            )
