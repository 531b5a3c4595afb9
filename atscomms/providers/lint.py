"""What a provider dialect cannot express, as findings: callable before any push.

``dialect_problems(ws, "greenhouse")`` compiles every template (no MJML) for the
dialect and returns one finding per construct it cannot express (a conditional
for a token-only ATS, a field without a token...). The lint rule that wires this
in picks the code; ``F005`` is the default.
"""

from __future__ import annotations

from typing import Any

from atscomms.findings import Finding, Severity, Span


def dialect_problems(
    ws: Any,
    dialect: str,
    *,
    code: str = "F005",
    rule: str = "dialect-unsupported",
    templates: list[str] | None = None,
) -> list[Finding]:
    from atscomms.providers.compile import Compiler

    compiler = Compiler(ws, dialect, cache=False)
    out: dict[tuple[str, str, int], Finding] = {}
    for tid, template in sorted(ws.templates.items()):
        if templates and tid not in templates:
            continue
        for variant in [None, *(v.id for v in template.variants)]:
            for locale in ws.config.locales:
                unit = compiler.compile(template, locale, variant, full=False)
                for p in unit.problems:
                    kind, _, rid = str(p["resource"]).partition(":")
                    table = ws.table(kind) or {}
                    res = table.get(rid)
                    path = res.path if res is not None else template.path
                    key = (path, p["message"], p["lineno"])
                    if key not in out:
                        out[key] = Finding.at(
                            Span(p["lineno"], 1),
                            code=code,
                            rule=rule,
                            severity=Severity.ERROR,
                            message=f"{dialect}: {p['message']}",
                            path=path,
                            resource=p["resource"],
                            locale=locale,
                            hint="Simplify the template for this provider, or use a provider "
                            "whose dialect has conditionals (Handlebars, Mustachio).",
                        )
    return sorted(out.values(), key=Finding.sort_key)
