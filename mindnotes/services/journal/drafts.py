"""Drafts: the editor's autosaved text, so a closed tab or a lost connection loses no words."""

from datetime import datetime

from bson import ObjectId

from mindnotes import timeutil
from mindnotes.documents import journal_drafts
from mindnotes.inputs import parse_id
from mindnotes.services.journal import EntryInvalid, EntryNotFound, get_entry
from mindnotes.services.journal.fields import CONTENT_MAX, TITLE_MAX

# The editor fields a draft keeps, as typed (strings), and how long each may be.
DRAFT_FIELDS = {
    "title": TITLE_MAX * 5,
    "content": CONTENT_MAX * 2,
    "entry_type": 20,
    "entry_date": 40,
    "privacy": 20,
    "mood_score": 10,
    "location_name": 1000,
    "latitude": 40,
    "longitude": 40,
    "weather": 500,
    "is_favorite": 10,
}


def save_draft(user, entry_id: str | None, form: dict, now: datetime | None = None) -> dict:
    """Keep what the person typed for a new entry (`entry_id` None) or one of their entries."""
    oid = get_entry(user, entry_id)["_id"] if entry_id is not None else None
    fields = {name: str(form.get(name) or "") for name in DRAFT_FIELDS}
    too_long = [name for name, limit in DRAFT_FIELDS.items() if len(fields[name]) > limit]
    if too_long:
        raise EntryInvalid({name: "Too long to keep as a draft." for name in too_long})
    fields["tag_ids"] = [value for value in form.get("tag_ids", []) if parse_id(value) is not None][:100]
    return journal_drafts.save_draft(user.id, oid, fields, now or timeutil.utcnow())


def draft_for(user, entry_id: ObjectId | None) -> dict | None:
    return journal_drafts.get_draft(user.id, entry_id)


def discard_draft(user, draft_id: str) -> dict:
    draft = journal_drafts.get_draft_by_id(user.id, draft_id)
    if draft is None or not journal_drafts.delete_draft_by_id(user.id, draft["_id"]):
        raise EntryNotFound("There is no such draft.")
    return draft


def forget_draft(user, entry_id: ObjectId | None) -> None:
    """The entry is saved: its draft has done its work."""
    journal_drafts.delete_draft(user.id, entry_id)
