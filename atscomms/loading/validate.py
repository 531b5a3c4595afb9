"""Validate a loaded document against its kind's JSON Schema, with positions.

jsonschema reports paths into the data; the document maps each path to the
line and column of the key or value in the YAML file. For ``oneOf``/``anyOf``
we pick the branch the author most likely meant (the one whose required keys
are present, then the one with the fewest errors) instead of dumping every
branch's complaints.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from typing import Any

from atscomms.checks.registry import finding
from atscomms.findings import Finding
from atscomms.loading.document import Document, Path
from atscomms.loading.schemas import validator

_VALUE_CODES = {
    "enum": "S104",
    "const": "S104",
    "pattern": "S104",
    "format": "S104",
    "minimum": "S104",
    "maximum": "S104",
    "exclusiveMinimum": "S104",
    "exclusiveMaximum": "S104",
    "minLength": "S104",
    "maxLength": "S104",
    "uniqueItems": "S104",
    "type": "S103",
}


def validate(doc: Document, kind: str) -> list[Finding]:
    errors = validator(kind).iter_errors(doc.data)
    findings: list[Finding] = []
    seen: set[tuple] = set()
    for f in _findings(doc, kind, errors):
        key = (f.line, f.column, f.code, f.message)
        if key not in seen:
            seen.add(key)
            findings.append(f)
    return findings


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return match[0] if match else None


def _findings(doc: Document, kind: str, errors: Iterable[Any]) -> Iterator[Finding]:
    for error in errors:
        if error.validator in ("oneOf", "anyOf") and error.context:
            yield from _findings(doc, kind, _best_branch(error))
            continue
        yield from _one(doc, kind, error)


def _best_branch(error: Any) -> list[Any]:
    by_branch: dict[int, list[Any]] = {}
    for sub in error.context:
        by_branch.setdefault(sub.schema_path[0], []).append(sub)
    instance = error.instance
    branches = error.validator_value

    def score(index: int) -> tuple[int, int]:
        branch = branches[index] if index < len(branches) else {}
        required = branch.get("required", []) if isinstance(branch, dict) else []
        present = isinstance(instance, dict) and all(k in instance for k in required)
        return (0 if present and required else 1, len(by_branch[index]))

    best = min(by_branch, key=score)
    return by_branch[best]


def _where(error: Any) -> Path:
    return tuple(error.absolute_path)


def _describe(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "..."


def _one(doc: Document, kind: str, error: Any) -> Iterator[Finding]:
    path = _where(error)
    validator_name = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    where = ".".join(str(p) for p in path) or "(top level)"

    if validator_name == "required":
        missing = [k for k in error.validator_value if k not in (error.instance or {})]
        for name in missing:
            desc = _prop_description(schema, name)
            yield finding(
                "S101",
                doc.path,
                doc.key_span(path),
                f"missing required property `{name}` in {where}",
                hint=f"Add `{name}:`" + (f" ({desc})" if desc else "") + ".",
            )
        return
    if validator_name == "additionalProperties" and isinstance(error.instance, dict):
        known = list(schema.get("properties", {}))
        for name in error.instance:
            if name in schema.get("properties", {}):
                continue
            suggestion = did_you_mean(name, known)
            yield finding(
                "S102",
                doc.path,
                doc.key_span((*path, name)),
                f"unknown property `{name}` in {where}",
                hint=(f"Did you mean `{suggestion}`?" if suggestion else None)
                or ("Known properties: " + ", ".join(known) if known else "Remove it."),
            )
        return
    if validator_name == "not" and error.validator_value == {} and path:
        # `{"not": {}}`: the property is not allowed in this context
        yield finding(
            "S102",
            doc.path,
            doc.key_span(path),
            f"property `{path[-1]}` is not allowed here",
            hint=(schema.get("description") or "") + " Remove it.",
        )
        return
    if validator_name == "propertyNames":
        name = error.instance
        parent = path
        sub = error.validator_value if isinstance(error.validator_value, dict) else {}
        desc = sub.get("description") or _ref_description(sub)
        yield finding(
            "S104",
            doc.path,
            doc.key_span((*parent, name)),
            f"invalid name '{name}' in {where}",
            hint=desc,
        )
        return
    code = _VALUE_CODES.get(validator_name, "S105")
    yield finding(
        code,
        doc.path,
        doc.span(path),
        _message(validator_name, error, where),
        hint=_hint(validator_name, error, schema),
    )


def _message(name: str, error: Any, where: str) -> str:
    value = error.instance
    if name == "type":
        expected = error.validator_value
        names = {"array": "list", "object": "mapping"}
        if isinstance(expected, list):
            expected = " or ".join(names.get(e, e) for e in expected)
        else:
            expected = names.get(expected, expected)
        from atscomms.loading.yamlsafe import _type_name

        return f"{where} must be {_article(expected)}, not {_article(_type_name(value))}"
    if name == "enum":
        options = ", ".join(str(o) for o in error.validator_value)
        return f"{_describe(value)} is not allowed for {where} (expected one of: {options})"
    if name == "const":
        return f"{where} must be {_describe(error.validator_value)}, not {_describe(value)}"
    if name == "pattern":
        return f"{_describe(value)} is not a valid value for {where}"
    if name in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        word = "at least" if "inimum" in name else "at most"
        return f"{where} must be {word} {error.validator_value}, not {value}"
    if name == "minItems":
        return f"{where} needs at least {error.validator_value} item(s)"
    if name == "maxItems":
        return f"{where} allows at most {error.validator_value} item(s)"
    if name == "minProperties":
        return f"{where} needs at least {error.validator_value} key(s)"
    if name == "maxProperties":
        keys = ", ".join(f"`{k}`" for k in value) if isinstance(value, dict) else ""
        return f"{where} allows at most {error.validator_value} key(s), found {keys}"
    if name == "uniqueItems":
        return f"{where} has duplicate items"
    if name in ("minLength", "maxLength"):
        word = "at least" if name == "minLength" else "at most"
        return f"{where} must be {word} {error.validator_value} characters long"
    return f"{where}: {error.message}"


def _hint(name: str, error: Any, schema: dict) -> str | None:
    if name == "enum" and isinstance(error.instance, str):
        guess = did_you_mean(error.instance, [str(o) for o in error.validator_value])
        if guess:
            return f"Did you mean `{guess}`?"
        return None
    description = schema.get("description")
    examples = schema.get("examples")
    if name in ("pattern", "type", "const") and (description or examples):
        hint = description or ""
        if examples:
            hint += (" " if hint else "") + "Example: " + ", ".join(f"`{e}`" for e in examples[:2])
        return hint
    return None


def _prop_description(schema: dict, name: str) -> str | None:
    prop = schema.get("properties", {}).get(name)
    if isinstance(prop, dict):
        desc = prop.get("description") or _ref_description(prop)
        return desc.rstrip(".") if desc else None
    return None


def _ref_description(schema: dict) -> str | None:
    ref = schema.get("$ref")
    if isinstance(ref, str) and "#/$defs/" in ref:
        from atscomms.loading.schemas import schema as load_schema

        name = ref.split("#/$defs/")[1]
        return load_schema("common")["$defs"].get(name, {}).get("description")
    return None


def _article(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word
