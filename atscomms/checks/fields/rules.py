"""F101-F106: expressions checked against the field registry."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from atscomms.checks.fields.expressions import (
    FieldUse,
    all_shared,
    dotted_names,
    field_finding,
    grouped,
    is_builtin,
    is_group,
    option,
    registry_field,
    source_texts,
    uses,
    uses_with_partials,
)
from atscomms.checks.registry import Rule, register
from atscomms.findings import Finding, Severity

if TYPE_CHECKING:
    from atscomms.checks.context import LintContext, TextUnit
    from atscomms.model.resources import Template


@register
class UnknownField(Rule):
    """
    ## What it does
    Reports expressions naming a field the registry does not declare.

    The closest declared name is suggested. `brand.*`, `locale` and
    `unsubscribe_url` are always available; layouts may also use `content`,
    `subject` and `preheader`; loop variables are local.

    ## Why
    A misspelt field renders as nothing (or fails) once the ATS fills it in, and
    providers cannot map it to a token.

    ## Example
    ```yaml
    subject: "Hi {{ candidate.frist_name }}"
    ```

    ## Fix
    Correct the name, or declare the field in the registry.
    """

    code = "F101"
    name = "unknown-field"

    def _check(self, ctx: LintContext, unit: TextUnit, layout: bool) -> Iterator[Finding]:
        from atscomms.loading.validate import did_you_mean

        assert ctx.ws.fields is not None
        known = ctx.ws.fields.fields
        for use in uses(ctx, unit.source, unit.locale):
            name = use.name
            if name in known or is_builtin(name, layout=layout):
                continue
            if use.guarded and is_group(ctx, name):
                continue  # `{% if interview %}`: a test on a group of fields
            guess = did_you_mean(name, known)
            hint = f"Did you mean `{guess}`?" if guess else "Declare the field in the registry."
            yield unit.finding(
                self.code, use.offset, use.length, f"unknown field `{name}`", hint=hint
            )

    def check_template(self, ctx: LintContext, template: Template) -> Iterator[Finding]:
        if ctx.ws.fields is not None:
            for unit in ctx.units(template):
                yield from self._check(ctx, unit, False)

    def check_workspace(self, ctx: LintContext) -> Iterator[Finding]:
        if ctx.ws.fields is not None:
            for unit, layout in all_shared(ctx):
                yield from self._check(ctx, unit, layout)


@register
class FieldNotAtStage(Rule):
    """
    ## What it does
    Reports fields used at a stage where they do not exist.

    A template's fields (directly, or through an included partial) must list
    the template's `stage:` in their registry `stages:`. A stage that
    `atscomms.yaml` does not declare is reported once, by R006.

    ## Why
    An interview time does not exist when an application is received: the
    message would go out with a blank, or not at all.

    ## Example
    ```yaml
    stage: applied
    subject: "See you on {{ interview.start_at | date }}"
    ```

    ## Fix
    Move the template to the right stage, or use a field that exists at this one.
    """

    code = "F102"
    name = "field-not-at-stage"

    def check_template(self, ctx: LintContext, template: Template) -> Iterator[Finding]:
        stage = template.stage
        if ctx.ws.fields is None or stage is None:
            return
        if ctx.ws.config.stages and stage not in ctx.ws.config.stages:
            return  # an undeclared stage: R006 says so, once, with a "did you mean"
        problems: list[tuple[TextUnit, FieldUse, str]] = []
        for unit in ctx.units(template):
            for use in uses_with_partials(ctx, unit):
                f = registry_field(ctx, use.name)
                if f is None or not f.stages or stage in f.stages or "all" in f.stages:
                    continue
                problems.append((unit, use, f"`{f.name}` (only at {', '.join(f.stages)})"))
        for unit in {id(u): u for u, _, _ in problems}.values():
            mine = [(use, text) for u, use, text in problems if u is unit]
            for (offset, length), texts in grouped(mine).items():
                via = next(use.via for use, _ in mine if use.offset == offset)
                what = f"partial `{via}` uses " if via else ""
                yield unit.finding(
                    self.code,
                    offset,
                    length,
                    f"{what}{', '.join(texts)}: not available at stage `{stage}`",
                    hint="Use a field that exists at this stage, or correct `stage:`.",
                )


@register
class MissingFallback(Rule):
    """
    ## What it does
    Reports optional fields used without a fallback.

    A field that is not `required: true` in the registry needs
    `| default("...")`, or to be inside `{% if field %}`.

    ## Why
    Optional fields are often empty: "Hi ," or "Your recruiter  will call you".

    ## Example
    ```yaml
    body:
      text: "Your recruiter is {{ recruiter.name }}."
    ```

    ## Fix
    `{{ recruiter.name | default("our recruiting team") }}`, or wrap the
    sentence in `{% if recruiter.name %}...{% endif %}`.
    """

    code = "F103"
    name = "missing-fallback"
    severity = Severity.WARNING

    def _check(self, ctx: LintContext, unit: TextUnit) -> Iterator[Finding]:
        assert ctx.ws.fields is not None
        for use in uses(ctx, unit.source, unit.locale):
            f = ctx.ws.fields.fields.get(use.name)
            if f is not None and not f.required and not use.guarded:
                yield unit.finding(
                    self.code,
                    use.offset,
                    use.length,
                    f"optional field `{use.name}` has no fallback",
                    hint=f'Use `{{{{ {use.name} | default("...") }}}}` or '
                    f"`{{% if {use.name} %}}...{{% endif %}}`.",
                )

    def check_template(self, ctx: LintContext, template: Template) -> Iterator[Finding]:
        if ctx.ws.fields is not None:
            for unit in ctx.units(template):
                yield from self._check(ctx, unit)

    def check_workspace(self, ctx: LintContext) -> Iterator[Finding]:
        if ctx.ws.fields is not None:
            for unit, _ in all_shared(ctx):
                yield from self._check(ctx, unit)


@register
class FieldWithoutSample(Rule):
    """
    ## What it does
    Reports registry fields without a `sample:` value.

    ## Why
    Previews, lint renders and simulations use the samples; without one, every
    check of the templates that use the field runs on a blank.

    ## Example
    ```yaml
    fields:
      - name: job.location
        type: string
    ```

    ## Fix
    Add a realistic `sample:` (no real candidate data).
    """

    code = "F104"
    name = "field-without-sample"
    severity = Severity.WARNING

    def check_workspace(self, ctx: LintContext) -> Iterator[Finding]:
        if ctx.ws.fields is None:
            return
        for f in ctx.ws.fields.fields.values():
            if f.sample is None:
                yield field_finding(
                    ctx,
                    self.code,
                    f,
                    f"field `{f.name}` has no sample value",
                    "Add `sample:` with a realistic, made-up value.",
                )


def _sequence_fields(data: Any) -> Iterator[str]:
    """Field names a sequence uses: `field:` of conditions and wait_until, time-zone fallbacks."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "field" and isinstance(value, str):
                yield value
            elif key == "timezone_fallbacks" and isinstance(value, list):
                yield from (v for v in value if isinstance(v, str))
            else:
                yield from _sequence_fields(value)
    elif isinstance(data, list):
        for item in data:
            yield from _sequence_fields(item)


