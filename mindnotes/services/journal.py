"""Journal entries: write, edit (keeping versions), answer prompts, favorite, trash.

The entry limit spans both stores (DESIGN.md): a slot is reserved in
PostgreSQL, the entry is inserted in MongoDB under an `_id` made beforehand,
and the slot is given back when that insert fails. Every write also lands in
the person's daily_activity_logs (entries, words) for the entry's local day.
"""

import math
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from bson import ObjectId
from pymongo.errors import DuplicateKeyError, PyMongoError

from mindnotes.documents import journal_entries
from mindnotes.services import journal_files
from mindnotes.services.activity import record_activity
from mindnotes.services.journal_tags import owned_tag_ids
from mindnotes.services.plans import plan_for, release_entry_slots, reserve_entry_slot
from mindnotes.timeutil import utcnow, zone

TITLE_MAX = 200
CONTENT_MAX = 100_000
WEATHER_MAX = 100
LOCATION_NAME_MAX = 200
ENTRY_TYPES = ("text", "photo", "voice", "mixed")
PRIVACY_LEVELS = ("private", "shared")
WORDS_PER_MINUTE = 200
EXCERPT_LENGTH = 240
VERSIONS_KEPT = 20
TRASH_DAYS = 30
DATE_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")

_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_MARKUP = re.compile(r"[#*_>`~\[\]()!|]+")


class JournalError(Exception):
    """A journal action that cannot be done; the message is for the person."""


class EntryLimitReached(JournalError):
    pass


class EntryInvalid(JournalError):
    """Input the person can fix; `errors` maps form field names to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class EntryExists(JournalError):
    """An entry with this `_id` is already stored (a retried or racing create)."""


class EntryNotFound(JournalError):
    pass


class EntryChanged(JournalError):
    """The entry was saved elsewhere since this edit began."""


class JournalUnavailable(JournalError):
    pass


# Lists page by `list_key`: "<ms since 1900, 14 digits>-<_id>", so newest
# first is one descending string order with no ties, and a page boundary is
# one `$lt`. (nx-27017 serves no datetime comparison or second sort key from
# an index; a string key it does, in about 2 ms at 5,000 entries.)
LIST_KEY_EPOCH = datetime(1900, 1, 1, tzinfo=UTC)


def list_key(entry_date: datetime, entry_id: ObjectId | None = None) -> str:
    """The entry's place in newest-first order; without an id, the start of that moment."""
    millis = (entry_date - LIST_KEY_EPOCH) // timedelta(milliseconds=1)
    return f"{millis:014d}-{entry_id}" if entry_id is not None else f"{millis:014d}"


def count_words(text: str) -> int:
    return len(_WORD.findall(text or ""))


def reading_time_seconds(words: int) -> int:
    return math.ceil(words * 60 / WORDS_PER_MINUTE)


def make_excerpt(content: str) -> str:
    plain = " ".join(_MARKUP.sub(" ", content or "").split())
    return plain if len(plain) <= EXCERPT_LENGTH else plain[: EXCERPT_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def text_figures(title: str, content: str, responses: list[dict]) -> dict:
    """Word and character counts, reading time, search text and excerpt of an entry."""
    answers = [response["answer"] for response in responses]
    words = count_words(content) + sum(count_words(answer) for answer in answers)
    return {
        "word_count": words,
        "char_count": len(content) + sum(len(answer) for answer in answers),
        "reading_time_seconds": reading_time_seconds(words),
        "search_text": "\n".join([title, content, *answers]),
        "excerpt": make_excerpt(content or (answers[0] if answers else "")),
    }


def parse_entry_date(value: Any, timezone: str, now: datetime) -> datetime:
    """A UTC moment from a datetime or a "YYYY-MM-DDTHH:MM" in the person's zone; now if empty."""
    if value in (None, ""):
        return now
    if isinstance(value, datetime):
        moment = value
    else:
        for date_format in DATE_FORMATS:
            try:
                moment = datetime.strptime(str(value).strip(), date_format)
                break
            except ValueError:
                continue
        else:
            raise ValueError("Give the date as YYYY-MM-DD and the time as HH:MM.")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone(timezone))
    moment = moment.astimezone(UTC)
    if moment.year < 1900:
        raise ValueError("Choose a date after 1900.")
    if moment > now + timedelta(minutes=5):
        raise ValueError("The entry date cannot be in the future.")
    return moment


def _parse_mood(value: Any) -> int | None:
    if value in (None, ""):
        return None
    mood = int(value)
    if not 1 <= mood <= 10:
        raise ValueError
    return mood


