"""`atscomms report compliance|privacy`: reports for legal, auditors and privacy officers.

(``atscomms/cli/report.py`` is the shared findings-reporter helper; these commands
live here.)"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from atscomms.cli.common import FormatOpt, OutputOpt, WorkspaceOpt, resolve_workspace, write_output

report_app = typer.Typer(
    name="report",
    help="Compliance and privacy reports (HTML for legal, Markdown, JSON).",
    no_args_is_help=True,
)


def _run(kind: str, workspace: Path | None, fmt: str | None, output: Path | None) -> None:
    from atscomms.governance import cliutil

    fmt = cliutil.check_format(fmt, ("markdown", "html", "json", "text"), "markdown")
    root = resolve_workspace(workspace)
    from atscomms.governance import reports

    ws = cliutil.load(root)
    with cliutil.git_errors():
        data = reports.compliance(ws) if kind == "compliance" else reports.privacy(ws)
    if fmt == "json":
        write_output(json.dumps(data, indent=2, ensure_ascii=False) + "\n", output)
        return
    doc = reports.compliance_report(data) if kind == "compliance" else reports.privacy_report(data)
    write_output(cliutil.render_doc(doc, fmt), output)


@report_app.command("compliance")
def compliance(
    workspace: WorkspaceOpt = None, fmt: FormatOpt = None, output: OutputOpt = None
) -> None:
    """Compliance report: basis, consent, retention and approvals per template.

    Per template: category, channel, lawful basis and consent requirement,
    retention, approvals (who, role, when, which version), last change and
    where it is used.
    """
    _run("compliance", workspace, fmt, output)


@report_app.command("privacy")
def privacy(
    workspace: WorkspaceOpt = None, fmt: FormatOpt = None, output: OutputOpt = None
) -> None:
    """Privacy report: which PII reaches which channels, sequences and providers.

    A PII data-flow inventory from the field registry: the input to a privacy
    impact assessment.
    """
    _run("privacy", workspace, fmt, output)