@register
class UnusedField(Rule):
    """
    ## What it does
    Reports registry fields that nothing uses.

    A field is used by a template, layout or partial expression, or by a
    sequence's conditions, `wait_until` or `timezone_fallbacks`. Fields the
    sending machinery reads (option `implicit`, by default the candidate's
    email address and phone number) count as used.

    ## Why
    The registry is also the privacy inventory: data nobody needs should not be
    requested from the ATS.

    ## Example
    ```yaml
    fields:
      - name: candidate.middle_name
        type: string
    ```

    ## Fix
    Remove the field, or use it.
    """

    code = "F105"
    name = "unused-field"
    severity = Severity.INFO
    options = {"implicit": ["candidate.email", "candidate.phone"]}

    def check_workspace(self, ctx: LintContext) -> Iterator[Finding]:
        if ctx.ws.fields is None or not ctx.in_scope(ctx.ws.fields.path):
            return
        used: set[str] = set(option(self, "implicit"))
        # A scan for dotted names in template tags, not a parse: this runs once per lint,
        # over every source, also when the per-template results come from the cache.
        for text in source_texts(ctx):
            used.update(dotted_names(text))
        for seq in ctx.ws.sequences.values():
            used.update(_sequence_fields(seq.data))
        for name in list(used):
            f = registry_field(ctx, name)
            if f is not None:
                used.add(f.name)
        for f in ctx.ws.fields.fields.values():
            if f.name not in used:
                yield field_finding(
                    ctx,
                    self.code,
                    f,
                    f"field `{f.name}` is not used by any template or sequence",
                    "Remove it from the registry if no message needs it.",
                )


@register
class PiiInSubjectOrSms(Rule):
    """
    ## What it does
    Reports personal data (PII fields) shown in subject lines and SMS.

    Fields with a PII class other than `none` are reported in the parts of
    option `parts` (any of `subject`, `preheader`, `sms`), directly or
    through a partial. Contact details, compensation and sensitive data are
    warnings; the classes in option `info_classes` (by default `name`,
    `employment`, `identifier`: a first name, a job title, a personal link)
    are info. A field only tested in `{% if %}` is not shown. Option `allow`
    lists fields a team has accepted there.

    ## Why
    Subject lines and texts are shown on lock screens, in notification
    previews and in shared inboxes, to whoever is near the phone.

    ## Example
    ```yaml
    subject: "Your offer letter: {{ offer.letter_url }}"
    ```

    ## Fix
    Keep personal data in the body of the email; or accept the field with
    `lint.options.F106.allow` in atscomms.yaml.
    """

    code = "F106"
    name = "pii-in-subject-or-sms"
    severity = Severity.WARNING
    options = {
        "parts": ["subject", "sms"],
        "allow": [],
        "info_classes": ["name", "employment", "identifier"],
    }

    def check_template(self, ctx: LintContext, template: Template) -> Iterator[Finding]:
        parts, allow = set(option(self, "parts")), set(option(self, "allow"))
        info = set(option(self, "info_classes"))
        for unit in ctx.units(template):
            if unit.part not in parts:
                continue
            found: list[tuple[FieldUse, str]] = []
            severe: set[tuple[int, int]] = set()
            for use in uses_with_partials(ctx, unit):
                f = registry_field(ctx, use.name)
                if f is None or use.test or f.pii in ("none", "") or f.name in allow:
                    continue
                found.append((use, f"`{f.name}` (PII: {f.pii})"))
                if f.pii not in info:
                    severe.add((use.offset, use.length))
            where = "SMS" if unit.part == "sms" else unit.part
            for (offset, length), texts in grouped(found).items():
                yield unit.finding(
                    self.code,
                    offset,
                    length,
                    f"personal data in the {where}: {', '.join(texts)}",
                    hint="Lock screens and notification previews show this text; keep the "
                    "data in the body of an email.",
                    severity=None if (offset, length) in severe else Severity.INFO,
                )
