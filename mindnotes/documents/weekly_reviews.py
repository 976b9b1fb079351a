"""weekly_reviews: one document per person per week ({user_id, week_start "YYYY-MM-DD" local, ...}),
and review_settings: one document per person saying whether they want each review mailed.

A review is inserted once (the unique {user_id, week_start} index refuses a
second), so a job run twice makes and mails it once.
"""

from pymongo import DESCENDING
from pymongo.errors import DuplicateKeyError

from mindnotes.documents import collection, daily_activity_logs

NAME = "weekly_reviews"
SETTINGS = "review_settings"


def insert_review(user_id: int, review: dict) -> bool:
    """Store the person's review of a week; False when that week's review exists already."""
    try:
        collection(NAME).insert_one({**review, "user_id": user_id})
    except DuplicateKeyError:
        return False
    # The dashboard shows the newest review: its prepared figures are stale now.
    daily_activity_logs.note_change(user_id)
    return True


def get_review(user_id: int, week_start: str) -> dict | None:
    return collection(NAME).find_one({"user_id": user_id, "week_start": week_start})


def newest_reviews(user_id: int, limit: int = 1) -> list[dict]:
    """The person's reviews, newest week first."""
    return list(collection(NAME).find({"user_id": user_id}).sort("week_start", DESCENDING).limit(limit))


def mails_reviews(user_id: int) -> bool:
    document = collection(SETTINGS).find_one({"user_id": user_id})
    return bool(document and document.get("mail"))


def set_mail_reviews(user_id: int, mail: bool) -> None:
    """Store whether the person wants each review mailed (replaced whole; no `_id` in the replacement)."""
    collection(SETTINGS).replace_one({"user_id": user_id}, {"user_id": user_id, "mail": mail}, upsert=True)
