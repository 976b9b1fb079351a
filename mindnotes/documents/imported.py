"""Which documents an import brought in already, matched on the ids they had where they were first written.

An imported journal entry, mood or focus session keeps that id as `source_id`
(a string); a document exported and imported back into its own account
matches on its own `_id`. So importing the same file twice adds nothing the
second time. Served by the `(user_id, source_id)` index of each collection.
"""

from bson import ObjectId

from mindnotes.documents import collection, parse_object_id


def already_here(name: str, user_id: int, source_ids: list[str]) -> dict[str, ObjectId]:
    """Of `source_ids`, those the person's `name` collection holds: source id -> the stored document's `_id`."""
    if not source_ids:
        return {}
    own_ids = [oid for oid in map(parse_object_id, source_ids) if oid is not None]
    query = {"user_id": user_id, "$or": [{"source_id": {"$in": source_ids}}, {"_id": {"$in": own_ids}}]}
    found: dict[str, ObjectId] = {}
    for document in collection(name).find(query, {"source_id": 1}):
        found[str(document["_id"])] = document["_id"]
        if isinstance(document.get("source_id"), str):
            found[document["source_id"]] = document["_id"]
    return found
