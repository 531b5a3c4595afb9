"""What a provider dialect cannot express, as findings: one source for lint and plan.

The dialect compilers (:mod:`atscomms.providers.compile`, :mod:`.dialects`) report
every construct they cannot compile as a problem with a registered rule code and
its position in the user's YAML (``dialects.ir.Problem``). Everything here only
reports those problems, so that ``atscomms lint`` (rules F107 and F108, through
:func:`template_findings`), ``dialect_problems`` and ``atscomms plan`` / ``push``
(:func:`describe`) cannot disagree:

* F107 ``unsupported-by-provider``: the dialect cannot express the construct;
* F108 ``missing-provider-token``: a registry field has no token for a token dialect;
* codes lint reports through rules of their own (the compiler stops there too):
  F001/F002 outside the portable subset, F003 no value for a workspace constant,
  F101 a field the registry does not declare (token dialects), R001 unknown
  partial, S014 template syntax, C001 MJML.

Which dialect an environment compiles to is what plan uses: the provider plugin's
``capabilities`` (dialect and channels), with ``settings.dialect`` for providers that
list a ``dialect`` setting (``local``, ``webhook``, ``export``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from atscomms.findings import Finding, Span

#: Codes :class:`dialects.ir.Problem` carries that lint reports as F107/F108.
PROVIDER_CODES = ("F107", "F108")

HINTS: dict[str, str] = {
    "F107": "Write the part without the construct (plain fields and text for a token-only "
    "ATS), or do not push the template to this provider.",
    "F108": "Add the ATS placeholder under `tokens:` of the field in the registry.",
    "F101": "Declare the field in the registry, with its token for this provider.",
    "F001": "Keep to the portable subset: dotted fields, `default`, formatting filters, "
    "if/elif/else, for, include.",
    "F002": "Use only dotted field names, `default` and formatting filters.",
    "F003": "Add the value to `brand:` in atscomms.yaml, or a `default(...)`.",
    "R001": "Create the partial or correct the id.",
    "S014": "Fix the Jinja syntax at this line.",
    "C001": "Fix the MJML (see `atscomms rules C001`).",
}


@dataclass(frozen=True, slots=True)
class Target:
    """An environment of atscomms.yaml and what its provider compiles templates to."""

    environment: str
    provider: str
    dialect: str
    channels: tuple[str, ...]


def provider_dialect(name: str, settings: Any = None) -> tuple[str, tuple[str, ...]] | None:
    """(dialect, channels) a provider plugin compiles to, without instantiating it
    (no credentials needed); None when the plugin is not installed or the dialect is
    unknown (plan reports that as a configuration error)."""
    from atscomms.providers import registry
    from atscomms.providers.dialects import DIALECTS

    try:
        cls = registry.get(name)
    except Exception:  # noqa: BLE001 - not installed, or a plugin that does not import
        return None
    caps = getattr(cls, "capabilities", None)
    dialect = getattr(caps, "dialect", None)
    channels = tuple(getattr(caps, "channels", ("email",)))
    if "dialect" in (getattr(cls, "settings_help", None) or {}) and isinstance(settings, dict):
        dialect = settings.get("dialect", dialect)
    return (dialect, channels) if dialect in DIALECTS else None


def targets(environments: dict[str, Any]) -> list[Target]:
    """Every environment with a provider whose dialect is known, in name order."""
    out: list[Target] = []
    for env, spec in sorted(environments.items()):
        if not isinstance(spec, dict) or not isinstance(spec.get("provider"), str):
            continue
        found = provider_dialect(spec["provider"], spec.get("settings"))
        if found is not None:
            out.append(Target(str(env), spec["provider"], found[0], found[1]))
    return out


def unit_problems(
    compiler: Any, template: Any, *, full: bool = True
) -> list[tuple[dict[str, Any], str]]:
    """(problem, locale) of every unit of ``template`` (every locale and variant), as
    plan compiles it. ``full``: with MJML, so that what MJML would move is found too
    (lint passes False: the MJML step would double the cost of a cold lint)."""
    out = []
    for variant in [None, *(v.id for v in template.variants)]:
        for locale in compiler.ws.config.locales:
            unit = compiler.compile(template, locale, variant, full=full, check=True)
            out.extend((p, locale) for p in unit.problems)
    return out


def template_findings(
    ws: Any,
    template: Any,
    problems: Iterable[tuple[dict[str, Any], str]],
    *,
    codes: Iterable[str] | None = None,
    prefix: str = "",
) -> list[Finding]:
    """Findings for a template's problems: one per code, position and message; the
    locale is left out when every locale has the problem. ``codes``: only these."""
    from atscomms.checks.registry import finding

    wanted = set(codes) if codes is not None else None
    seen: dict[tuple[Any, ...], tuple[dict[str, Any], list[str]]] = {}
    for p, locale in problems:
        if wanted is not None and p["code"] not in wanted:
            continue
        key = (p["code"], p["path"], p["line"], p["column"], p["message"])
        entry = seen.setdefault(key, (p, []))
        if locale not in entry[1]:
            entry[1].append(locale)
    out = []
    for p, locales in seen.values():
        path = p["path"] or _path(ws, p["resource"], template)
        span = Span(p["line"], p["column"], p["end_line"], p["end_column"])
        out.append(
            finding(
                p["code"],
                path,
                span,
                prefix + p["message"],
                hint=HINTS.get(p["code"]),
                resource=p["resource"] or template.ref,
                locale=None if len(locales) == len(ws.config.locales) else locales[0],
            )
        )
    return sorted(out, key=Finding.sort_key)


def _path(ws: Any, resource: str, template: Any) -> str:
    kind, _, rid = str(resource).partition(":")
    res = (ws.table(kind) or {}).get(rid)
    return res.path if res is not None else template.path  # type: ignore[no-any-return]


def dialect_problems(
    ws: Any,
    dialect: str,
    *,
    templates: list[str] | None = None,
    channels: Iterable[str] | None = None,
) -> list[Finding]:
    """Everything ``plan`` would report for ``dialect``, as findings with the codes
    and positions lint gives them (every code, not only F107/F108). ``channels``: only
    templates of these channels (what the provider takes; default all)."""
    from atscomms.providers.compile import Compiler

    compiler = Compiler(ws, dialect, cache=False)
    wanted = set(channels) if channels is not None else None
    out: list[Finding] = []
    for tid, template in sorted(ws.templates.items()):
        if (templates and tid not in templates) or (
            wanted is not None and template.channel not in wanted
        ):
            continue
        problems = unit_problems(compiler, template)
        for f in template_findings(ws, template, problems):
            if dialect not in f.message:
                f.message = f"{dialect}: {f.message}"
            out.append(f)
    unique = {(f.path, f.line, f.column, f.code, f.message): f for f in out}
    return sorted(unique.values(), key=Finding.sort_key)


def describe(problem: dict[str, Any]) -> str:
    """One line for plan and push: ``path:line:column: CODE message``."""
    where = problem.get("path") or problem.get("resource") or ""
    if problem.get("path"):
        where = f"{where}:{problem.get('line', 1)}:{problem.get('column', 1)}"
    return f"{where}: {problem.get('code', 'F107')} {problem['message']}"
