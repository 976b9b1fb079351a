"""Healing documents that earlier versions stored with the wrong types on nx-27017.

Before every write here kept its types, nx-27017 stored a `$set` datetime as
a string ("2026-03-01 09:30:00.123000": a mood edit, a day's `updated_at`)
and a `$push`ed subdocument as a JSON string. Moved to MongoDB as they are,
such values sort and compare as text, and the pages that format them fail.

`repair_person` turns them back, one person at a time (every query has the
person's `user_id`), in the fields known to hold them; a string in any other
field is the person's own text and is never touched. A repaired document is
stored whole, guarded by the plain values it was read with, so a write racing
the repair is not lost (the repair retries, then leaves it for the next run).
Running it again changes nothing.

It also gives each journal entry the `search_terms` its `search_text` makes
(entries written before search read them have none, and no search finds them).
"""

from datetime import UTC, datetime

from bson import json_util
from bson.json_util import JSONOptions

from mindnotes.documents import collection, journal_entries

# Per collection: the top-level fields that hold a datetime (or None).
DATETIME_FIELDS: dict[str, tuple[str, ...]] = {
    "journal_entries": ("entry_date", "created_at", "updated_at", "deleted_at"),
    "journal_drafts": ("saved_at",),
    "mood_entries": ("felt_at", "created_at", "updated_at"),
    "focus_sessions": ("started_at", "planned_end_at", "ended_at", "created_at", "updated_at"),
    "daily_prompt_sets": ("created_at", "completed_at"),
    "user_analytics": ("rebuilt_at",),
    "daily_activity_logs": ("created_at", "updated_at"),
}
# Per collection: the top-level fields that hold a subdocument or a list of them.
DOCUMENT_FIELDS: dict[str, tuple[str, ...]] = {
    "journal_entries": ("photos", "voice_notes", "prompt_responses", "versions", "location"),
    "journal_drafts": ("fields",),
    "mood_entries": ("factors", "factor_values", "context"),
    "focus_sessions": ("pauses", "distractions"),
    "daily_prompt_sets": ("prompts",),
}
COLLECTIONS = tuple(DATETIME_FIELDS)
ATTEMPTS = 3
_JSON = JSONOptions(tz_aware=True, tzinfo=UTC)


def _datetime_of(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _document_of(text: str):
    if not text.lstrip().startswith(("{", "[")):
        return None
    try:
        value = json_util.loads(text, json_options=_JSON)
    except ValueError:
        return None
    return value if isinstance(value, dict | list) else None


def _repaired_subdocuments(value):
    """The field's value with JSON strings (the whole value, or list items) read back as documents."""
    if isinstance(value, str):
        decoded = _document_of(value)
        return value if decoded is None else decoded
    if isinstance(value, list):
        return [_repaired_subdocuments(item) if isinstance(item, str) else item for item in value]
    return value


def repaired(name: str, document: dict) -> dict:
    """The document with its known datetime and subdocument fields back in their types, and an entry
    with the search terms of its text (a copy)."""
    fixed = dict(document)
    if name == journal_entries.NAME and isinstance(fixed.get("search_text"), str):
        fixed["search_terms"] = journal_entries.search_terms(fixed["search_text"])
    for field in DATETIME_FIELDS.get(name, ()):
        if isinstance(fixed.get(field), str):
            moment = _datetime_of(fixed[field])
            if moment is not None:
                fixed[field] = moment
    for field in DOCUMENT_FIELDS.get(name, ()):
        if field in fixed:
            fixed[field] = _repaired_subdocuments(fixed[field])
    return fixed


def _guard(document: dict) -> dict:
    """The filter that matches the document only as it was read: its id, owner and plain values.

    ObjectIds, datetimes and booleans are left out: nx-27017 matches none of
    them reliably by equality outside `_id`.
    """
    plain = {key: value for key, value in document.items() if type(value) in (str, int, float)}
    return {**plain, "_id": document["_id"], "user_id": document["user_id"]}


def _repair_document(name: str, document: dict) -> bool:
    """Store the repaired document; False when it kept changing under the repair."""
    for _attempt in range(ATTEMPTS):
        if collection(name).replace_one(_guard(document), repaired(name, document)).matched_count == 1:
            return True
        current = collection(name).find_one({"_id": document["_id"], "user_id": document["user_id"]})
        if current is None or repaired(name, current) == current:
            return True
        document = current
    return False


def repair_person(user_id: int, dry_run: bool = False) -> dict[str, int]:
    """Per collection: how many of the person's documents were repaired (or would be, with `dry_run`)."""
    counts: dict[str, int] = {}
    for name in COLLECTIONS:
        changed = 0
        for document in list(collection(name).find({"user_id": {"$eq": user_id}})):
            if repaired(name, document) == document:
                continue
            if dry_run or _repair_document(name, document):
                changed += 1
        if changed:
            counts[name] = changed
    return counts
