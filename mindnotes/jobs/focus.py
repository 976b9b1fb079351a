"""Closing focus sessions left running long past their planned end.

Run it on a schedule (`flask focus close-overdue`, e.g. every 10 minutes from
cron, or enqueued on RQ); running it twice closes nothing twice.
"""

from datetime import datetime

from mindnotes import timeutil
from mindnotes.documents import focus_sessions
from mindnotes.extensions import db
from mindnotes.models import User
from mindnotes.services.focus import OVERDUE_AFTER, close_overdue_session


def close_overdue_sessions(now: datetime | None = None) -> int:
    """Close every session running past planned end + 60 minutes, at its planned end; returns how many."""
    now = now or timeutil.utcnow()
    closed = 0
    for session in focus_sessions.overdue_sessions(now - OVERDUE_AFTER):
        user = db.session.get(User, session["user_id"])
        if user is not None and close_overdue_session(user, str(session["_id"]), now):
            closed += 1
    return closed
