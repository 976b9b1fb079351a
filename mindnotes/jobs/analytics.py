"""Rebuilding people's analytics documents (after their writes, and nightly)."""

from datetime import datetime

from sqlalchemy import select

from mindnotes.extensions import db, queue
from mindnotes.models import User
from mindnotes.services.overview.analytics import rebuild_figures


def rebuild_user_analytics(user_id: int, now: datetime | None = None) -> dict | None:
    """Recount the person's days and store their figures; None when the account is gone."""
    user = db.session.get(User, user_id)
    if user is None:
        return None
    return rebuild_figures(user.id, user.timezone, now)


def rebuild_all_analytics() -> int:
    """Queue a rebuild for every person (the nightly run); returns how many were queued."""
    user_ids = list(db.session.scalars(select(User.id).order_by(User.id)))
    for user_id in user_ids:
        queue.enqueue("mindnotes.jobs.analytics.rebuild_user_analytics", user_id, job_id=f"analytics-{user_id}")
    return len(user_ids)
