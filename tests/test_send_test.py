"""`atscomms send-test`: a real SMTP server on loopback (aiosmtpd) receives the message and
Python's email parser reads what arrived."""

from __future__ import annotations

import datetime as dt
import email
import socket
import ssl
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from atscomms.cli.app import main
from tests.conftest import REPO

ACME = str(REPO / "examples" / "acme")
PASSWORD = "s3cret-Pa55"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    def __init__(self, refuse_rcpt: bool = False) -> None:
        self.envelopes: list = []
        self.logins: list[tuple[str, str]] = []
        self.tls: list[bool] = []
        self.refuse_rcpt = refuse_rcpt

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.refuse_rcpt:
            return "550 5.1.1 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.envelopes.append(envelope)
        self.tls.append(session.ssl is not None)
        return "250 2.0.0 queued"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        assert isinstance(auth_data, LoginPassword)
        login = (auth_data.login.decode(), auth_data.password.decode())
        self.logins.append(login)
        return AuthResult(success=login == ("tester", PASSWORD), handled=False)  # 535 if not

    def message(self) -> EmailMessage:
        assert len(self.envelopes) == 1
        return email.message_from_bytes(self.envelopes[0].content, policy=policy.default)


def start(inbox: Inbox, **kwargs) -> tuple[Controller, str]:
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    return controller, f"127.0.0.1:{port}"


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller, address = start(inbox)
    yield inbox, address
    controller.stop()


def run(args: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(["send-test", *args])
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_nurture_email_arrives_as_multipart_alternative(smtp, capsys, monkeypatch) -> None:
    monkeypatch.delenv("ATSCOMMS_SMTP_USER", raising=False)
    monkeypatch.delenv("ATSCOMMS_SMTP_PASSWORD", raising=False)
    inbox, address = smtp
    code, out, err = run(
        ["talent-pool-nurture", "--to", "Ana Test <ana@example.com>", "-w", ACME,
         "--persona", "executive-newyork", "--smtp", address],
        capsys,
    )  # fmt: skip
    assert (code, err) == (0, "")
    msg = inbox.message()
    assert out == (
        "sent talent-pool-nurture (en-US, persona executive-newyork) to ana@example.com "
        f"via {address}, {msg['Message-ID']}\n"
    )
    envelope = inbox.envelopes[0]
    assert envelope.mail_from == "recruiting@acme.example"
    assert envelope.rcpt_tos == ["ana@example.com"]
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    assert [p.get_content_charset() for p in msg.iter_parts()] == ["utf-8", "utf-8"]
    assert msg["Subject"] == "New roles and news from Acme Corp"
    assert msg["From"] == "Acme Recruiting <recruiting@acme.example>"
    assert msg["To"] == "Ana Test <ana@example.com>"
    assert msg["Reply-To"] == "talent@acme.example"
    assert msg["MIME-Version"] == "1.0"
    assert msg["Message-ID"].startswith("<") and msg["Message-ID"].endswith("@acme.example>")
    sent = msg["Date"].datetime
    assert abs(dt.datetime.now(dt.UTC) - sent) < dt.timedelta(minutes=5)
    assert msg["List-Unsubscribe"] == "<https://acme.example/careers/preferences>"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = (p.get_content().replace("\r\n", "\n") for p in msg.iter_parts())
    assert text.startswith("Acme Corp\n\nHi Andrea,\n\nThank you for being part of the Acme Corp")
    assert "Update your interests (https://acme.example/careers/preferences)" in text
    assert '<p style="display: block;margin: 13px 0;">Hi Andrea,</p>' in html
    assert html.lstrip().startswith("<!DOCTYPE html>")


def test_transactional_email_has_no_list_unsubscribe_and_encodes_subject(smtp, capsys) -> None:
    inbox, address = smtp
    code, _, _ = run(
        ["application-received", "--to", "lena@example.com", "-w", ACME,
         "--persona", "campus-berlin", "--smtp", address, "--no-starttls"],
        capsys,
    )  # fmt: skip
    assert code == 0
    raw = inbox.envelopes[0].content.decode("ascii")  # every header is 7-bit
    assert (
        "\r\nSubject: Danke =?utf-8?q?f=C3=BCr?= Ihre Bewerbung: Graduate Data Engineer\r\n" in raw
    )
    msg = inbox.message()
    assert msg["Subject"] == "Danke für Ihre Bewerbung: Graduate Data Engineer"
    assert "List-Unsubscribe" not in msg and "List-Unsubscribe-Post" not in msg
    assert msg.get_content_type() == "multipart/alternative"
    assert "Hallo Lena," in msg.get_body(("plain",)).get_content()


def test_variant_and_from_override(smtp, capsys) -> None:
    inbox, address = smtp
    code, out, _ = run(
        ["interview-invitation", "--to", "a@example.com", "-w", ACME, "--variant", "b",
         "--persona", "sms-optout", "--from", "Hiring Team <hiring@acme.example>",
         "--smtp", address],
        capsys,
    )  # fmt: skip
    assert code == 0 and ", variant b)" in out
    msg = inbox.message()
    assert msg["From"] == "Hiring Team <hiring@acme.example>"
    assert msg["Subject"] == "Jordan, your interview is on Thursday, December 10, 2026"
    assert [msg[f"X-Atscomms-{h}"] for h in ("Template", "Locale", "Persona", "Variant")] == [
        "interview-invitation",
        "en-US",
        "sms-optout",
        "b",
    ]


def test_sms_template_is_refused(smtp, capsys) -> None:
    inbox, address = smtp
    code, _, err = run(
        ["interview-reminder-sms", "--to", "a@example.com", "-w", ACME, "--smtp", address],
        capsys,
    )
    assert code == 2
    assert err == (
        "atscomms: error: template 'interview-reminder-sms' is an SMS: send-test sends email; "
        "use render --part sms\n"
    )
    assert inbox.envelopes == []


def test_template_that_fails_to_render_sends_nothing(smtp, capsys, tmp_path) -> None:
    import shutil

    ws = Path(shutil.copytree(ACME, tmp_path / "acme"))
    tmpl = ws / "templates" / "offer-extended.yaml"
    tmpl.write_text(tmpl.read_text().replace("{{ candidate.first_name }}", "{{ candidate.nope }}"))
    inbox, address = smtp
    code, out, err = run(
        ["offer-extended", "--to", "a@example.com", "-w", str(ws), "--smtp", address,
         "--persona", "sms-optout"],
        capsys,
    )  # fmt: skip
    assert code == 1 and out == ""
    assert err.splitlines()[0].startswith("templates/offer-extended.yaml:20:")
    assert "F003 no value for `candidate.nope` in persona 'sms-optout'" in err
    assert err.splitlines()[-1] == "atscomms: 'offer-extended' did not render; nothing sent"
    assert inbox.envelopes == []


def test_unreachable_server_is_one_line_exit_2(capsys) -> None:
    port = free_port()  # nothing listens there
    code, _, err = run(
        ["offer-extended", "--to", "a@example.com", "-w", ACME, "--smtp", f"127.0.0.1:{port}"],
        capsys,
    )
    assert code == 2
    assert err == (
        f"atscomms: error: cannot reach SMTP server 127.0.0.1:{port}: Connection refused\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "not an address"], "--to: not an email address: 'not an address'"),
        (["--to", "a@example.com", "--smtp", "host:99999"], "--smtp: bad port in 'host:99999'"),
        (["--to", "a@example.com", "--from", "x"], "--from: not an email address: 'x'"),
        ([], "send-test needs a recipient: --to ADDRESS"),
        (["--to", "a@example.com", "--locale", "fr-FR"], "--locale: 'fr-FR' is not one of"),
    ],
)
def test_usage_errors(capsys, args, message) -> None:
    code, _, err = run(["offer-extended", "-w", ACME, *args], capsys)
    assert code == 2
    assert err.startswith(f"atscomms: error: {message}")
    assert len(err.splitlines()) == 1


