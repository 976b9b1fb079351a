"""journal_entries: a person's entries with embedded media and prompt responses."""

from bson import ObjectId

from mindnotes.documents import collection, parse_object_id

NAME = "journal_entries"


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
