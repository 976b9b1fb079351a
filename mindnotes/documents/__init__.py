"""MongoDB documents: one module per collection, plus `indexes.py`.

Every function here takes the owner's `user_id` (the PostgreSQL user id) and
puts it in its filter, so no caller can reach another person's document by id.

A document changes by whole replacement under a counter guard
(`replace_if_revision`, `compare_and_swap`): nx-27017 stores a `$set`
datetime as a string and turns `$push`ed subdocuments into JSON strings, and
the guard keeps two concurrent read-modify-writes from losing each other's
change on any server.
"""

from collections.abc import Callable

from bson import ObjectId
from bson.errors import InvalidId
from pymongo.collection import Collection

from mindnotes.documents.indexes import INDEXES
from mindnotes.extensions import mongo


def collection(name: str) -> Collection:
    return mongo.db[name]


def erase_person(user_id: int) -> int:
    """Delete the person's documents in every collection; how many went.

    Every declared collection and any other one in the database (a feature may add its own).
    """
    names = set(INDEXES) | {name for name in mongo.db.list_collection_names() if not name.startswith("system.")}
    return sum(collection(name).delete_many({"user_id": user_id}).deleted_count for name in sorted(names))


def parse_object_id(value: str | ObjectId | None) -> ObjectId | None:
    """The ObjectId in `value`, or None when it is not one (answered as a 404)."""
    if isinstance(value, ObjectId):
        return value
    try:
        return ObjectId(value)
    except (InvalidId, TypeError):
        return None


def replace_if_revision(
    name: str, user_id: int, doc_id, expected_revision: int | None, new_document: dict, field: str = "revision"
) -> dict | None:
    """Store `new_document` whole if the stored one is still at `expected_revision`.

    `expected_revision` None stands for a document stored without `field` (one
    written before it had one, such as an older mood): the guard `{field: None}`
    matches a missing field on every server. The stored document (its `field`
    one past `expected_revision`), or None when it moved on meanwhile (or is not
    the person's).
    """
    stored = {**new_document, "user_id": user_id, field: (expected_revision or 0) + 1}
    guard = {"_id": doc_id, "user_id": user_id, field: expected_revision}
    result = collection(name).replace_one(guard, stored)
    return stored if result.matched_count == 1 else None


def compare_and_swap(
    name: str,
    user_id: int,
    read: Callable[[], dict],
    change: Callable[[dict], dict],
    attempts: int = 5,
    field: str = "revision",
) -> tuple[dict, dict] | None:
    """Read, change and store a document whole under its `field` guard; re-read and retry on a race.

    `read()` returns the person's document (or raises the caller's not-found or
    refusal); `change(document)` returns the whole new document (or raises to
    refuse). Answers (the document as read, as stored), or None when every one
    of the `attempts` lost its race.
    """
    for _attempt in range(attempts):
        document = read()
        revision = document.get(field)
        stored = replace_if_revision(name, user_id, document["_id"], revision, change(document), field)
        if stored is not None:
            return document, stored
    return None
