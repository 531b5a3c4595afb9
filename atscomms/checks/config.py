"""Which rules run, at which severity, where: atscomms.yaml `lint:` plus CLI flags."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from typing import Any

from atscomms.checks import registry
from atscomms.findings import Finding, Severity


class ConfigError(ValueError):
    """An unknown code, prefix or severity in the lint configuration (exit 2)."""


def _matches(code: str, name: str, selector: str) -> bool:
    selector = selector.strip()
    return code.startswith(selector.upper()) or name == selector.lower()


def _check_selectors(selectors: list[str], where: str) -> None:
    rules = registry.all_rules()
    for s in selectors:
        if s.upper() != "ALL" and not any(_matches(r.code, r.name, s) for r in rules):
            raise ConfigError(f"{where}: no rule matches {s!r}")


@dataclass
class LintConfig:
    select: list[str] = field(default_factory=lambda: ["ALL"])
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    per_path_ignores: dict[str, list[str]] = field(default_factory=dict)
    options: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        section: dict[str, Any],
        *,
        select: list[str] | None = None,
        ignore: list[str] | None = None,
        extend_select: list[str] | None = None,
    ) -> LintConfig:
        """Workspace settings, with CLI flags winning."""

        def strings(value: Any) -> list[str]:
            return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

        cfg = cls(
            select=select or strings(section.get("select")) or ["ALL"],
            ignore=[*strings(section.get("ignore")), *(ignore or [])],
            extend_select=[*strings(section.get("extend-select")), *(extend_select or [])],
            per_path_ignores={
                k: strings(v) for k, v in (section.get("per-path-ignores") or {}).items()
            },
        )
        for code, level in (section.get("severity") or {}).items():
            try:
                cfg.severity[code.upper()] = Severity.parse(str(level))
            except ValueError as exc:
                raise ConfigError(f"lint.severity.{code}: {exc}") from None
        options = section.get("options")
        if isinstance(options, dict):
            cfg.options = {k.upper(): v for k, v in options.items() if isinstance(v, dict)}
        for name, values in (
            ("select", cfg.select),
            ("ignore", cfg.ignore),
            ("extend-select", cfg.extend_select),
        ):
            _check_selectors(values, name)
        _check_selectors(list(cfg.severity), "lint.severity")
        return cfg

    def enabled(self, code: str, name: str) -> bool:
        chosen = any(s.upper() == "ALL" or _matches(code, name, s) for s in self.select)
        chosen = chosen or any(_matches(code, name, s) for s in self.extend_select)
        return chosen and not any(_matches(code, name, s) for s in self.ignore)

    def apply(self, findings: list[Finding]) -> list[Finding]:
        """Drop disabled codes and per-path ignores; apply severity overrides."""
        kept: list[Finding] = []
        for f in findings:
            if not self.enabled(f.code, f.rule):
                continue
            if any(
                fnmatch.fnmatch(f.path, pattern) and any(_matches(f.code, f.rule, s) for s in codes)
                for pattern, codes in self.per_path_ignores.items()
            ):
                continue
            override = self.severity.get(f.code)
            if override is not None:
                f.severity = override
            kept.append(f)
        return kept

    def rules(self) -> list[registry.Rule]:
        return [
            rule(self.options.get(rule.code))
            for rule in registry.all_rules()
            if rule.is_check() and self.enabled(rule.code, rule.name)
        ]
