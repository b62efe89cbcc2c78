"""A real SMTP server on loopback (aiosmtpd) for mail tests, and settings pointing at it."""

from __future__ import annotations

import socket

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from workflow.mail import SmtpSettings


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """An SMTP handler that keeps what it receives and refuses mailboxes named 'refuse'."""

    def __init__(self):
        self.messages = []
        self.logins = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refuse@"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
        )
        return "250 Message accepted for delivery"

    def __call__(self, server, session, envelope, mechanism, auth_data):
        self.logins.append((mechanism, auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"mat-khau", handled=False)


def start_server() -> tuple[Controller, Inbox, int]:
    """An SMTP server on 127.0.0.1 that requires AUTH (password 'mat-khau') without TLS."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=inbox,
        auth_required=True,
        auth_require_tls=False,
    )
    controller.start()
    return controller, inbox, port


def settings_for(port, password="mat-khau"):
    return SmtpSettings.from_env(
        {
            "VANTHU_SMTP_HOST": "127.0.0.1",
            "VANTHU_SMTP_PORT": str(port),
            "VANTHU_SMTP_USER": "vanthu",
            "VANTHU_SMTP_PASSWORD": password,
            "VANTHU_SMTP_FROM": "vanthu@bgddt.example",
        }
    )
