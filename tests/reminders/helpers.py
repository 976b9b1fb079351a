"""Helpers for the reminder tests: a plan set through the service, the minute job at a moment, the mail it sent."""

import re
from datetime import datetime

from flask import current_app

from mindnotes.jobs.reminders import send_due_reminders
from mindnotes.services.reminders import save_reminders
from tests.account.helpers import mails_to

PAUSE_LINK = re.compile(r"https?://\S+/reminders/pause/\S+")


def remind(user, now: datetime, **form) -> dict:
    """Save the reminders `form` asks for (by email unless it says otherwise) at `now`."""
    return save_reminders(user, {"by_email": "y", **form}, now=now)


def run_job(now: datetime) -> int:
    return send_due_reminders(now)


def reminder_mails(user) -> list:
    return [mail for mail in mails_to(current_app, user.email) if mail["Subject"].startswith("MindNotes: ")]


def pause_link(mail) -> str:
    return PAUSE_LINK.search(mail.get_payload(decode=True).decode()).group(0)
