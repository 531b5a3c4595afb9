"""`atscomms send-test TEMPLATE --to ADDR`: send a real multipart test email over SMTP."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from atscomms.cli.common import (
    GLOBALS,
    QuietOpt,
    WorkspaceOpt,
    fail,
    render_one,
    resolve_workspace,
    set_output_flags,
    workspace_errors,
)


def send_test(
    template: Annotated[str, typer.Argument(help="Template id.", show_default=False)],
    to: Annotated[str, typer.Option("--to", help="Recipient address.", show_default=False)] = "",
    persona: Annotated[str | None, typer.Option("--persona", help="Persona id.")] = None,
    locale: Annotated[str | None, typer.Option("--locale", help="Locale, e.g. de-DE.")] = None,
    variant: Annotated[str | None, typer.Option("--variant", help="A/B variant id.")] = None,
    smtp: Annotated[
        str, typer.Option("--smtp", help="SMTP server as host:port (465: implicit TLS).")
    ] = "localhost:25",
    starttls: Annotated[
        bool | None,
        typer.Option(
            "--starttls/--no-starttls",
            help="Require STARTTLS / never use it (default: use it when the server offers it).",
            show_default=False,
        ),
    ] = None,
    sender: Annotated[
        str | None,
        typer.Option("--from", help="Sender address (default: brand.sender_email)."),
    ] = None,
    workspace: WorkspaceOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Render TEMPLATE and send it as a multipart/alternative email (HTML + plain text).

    SMTP login comes only from ATSCOMMS_SMTP_USER and ATSCOMMS_SMTP_PASSWORD."""
    set_output_flags(quiet, False)
    if not to:
        fail("send-test needs a recipient: --to ADDRESS")
    root = resolve_workspace(workspace)
    from atscomms.delivery.message import MessageError, build_message, parse_address
    from atscomms.delivery.smtp import DeliveryError, parse_server, send
    from atscomms.model.build import build

    try:
        server = parse_server(smtp)
        parse_address(to, "--to")
        if sender is not None:
            parse_address(sender, "--from")
    except (DeliveryError, MessageError) as exc:
        fail(str(exc))
    with workspace_errors():
        ws, _ = build(root)

    tmpl, out = render_one(ws, template, persona, locale, variant, channel="email")
    if not out.ok:
        sys.stderr.write(f"atscomms: {template!r} did not render; nothing sent\n")
        raise typer.Exit(1)
    try:
        msg = build_message(
            out, category=tmpl.category, brand=ws.config.brand, to=to, sender=sender
        )
        accepted = send(msg, server, starttls=starttls)
    except (DeliveryError, MessageError) as exc:
        fail(str(exc))
    if not GLOBALS.quiet:
        sys.stdout.write(
            f"sent {template} ({out.locale}, persona {out.persona or 'sample data'}"
            + (f", variant {variant}" if variant else "")
            + f") to {', '.join(accepted)} via {server.label}, {msg['Message-ID']}\n"
        )
    raise typer.Exit(0)
