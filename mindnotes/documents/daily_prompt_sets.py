"""daily_prompt_sets: one set of prompts per person per local day.

A set changes by whole-document compare-and-swap on its `version`
(`documents.compare_and_swap(..., field="version")`): read it, change it in
Python, replace it only if nobody changed it meanwhile.
nx-27017 cannot update one array element conditionally (`$elemMatch` or an
index path in the filter, `arrayFilters`) and turns a `$set` datetime into a
string, while a replaced document keeps its types on every server.
Queries filter on plain values only (`answered_count`, `local_date`). Besides the
shared contract's fields a set keeps `answered_count`, `streak` (days in a row
completed, ending with this one), `swapped_out` and `version`.
"""

from bson import ObjectId
from pymongo import DESCENDING

from mindnotes.documents import collection, parse_object_id

NAME = "daily_prompt_sets"


def insert_set(user_id: int, document: dict) -> None:
    """Insert a new set; raises DuplicateKeyError when the person's day already has one."""
    collection(NAME).insert_one({**document, "user_id": user_id})


def get_for_day(user_id: int, local_date: str) -> dict | None:
    return collection(NAME).find_one({"user_id": user_id, "local_date": local_date})


def get_set(user_id: int, set_id: str | ObjectId) -> dict | None:
    oid = parse_object_id(set_id)
    if oid is None:
        return None
    return collection(NAME).find_one({"_id": oid, "user_id": user_id})


def sets_since(user_id: int, first_date: str) -> list[dict]:
    """The person's sets from `first_date` on, with their prompts (for choosing the next ones)."""
    cursor = collection(NAME).find(
        {"user_id": user_id, "local_date": {"$gte": first_date}}, {"local_date": 1, "prompts": 1}
    )
    return list(cursor)


def answered_sets_before(user_id: int, before: str | None, limit: int) -> list[dict]:
    """Sets with at least one answer, newest day first, older than `before` when given."""
    query: dict = {"user_id": user_id, "answered_count": {"$gt": 0}}
    if before:
        query["local_date"] = {"$lt": before}
    return list(collection(NAME).find(query).sort("local_date", DESCENDING).limit(limit))


def delete_unanswered_before(cutoff_date: str) -> int:
    """Delete everyone's sets older than `cutoff_date` in which nothing was answered.

    The one function here across people: it is the cleanup job's, and answers
    never live in a set (they are journal entries), so nothing written is lost.
    """
    result = collection(NAME).delete_many({"answered_count": 0, "local_date": {"$lt": cutoff_date}})
    return result.deleted_count
