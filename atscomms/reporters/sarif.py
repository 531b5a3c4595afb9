"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and other viewers."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any
from urllib.parse import quote

from atscomms.checks import registry
from atscomms.findings import Finding, Result, Severity
from atscomms.reporters.base import ReportContext, Reporter, end_position, with_hint

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/atscomms/atscomms"
SRCROOT = "%SRCROOT%"

LEVELS: dict[Severity, str] = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "note",
}


def _section(doc: str, title: str) -> str:
    """The body of ``## title`` in a rule docstring, paragraphs unwrapped ('' if absent)."""
    _, found, rest = doc.partition(f"## {title}")
    body = rest.split("\n## ", 1)[0].strip() if found else ""
    return "\n\n".join(" ".join(p.split()) for p in body.split("\n\n") if p.strip())


def rule_descriptor(code: str, finding: Finding) -> dict[str, Any]:
    """A ``reportingDescriptor`` for ``code``, from the registry when it knows the code."""
    try:
        rule = registry.get(code)
    except KeyError:
        return {
            "id": code,
            "name": finding.rule,
            "shortDescription": {"text": finding.rule},
            "defaultConfiguration": {"level": LEVELS[finding.severity]},
        }
    doc = rule.doc()
    full = "\n\n".join(s for s in (_section(doc, "What it does"), _section(doc, "Why")) if s)
    descriptor: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": full or rule.summary()},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
    }
    if doc:
        descriptor["help"] = {"text": doc, "markdown": doc}
    return descriptor


def region(finding: Finding) -> dict[str, int]:
    end_line, end_column = end_position(finding)
    data = {"startLine": max(finding.line, 1), "startColumn": max(finding.column, 1)}
    if end_line is not None:
        data["endLine"] = max(end_line, data["startLine"])
    if end_column is not None and end_column >= 1:
        data["endColumn"] = end_column
    return data


def line_hash(finding: Finding, ctx: ReportContext) -> str:
    """A hash that survives unrelated edits: code + path + the offending line's text."""
    text = ctx.line(finding.path, finding.line)
    anchor = text.strip() if text is not None else finding.message
    digest = hashlib.sha256(f"{finding.code}\0{finding.path}\0{anchor}".encode())
    return digest.hexdigest()[:16]


def artifact_uri(path: str) -> str:
    return quote(path.replace("\\", "/"), safe="/")


class SarifReporter(Reporter):
    name = "sarif"
    description = "SARIF 2.1.0 for GitHub code scanning"

    def document(self, result: Result, ctx: ReportContext) -> dict[str, Any]:
        findings = result.sorted()
        first: dict[str, Finding] = {}
        for f in findings:
            first.setdefault(f.code, f)
        codes = sorted(first)
        index = {code: i for i, code in enumerate(codes)}
        seen: Counter[str] = Counter()
        results = []
        for f in findings:
            digest = line_hash(f, ctx)
            seen[digest] += 1
            results.append(
                {
                    "ruleId": f.code,
                    "ruleIndex": index[f.code],
                    "level": LEVELS[f.severity],
                    "message": {"text": with_hint(f)},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {
                                    "uri": artifact_uri(f.path),
                                    "uriBaseId": SRCROOT,
                                },
                                "region": region(f),
                            }
                        }
                    ],
                    "partialFingerprints": {"primaryLocationLineHash": f"{digest}:{seen[digest]}"},
                }
            )
        run: dict[str, Any] = {
            "tool": {
                "driver": {
                    "name": "atscomms",
                    "informationUri": INFORMATION_URI,
                    "version": ctx.version,
                    "rules": [rule_descriptor(code, first[code]) for code in codes],
                }
            },
            "results": results,
            "columnKind": "unicodeCodePoints",
        }
        if ctx.root is not None:
            root_uri = ctx.root.resolve().as_uri().rstrip("/") + "/"
            run["originalUriBaseIds"] = {SRCROOT: {"uri": root_uri}}
        return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}

    def render(self, result: Result, ctx: ReportContext) -> str:
        return json.dumps(self.document(result, ctx), indent=2) + "\n"
