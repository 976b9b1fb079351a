"""People's analytics documents: updated after each write, recounted nightly."""

from datetime import datetime

from sqlalchemy import select

from mindnotes.extensions import db, queue
from mindnotes.models import User
from mindnotes.services.overview.analytics import ask_for_recount, rebuild_figures, refresh_figures
from mindnotes.services.overview.dashboard import prepare_after_update


def refresh_user_analytics(user_id: int, now: datetime | None = None) -> dict | None:
    """Fold the person's writes since the last run into their figures (each write queues this; a
    recount when one was asked for); None when the account is gone."""
    user = db.session.get(User, user_id)
    if user is None:
        return None
    figures = refresh_figures(user.id, user.timezone, now)
    prepare_after_update(user.id, user.timezone, now)
    return figures


def rebuild_user_analytics(user_id: int, now: datetime | None = None) -> dict | None:
    """Recount the person's days and store their figures; None when the account is gone."""
    user = db.session.get(User, user_id)
    if user is None:
        return None
    figures = rebuild_figures(user.id, user.timezone, now)
    prepare_after_update(user.id, user.timezone, now)
    return figures


def rebuild_all_analytics() -> int:
    """Have every person's figures recounted (the nightly run); returns how many people.

    Each person's recount is asked for, then their analytics run is queued: a
    run that is already waiting (after a write) does the recount.
    """
    user_ids = list(db.session.scalars(select(User.id).order_by(User.id)))
    for user_id in user_ids:
        ask_for_recount(user_id)
        queue.enqueue("mindnotes.jobs.analytics.refresh_user_analytics", user_id, job_id=f"analytics-{user_id}")
    return len(user_ids)
