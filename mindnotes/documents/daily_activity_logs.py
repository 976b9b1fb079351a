"""daily_activity_logs: one document per person per local day, kept by increments.

Every feature that writes (journal, mood, focus, prompts) calls
`record_activity` in the same service call, so the dashboard and calendar read
ready-made day totals instead of scanning history. The analytics rebuild
recounts the days from the feature documents and corrects any that drifted
(an import, a write that missed its increment).

A day's `_id` is "<user_id>-<local_date>", so reading a day or a run of days
is an `_id` lookup: nx-27017 answers those at once but scans the whole
collection for a filter on the compound (user_id, local_date) index. That
index stays, unique, as the rule on every server.

A day changes by `$inc` (and the rebuild's `$set`) of numbers only, which keep
their type everywhere; its one datetime, `created_at`, is written by
`$setOnInsert`, which nx-27017 stores as a datetime. There is no `updated_at`:
nx-27017 would store a `$set` datetime as a string, and nothing reads it.
"""

from datetime import date, timedelta

from pymongo import UpdateOne
from pymongo.errors import DuplicateKeyError

from mindnotes import timeutil
from mindnotes.documents import collection

NAME = "daily_activity_logs"

# The day totals the analytics rebuild recounts from the journal, mood and
# focus documents (what an import or a direct write could leave out).
RECOUNTED_FIELDS = ("entries", "words", "moods", "mood_intensity_sum", "focus_minutes", "focus_sessions")
# Every day total the figures are made of; prompts_answered is kept by the
# prompts feature alone (one increment per answer).
DAY_FIELDS = (*RECOUNTED_FIELDS, "prompts_answered")


def day_id(user_id: int, local_date: str) -> str:
    return f"{user_id}-{local_date}"


def record_activity(user_id: int, local_date: str, **increments: int | float) -> None:
    """Add `increments` (e.g. entries=1, words=120) to the person's day.

    Negative values take back what a deletion removes. Two first writes of a
    day may race; the loser (or a day written before days had their `_id`)
    retries as a plain update of the (user_id, local_date) document.
    """
    now = timeutil.utcnow()
    update = {
        "$inc": increments,
        "$setOnInsert": {"local_date": local_date, "created_at": now},
    }
    try:
        # `user_id` in the filter: an upsert on a collection sharded by person must name its shard key.
        collection(NAME).update_one({"_id": day_id(user_id, local_date), "user_id": user_id}, update, upsert=True)
    except DuplicateKeyError:
        collection(NAME).update_one({"user_id": user_id, "local_date": local_date}, update)


def get_day(user_id: int, local_date: str) -> dict | None:
    return collection(NAME).find_one({"_id": day_id(user_id, local_date), "user_id": user_id})


def days_between(user_id: int, first: str, last: str) -> list[dict]:
    """The person's day documents from `first` to `last` (inclusive), oldest first."""
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    ids = [day_id(user_id, (start + timedelta(days=n)).isoformat()) for n in range((end - start).days + 1)]
    if not ids:
        return []
    return sorted(collection(NAME).find({"_id": {"$in": ids}, "user_id": user_id}), key=lambda day: day["local_date"])


def all_days(user_id: int) -> list[dict]:
    """Every day document of the person (`_id`, `local_date` and the totals), for the rebuild job.

    Gathered into one result document: nx-27017 answers one document with a
    thousand days far faster than a thousand documents.
    """
    day = {"_id": "$_id", "local_date": "$local_date", **{name: f"${name}" for name in DAY_FIELDS}}
    pipeline = [{"$match": {"user_id": user_id}}, {"$group": {"_id": None, "days": {"$push": day}}}]
    result = next(collection(NAME).aggregate(pipeline), None)
    return result["days"] if result else []


def forget_days(user_id: int, document_ids: list) -> None:
    """Delete the person's day documents by `_id` (the rebuild rewrites them under their day id)."""
    if document_ids:
        collection(NAME).delete_many({"_id": {"$in": document_ids}, "user_id": user_id})


def set_days(user_id: int, figures_by_day: dict[str, dict]) -> int:
    """Overwrite the recounted totals of the given days; returns how many were written."""
    if not figures_by_day:
        return 0
    now = timeutil.utcnow()
    writes = [
        UpdateOne(
            {"_id": day_id(user_id, day), "user_id": user_id},
            {
                "$set": figures,
                "$setOnInsert": {"local_date": day, "created_at": now},
            },
            upsert=True,
        )
        for day, figures in figures_by_day.items()
    ]
    collection(NAME).bulk_write(writes, ordered=False)
    return len(writes)
