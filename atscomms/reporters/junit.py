"""``--format junit``: JUnit XML, one failing test case per finding."""

from __future__ import annotations

import re

from atscomms.findings import Finding, Result
from atscomms.reporters.base import ReportContext, Reporter, with_hint

SUITE = "atscomms"

# Characters XML 1.0 cannot carry, even escaped.
_INVALID_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str) -> str:
    return _INVALID_XML.sub("\ufffd", value)


def testcase_name(finding: Finding) -> str:
    return f"{finding.code} {finding.rule} {finding.line}:{finding.column}"


def failure_body(finding: Finding) -> str:
    return f"{finding.path}:{finding.line}:{finding.column}: {with_hint(finding)}"


class JunitReporter(Reporter):
    name = "junit"
    description = "JUnit XML for CI test reports"

    def render(self, result: Result, ctx: ReportContext) -> str:
        import xml.etree.ElementTree as ET

        findings = result.sorted()
        suite = ET.Element(
            "testsuite",
            {
                "name": SUITE,
                "tests": str(len(findings) or 1),
                "failures": str(len(findings)),
                "errors": "0",
                "skipped": "0",
            },
        )
        for f in findings:
            case = ET.SubElement(
                suite,
                "testcase",
                {"classname": xml_text(f.path), "name": xml_text(testcase_name(f))},
            )
            failure = ET.SubElement(
                case, "failure", {"type": str(f.severity), "message": xml_text(f.message)}
            )
            failure.text = xml_text(failure_body(f))
        if not findings:
            ET.SubElement(suite, "testcase", {"classname": SUITE, "name": SUITE})
        ET.indent(suite)
        body = ET.tostring(suite, encoding="unicode")
        return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
