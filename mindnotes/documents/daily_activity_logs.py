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

Beside the days, each person has one "changes" document (`_id`
"<user_id>-changes", no `local_date`): what was added to which day since the
analytics job last folded the changes into the person's figures, as flat
`$inc` counters "<local_date>:<field>" (nx-27017 stores a dotted `$inc` that
creates its document under the literal dotted name), and `recount` when the
figures must be recounted from the documents. It is written in the same
command as the day (`bulk_write`), so a write costs no extra round trip, and
the job takes it whole (`take_changes`), so nothing is folded twice.
"""

import secrets
from datetime import date, timedelta

from pymongo import UpdateOne
from pymongo.errors import BulkWriteError

from mindnotes import timeutil
from mindnotes.documents import collection

NAME = "daily_activity_logs"

# The day totals the analytics rebuild recounts from the journal, mood and
# focus documents (what an import or a direct write could leave out).
RECOUNTED_FIELDS = ("entries", "words", "moods", "mood_score_sum", "focus_minutes", "focus_sessions")
# Every day total the figures are made of; prompts_answered is kept by the
# prompts feature alone (one increment per answer).
DAY_FIELDS = (*RECOUNTED_FIELDS, "prompts_answered")
DUPLICATE_KEY = 11000


def day_id(user_id: int, local_date: str) -> str:
    return f"{user_id}-{local_date}"


def changes_id(user_id: int) -> str:
    return f"{user_id}-changes"


def record_activity(user_id: int, local_date: str, **increments: int | float) -> None:
    """Add `increments` (e.g. entries=1, words=120) to the person's day, and note them as a change.

    Negative values take back what a deletion removes. Two first writes of a
    day may race; the loser (or a day written before days had their `_id`)
    retries as a plain update of the (user_id, local_date) document.
    """
    now = timeutil.utcnow()
    update = {
        "$inc": increments,
        "$setOnInsert": {"local_date": local_date, "created_at": now},
    }
    change = {
        "$inc": {f"{local_date}:{name}": value for name, value in increments.items()},
        "$set": {"write": write_token()},
    }
    # `user_id` in each filter: an upsert on a collection sharded by person must name its shard key.
    writes = [
        UpdateOne({"_id": day_id(user_id, local_date), "user_id": user_id}, update, upsert=True),
        UpdateOne({"_id": changes_id(user_id), "user_id": user_id}, change, upsert=True),
    ]
    try:
        collection(NAME).bulk_write(writes, ordered=False)
    except BulkWriteError as error:
        failed = error.details.get("writeErrors", [])
        if any(each["index"] != 0 or each["code"] != DUPLICATE_KEY for each in failed):
            raise
        collection(NAME).update_one({"user_id": user_id, "local_date": local_date}, update)


def take_changes(user_id: int) -> tuple[dict[str, dict], bool]:
    """Remove and return the changes noted since the last take: ({day: {field: added}}, recount asked).

    Taken whole in one command: a write that lands after it starts a new
    changes document, folded by the next run.
    """
    document = collection(NAME).find_one_and_delete({"_id": changes_id(user_id), "user_id": user_id}) or {}
    days: dict[str, dict] = {}
    for key, value in document.items():
        day, colon, name = key.partition(":")
        if colon:
            days.setdefault(day, {})[name] = value
    return days, bool(document.get("recount"))


def write_token() -> str:
    """A new `write` mark for the changes document: whatever was prepared from the figures before it is stale."""
    return secrets.token_hex(8)


def note_change(user_id: int) -> None:
    """Mark a change the day totals do not show (today's prompts drawn or swapped, a weekly review
    stored): the dashboard prepares its figures again (see services.overview.dashboard)."""
    collection(NAME).update_one(
        {"_id": changes_id(user_id), "user_id": user_id}, {"$set": {"write": write_token()}}, upsert=True
    )


def get_changes(user_id: int) -> dict | None:
    """The person's changes document as it stands (not taken), or None when nothing changed since the last run."""
    return collection(NAME).find_one({"_id": changes_id(user_id), "user_id": user_id})


def changed_totals(changes: dict | None) -> dict[str, int | float]:
    """What the noted changes add to the person's totals, by field."""
    totals: dict[str, int | float] = {}
    for key, value in (changes or {}).items():
        _day, colon, name = key.partition(":")
        if colon:
            totals[name] = totals.get(name, 0) + value
    return totals


def ask_for_recount(user_id: int) -> None:
    """Note that the person's figures must be recounted from the documents (their next analytics run does it)."""
    collection(NAME).update_one({"_id": changes_id(user_id), "user_id": user_id}, {"$inc": {"recount": 1}}, upsert=True)


def get_day(user_id: int, local_date: str) -> dict | None:
    return collection(NAME).find_one({"_id": day_id(user_id, local_date), "user_id": user_id})


def days_between(user_id: int, first: str, last: str) -> list[dict]:
    """The person's day documents from `first` to `last` (inclusive), oldest first."""
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    ids = [day_id(user_id, (start + timedelta(days=n)).isoformat()) for n in range((end - start).days + 1)]
    if not ids:
        return []
    return sorted(collection(NAME).find({"_id": {"$in": ids}, "user_id": user_id}), key=lambda day: day["local_date"])


def days_of(user_id: int, local_dates: list[str]) -> dict[str, dict]:
    """The person's day documents of the given days that exist, by local date."""
    if not local_dates:
        return {}
    ids = [day_id(user_id, day) for day in local_dates]
    return {day["local_date"]: day for day in collection(NAME).find({"_id": {"$in": ids}, "user_id": user_id})}


def all_days(user_id: int) -> list[dict]:
    """Every day document of the person (`_id`, `local_date` and the totals, 0 where missing), for the
    recounts; the changes document is left out.

    Gathered into one result document: nx-27017 answers one document with a
    thousand days far faster than a thousand documents. A first `$group` per
    document fills the missing totals, then `$$ROOT` is pushed: a pushed object
    of named fields drops, on mongomock, every day missing one of them (a day
    holds only the totals it was given), and nx-27017 pushes `$$ROOT` only
    after a `$group`.
    """
    totals = {name: {"$sum": f"${name}"} for name in DAY_FIELDS}
    pipeline = [
        {"$match": {"user_id": user_id}},
        {"$group": {"_id": "$_id", "local_date": {"$first": "$local_date"}, **totals}},
        {"$group": {"_id": None, "days": {"$push": "$$ROOT"}}},
    ]
    result = next(collection(NAME).aggregate(pipeline), None)
    return [day for day in result["days"] if day.get("local_date")] if result else []


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
