"""journal_entries: a person's entries with embedded media and prompt responses.

An entry changes by replacing the whole document, guarded by its `revision`:
nx-27017 turns `$push`ed sub-documents into JSON strings and `$set` datetimes
into strings, and the revision check keeps two concurrent read-modify-writes
from losing one another's change on any server.
"""

from collections.abc import Iterable
from datetime import datetime

from bson import ObjectId
from pymongo import DESCENDING

from mindnotes.documents import collection, parse_object_id

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
    """Store the whole changed `entry` if it is still at its `revision`; None if it moved on.

    A replacement rather than `$set`: nx-27017 stores a `$set` datetime as a string.
    """
    revision = entry.get("revision", 0)
    changed = {**entry, "user_id": user_id, "revision": revision + 1}
    result = collection(NAME).replace_one({"_id": entry["_id"], "user_id": user_id, "revision": revision}, changed)
    return changed if result.matched_count == 1 else None


def delete_entry(user_id: int, entry_id: ObjectId) -> bool:
    return collection(NAME).delete_one({"_id": entry_id, "user_id": user_id}).deleted_count == 1


def find_entries(user_id: int, query: dict, sort: list, limit: int, projection: dict | None = None) -> list[dict]:
    """A page of the person's entries matching `query` (built by the journal services)."""
    cursor = collection(NAME).find({**query, "user_id": {"$eq": user_id}}, projection or LIST_FIELDS)
    return list(cursor.sort(sort).limit(limit))


def search_entries(user_id: int, search: str, query: dict, limit: int) -> list[dict]:
    """Entries matching the `$text` search string, best first, with `search_text` for checking."""
    projection = {**LIST_FIELDS, "search_text": 1, "score": {"$meta": "textScore"}}
    cursor = collection(NAME).find({**query, "user_id": {"$eq": user_id}, "$text": {"$search": search}}, projection)
    return list(cursor.sort([("score", {"$meta": "textScore"}), ("list_key", DESCENDING)]).limit(limit))


def trashed_before(cutoff: datetime, limit: int = 500) -> list[dict]:
    """Entries of anyone, trashed before `cutoff` (for the purge job); media listed for cleanup."""
    cursor = collection(NAME).find(
        {"deleted_at": {"$ne": None, "$lt": cutoff}}, {"user_id": 1, "photos": 1, "voice_notes": 1}
    )
    return list(cursor.limit(limit))
