"""``--format json``: the machine-readable findings document of DESIGN.md."""

from __future__ import annotations

import json
from typing import Any

from atscomms.findings import Result
from atscomms.reporters.base import ReportContext, Reporter


class JsonReporter(Reporter):
    name = "json"
    description = "findings as JSON (version 1)"

    def document(self, result: Result) -> dict[str, Any]:
        return {
            "version": 1,
            "findings": [f.to_dict() for f in result.sorted()],
            "summary": result.summary(),
        }

    def render(self, result: Result, ctx: ReportContext) -> str:
        return json.dumps(self.document(result), indent=2) + "\n"
