"""F107-F108: what the workspace's target providers can express.

:data:`PROVIDER_DIALECTS` is the one capability table: provider plugins (and ATS
exports) add their entry here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from atscomms.checks.fields.expressions import all_shared, tags, uses
from atscomms.checks.registry import Rule, register
from atscomms.findings import Finding

if TYPE_CHECKING:
    from atscomms.checks.context import LintContext, TextUnit
    from atscomms.model.resources import Template


@dataclass(frozen=True, slots=True)
class Dialect:
    """What a provider's template language can express of the portable subset."""

    conditionals: bool = True  # {% if %} / {% elif %} / {% else %}
    loops: bool = True  # {% for %}
    filters: frozenset[str] | None = None  # None: every portable filter
    tokens: bool = False  # each field needs a token of its own (`tokens:` in the registry)


_FULL = Dialect()
_ATS_TOKENS = Dialect(conditionals=False, loops=False, filters=frozenset({"default"}), tokens=True)

#: The capability table (F107, F108). Keys are provider plugin names, or for the
#: `export` provider the ATS in `settings.ats`. Handlebars (SendGrid...) and Mustachio
#: (Postmark) compilers express the whole portable subset; the ATSs' built-in
#: placeholders are plain tokens: no conditionals, no loops, no formatting filters
#: (`default` is kept: the export substitutes the fallback), and a field without a
#: token for that ATS cannot be sent at all. Unknown providers get the full subset.
PROVIDER_DIALECTS: dict[str, Dialect] = {
    "local": _FULL,
    "handlebars": _FULL,
    "sendgrid": _FULL,
    "postmark": _FULL,
    "greenhouse": _ATS_TOKENS,
    "lever": _ATS_TOKENS,
    "smartrecruiters": _ATS_TOKENS,
    "teamtailor": _ATS_TOKENS,
    "opencats": _ATS_TOKENS,
}


def target_dialects(environments: dict[str, Any]) -> dict[str, list[str]]:
    """Dialect name -> environment names, from `environments:` in atscomms.yaml."""
    out: dict[str, list[str]] = {}
    for env, spec in environments.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("provider"), str):
            continue
        name = spec["provider"].lower()
        settings = spec.get("settings")
        if name == "export" and isinstance(settings, dict) and isinstance(settings.get("ats"), str):
            name = settings["ats"].lower()
        out.setdefault(name, []).append(str(env))
    return out


_STATEMENT = re.compile(r"\{%-?\s*(if|elif|for)\b")
_FILTER = re.compile(r"\|\s*([A-Za-z_]\w*)")


def _constructs(text: str) -> Iterator[tuple[str, str, int]]:
    """(kind, word, offset): `if`/`elif`/`for` statements and filters in template tags."""
    for start, _end, masked in tags(text):
        m = _STATEMENT.match(masked)
        if m:
            word = m.group(1)
            yield ("loops" if word == "for" else "conditionals"), word, start + m.start(1)
        for fm in _FILTER.finditer(masked):
            yield "filter", fm.group(1), start + fm.start(1)


def _restricted(ctx: LintContext) -> list[tuple[str, Dialect, list[str]]]:
    out = []
    for name, envs in sorted(target_dialects(ctx.ws.config.environments).items()):
        dialect = PROVIDER_DIALECTS.get(name)
        if dialect is not None and dialect != _FULL:
            out.append((name, dialect, envs))
    return out


def _envs(envs: list[str]) -> str:
    return ", ".join(f"`{e}`" for e in envs)


@register
class UnsupportedByProvider(Rule):
    """
    ## What it does
    Reports constructs that a provider the workspace pushes to cannot express.

    Providers come from `environments:` in atscomms.yaml (`provider:`, or
    `settings.ats` of an `export`); their capabilities from the table
    `PROVIDER_DIALECTS` in `atscomms/checks/fields/providers.py`. The built-in
    placeholders of Greenhouse, Lever, SmartRecruiters, Teamtailor and OpenCATS
    are plain tokens: no `{% if %}`, no `{% for %}`, no filter but `default`.

    ## Why
    What cannot be compiled is sent differently, or not at all, once pushed.

    ## Example
    ```yaml
    # atscomms.yaml: environments: {ats: {provider: export, settings: {ats: greenhouse}}}
    body:
      text: "{% if recruiter.name %}Your recruiter is {{ recruiter.name }}.{% endif %}"
    ```

    ## Fix
    Write a version without the construct (a `default` instead of an `if`), or
    do not push this template to that provider.
    """

    code = "F107"
    name = "unsupported-by-provider"

    def _check(self, ctx: LintContext, unit: TextUnit) -> Iterator[Finding]:
        targets = _restricted(ctx)
        if not targets or ("{%" not in unit.source and "|" not in unit.source):
            return
        for kind, word, offset in _constructs(unit.source):
            unable = [
                (name, envs)
                for name, dialect, envs in targets
                if (kind == "conditionals" and not dialect.conditionals)
                or (kind == "loops" and not dialect.loops)
                or (
                    kind == "filter" and dialect.filters is not None and word not in dialect.filters
                )
            ]
            if not unable:
                continue
            what = f"filter `{word}`" if kind == "filter" else f"`{{% {word} %}}`"
            who = "; ".join(f"{name} (environment {_envs(envs)})" for name, envs in unable)
            yield unit.finding(
                self.code,
                offset,
                len(word),
                f"{what} cannot be expressed by {who}",
                hint="Use only fields and `default` for token-only providers.",
            )

    def check_template(self, ctx: LintContext, template: Template) -> Iterator[Finding]:
        for unit in ctx.units(template):
            yield from self._check(ctx, unit)

    def check_workspace(self, ctx: LintContext) -> Iterator[Finding]:
        for unit, _ in all_shared(ctx):
            yield from self._check(ctx, unit)


@register
class MissingProviderToken(Rule):
    """
    ## What it does
    Reports fields that a token-only provider has no token for.

    When the workspace pushes to an ATS (see F107), every field a template
    uses needs an entry for that ATS under `tokens:` in the registry.

    ## Why
    The ATS cannot fill in a field it has no placeholder for: the exported
    template would show the raw expression, or nothing.

    ## Example
    ```yaml
    - name: job.location
      tokens: {handlebars: job.location}   # no greenhouse token
    ```

    ## Fix
    Create a custom field or token in the ATS and add it under `tokens:`, or
    stop using the field in templates pushed there.
    """

    code = "F108"
    name = "missing-provider-token"

    def _check(self, ctx: LintContext, unit: TextUnit) -> Iterator[Finding]:
        targets = [t for t in _restricted(ctx) if t[1].tokens]
        if not targets or ctx.ws.fields is None:
            return
        for use in uses(ctx, unit.source, unit.locale):
            f = ctx.ws.fields.fields.get(use.name)
            if f is None:
                continue
            lacking = [(name, envs) for name, _, envs in targets if name not in f.tokens]
            if lacking:
                who = ", ".join(f"{name} (environment {_envs(envs)})" for name, envs in lacking)
                yield unit.finding(
                    self.code,
                    use.offset,
                    use.length,
                    f"`{use.name}` has no token for {who}",
                    hint=f"Add the ATS placeholder to `tokens:` of `{use.name}` in the registry.",
                )

    def check_template(self, ctx: LintContext, template: Template) -> Iterator[Finding]:
        for unit in ctx.units(template):
            yield from self._check(ctx, unit)

    def check_workspace(self, ctx: LintContext) -> Iterator[Finding]:
        for unit, _ in all_shared(ctx):
            yield from self._check(ctx, unit)
