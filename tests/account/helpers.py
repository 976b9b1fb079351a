"""Helpers for the account-security tests: the file mailbox, TOTP codes, cookies."""

import re
import shutil
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import pyotp
from flask import Flask

from mindnotes.extensions import db
from mindnotes.models import AccountSecurity

LINK = re.compile(r"https?://\S+")


def mail_folder(app: Flask) -> Path:
    return Path(app.config["MAIL_DIR"])


def empty_mailbox(app: Flask) -> None:
    shutil.rmtree(mail_folder(app), ignore_errors=True)


def mails_to(app: Flask, address: str) -> list[Message]:
    """Messages written by the file mailer to `address`, oldest first."""
    folder = mail_folder(app)
    if not folder.exists():
        return []
    paths = sorted(folder.glob("*.eml"), key=lambda path: path.stat().st_mtime_ns)
    messages = [message_from_bytes(path.read_bytes()) for path in paths]
    return [message for message in messages if message["To"] == address]


def link_in(message: Message) -> str:
    return LINK.search(message.get_payload(decode=True).decode()).group(0)


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def totp_for(user) -> pyotp.TOTP:
    db.session.expire_all()
    return pyotp.TOTP(db.session.get(AccountSecurity, user.id).totp_secret)


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def use_cookie(client, value: str):
    client.set_cookie("session", value)
    return client
