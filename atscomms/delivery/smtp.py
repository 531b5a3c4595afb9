"""Send one message over SMTP with smtplib: STARTTLS, implicit TLS on port 465, AUTH from
the environment. Every failure becomes a :class:`DeliveryError` with a one-line reason that
never contains the password."""

from __future__ import annotations

import ipaddress
import os
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

USER_ENV = "ATSCOMMS_SMTP_USER"
PASSWORD_ENV = "ATSCOMMS_SMTP_PASSWORD"
DEFAULT_PORT = 25
TIMEOUT = 30.0


class DeliveryError(Exception):
    """The message was not sent: one line saying why."""


@dataclass(frozen=True, slots=True)
class Server:
    host: str
    port: int

    @property
    def label(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    @property
    def loopback(self) -> bool:
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False


def parse_server(value: str) -> Server:
    """``host``, ``host:port``, ``[v6]:port``."""
    value = value.strip()
    host, port = value, DEFAULT_PORT
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            raise DeliveryError(f"--smtp: cannot read {value!r} (use host:port)")
        host, rest = value[1:end], value[end + 1 :]
        if rest:
            if not rest.startswith(":"):
                raise DeliveryError(f"--smtp: cannot read {value!r} (use host:port)")
            port = _port(rest[1:], value)
    elif value.count(":") == 1:
        host, _, text = value.partition(":")
        port = _port(text, value)
    if not host or any(c.isspace() for c in host):
        raise DeliveryError(f"--smtp: cannot read {value!r} (use host:port)")
    return Server(host, port)


def _port(text: str, value: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise DeliveryError(f"--smtp: bad port in {value!r}")
    return int(text)


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{exc.smtp_code} {' '.join(text.split())}"


def send(
    msg: EmailMessage,
    server: Server,
    *,
    starttls: bool | None = None,
    timeout: float = TIMEOUT,
) -> list[str]:
    """Send ``msg`` to its To address. ``starttls``: True requires it, False never, None uses
    it when the server offers it. Returns the recipients the server accepted."""
    user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
    if bool(user) != bool(password):
        raise DeliveryError(f"set both {USER_ENV} and {PASSWORD_ENV} (or neither)")
    implicit_tls = server.port == 465
    context = ssl.create_default_context()
    where = server.label
    try:
        if implicit_tls:
            conn: smtplib.SMTP = smtplib.SMTP_SSL(
                server.host, server.port, timeout=timeout, context=context
            )
        else:
            conn = smtplib.SMTP(server.host, server.port, timeout=timeout)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"cannot reach SMTP server {where}: {_why(exc)}") from None
    try:
        with conn:
            conn.ehlo_or_helo_if_needed()
            tls = implicit_tls
            if not implicit_tls and starttls is not False:
                if conn.has_extn("starttls"):
                    conn.starttls(context=context)
                    conn.ehlo()
                    tls = True
                elif starttls:
                    raise DeliveryError(f"SMTP server {where} does not offer STARTTLS")
            if user and password:
                if not tls and not server.loopback:
                    raise DeliveryError(
                        f"refusing to send SMTP credentials to {where} without TLS "
                        "(the server offers no STARTTLS)"
                    )
                conn.login(user, password)
            refused = conn.send_message(msg)
    except DeliveryError:
        raise
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(f"SMTP server {where} refused the login: {_reply(exc)}") from None
    except smtplib.SMTPRecipientsRefused as exc:
        reasons = "; ".join(
            f"{rcpt}: {code} {_text(text)}" for rcpt, (code, text) in exc.recipients.items()
        )
        raise DeliveryError(f"SMTP server {where} refused the recipient: {reasons}") from None
    except smtplib.SMTPSenderRefused as exc:
        raise DeliveryError(f"SMTP server {where} refused the sender: {_reply(exc)}") from None
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(f"SMTP server {where} refused the message: {_reply(exc)}") from None
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"SMTP with {where} failed: {_why(exc)}") from None
    accepted = [str(a.addr_spec) for a in msg["To"].addresses]
    return [a for a in accepted if a not in refused]


def _text(text: bytes | str) -> str:
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return " ".join(text.split())


def _why(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout | TimeoutError):
        return "timed out"
    if isinstance(exc, socket.gaierror):
        return f"unknown host ({exc.strerror or exc})"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error ({exc.reason or exc})"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return " ".join(str(exc).split()) or type(exc).__name__