def _parse_location(value: Any, errors: dict[str, str]) -> dict | None:
    if not value:
        return None
    name = (value.get("name") or "").strip()
    if len(name) > LOCATION_NAME_MAX:
        errors["location_name"] = f"A place name is at most {LOCATION_NAME_MAX} characters."
    coordinates = {}
    for key, field, bound in (("lat", "latitude", 90), ("lng", "longitude", 180)):
        raw = value.get(key)
        if raw in (None, ""):
            coordinates[key] = None
            continue
        try:
            number = float(raw)
            if not -bound <= number <= bound or math.isnan(number):
                raise ValueError
            coordinates[key] = number
        except (TypeError, ValueError):
            errors[field] = f"Give the {field} as a number from -{bound} to {bound}."
            coordinates[key] = None
            return None
    if (coordinates["lat"] is None) != (coordinates["lng"] is None):
        errors.setdefault("latitude", "Give both latitude and longitude, or neither.")
    if not name and coordinates["lat"] is None:
        return None
    return {"name": name, **coordinates}


def clean_prompt_response(response: dict) -> dict:
    answer = (response.get("answer") or "").strip()
    if not answer:
        raise EntryInvalid({"answer": "Write an answer first."})
    if len(answer) > CONTENT_MAX:
        raise EntryInvalid({"answer": f"An answer is at most {CONTENT_MAX:,} characters."})
    return {
        "prompt_id": response.get("prompt_id"),
        "question": response.get("question", ""),
        "answer": answer,
        "word_count": count_words(answer),
        "time_spent_seconds": response.get("time_spent_seconds"),
        "mood": response.get("mood"),
        "answered_at": response.get("answered_at") or utcnow(),
    }


def clean_fields(user, fields: dict, now: datetime, responses: list[dict] | None = None) -> dict:
    """The stored form of an entry's own fields; EntryInvalid lists every problem at once."""
    errors: dict[str, str] = {}
    title = (fields.get("title") or "").strip()
    content = (fields.get("content") or "").replace("\r\n", "\n").strip()
    responses = responses if responses is not None else fields.get("prompt_responses") or []
    if not title and not content and not responses:
        errors["content"] = "Write something first: a title or a few words."
    if len(title) > TITLE_MAX:
        errors["title"] = f"A title is at most {TITLE_MAX} characters (this one has {len(title):,})."
    if len(content) > CONTENT_MAX:
        errors["content"] = f"An entry is at most {CONTENT_MAX:,} characters (this one has {len(content):,})."
    entry_type = fields.get("entry_type") or "text"
    if entry_type not in ENTRY_TYPES:
        errors["entry_type"] = "Choose text, photo, voice or mixed."
    privacy = fields.get("privacy") or "private"
    if privacy not in PRIVACY_LEVELS:
        errors["privacy"] = "Choose private or shared."
    try:
        entry_date = parse_entry_date(fields.get("entry_date"), user.timezone, now)
    except (TypeError, ValueError, OverflowError) as error:
        errors["entry_date"] = str(error) if str(error).startswith(("Give", "Choose", "The")) else "Not a date."
        entry_date = now
    try:
        mood = _parse_mood(fields.get("mood"))
    except (TypeError, ValueError):
        errors["mood"] = "Mood is a number from 1 to 10."
        mood = None
    location = _parse_location(fields.get("location"), errors)
    weather = (fields.get("weather") or "").strip()
    if len(weather) > WEATHER_MAX:
        errors["weather"] = f"Weather is at most {WEATHER_MAX} characters."
    try:
        tag_ids = sorted({int(tag_id) for tag_id in fields.get("tag_ids") or []})
    except (TypeError, ValueError):
        tag_ids = None
    if tag_ids is None or set(tag_ids) - owned_tag_ids(user.id, tag_ids or []):
        errors["tag_ids"] = "Choose tags from your own list."
    if errors:
        raise EntryInvalid(errors)
    return {
        "title": title,
        "content": content,
        "entry_type": entry_type,
        "entry_date": entry_date,
        "local_date": entry_date.astimezone(zone(user.timezone)).date().isoformat(),
        "month_day": entry_date.astimezone(zone(user.timezone)).strftime("%m-%d"),
        "privacy": privacy,
        "is_favorite": bool(fields.get("is_favorite")),
        "tag_ids": tag_ids,
        "mood": mood,
        "location": location,
        "weather": weather,
        **text_figures(title, content, responses),
    }


