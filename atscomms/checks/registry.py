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
from typing import TYPE_CHECKING, Any, ClassVar

from atscomms.findings import Finding, Severity, Span

if TYPE_CHECKING:
    from atscomms.checks.context import LintContext
    from atscomms.model.resources import Template

#: Modules that declare rules, in the order ``atscomms rules`` lists them.
FAMILY_MODULES: tuple[str, ...] = (
    "atscomms.checks.structure",
    "atscomms.checks.references",
    "atscomms.checks.tone",
    "atscomms.checks.legal",
    "atscomms.checks.fields",
    "atscomms.checks.clients",
    "atscomms.checks.sms",
    "atscomms.checks.sequences",
    "atscomms.checks.governance",
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
    """Base class of every rule. Subclasses set the class attributes.

    Rules emitted while loading (S, R) only declare themselves. Lint rules
    override :meth:`check_template` (called once per template, possibly in a
    worker process) and/or :meth:`check_workspace` (called once).
    """

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity] = Severity.ERROR
    options: ClassVar[dict[str, Any]] = {}
    fixable: ClassVar[bool] = False

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        self.opts: dict[str, Any] = {**self.options, **(options or {})}

    def check_template(self, ctx: LintContext, template: Template) -> Iterable[Finding]:
        return ()

    def check_workspace(self, ctx: LintContext) -> Iterable[Finding]:
        return ()

    @classmethod
    def is_check(cls) -> bool:
        """True when the rule runs during lint (it overrides a check method)."""
        return (
            cls.check_template is not Rule.check_template
            or cls.check_workspace is not Rule.check_workspace
        )

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
    """Every rule, in family order (S, R, T, L, F, C, M, Q, G), then by code."""
    _load_all()
    order = {letter: i for i, letter in enumerate(FAMILIES)}
    return sorted(_RULES.values(), key=lambda r: (order.get(r.code[0], 99), r.code))


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
