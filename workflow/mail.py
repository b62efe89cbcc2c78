"""Send an issued document by email: one message per email target, the .docx attached.

Settings come from the environment (VANTHU_SMTP_HOST, _PORT, _USER, _PASSWORD, _FROM,
_STARTTLS). A failed send is a result, not an exception: dispatch records it as `failed` with
the error and goes on with the other targets.
"""

from __future__ import annotations

import os
import re
import smtplib
import ssl
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from workflow.content import DocumentContent
from workflow.errors import VanthuError
from workflow.recipients import Target
from workflow.vietnamese import collapse_spaces, date_words, nfc, vietnam_now

DOCX_MAIN, DOCX_SUB = "application", "vnd.openxmlformats-officedocument.wordprocessingml.document"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_TRUE = {"1", "true", "yes", "on"}


class MailError(VanthuError):
    """Mail settings are missing or wrong."""

    code = "mail_settings"


@dataclass(frozen=True)
class SmtpSettings:
    """Where and as whom to send."""

    host: str
    sender: str
    port: int = 25
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 30.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SmtpSettings:
        """Read VANTHU_SMTP_* (host and from are required)."""
        env = os.environ if env is None else env
        host = env.get("VANTHU_SMTP_HOST", "").strip()
        sender = env.get("VANTHU_SMTP_FROM", "").strip()
        missing = [
            n for n, v in (("VANTHU_SMTP_HOST", host), ("VANTHU_SMTP_FROM", sender)) if not v
        ]
        if missing:
            raise MailError(f"{' and '.join(missing)} must be set to send email")
        port_text = env.get("VANTHU_SMTP_PORT", "25").strip() or "25"
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise MailError(f"VANTHU_SMTP_PORT must be a port number, got {port_text!r}")
        return cls(
            host=host,
            sender=sender,
            port=int(port_text),
            user=env.get("VANTHU_SMTP_USER") or None,
            password=env.get("VANTHU_SMTP_PASSWORD") or None,
            starttls=env.get("VANTHU_SMTP_STARTTLS", "").strip().lower() in _TRUE,
        )


@dataclass(frozen=True)
class MailResult:
    """The outcome for one target: sent (with its Message-ID) or failed (with the error)."""

    key: str
    address: str
    ok: bool
    message_id: str | None = None
    error: str | None = None


def _one_line(text: str) -> str:
    return collapse_spaces(" ".join(text.splitlines()))


def attachment_filename(number: str, content: DocumentContent, limit: int = 120) -> str:
    """ "07-TB-BGDĐT Kết luận của ….docx": number, symbol and the start of the subject."""
    head = f"{number}-{content.symbol}"
    subject = _one_line(content.subject)
    name = f"{head} {subject}" if subject else head
    if len(name) > limit:
        name = name[:limit].rsplit(" ", 1)[0]
    return nfc(_UNSAFE.sub("_", name)).rstrip(" .") + ".docx"


def mail_subject(number: str, content: DocumentContent) -> str:
    """ "Thông báo số 07/TB-BGDĐT: Kết luận …"; a công văn reads "Công văn số 12/BGDĐT-VP V/v …"."""
    subject = _one_line(content.subject)
    head = f"{content.type.name} số {number}/{content.symbol}"
    if not subject:
        return head
    return f"{head} V/v {subject}" if not content.type.typed else f"{head}: {subject}"


def mail_body(number: str, issued: date, content: DocumentContent, receiver: str) -> str:
    """A short covering note; the document itself is the attachment."""
    issuer = content.issuer.name
    return (
        f"Kính gửi: {receiver}\n\n"
        f"{issuer} gửi {content.type.name.lower()} số {number}/{content.symbol}"
        f" {date_words(issued)} ({_one_line(content.subject)}).\n"
        "Văn bản được đính kèm thư này.\n\n"
        f"Văn thư - {issuer}\n"
    )


def build_message(
    settings: SmtpSettings,
    to: str,
    *,
    subject: str,
    body: str,
    document: bytes,
    filename: str,
) -> EmailMessage:
    """One message: text body, the .docx attached under its Vietnamese name (RFC 2231)."""
    msg = EmailMessage()
    msg["From"] = settings.sender
    msg["To"] = to
    msg["Subject"] = nfc(subject)
    msg["Date"] = format_datetime(vietnam_now())
    domain = settings.sender.rpartition("@")[2] or None
    msg["Message-ID"] = make_msgid(domain=domain)
    msg.set_content(nfc(body))
    msg.add_attachment(document, maintype=DOCX_MAIN, subtype=DOCX_SUB, filename=nfc(filename))
    return msg


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.user:
            smtp.login(settings.user, settings.password or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def send(
    settings: SmtpSettings,
    to: Sequence[tuple[str, str]],
    *,
    subject: str,
    body: str | Mapping[str, str],
    document: bytes,
    filename: str,
) -> list[MailResult]:
    """Send one message per (key, address) over one connection; never raises for a send.

    `body` is one text for all, or a text per key. A dropped connection is re-opened once;
    when the server cannot be reached at all, every remaining target fails with that error.
    """
    results: list[MailResult] = []
    smtp: smtplib.SMTP | None = None
    retried = False
    i = 0
    try:
        while i < len(to):
            key, address = to[i]
            if smtp is None:
                try:
                    smtp = _connect(settings)
                except (OSError, smtplib.SMTPException) as exc:
                    error = f"cannot send through {settings.host}:{settings.port}: {exc}"
                    results.extend(MailResult(k, a, False, error=error) for k, a in to[i:])
                    break
            text = body if isinstance(body, str) else body[key]
            msg = build_message(
                settings, address, subject=subject, body=text, document=document, filename=filename
            )
            try:
                smtp.send_message(msg)
                results.append(MailResult(key, address, True, message_id=msg["Message-ID"]))
            except smtplib.SMTPServerDisconnected as exc:
                smtp = None
                if not retried:
                    retried = True
                    continue  # the same target again, on a new connection
                results.append(MailResult(key, address, False, error=f"disconnected: {exc}"))
            except smtplib.SMTPRecipientsRefused as exc:
                code, reason = next(iter(exc.recipients.values()))
                error = f"refused {code}: {reason.decode(errors='replace')}"
                results.append(MailResult(key, address, False, error=error))
            except smtplib.SMTPResponseException as exc:
                error = f"{exc.smtp_code}: {exc.smtp_error.decode(errors='replace')}"
                results.append(MailResult(key, address, False, error=error))
            except (OSError, smtplib.SMTPException) as exc:
                smtp = None
                results.append(MailResult(key, address, False, error=f"{exc}"))
            i += 1
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()
    return results


def send_issued(
    settings: SmtpSettings,
    content: DocumentContent,
    *,
    number: str,
    issued: date,
    document: bytes,
    targets: Iterable[Target],
) -> list[MailResult]:
    """Email the issued file to every target whose preferred channel is email."""
    targets = list(targets)
    to = [
        (t.key, t.channel.address)
        for t in targets
        if t.channel is not None and t.channel.kind == "email" and t.channel.address
    ]
    names = {t.key: t.name for t in targets}
    bodies = {
        key: mail_body(number, issued, content, names.get(key, address)) for key, address in to
    }
    return send(
        settings,
        to,
        subject=mail_subject(number, content),
        body=bodies,
        document=document,
        filename=attachment_filename(number, content),
    )
