"""Which documents an import brought in already, matched on the ids they had where they were first written.

An imported journal entry, mood or focus session keeps that id as `source_id`
(a string: a MindNotes id, or "<app>:<id there>" for another app's item, see
services/imports/sources); a document exported and imported back into its own
account matches on its own `_id`. So importing the same file twice adds
nothing the second time. An item from another app also keeps `source_hash`,
a digest of what it held, so an item edited there since is told apart.
Served by the `(user_id, source_id)` index of each collection (and `_id`);
two `$in` queries, not one `$or` (nx-27017 answers `$or` with nothing).
"""

from bson import ObjectId

from mindnotes.documents import collection, parse_object_id


def already_here(name: str, user_id: int, source_ids: list[str]) -> dict[str, ObjectId]:
    """Of `source_ids`, those the person's `name` collection holds: source id -> the stored document's `_id`."""
    return {source: stored["_id"] for source, stored in imported_items(name, user_id, source_ids).items()}


def imported_items(name: str, user_id: int, source_ids: list[str]) -> dict[str, dict]:
    """Of `source_ids`, those the person's `name` collection holds: source id -> {_id, source_hash}."""
    if not source_ids:
        return {}
    found: dict[str, dict] = {}
    fields = {"source_id": 1, "source_hash": 1}
    for document in collection(name).find({"user_id": {"$eq": user_id}, "source_id": {"$in": source_ids}}, fields):
        found[document["source_id"]] = document
    own_ids = [oid for oid in map(parse_object_id, source_ids) if oid is not None]
    if own_ids:
        for document in collection(name).find({"user_id": {"$eq": user_id}, "_id": {"$in": own_ids}}, fields):
            found.setdefault(str(document["_id"]), document)
            if isinstance(document.get("source_id"), str):
                found.setdefault(document["source_id"], document)
    return found
