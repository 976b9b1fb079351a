"""Weekly reviews: every hour, each person whose Monday it is gets the review of the week that ended."""

from datetime import datetime

from sqlalchemy import select

from mindnotes.extensions import db, queue
from mindnotes.models import User
from mindnotes.services.overview import weekly


def queue_weekly_reviews(now: datetime | None = None) -> int:
    """Queue the review of everyone for whom it is Monday; returns how many were queued.

    Hourly, so each person's review comes within the first hour of their Monday
    whatever their zone; a person whose review exists already is skipped by the job.
    """
    people = db.session.execute(select(User.id, User.timezone).where(User.is_active).order_by(User.id)).all()
    due = [user_id for user_id, timezone in people if weekly.is_review_day(timezone, now)]
    for user_id in due:
        queue.enqueue("mindnotes.jobs.weekly.make_weekly_review", user_id, job_id=f"weekly-review-{user_id}")
    return len(due)


def make_weekly_review(user_id: int, now: datetime | None = None) -> dict | None:
    """Make the person's review of their last ended week (once); None when it exists or the account is gone."""
    user = db.session.get(User, user_id)
    if user is None:
        return None
    return weekly.make_review(user, now)
