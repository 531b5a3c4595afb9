"""The JSON Schemas: found in the installed package or the source checkout."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

KINDS: tuple[str, ...] = (
    "workspace",
    "template",
    "layout",
    "partial",
    "sequence",
    "styleguide",
    "fields",
    "governance",
    "persona",
)
#: Kinds a file below the workspace root may declare with ``kind:``.
RESOURCE_KINDS = KINDS[1:]
BASE_URI = "https://atscomms.dev/schemas/"


def schema_dir() -> Path:
    """``atscomms/schemas`` in a wheel; ``schemas/`` beside the package in a checkout."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "schemas"
    return packaged if packaged.is_dir() else here.parent / "schemas"


@cache
def schema_text(kind: str) -> str:
    return (schema_dir() / f"{kind}.schema.json").read_text(encoding="utf-8")


@cache
def schema(kind: str) -> dict[str, Any]:
    return json.loads(schema_text(kind))


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """Replace ``$ref``s into common.schema.json by their targets.

    jsonschema resolves every ``$ref`` through URL joins on each validation; with
    the targets inlined, validating a workspace takes about a third of the time.
    """
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and "#/$defs/" in ref:
            target = _inline(defs[ref.rsplit("/", 1)[1]], defs)
            extra = {k: _inline(v, defs) for k, v in node.items() if k != "$ref"}
            return {**target, **extra}
        return {k: _inline(v, defs) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


@cache
def bundled(kind: str) -> dict[str, Any]:
    """The schema of ``kind`` with every reference inlined (what validation uses)."""
    return _inline(schema(kind), schema("common")["$defs"])


@cache
def validator(kind: str) -> Any:
    """A compiled draft 2020-12 validator for ``kind`` (jsonschema imported lazily)."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(bundled(kind))
