"""journal_drafts: what a person is typing in the editor, autosaved; one per entry (or new entry).

Saved by replacing the whole document (nx-27017 stores `$set` datetimes as strings)
and found by `entry_key`, the entry's id as text or "new": nx-27017 matches no
ObjectId stored outside `_id`.
"""

from datetime import datetime

from bson import ObjectId
from pymongo.errors import DuplicateKeyError

from mindnotes.documents import collection, parse_object_id

NAME = "journal_drafts"


def _key(entry_id: ObjectId | None) -> str:
    return str(entry_id) if entry_id is not None else "new"


def save_draft(user_id: int, entry_id: ObjectId | None, fields: dict, now: datetime) -> dict:
    """Keep `fields` as the person's draft for `entry_id` (None: a new entry).

    The replacement carries no `_id` (it is immutable on MongoDB: two first saves
    at once, from two tabs, must not try to change it); the server makes one on
    insert. Two racing inserts meet the unique (user_id, entry_key) index: the
    loser's second try replaces the winner's draft.
    """
    query = {"user_id": user_id, "entry_key": _key(entry_id)}
    draft = {**query, "entry_id": entry_id, "fields": fields, "saved_at": now}
    try:
        result = collection(NAME).replace_one(query, draft, upsert=True)
    except DuplicateKeyError:
        result = collection(NAME).replace_one(query, draft, upsert=True)
    if result.upserted_id is not None:
        return {"_id": result.upserted_id, **draft}
    stored = collection(NAME).find_one(query, {"_id": 1})
    return {"_id": stored["_id"] if stored else None, **draft}


def get_draft(user_id: int, entry_id: ObjectId | None) -> dict | None:
    return collection(NAME).find_one({"user_id": user_id, "entry_key": _key(entry_id)})


def get_draft_by_id(user_id: int, draft_id: str | ObjectId) -> dict | None:
    oid = parse_object_id(draft_id)
    if oid is None:
        return None
    return collection(NAME).find_one({"_id": oid, "user_id": user_id})


def delete_draft(user_id: int, entry_id: ObjectId | None) -> None:
    collection(NAME).delete_one({"user_id": user_id, "entry_key": _key(entry_id)})


def delete_draft_by_id(user_id: int, draft_id: ObjectId) -> bool:
    return collection(NAME).delete_one({"_id": draft_id, "user_id": user_id}).deleted_count == 1
