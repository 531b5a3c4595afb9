"""The rule registry: every finding code atscomms can emit, with its documentation.

Each rule family lives in its own module (``structure``, ``references``...),
declares its rules as :class:`Rule` subclasses and registers them with
:func:`register`. The class docstring is the documentation that
``atscomms rules CODE`` prints, in ruff's "What it does / Why / Example / Fix"
shape. Families are imported lazily, the first time a code is looked up.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from atscomms.findings import Finding, Severity, Span

#: Modules that declare rules, in the order ``atscomms rules`` lists them.
FAMILY_MODULES: tuple[str, ...] = (
    "atscomms.checks.structure",
    "atscomms.checks.references",
    "atscomms.checks.fields",
    "atscomms.checks.clients",
)

FAMILIES: dict[str, str] = {
    "S": "structure and schema",
    "R": "references",
    "T": "tone",
    "L": "legal and consent",
    "F": "dynamic fields",
    "C": "email clients and accessibility",
    "M": "SMS",
    "Q": "sequences and timing",
    "G": "governance",
}


class Rule:
    """Base class of every rule. Subclasses set the class attributes."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity] = Severity.ERROR
    options: ClassVar[dict[str, Any]] = {}
    fixable: ClassVar[bool] = False

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        """The first sentence of "What it does", for lists and SARIF."""
        text = cls.doc()
        body = text.split("## What it does", 1)[-1].strip()
        first = body.split("\n\n", 1)[0].replace("\n", " ").strip()
        return first or cls.name


_RULES: dict[str, type[Rule]] = {}
_loaded = False


def register(cls: type[Rule]) -> type[Rule]:
    if cls.code in _RULES and _RULES[cls.code] is not cls:
        raise RuntimeError(f"rule code {cls.code} registered twice")
    _RULES[cls.code] = cls
    return cls


def _load_all() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        for module in FAMILY_MODULES:
            importlib.import_module(module)


def get(code: str) -> type[Rule]:
    rule = _RULES.get(code)
    if rule is None:
        _load_all()
        rule = _RULES[code]
    return rule


def all_rules() -> list[type[Rule]]:
    _load_all()
    return sorted(_RULES.values(), key=lambda r: r.code)


def select(prefixes: Iterable[str]) -> Iterator[type[Rule]]:
    """Rules whose code or name starts with one of ``prefixes`` (``T``, ``T1``, ``T101``)."""
    wanted = [p.upper() for p in prefixes]
    for rule in all_rules():
        if any(rule.code.startswith(p) or rule.name == p.lower() for p in wanted):
            yield rule


def finding(
    code: str,
    path: str,
    span: Span | None,
    message: str,
    *,
    hint: str | None = None,
    resource: str | None = None,
    locale: str | None = None,
    severity: Severity | None = None,
) -> Finding:
    """Make a finding for a registered rule, taking its name and default severity."""
    rule = get(code)
    return Finding.at(
        span,
        code=code,
        rule=rule.name,
        severity=severity or rule.severity,
        message=message,
        path=path,
        resource=resource,
        locale=locale,
        hint=hint,
    )
