"""daily_activity_logs: one document per person per local day, kept by increments.

Every feature that writes (journal, mood, focus, prompts) calls
`record_activity` in the same service call, so the dashboard and calendar read
ready-made day totals instead of scanning history. The analytics rebuild
recounts the days from the feature documents and corrects any that drifted
(an import, a write that missed its increment).
"""

from datetime import UTC, datetime

from pymongo import UpdateOne
from pymongo.errors import DuplicateKeyError

from mindnotes.documents import collection

NAME = "daily_activity_logs"

# The day totals the analytics rebuild recounts from the feature documents.
RECOUNTED_FIELDS = (
    "entries",
    "words",
    "moods",
    "mood_intensity_sum",
    "focus_minutes",
    "focus_sessions",
    "prompts_answered",
)


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


def all_days(user_id: int) -> list[dict]:
    """Every day document of the person (one per local day with activity), oldest first."""
    projection = {"_id": 0, "local_date": 1, **{name: 1 for name in RECOUNTED_FIELDS}}
    return list(collection(NAME).find({"user_id": user_id}, projection).sort("local_date", 1))


def set_days(user_id: int, figures_by_day: dict[str, dict]) -> int:
    """Overwrite the recounted totals of the given days; returns how many were written."""
    if not figures_by_day:
        return 0
    now = datetime.now(UTC)
    writes = [
        UpdateOne(
            {"user_id": user_id, "local_date": day},
            {
                "$set": {**figures, "updated_at": now},
                "$setOnInsert": {"user_id": user_id, "local_date": day, "created_at": now},
            },
            upsert=True,
        )
        for day, figures in figures_by_day.items()
    ]
    collection(NAME).bulk_write(writes, ordered=False)
    return len(writes)
