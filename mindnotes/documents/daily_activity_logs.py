"""daily_activity_logs: one document per person per local day, kept by increments.

Every feature that writes (journal, mood, focus, prompts) calls
`record_activity` in the same service call, so the dashboard and calendar read
ready-made day totals instead of scanning history.
"""

from datetime import UTC, datetime

from pymongo.errors import DuplicateKeyError

from mindnotes.documents import collection

NAME = "daily_activity_logs"


def record_activity(user_id: int, local_date: str, **increments: int | float) -> None:
    """Add `increments` (e.g. entries=1, words=120) to the person's day.

    Negative values take back what a deletion removes. Two first writes of a
    day may race on the unique (user_id, local_date) index; the loser retries
    as a plain update.
    """
    now = datetime.now(UTC)
    update = {
        "$inc": increments,
        "$set": {"updated_at": now},
        "$setOnInsert": {"user_id": user_id, "local_date": local_date, "created_at": now},
    }
    query = {"user_id": user_id, "local_date": local_date}
    try:
        collection(NAME).update_one(query, update, upsert=True)
    except DuplicateKeyError:
        collection(NAME).update_one(query, update)


def get_day(user_id: int, local_date: str) -> dict | None:
    return collection(NAME).find_one({"user_id": user_id, "local_date": local_date})


def days_between(user_id: int, first: str, last: str) -> list[dict]:
    """The person's day documents from `first` to `last` (inclusive), oldest first."""
    return list(
        collection(NAME).find({"user_id": user_id, "local_date": {"$gte": first, "$lte": last}}).sort("local_date", 1)
    )
