"""Journal entries: write, edit (keeping versions), answer prompts, favorite, trash.

The entry limit spans both stores (DESIGN.md): a slot is reserved in
PostgreSQL, the entry is inserted in MongoDB under an `_id` made beforehand,
and the slot is given back when that insert fails. Every write also lands in
the person's daily_activity_logs (entries, words) for the entry's local day.
"""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bson import ObjectId
from bson.errors import InvalidDocument
from pymongo.errors import DuplicateKeyError, PyMongoError

from mindnotes import timeutil
from mindnotes.documents import compare_and_swap, daily_activity_logs, journal_entries
from mindnotes.services.billing.plans import plan_for, release_entry_slots, reserve_entry_slot
from mindnotes.services.journal import files as journal_files
from mindnotes.services.journal.errors import (  # noqa: F401  (this package's contract: callers catch journal.<Error>)
    EntryChanged,
    EntryExists,
    EntryInvalid,
    EntryLimitReached,
    EntryNotFound,
    JournalError,
    JournalUnavailable,
    TagInvalid,
)
from mindnotes.services.journal.fields import (
    clean_fields,
    clean_prompt_response,
    entry_type_for,
    list_key,
    new_entry_document,
    text_figures,
)
from mindnotes.services.journal.tags import with_new_tag
from mindnotes.services.mood.entries import entry_mood_choice, save_entry_mood
from mindnotes.services.overview.activity import record_activity

VERSIONS_KEPT = 20
TRASH_DAYS = 30


def create_entry(user, fields: dict, entry_id: ObjectId | None = None, now: datetime | None = None) -> dict:
    """Write a new entry within the plan's limit; returns the stored document.

    The whole entry is checked first; a new tag typed with it (`fields["new_tag"]`)
    is made only once the entry is valid and has its slot, so a refused entry
    leaves no tag behind.
    """
    now = now or timeutil.utcnow()
    responses = [clean_prompt_response(response) for response in fields.get("prompt_responses") or []]
    entry_id = entry_id or ObjectId()
    cleaned = clean_fields(user, fields, now, responses)
    if not reserve_entry_slot(user.id):
        plan = plan_for(user.id)
        raise EntryLimitReached(
            f"Your {plan.name} plan keeps up to {plan.entry_limit:,} entries and you have reached that. "
            "Empty the trash or upgrade your plan to write more."
        )
    cleaned["tag_ids"] = with_new_tag(user.id, cleaned["tag_ids"], fields.get("new_tag"))
    document = new_entry_document(entry_id, cleaned, now, responses)
    try:
        journal_entries.insert_entry(user.id, document)
    except DuplicateKeyError as error:
        release_entry_slots(user.id)
        raise EntryExists("This entry is already saved.") from error
    except PyMongoError as error:
        release_entry_slots(user.id)
        raise JournalUnavailable("Your entry could not be saved just now; nothing was lost. Try again.") from error
    except InvalidDocument as error:  # DocumentTooLarge among them: not a PyMongoError
        release_entry_slots(user.id)
        raise EntryInvalid({"content": "This entry is too large to store; make it shorter."}) from error
    document["user_id"] = user.id
    record_activity(user.id, document["entry_date"], user.timezone, entries=1, words=document["word_count"])
    entry_mood = entry_mood_choice(fields)[0]
    if entry_mood:
        save_entry_mood(user, document, entry_mood, now)
    return document


def get_entry(user, entry_id: str | ObjectId, include_trashed: bool = False) -> dict:
    entry = journal_entries.get_entry(user.id, entry_id)
    if entry is None or (entry.get("deleted_at") and not include_trashed):
        raise EntryNotFound("There is no such entry.")
    return entry


def change_entry(
    user,
    entry_id: str | ObjectId,
    change: Callable[[dict], dict],
    revision: int | None = None,
    include_trashed: bool = False,
    now: datetime | None = None,
) -> dict:
    """Read the entry, apply `change(entry) -> changed fields`, store it whole; day totals follow.

    With a `revision` (the one the person's form was made from) a newer save
    elsewhere is refused; without one, a concurrent change is re-read and retried.
    """
    now = now or timeutil.utcnow()
    changed_elsewhere = "This entry was changed elsewhere (another tab or device). Reload it and try again."

    def read() -> dict:
        entry = get_entry(user, entry_id, include_trashed)
        if revision is not None and revision != entry.get("revision", 0):
            raise EntryChanged(changed_elsewhere)
        return entry

    swapped = compare_and_swap(
        journal_entries.NAME,
        user.id,
        read,
        lambda entry: {**entry, **change(entry), "updated_at": now},
        attempts=1 if revision is not None else 5,
    )
    if swapped is None:
        raise EntryChanged(changed_elsewhere)
    before, changed = swapped
    _move_activity(user.id, before, changed)
    return changed


def _counted(entry: dict) -> tuple[str, int, int]:
    """What the entry adds to its day's totals: (day, entries, words); nothing while in the trash."""
    if entry.get("deleted_at"):
        return entry["local_date"], 0, 0
    return entry["local_date"], 1, entry["word_count"]