def create_entry(user, fields: dict, entry_id: ObjectId | None = None, now: datetime | None = None) -> dict:
    """Write a new entry within the plan's limit; returns the stored document."""
    now = now or utcnow()
    responses = [clean_prompt_response(response) for response in fields.get("prompt_responses") or []]
    entry_id = entry_id or ObjectId()
    cleaned = clean_fields(user, fields, now, responses)
    document = {
        "_id": entry_id,
        **cleaned,
        "list_key": list_key(cleaned["entry_date"], entry_id),
        "photos": [],
        "voice_notes": [],
        "photo_count": 0,
        "voice_note_count": 0,
        "prompt_responses": responses,
        "versions": [],
        "deleted_at": None,
        "revision": 0,
        "created_at": now,
        "updated_at": now,
    }
    if not reserve_entry_slot(user.id):
        plan = plan_for(user.id)
        raise EntryLimitReached(
            f"Your {plan.name} plan keeps up to {plan.entry_limit:,} entries and you have reached that. "
            "Empty the trash or upgrade your plan to write more."
        )
    try:
        journal_entries.insert_entry(user.id, document)
    except DuplicateKeyError as error:
        release_entry_slots(user.id)
        raise EntryExists("This entry is already saved.") from error
    except PyMongoError as error:
        release_entry_slots(user.id)
        raise JournalUnavailable("Your entry could not be saved just now; nothing was lost. Try again.") from error
    document["user_id"] = user.id
    record_activity(user.id, document["entry_date"], user.timezone, entries=1, words=document["word_count"])
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
    now = now or utcnow()
    for _attempt in range(5):
        entry = get_entry(user, entry_id, include_trashed)
        if revision is not None and revision != entry.get("revision", 0):
            break
        changed = journal_entries.replace_entry(user.id, {**entry, **change(entry), "updated_at": now})
        if changed is not None:
            _move_activity(user.id, entry, changed)
            return changed
        if revision is not None:
            break
    raise EntryChanged("This entry was changed elsewhere (another tab or device). Reload it and try again.")


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
        return
    if old_entries:
        _record_day(user_id, old_day, entries=-old_entries, words=-old_words)
    if new_entries:
        _record_day(user_id, new_day, entries=new_entries, words=new_words)


def update_entry(
    user, entry_id: str | ObjectId, fields: dict, revision: int | None = None, now: datetime | None = None
) -> dict:
    """Edit an entry; its earlier title and content stay viewable as a version."""
    now = now or utcnow()

    def edit(entry: dict) -> dict:
        changes = clean_fields(user, fields, now, entry.get("prompt_responses", []))
        versions = entry.get("versions", [])
        if (changes["title"], changes["content"]) != (entry["title"], entry["content"]):
            earlier = {
                "title": entry["title"],
                "content": entry["content"],
                "word_count": entry["word_count"],
                "saved_at": entry["updated_at"],
            }
            versions = (versions + [earlier])[-VERSIONS_KEPT:]
        return {**changes, "list_key": list_key(changes["entry_date"], entry["_id"]), "versions": versions}

    return change_entry(user, entry_id, edit, revision=revision, now=now)


def add_prompt_response(user, entry_id: str | ObjectId, response: dict, now: datetime | None = None) -> dict:
    """Add an answer to a daily prompt to the entry; counts, search text and activity follow."""
    now = now or utcnow()
    answer = clean_prompt_response({**response, "answered_at": response.get("answered_at") or now})

    def add(entry: dict) -> dict:
        responses = entry.get("prompt_responses", []) + [answer]
        return {"prompt_responses": responses, **text_figures(entry["title"], entry["content"], responses)}

    return change_entry(user, entry_id, add, include_trashed=True, now=now)


def set_favorite(user, entry_id: str | ObjectId, is_favorite: bool) -> dict:
    return change_entry(user, entry_id, lambda entry: {"is_favorite": is_favorite})


def trash_entry(user, entry_id: str | ObjectId, now: datetime | None = None) -> dict:
    """Move an entry to the trash: it leaves lists and day totals but keeps its plan slot."""
    now = now or utcnow()
    return change_entry(user, entry_id, lambda entry: {"deleted_at": now}, now=now)


def restore_entry(user, entry_id: str | ObjectId, now: datetime | None = None) -> dict:
    now = now or utcnow()

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
    cutoff = (now or utcnow()) - timedelta(days=TRASH_DAYS)
    purged = 0
    while batch := journal_entries.trashed_before(cutoff):
        for entry in batch:
            purge_entry(entry["user_id"], entry)
            purged += 1
    return purged
