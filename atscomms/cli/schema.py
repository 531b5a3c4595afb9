"""`atscomms schema [KIND]`: print a JSON Schema (or list the kinds)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from atscomms.cli.common import fail


def schema(
    kind: Annotated[str | None, typer.Argument(help="Kind whose schema to print.")] = None,
) -> None:
    """Print the JSON Schema of a file kind; without KIND, list the kinds."""
    from atscomms.loading.schemas import KINDS, schema_text

    if kind is None:
        for name in (*KINDS, "approvals"):
            sys.stdout.write(f"{name}\n")
        return
    if kind not in (*KINDS, "common", "approvals"):
        from atscomms.loading.validate import did_you_mean

        guess = did_you_mean(kind, KINDS)
        fail(
            f"unknown kind {kind!r}"
            + (f" (did you mean {guess!r}?)" if guess else "")
            + f"; kinds: {', '.join(KINDS)}"
        )
    sys.stdout.write(schema_text(kind))