def _record_day(user_id: int, day: str, **increments: int) -> None:
    """Add to the totals of the entry's stored local day, whatever the person's zone is now.

    Through the shared `record_activity` (which also queues the analytics
    rebuild): noon UTC of `day`, read in UTC, is `day`.
    """
    noon = datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC)
    record_activity(user_id, noon, "UTC", **increments)


def _move_activity(user_id: int, before: dict, after: dict) -> None:
    old_day, old_entries, old_words = _counted(before)
    new_day, new_entries, new_words = _counted(after)
    if old_day == new_day:
        if (old_entries, old_words) != (new_entries, new_words):
            _record_day(user_id, new_day, entries=new_entries - old_entries, words=new_words - old_words)
        else:  # a new title or excerpt: the dashboard's kept summary of this entry is stale
            daily_activity_logs.note_change(user_id)
        return
    if old_entries:
        _record_day(user_id, old_day, entries=-old_entries, words=-old_words)
    if new_entries:
        _record_day(user_id, new_day, entries=new_entries, words=new_words)


def update_entry(
    user, entry_id: str | ObjectId, fields: dict, revision: int | None = None, now: datetime | None = None
) -> dict:
    """Edit an entry; its earlier title and content stay viewable as a version.

    Its type follows from what it holds (text, photos, voice notes), whatever `fields` says.

    As in `create_entry`, a new tag is made only once the edited entry is valid.
    """
    now = now or timeutil.utcnow()

    def edit(entry: dict) -> dict:
        changes = clean_fields(user, fields, now, entry.get("prompt_responses", []))
        changes["tag_ids"] = with_new_tag(user.id, changes["tag_ids"], fields.get("new_tag"))
        versions = versions_after_edit(entry, changes["title"], changes["content"])
        changes["entry_type"] = entry_type_for({**entry, **changes})
        return {**changes, "list_key": list_key(changes["entry_date"], entry["_id"]), "versions": versions}

    changed = change_entry(user, entry_id, edit, revision=revision, now=now)
    save_entry_mood(user, changed, entry_mood_choice(fields)[0], now)
    return changed


def versions_after_edit(entry: dict, title: str, content: str) -> list[dict]:
    """The entry's versions once its text becomes `title` and `content`: the text it had is kept when it changes."""
    versions = entry.get("versions", [])
    if (title, content) == (entry["title"], entry["content"]):
        return versions
    earlier = {
        "title": entry["title"],
        "content": entry["content"],
        "word_count": entry["word_count"],
        "saved_at": entry["updated_at"],
    }
    return (versions + [earlier])[-VERSIONS_KEPT:]


def add_prompt_response(user, entry_id: str | ObjectId, response: dict, now: datetime | None = None) -> dict:
    """Add an answer to a daily prompt to the entry; counts, search text and activity follow."""
    now = now or timeutil.utcnow()
    answer = clean_prompt_response({**response, "answered_at": response.get("answered_at") or now})

    def add(entry: dict) -> dict:
        responses = entry.get("prompt_responses", []) + [answer]
        return {"prompt_responses": responses, **text_figures(entry["title"], entry["content"], responses)}

    return change_entry(user, entry_id, add, include_trashed=True, now=now)


def set_favorite(user, entry_id: str | ObjectId, is_favorite: bool) -> dict:
    return change_entry(user, entry_id, lambda entry: {"is_favorite": is_favorite})


def trash_entry(user, entry_id: str | ObjectId, now: datetime | None = None) -> dict:
    """Move an entry to the trash: it leaves lists and day totals but keeps its plan slot."""
    now = now or timeutil.utcnow()
    return change_entry(user, entry_id, lambda entry: {"deleted_at": now}, now=now)


def restore_entry(user, entry_id: str | ObjectId, now: datetime | None = None) -> dict:
    now = now or timeutil.utcnow()

    def restore(entry: dict) -> dict:
        if not entry.get("deleted_at") or entry["deleted_at"] < now - timedelta(days=TRASH_DAYS):
            raise EntryNotFound("This entry is not in the trash any more.")
        return {"deleted_at": None}

    return change_entry(user, entry_id, restore, include_trashed=True, now=now)


def purge_entry(user_id: int, entry: dict) -> None:
    """Delete a trashed entry for good, with its files, and free its plan slot."""
    if journal_entries.delete_entry(user_id, entry["_id"]):
        journal_files.remove(user_id, journal_files.media_names(entry))
        release_entry_slots(user_id)


def purge_trashed_entry(user, entry_id: str | ObjectId) -> None:
    entry = get_entry(user, entry_id, include_trashed=True)
    if not entry.get("deleted_at"):
        raise EntryNotFound("Only entries in the trash can be deleted for good.")
    purge_entry(user.id, entry)


def purge_expired_trash(now: datetime | None = None) -> int:
    """Purge every entry trashed more than 30 days ago; returns how many went."""
    cutoff = (now or timeutil.utcnow()) - timedelta(days=TRASH_DAYS)
    purged = 0
    while batch := journal_entries.trashed_before(cutoff):
        for entry in batch:
            purge_entry(entry["user_id"], entry)
            purged += 1
    return purged
