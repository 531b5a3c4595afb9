"""`atscomms rules [CODE]`: list the rules, or explain one."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from atscomms.cli.common import fail


def rules(
    code: Annotated[
        str | None,
        typer.Argument(help="A code (T101), a prefix (T) or a rule name.", show_default=False),
    ] = None,
) -> None:
    """List the rules (code, name, default severity, summary), or print one rule's documentation."""
    from atscomms.checks import registry

    everything = registry.all_rules()
    if code is not None:
        exact = [r for r in everything if r.code == code.upper() or r.name == code.lower()]
        if len(exact) == 1:
            rule = exact[0]
            options = "".join(f"\n- `{k}`: {v!r}" for k, v in rule.options.items())
            sys.stdout.write(
                f"# {rule.code} {rule.name}\n\nDefault severity: {rule.severity}"
                + (" (fixable with --fix)" if rule.fixable else "")
                + (f"\n\nOptions:{options}" if options else "")
                + f"\n\n{rule.doc()}\n"
            )
            return
        everything = list(registry.select([code]))
        if not everything:
            fail(f"no rule matches {code!r} (see `atscomms rules`)")
    family = None
    for rule in everything:
        if rule.code[0] != family:
            family = rule.code[0]
            sys.stdout.write(f"{family}  {registry.FAMILIES.get(family, '')}\n")
        fixable = " (fixable)" if rule.fixable else ""
        sys.stdout.write(
            f"  {rule.code}  {rule.name:<34} {str(rule.severity):<8} {rule.summary()}{fixable}\n"
        )
