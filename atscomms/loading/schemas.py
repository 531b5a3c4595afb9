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


@cache
def validator(kind: str) -> Any:
    """A compiled draft 2020-12 validator for ``kind`` (jsonschema imported lazily)."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    resources = [
        (BASE_URI + f"{name}.schema.json", Resource.from_contents(schema(name)))
        for name in ("common", *KINDS)
    ]
    registry = Registry().with_resources(resources)
    return Draft202012Validator(schema(kind), registry=registry)
