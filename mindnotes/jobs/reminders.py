"""The reminders due this minute (services/reminders/sending.py): scheduled every minute, safe to run twice."""

from datetime import datetime

from flask import current_app

from mindnotes.services.reminders.sending import send_due_reminders as send


def send_due_reminders(now: datetime | None = None) -> int:
    """Send the reminders due by `now`; how many were sent."""
    # The messages' links are built with url_for, which needs a request; absolute ones start at PUBLIC_URL.
    with current_app.test_request_context("/"):
        return send(now).sent
