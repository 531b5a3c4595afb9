"""A rendered email as a real multipart/alternative MIME message (text/plain + text/html).

Headers are built with :mod:`email.headerregistry` (RFC 5322 addresses, RFC 2047 encoded
words for non-ASCII subjects and display names). No header value may contain a line break:
rendered values are folded onto one line first, so a persona value cannot inject headers.
"""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from typing import Any

from atscomms.rendering.context import MARKETING


class MessageError(ValueError):
    """The message cannot be built (a missing or invalid address): one line."""


def one_line(value: str) -> str:
    return " ".join(value.split())


def parse_address(value: str, what: str, display_name: str = "") -> Address:
    """``user@example.com`` or ``Name <user@example.com>`` as an Address."""
    from email.headerregistry import HeaderRegistry

    value = value.strip()
    if not value or any(c in value for c in "\r\n"):
        raise MessageError(f"{what}: not an email address: {value!r}")
    try:
        header = HeaderRegistry()("to", value)
        addresses = header.addresses
    except Exception:  # noqa: BLE001 - the email package raises many kinds here
        addresses = ()
    if len(addresses) != 1 or not addresses[0].username or not addresses[0].domain:
        raise MessageError(f"{what}: not an email address: {value!r}")
    found = addresses[0]
    name = found.display_name or display_name
    return Address(display_name=one_line(name), username=found.username, domain=found.domain)


def unsubscribe_url(category: str, brand: dict[str, Any]) -> str | None:
    url = brand.get("preference_center_url")
    return url if category in MARKETING and isinstance(url, str) and url else None


def build_message(
    rendered: Any,
    *,
    category: str,
    brand: dict[str, Any],
    to: str,
    sender: str | None = None,
    date: Any = None,
) -> EmailMessage:
    """``rendered`` is a :class:`atscomms.rendering.render.Rendered` email with html and text."""
    if rendered.html is None or rendered.text is None:
        raise MessageError(f"template {rendered.template!r} has no HTML part to send")
    name = str(brand.get("sender_name") or brand.get("company_name") or "")
    addr = sender or brand.get("sender_email")
    if not addr:
        raise MessageError(
            "no sender address: set brand.sender_email in atscomms.yaml or pass --from"
        )
    from_addr = parse_address(str(addr), "--from" if sender else "brand.sender_email", name)
    msg = EmailMessage(policy=SMTP)
    msg["From"] = from_addr
    msg["To"] = parse_address(to, "--to")
    reply_to = brand.get("reply_to")
    if isinstance(reply_to, str) and reply_to:
        msg["Reply-To"] = parse_address(reply_to, "brand.reply_to")
    msg["Subject"] = one_line(rendered.subject or "")
    if date is None:
        from datetime import UTC, datetime

        date = datetime.now(UTC)
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = make_msgid("atscomms", domain=from_addr.domain)
    url = unsubscribe_url(category, brand)
    if url:
        msg["List-Unsubscribe"] = f"<{one_line(url)}>"
        if url.startswith("https://"):
            msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    # What was sent, for whoever reads the test message (short headers: no folding).
    msg["X-Atscomms-Template"] = rendered.template
    msg["X-Atscomms-Locale"] = rendered.locale
    msg["X-Atscomms-Persona"] = rendered.persona or "(sample data)"
    if rendered.variant:
        msg["X-Atscomms-Variant"] = rendered.variant
    msg.set_content(rendered.text, subtype="plain", charset="utf-8")
    msg.add_alternative(rendered.html, subtype="html", charset="utf-8")
    return msg
