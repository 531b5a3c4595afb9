"""F107-F108: what the workspace's target providers cannot express.

There is no capability table here: both rules report the problems of the dialect
compilers themselves (:mod:`atscomms.providers.lint`), compiling each template for
every dialect an environment in atscomms.yaml pushes to, as ``atscomms plan``
does but without the MJML step. What lint reports is therefore what plan and push
block on (plus, at plan time only, conditions MJML moves).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from atscomms.checks.registry import Rule, register
from atscomms.findings import Finding
from atscomms.providers.lint import PROVIDER_CODES, Target, targets, template_findings

if TYPE_CHECKING:
    from atscomms.checks.context import LintContext
    from atscomms.model.resources import Template


def _envs(envs: list[str]) -> str:
    label = "environment" if len(envs) == 1 else "environments"
    return f"{label} " + ", ".join(f"`{e}`" for e in envs)


def _targets(ctx: LintContext) -> list[Target]:
    memo = ctx.memo.setdefault("providers", {})
    if "targets" not in memo:
        memo["targets"] = targets(ctx.ws.config.environments)
    return memo["targets"]  # type: ignore[no-any-return]


def provider_findings(ctx: LintContext, template: Template) -> list[Finding]:
    """F107 and F108 findings of one template, for every dialect it is pushed in (one
    finding per position and code; the dialects' messages joined). Compiled without
    MJML: what MJML moves is left to ``plan`` (see F107)."""
    memo: dict[str, Any] = ctx.memo.setdefault("providers", {})
    done: dict[str, list[Finding]] = memo.setdefault("findings", {})
    if template.id in done:
        return done[template.id]
    from atscomms.providers.compile import Compiler
    from atscomms.providers.lint import unit_problems

    by_dialect: dict[str, list[str]] = {}
    for t in _targets(ctx):
        if template.channel in t.channels:
            by_dialect.setdefault(t.dialect, []).append(t.environment)
    merged: dict[tuple[str, str, int, int], Finding] = {}
    compilers: dict[str, Compiler] = memo.setdefault("compilers", {})
    for dialect, envs in sorted(by_dialect.items()):
        compiler = compilers.get(dialect)
        if compiler is None:
            compiler = compilers[dialect] = Compiler(
                ctx.ws, dialect, cache=False, renderer=ctx.renderer
            )
        problems = unit_problems(compiler, template, full=False)
        found = template_findings(
            ctx.ws, template, problems, codes=PROVIDER_CODES, prefix=f"{_envs(envs)}: "
        )
        for f in found:
            key = (f.path, f.code, f.line, f.column)
            if key in merged:
                if f.message not in merged[key].message:
                    merged[key].message += "; " + f.message
            else:
                merged[key] = f
    done[template.id] = out = sorted(merged.values(), key=Finding.sort_key)
    return out


@register
class UnsupportedByProvider(Rule):
    """
    ## What it does
    Reports constructs that a provider the workspace pushes to cannot express.

    Each template is compiled, as `atscomms plan` compiles it, for the dialect of
    every environment in atscomms.yaml (the provider plugin's dialect, or
    `settings.dialect` of `local`, `webhook` and `export`), and what the compiler
    cannot express is reported at the construct. The placeholders of Greenhouse,
    Lever, SmartRecruiters, Teamtailor and OpenCATS are plain tokens: no
    `{% if %}`, no `{% for %}`, no filters, not even `default`. No dialect takes
    nested loops, loops over workspace constants (`brand.*`), filters on loop items
    or on a layout's `content`; Mustachio has no conditions on loop items;
    Handlebars and Mustachio cannot show a literal `{{`. Conditions and filters on
    `brand.*` are evaluated when compiling and are fine everywhere. `plan` and
    `push` block a template with this finding.

    Lint compiles without the MJML step (it would double the cost of a cold
    lint); what only MJML reveals, a condition or loop around MJML elements that
    MJML moves or drops, is reported with this code by `atscomms plan`.

    ## Why
    What cannot be compiled is sent differently, or not at all, once pushed.

    ## Example
    ```yaml
    # atscomms.yaml:
    # environments: {ats: {provider: export, settings: {path: ats, dialect: greenhouse}}}
    body:
      text: "{% if recruiter.name %}Your recruiter is {{ recruiter.name }}.{% endif %}"
    ```

    ## Fix
    Write a version without the construct (plain fields and text for an ATS), or
    do not push this template to that provider.
    """

    code = "F107"
    name = "unsupported-by-provider"

    def check_template(self, ctx: LintContext, template: Template) -> Iterator[Finding]:
        yield from (f for f in provider_findings(ctx, template) if f.code == self.code)


@register
class MissingProviderToken(Rule):
    """
    ## What it does
    Reports fields that a token-only provider has no token for.

    When the workspace pushes to an ATS (see F107), every registry field a
    template shows needs an entry for that ATS under `tokens:` in the registry.
    (A field the registry does not declare at all is F101.) `plan` and `push`
    block a template with this finding.

    ## Why
    The ATS cannot fill in a field it has no placeholder for: the exported
    template would show the raw expression, or nothing.

    ## Example
    ```yaml
    - name: job.location
      tokens: {lever: job_location}   # no greenhouse token
    ```

    ## Fix
    Create a custom field or token in the ATS and add it under `tokens:`, or
    stop using the field in templates pushed there.
    """

    code = "F108"
    name = "missing-provider-token"

    def check_template(self, ctx: LintContext, template: Template) -> Iterator[Finding]:
        yield from (f for f in provider_findings(ctx, template) if f.code == self.code)
