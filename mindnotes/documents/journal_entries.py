"""journal_entries: a person's entries with embedded media and prompt responses.

An entry changes by replacing the whole document, guarded by its `revision`
(`documents.replace_if_revision` / `compare_and_swap`).
"""

import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime

from bson import ObjectId
from pymongo import DESCENDING

from mindnotes.documents import collection, parse_object_id, replace_if_revision

NAME = "journal_entries"
# Lists and searches filter with `$eq` (same meaning on any server): nx-27017
# turns a bare `field: value` into an array-aware test that no index serves,
# and scans the whole collection (50 ms at 5,000 entries instead of 2 ms).
LIVE = {"deleted_at": {"$eq": None}}

# What a list or search row shows: never the full content or the versions.
LIST_FIELDS = {
    "title": 1,
    "excerpt": 1,
    "entry_type": 1,
    "entry_date": 1,
    "local_date": 1,
    "is_favorite": 1,
    "tag_ids": 1,
    "mood": 1,
    "word_count": 1,
    "reading_time_seconds": 1,
    "photo_count": 1,
    "voice_note_count": 1,
    "deleted_at": 1,
    "list_key": 1,
}


def get_entry(user_id: int, entry_id: str | ObjectId) -> dict | None:
    oid = parse_object_id(entry_id)
    if oid is None:
        return None
    return collection(NAME).find_one({"_id": oid, "user_id": user_id})


def count_slot_holders(user_id: int) -> int:
    """Entries that hold a slot of the plan: live and trashed, until purged.

    Only for `flask reconcile` and its job: counting is slow on nx-27017, so
    hot paths read `profiles.entries_used` instead.
    """
    return collection(NAME).count_documents({"user_id": user_id})


def insert_entry(user_id: int, document: dict) -> None:
    """Insert a new entry whose `_id` the caller made (a retry cannot create a twin)."""
    collection(NAME).insert_one({**document, "user_id": user_id})


def insert_entries(user_id: int, documents: Iterable[dict]) -> None:
    """Bulk insert (seeding and benchmarks); each document gets `user_id`."""
    collection(NAME).insert_many([{**document, "user_id": user_id} for document in documents], ordered=False)


def replace_entry(user_id: int, entry: dict) -> dict | None:
    """Store the whole changed `entry` if it is still at its `revision`; None if it moved on."""
    return replace_if_revision(NAME, user_id, entry["_id"], entry.get("revision"), entry)


def delete_entry(user_id: int, entry_id: ObjectId) -> bool:
    return collection(NAME).delete_one({"_id": entry_id, "user_id": user_id}).deleted_count == 1


def with_old_mood(user_id: int) -> list[dict]:
    """The person's entries that still hold a 1-10 `mood` of before issue 17 (for `flask mood upgrade`).

    An empty (null) old field is not found on nx-27017 (`$exists` skips nulls there); nothing reads it.
    """
    return list(collection(NAME).find({"user_id": user_id, "mood": {"$exists": True}}))


def set_excerpt(user_id: int, entry_id: ObjectId, revision: int | None, excerpt: str) -> bool:
    """Store a recomputed excerpt (a string: safe to `$set`) if the entry is still at `revision`.

    The revision is not moved: an excerpt is derived from the text, which is unchanged,
    so a form open on the entry still saves.
    """
    guard = {"_id": entry_id, "user_id": {"$eq": user_id}, "revision": {"$eq": revision}}
    return collection(NAME).update_one(guard, {"$set": {"excerpt": excerpt}}).matched_count == 1


def list_filter(
    keys_from: str | None = None,
    keys_before: str | None = None,
    tag_ids: list[int] | None = None,
    favorites: bool = False,
    entry_type: str = "",
    has_photos: bool = False,
) -> dict:
    """The filter of live entries narrowed to these plain values, for `find_entries` and `search_entries`.

    `keys_from`/`keys_before` bound `list_key` (the date range and the page cursor).
    """
    query: dict = dict(LIVE)
    if keys_from or keys_before:
        query["list_key"] = {}
        if keys_from:
            query["list_key"]["$gte"] = keys_from
        if keys_before:
            query["list_key"]["$lt"] = keys_before
    if tag_ids:
        query["tag_ids"] = {"$all": list(tag_ids)}
    if favorites:
        query["is_favorite"] = {"$eq": True}
    if entry_type:
        query["entry_type"] = entry_type
    if has_photos:
        query["photo_count"] = {"$gt": 0}
    return query


def find_entries(user_id: int, query: dict, sort: list, limit: int, projection: dict | None = None) -> list[dict]:
    """A page of the person's entries matching `query` (built by the journal services)."""
    cursor = collection(NAME).find({**query, "user_id": {"$eq": user_id}}, projection or LIST_FIELDS)
    return list(cursor.sort(sort).limit(limit))


def on_month_day(user_id: int, month_day: str, limit: int) -> list[dict]:
    """The person's entries of any year (trashed too) written on `month_day` ("MM-DD"), newest first."""
    return find_entries(user_id, {"month_day": {"$eq": month_day}}, [("list_key", DESCENDING)], limit)


def trashed_entries(user_id: int, limit: int) -> list[dict]:
    """The person's entries in the trash, most recently deleted first."""
    return find_entries(user_id, {"deleted_at": {"$ne": None}}, [("deleted_at", DESCENDING)], limit)


# Search reads `search_terms`: the distinct folded words of `search_text` (title,
# content and prompt answers), stored beside it by every writer through
# `search_terms` below. The multikey index {user_id, search_terms, list_key}
# serves "every one of these words, newest first" from one person's keys on
# MongoDB; nx-27017 serves the same filter from the person's list index and tests
# only that person's entries. `$all` of exact strings means the same on both.
# Letters and digits: "_" (Markdown emphasis) and every other mark split words.
WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower-case without accents: how a search compares words ("Café" and "cafe" are one word)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    if decomposed.isascii():
        return decomposed
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words_of(text: str) -> list[str]:
    """The folded words of `text`, in order, repeats kept."""
    return WORD.findall(fold(text))


def search_terms(search_text: str) -> list[str]:
    """What an entry stores as `search_terms`: its distinct folded words, sorted."""
    return sorted(set(words_of(search_text)))


def search_entries(user_id: int, terms: list[str], query: dict, limit: int) -> list[dict]:
    """Up to `limit` entries holding every one of `terms` (folded words), newest first, with `search_text`."""
    cursor = collection(NAME).find(
        {**query, "user_id": {"$eq": user_id}, "search_terms": {"$all": terms}}, {**LIST_FIELDS, "search_text": 1}
    )
    return list(cursor.sort([("list_key", DESCENDING)]).limit(limit))


def trashed_before(cutoff: datetime, limit: int = 500) -> list[dict]:
    """Entries of anyone, trashed before `cutoff` (for the purge job); media listed for cleanup."""
    cursor = collection(NAME).find(
        {"deleted_at": {"$ne": None, "$lt": cutoff}}, {"user_id": 1, "photos": 1, "voice_notes": 1}
    )
    return list(cursor.limit(limit))
