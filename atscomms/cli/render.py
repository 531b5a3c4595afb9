"""`atscomms render TEMPLATE`: print one rendered part, or all parts as JSON."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from atscomms.cli.common import (
    FormatOpt,
    OutputOpt,
    RevOpt,
    WorkspaceOpt,
    fail,
    render_one,
    resolve_workspace,
    workspace_errors,
    write_output,
)

PARTS = ("subject", "preheader", "html", "text", "sms")


def render(
    template: Annotated[str, typer.Argument(help="Template id.", show_default=False)],
    part: Annotated[
        str, typer.Option("--part", "-p", help="subject, preheader, html, text or sms.")
    ] = "html",
    persona: Annotated[str | None, typer.Option("--persona", help="Persona id.")] = None,
    locale: Annotated[str | None, typer.Option("--locale", help="Locale, e.g. de-DE.")] = None,
    variant: Annotated[str | None, typer.Option("--variant", help="A/B variant id.")] = None,
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    rev: RevOpt = None,
) -> None:
    """Render a template for a persona, locale and variant (all parts with --format json)."""
    if fmt not in (None, "text", "json"):
        fail(f"--format: render prints text or json, not {fmt!r}")
    if part not in PARTS:
        fail(f"--part: unknown part {part!r} (choose from {', '.join(PARTS)})")
    root = resolve_workspace(workspace)
    from atscomms.model.build import build

    with workspace_errors():
        ws, _ = build(root, rev)

    tmpl, out = render_one(ws, template, persona, locale, variant)
    if fmt == "json":
        write_output(json.dumps(out.to_dict(), indent=2, ensure_ascii=False) + "\n", output)
    else:
        value = _part(out, part, tmpl.channel)
        if value is None and not out.findings:
            fail(f"template {template!r} ({tmpl.channel}) has no {part} part")
        if value is not None:
            write_output(value if value.endswith("\n") else value + "\n", output)
    raise typer.Exit(1 if not out.ok else 0)


def _part(out, part: str, channel: str) -> str | None:
    if part == "sms":
        if out.sms is None:
            return None
        info = out.sms
        extra = f" (forces UCS-2: {' '.join(info.non_gsm)})" if info.non_gsm else ""
        return (
            f"{info.text}\n--\n{info.encoding}, {info.segments} segment(s), "
            f"{info.characters} characters{extra}\n"
        )
    return getattr(out, part)
