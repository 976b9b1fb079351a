"""The reminders due this minute (services/reminders/sending.py): scheduled every minute, safe to run twice."""

from datetime import datetime

from mindnotes.services.reminders.sending import send_due_reminders as send


def send_due_reminders(now: datetime | None = None) -> int:
    """Send the reminders due by `now`; how many were sent."""
    return send(now).sent
