"""Outgoing mail: SMTP when `MAIL_SERVER` is set, else a file per message under `instance/mail/`.

The file mode is for trying MindNotes on one machine: it also logs the message's
link so the person can follow it. With SMTP nothing about the message body (and
so no token) is logged.
"""

import smtplib
import ssl
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.utils import make_msgid
from pathlib import Path

from flask import current_app, has_request_context, url_for

from mindnotes import timeutil
from mindnotes.errors import UserError


class MailNotSent(UserError):
    """The mail server refused or could not be reached; the caller decides what the person sees."""

    status = 503


def mail_dir() -> Path:
    return Path(current_app.config["MAIL_DIR"] or Path(current_app.instance_path) / "mail")


def external_url(endpoint: str, **values) -> str:
    """An absolute link for a message, never built from the request's Host header (anyone can send any).

    From PUBLIC_URL; without it the embedded default and tests use LOCAL_URL (this
    machine), and any other setup refuses to send (MailNotSent) and logs why.
    """
    config = current_app.config
    base = config["PUBLIC_URL"] or (config["LOCAL_URL"] if config["EMBEDDED"] or config["TESTING"] else "")
    if not base:
        current_app.logger.error(
            "PUBLIC_URL is not set, so no mail with a link is sent: set it to the address people open "
            "MindNotes at, e.g. PUBLIC_URL=https://notes.example.org"
        )
        raise MailNotSent("The message could not be sent just now. Please try again later.")
    return base.rstrip("/") + app_path(endpoint, **values)


def app_path(endpoint: str, **values) -> str:
    """A page's path, in a request or in a job (outside a request, in a blank request context)."""
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context():
        return url_for(endpoint, **values)


def send_mail(to: str, subject: str, body: str, link: str | None = None, headers: dict | None = None) -> None:
    """Send one plain-text message; `headers` adds more (e.g. List-Unsubscribe for reminders)."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="mindnotes.local")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    try:
        if current_app.config["MAIL_SERVER"]:
            _send_smtp(message)
        else:
            _write_file(message, link)
    except (smtplib.SMTPException, OSError) as error:
        current_app.logger.error("Mail %r to %s not sent: %s", subject, to, error.__class__.__name__)
        raise MailNotSent("The message could not be sent just now. Please try again later.") from error


def remove_messages_to(address: str) -> int:
    """Delete the file mailbox's messages to `address` (an erased account leaves none behind)."""
    folder = mail_dir()
    if not folder.exists():
        return 0
    removed = 0
    for path in folder.glob("*.eml"):
        with path.open("rb") as handle:
            recipient = BytesHeaderParser().parse(handle)["To"]
        if recipient == address:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _send_smtp(message: EmailMessage) -> None:
    config = current_app.config
    context = ssl.create_default_context()
    if config["MAIL_USE_SSL"]:
        connection = smtplib.SMTP_SSL(config["MAIL_SERVER"], config["MAIL_PORT"], context=context, timeout=10)
    else:
        connection = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10)
    with connection:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            connection.starttls(context=context)
        if config["MAIL_USERNAME"]:
            connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        connection.send_message(message)
    current_app.logger.info("Mail %r sent to %s over SMTP.", message["Subject"], message["To"])


def _write_file(message: EmailMessage, link: str | None) -> None:
    folder = mail_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timeutil.utcnow().strftime("%Y%m%dT%H%M%S%f")
    path = folder / f"{stamp}-{message['Message-ID'].strip('<>').split('@')[0]}.eml"
    path.write_bytes(bytes(message))
    # Only in this local mode: the person trying MindNotes needs the link to go on.
    current_app.logger.warning(
        "Mail %r to %s written to %s%s", message["Subject"], message["To"], path, f"; its link: {link}" if link else ""
    )