def test_starttls_required_but_not_offered(smtp, capsys) -> None:
    inbox, address = smtp
    code, _, err = run(
        ["offer-extended", "--to", "a@example.com", "-w", ACME, "--smtp", address, "--starttls"],
        capsys,
    )
    assert code == 2
    assert err == f"atscomms: error: SMTP server {address} does not offer STARTTLS\n"
    assert inbox.envelopes == []


def test_recipient_refused(capsys) -> None:
    inbox = Inbox(refuse_rcpt=True)
    controller, address = start(inbox)
    try:
        code, _, err = run(
            ["offer-extended", "--to", "x@example.com", "-w", ACME, "--smtp", address], capsys
        )
    finally:
        controller.stop()
    assert code == 2
    assert err == (
        f"atscomms: error: SMTP server {address} refused the recipient: "
        "x@example.com: 550 5.1.1 no such user here\n"
    )


def test_login_from_environment_never_printed(capsys, monkeypatch) -> None:
    inbox = Inbox()
    controller, address = start(inbox, authenticator=inbox.authenticate, auth_require_tls=False)
    args = ["offer-extended", "--to", "a@example.com", "-w", ACME, "--smtp", address]
    try:
        monkeypatch.setenv("ATSCOMMS_SMTP_USER", "tester")
        monkeypatch.setenv("ATSCOMMS_SMTP_PASSWORD", PASSWORD)
        code, out, err = run(args, capsys)
        assert code == 0 and PASSWORD not in out + err
        monkeypatch.setenv("ATSCOMMS_SMTP_PASSWORD", "wrong-" + PASSWORD)
        code, out, err = run(args, capsys)
        assert code == 2 and PASSWORD not in out + err
        assert err.startswith(f"atscomms: error: SMTP server {address} refused the login: 535")
        monkeypatch.delenv("ATSCOMMS_SMTP_PASSWORD")
        code, _, err = run(args, capsys)
        assert err == (
            "atscomms: error: set both ATSCOMMS_SMTP_USER and ATSCOMMS_SMTP_PASSWORD (or neither)\n"
        )
    finally:
        controller.stop()
    assert inbox.logins[0] == ("tester", PASSWORD)
    assert set(inbox.logins[1:]) == {("tester", "wrong-" + PASSWORD)}  # smtplib tries 2 ways
    assert len(inbox.envelopes) == 1


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    import ipaddress

    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_starttls_is_used_and_verified(tmp_path, capsys, monkeypatch) -> None:
    cert, key = _self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = Inbox()
    controller, address = start(inbox, tls_context=context)
    args = ["offer-extended", "--to", "a@example.com", "-w", ACME, "--smtp", address]
    try:
        code, _, err = run([*args, "--starttls"], capsys)  # certificate not trusted
        assert code == 2
        assert err.startswith(f"atscomms: error: SMTP with {address} failed: TLS error (")
        assert inbox.envelopes == []
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # now it is
        code, _, err = run([*args, "--starttls"], capsys)
        assert (code, err) == (0, "")
        code, _, _ = run([*args, "--no-starttls"], capsys)
        assert code == 0
    finally:
        controller.stop()
    assert inbox.tls == [True, False]
