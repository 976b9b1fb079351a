"""The rules an imported document follows, field by field: the ones the app's own forms keep.

Each journal entry, mood and focus session of an export becomes the document
MindNotes itself would have stored, built from checked fields only (anything
else in it is left behind); or `Skipped` says which rule it broke, in words
the import's report shows beside the document's name ("Mood of 3 March 2026
09:10 skipped: no time felt"). Lists have the caps the app keeps (20 earlier
versions, 30 photos, ...), so no document can outgrow what MongoDB stores.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bson import ObjectId
from sqlalchemy import select

from mindnotes import timeutil
from mindnotes.extensions import db
from mindnotes.models import DailyPrompt, FocusProgram, User
from mindnotes.services import focus, journal, mood
from mindnotes.services.focus import checkin as focus_checkin
from mindnotes.services.imports.media import MediaFiles
from mindnotes.services.journal import fields as journal_fields
from mindnotes.services.journal import media as journal_media
from mindnotes.services.mood.entries import old_mood_score
from mindnotes.services.prompts import TIME_SPENT_MAX_SECONDS

# A document bigger than this (as stored) is not one MindNotes made: the
# largest an entry can grow to (20 versions of 100,000 characters) is below it,
# and MongoDB's own limit (16 MB) is above.
MAX_DOCUMENT_BYTES = 12 * 1024 * 1024
PROMPT_ANSWERS_MAX = 20
QUESTION_MAX = 1000
TAGS_MAX = 100
PAUSES_MAX = 500
DISTRACTIONS_MAX = 500
SOURCE_ID_MAX = 64
FINISHED_SESSION = ("completed", "abandoned")
PARTS_OF_DAY = {part for part, _start in timeutil.PARTS_OF_DAY}
KIND_NAMES = {"entry": "Journal entry", "mood": "Mood", "session": "Focus session"}
_MAIN_MOMENT = {"entry": "entry_date", "mood": "felt_at", "session": "started_at"}


class Skipped(Exception):
    """The document breaks a rule; the message says which, for the person ("no time felt")."""


@dataclass
class PreparedEntry:
    old_id: str
    fields: dict
    tag_names: list[str]
    photos: list[dict]
    voice_notes: list[dict]
    extra: dict
    missing_media: int = 0
    oversized_media: int = 0


@dataclass
class ThisServer:
    """This server's reference rows by name (the person's own moods and factors), to match the export's."""

    categories: dict[str, mood.own.Category]
    factors: dict[str, mood.own.Factor]
    program_ids: dict[str, int]
    prompt_ids: set[int]

    @classmethod
    def load(cls, user_id: int) -> "ThisServer":
        return cls(
            {c.name: c for c in mood.own.categories_of(user_id, include_hidden=True)},
            {f.name: f for f in mood.own.factors_of(user_id, include_hidden=True)},
            dict(db.session.execute(select(FocusProgram.slug, FocusProgram.id)).all()),
            set(db.session.scalars(select(DailyPrompt.id))),
        )


def item_name(kind: str, doc: dict, number: int, timezone: str) -> str:
    """How the report names a document: by its moment in the person's zone, else by its place in the file."""
    for key in (_MAIN_MOMENT[kind], "created_at"):
        moment = doc.get(key)
        if isinstance(moment, datetime):
            try:
                local = moment.astimezone(timeutil.zone(timezone))
            except (OverflowError, ValueError):
                continue
            return f"{KIND_NAMES[kind]} of {local.day} {local:%B %Y %H:%M}"
    return f"{KIND_NAMES[kind]} {number}"


def source_id(doc: dict) -> str | None:
    """The id the document had where it was first written (kept by an earlier import, else its own)."""
    for value in (doc.get("source_id"), doc.get("_id")):
        if isinstance(value, ObjectId):
            return str(value)
        if isinstance(value, str) and 0 < len(value) <= SOURCE_ID_MAX:
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
    return None


# Typed readers: each returns the field's value or raises Skipped naming the field.


def _text(doc: dict, key: str, what: str, limit: int | None = None) -> str:
    value = doc.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Skipped(f"its {what} is not text")
    if limit is not None and len(value) > limit:
        raise Skipped(f"its {what} is longer than {limit:,} characters")
    return value


def _whole(doc: dict, key: str, low: int, high: int, what: str) -> int | None:
    """An optional whole number within bounds."""
    if doc.get(key) is None:
        return None
    return _required_whole(doc, key, low, high, what)


def _required_whole(doc: dict, key: str, low: int, high: int, what: str) -> int:
    value = doc.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise Skipped(f"its {what} is not a whole number from {low:,} to {high:,}")
    return value


def _moment(doc: dict, key: str, missing: str) -> datetime:
    value = doc.get(key)
    if not isinstance(value, datetime):
        raise Skipped(missing)
    return value


def _moment_or(doc: dict, key: str, default: datetime) -> datetime:
    """An optional moment: the document's own when it is one, else `default`."""
    value = doc.get(key)
    return value if isinstance(value, datetime) else default


def _list(doc: dict, key: str, what: str, limit: int) -> list:
    value = doc.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise Skipped(f"its {what} are not a list")
    if len(value) > limit:
        raise Skipped(f"it has {len(value):,} {what}; MindNotes keeps at most {limit:,}")
    return value


def _local_day(doc: dict) -> str:
    value = doc.get("local_date")
    if not isinstance(value, str) or len(value) != 10:
        raise Skipped("it has no day (local_date)")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise Skipped("it has no day (local_date)") from None
    return value


def _optional_fields(doc: dict) -> dict:
    """The counter and flag some documents carry, kept when they are what they should be."""
    kept = {}
    if isinstance(doc.get("revision"), int) and not isinstance(doc["revision"], bool) and doc["revision"] >= 0:
        kept["revision"] = doc["revision"]
    if isinstance(doc.get("auto_closed"), bool):
        kept["auto_closed"] = doc["auto_closed"]
    return kept


def tag_names(doc: dict, tags: dict[int, str]) -> list[str]:
    ids = _list(doc, "tag_ids", "tags", TAGS_MAX)
    if any(not isinstance(i, int) or isinstance(i, bool) for i in ids):
        raise Skipped("one of its tags is not a tag id")
    return sorted({" ".join(tags[i].split()) for i in ids if i in tags and tags[i].strip()})


# Journal entries


def _location(doc: dict) -> dict | None:
    value = doc.get("location")
    if value is None:
        return None
    if not isinstance(value, dict):
        raise Skipped("its place is not a place")
    for key in ("lat", "lng"):
        if value.get(key) is not None and (
            isinstance(value[key], bool) or not isinstance(value[key], (int, float, str))
        ):
            raise Skipped("its place's latitude or longitude is not a number")
    return {"name": _text(value, "name", "place name"), "lat": value.get("lat"), "lng": value.get("lng")}


def _prompt_answer(response: object, here: ThisServer) -> dict:
    if not isinstance(response, dict):
        raise Skipped("one of its prompt answers is not an answer")
    prompt_id = response.get("prompt_id")
    answer = {
        "prompt_id": prompt_id if prompt_id in here.prompt_ids and not isinstance(prompt_id, bool) else None,
        "question": _text(response, "question", "prompt's question", QUESTION_MAX),
        "answer": _text(response, "answer", "prompt answer"),
        "time_spent_seconds": _whole(response, "time_spent_seconds", 0, TIME_SPENT_MAX_SECONDS, "time spent"),
        "mood": _whole(response, "mood", 1, 10, "prompt answer's mood"),
        "answered_at": response["answered_at"] if isinstance(response.get("answered_at"), datetime) else None,
    }
    try:
        return journal.clean_prompt_response(answer)
    except journal.EntryInvalid as error:
        raise Skipped(error.message) from error


def _version(version: object) -> dict:
    if not isinstance(version, dict):
        raise Skipped("one of its earlier versions is not a version")
    return {
        "title": _text(version, "title", "earlier version's title", journal_fields.TITLE_MAX),
        "content": _text(version, "content", "earlier version's text", journal_fields.CONTENT_MAX),
        "word_count": _whole(version, "word_count", 0, journal_fields.CONTENT_MAX, "earlier version's word count") or 0,
        "saved_at": _moment(version, "saved_at", "an earlier version has no time it was saved"),
    }


def entry(user: User, doc: dict, media: MediaFiles, tags: dict[int, str], here: ThisServer) -> PreparedEntry:
    """The entry's fields as the journal service takes them at creation, and what it adds after."""
    if not isinstance(doc.get("entry_date"), datetime):
        raise Skipped("it has no entry date")
    responses = [_prompt_answer(r, here) for r in _list(doc, "prompt_responses", "prompt answers", PROMPT_ANSWERS_MAX)]
    versions = [_version(v) for v in _list(doc, "versions", "earlier versions", journal.VERSIONS_KEPT)]
    fields = {
        "title": _text(doc, "title", "title"),
        "content": _text(doc, "content", "text"),
        "weather": _text(doc, "weather", "weather"),
        "entry_type": _text(doc, "entry_type", "kind") or None,
        "privacy": _text(doc, "privacy", "privacy") or None,
        "entry_date": doc["entry_date"],
        "is_favorite": doc.get("is_favorite") is True,
        "location": _location(doc),
    }
    if (old_mood := _whole(doc, "mood", 1, 10, "mood")) is not None:  # an export from before issue 17: its 1-10
        fields["mood_score"] = str(old_mood_score(old_mood))  # becomes the entry's own mood's score
    try:
        journal.clean_fields(user, {**fields, "tag_ids": []}, timeutil.utcnow(), responses)
    except journal.EntryInvalid as error:
        raise Skipped(error.message) from error
    fields["prompt_responses"] = responses
    photos = media.items(_list(doc, "photos", "photos", journal_media.PHOTOS_PER_ENTRY), photo=True)
    voices = media.items(_list(doc, "voice_notes", "voice notes", journal_media.VOICE_NOTES_PER_ENTRY), photo=False)
    return PreparedEntry(
        str(doc.get("_id")),
        fields,
        tag_names(doc, tags),
        photos.kept,
        voices.kept,
        {"versions": versions},
        photos.missing + voices.missing,
        photos.oversized + voices.oversized,
    )


# Moods


def _factors(doc: dict, here: ThisServer) -> list[dict]:
    limit = len(here.factors) + mood.OTHER_FACTORS_MAX_COUNT
    chosen, others = [], []
    for factor in _list(doc, "factors", "factors", limit):
        if not isinstance(factor, dict) or not isinstance(factor.get("name"), str):
            raise Skipped("one of its factors has no name")
        known = here.factors.get(factor["name"]) if factor.get("factor_id") else None
        if known is None:
            others.append({"factor_id": None, "name": _text(factor, "name", "factor", mood.OTHER_FACTOR_MAX)})
            continue
        value = factor.get("value")
        if value not in (None, "") and value not in known.allowed_values:
            raise Skipped(f"{known.name} is one of: {', '.join(known.allowed_values)}")
        chosen.append({"factor_id": known.id, "name": known.name, "value": value or None})
    if len(others) > mood.OTHER_FACTORS_MAX_COUNT:
        raise Skipped(f"it has more than {mood.OTHER_FACTORS_MAX_COUNT} other factors")
    return chosen + [{**other, "value": None} for other in others]


def _context(doc: dict) -> dict:
    context = doc.get("context")
    if context is None:
        return {"place": None}
    if not isinstance(context, dict):
        raise Skipped("its place is not a place")
    return {"place": _text(context, "place", "place", mood.PLACE_MAX) or None}


def _score(doc: dict) -> int | None:
    """The exported score; None (an export from before scores) lets the mood's valence and intensity give it."""
    score = doc.get("score")
    return score if type(score) is int and mood.fields.SCORE_MIN <= score <= mood.fields.SCORE_MAX else None


def mood_document(doc: dict, categories: dict[int, str], here: ThisServer, timezone: str) -> dict:
    """The mood as the mood service stores one (its journal link still the exported entry's id)."""
    felt_at = _moment(doc, "felt_at", "no time felt")
    if felt_at < mood.EARLIEST.replace(tzinfo=UTC):
        raise Skipped("it was felt before 2000")
    if felt_at > timeutil.utcnow() + mood.FUTURE_GRACE:
        raise Skipped("it was felt in the future")
    intensity = _required_whole(doc, "intensity", 1, 10, "intensity")
    category_id = doc.get("category_id")
    name = categories.get(category_id) if isinstance(category_id, int) else None
    name = name or doc.get("category_name")
    category = here.categories.get(name) if isinstance(name, str) else None
    if category is None:
        raise Skipped("its mood is not one of the moods MindNotes lists")
    factors = _factors(doc, here)
    time_of_day = doc.get("time_of_day")
    if time_of_day not in PARTS_OF_DAY:
        time_of_day = timeutil.part_of_day(felt_at.astimezone(timeutil.zone(timezone)).hour)
    link = doc.get("journal_entry_id")
    # The mood service's own builder; the day and part of day stay as they were stored, and
    # the journal link is set once the linked entry is written.
    fields = mood.fields.mood_document_fields(
        category,
        intensity=intensity,
        score=_score(doc),
        factors=factors,
        felt_at=felt_at,
        timezone=timezone,
        updated_at=_moment_or(doc, "updated_at", felt_at),
        note=_text(doc, "note", "note", mood.NOTE_MAX),
        place=_context(doc)["place"],
    )
    return {
        **fields,
        "local_date": _local_day(doc),
        "time_of_day": time_of_day,
        "journal_entry_old_id": str(link) if isinstance(link, (ObjectId, str)) and link else None,
        "created_at": _moment_or(doc, "created_at", felt_at),
        **_optional_fields(doc),
    }


# Focus sessions


def _pauses(doc: dict, ended_at: datetime) -> list[dict]:
    pauses = []
    for pause in _list(doc, "pauses", "pauses", PAUSES_MAX):
        if not isinstance(pause, dict):
            raise Skipped("one of its pauses is not a pause")
        started = _moment(pause, "started_at", "one of its pauses has no start time")
        pauses.append({"started_at": started, "ended_at": _moment_or(pause, "ended_at", ended_at)})
    return pauses


def _distractions(doc: dict) -> dict:
    value = doc.get("distractions")
    if value is None:
        return {"count": 0, "notes": []}
    if not isinstance(value, dict):
        raise Skipped("its distractions are not a list of notes")
    notes = _list(value, "notes", "distraction notes", DISTRACTIONS_MAX)
    if any(not isinstance(note, str) or len(note) > focus.DISTRACTION_NOTE_MAX for note in notes):
        raise Skipped(f"a distraction note is not text of at most {focus.DISTRACTION_NOTE_MAX} characters")
    count = _whole(value, "count", 0, 100_000, "number of distractions") or 0
    return {"count": count, "notes": notes}


def _zone_name(doc: dict, timezone: str) -> str:
    name = doc.get("timezone")
    if isinstance(name, str) and 0 < len(name) <= 64:
        try:
            ZoneInfo(name)
            return name
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return timezone


def session_document(doc: dict, programs: dict[int, str], here: ThisServer, timezone: str) -> dict:
    """An ended session as the focus service stores one (its tags still by name)."""
    kind = doc.get("session_type")
    if not isinstance(kind, str) or kind not in focus.SESSION_TYPES:
        raise Skipped("its kind is not one of " + ", ".join(t.label.lower() for t in focus.SESSION_TYPES.values()))
    limit = focus.CUSTOM_MINUTES_MAX
    planned = _required_whole(doc, "planned_minutes", focus.CUSTOM_MINUTES_MIN, limit, "planned length in minutes")
    started_at = _moment(doc, "started_at", "it has no start time")
    ended_at = _moment(doc, "ended_at", "it has no end time")
    if ended_at < started_at:
        raise Skipped("it ended before it started")
    old_program_id = doc.get("program_id")
    slug = programs.get(old_program_id) if isinstance(old_program_id, int) else None
    program_id = here.program_ids.get(slug) if isinstance(slug, str) else None
    return {
        "session_type": kind,
        "planned_minutes": planned,
        "task": " ".join(_text(doc, "task", "task", focus.TASK_MAX).split()),
        "program_id": program_id,
        "program_day": _whole(doc, "program_day", 1, 10_000, "program day") if program_id else None,
        "started_at": started_at,
        "planned_end_at": _moment_or(doc, "planned_end_at", started_at + timedelta(minutes=planned)),
        "pauses": _pauses(doc, ended_at),
        "status": doc["status"],
        "elapsed_seconds": _whole(doc, "elapsed_seconds", 0, 10**9, "elapsed seconds") or 0,
        "ended_at": ended_at,
        "focus_minutes": _whole(doc, "focus_minutes", 0, planned, "focus minutes"),
        "productivity_rating": _whole(doc, "productivity_rating", 1, 5, "productivity rating"),
        "notes": _text(doc, "notes", "notes", focus.NOTES_MAX),
        "distractions": _distractions(doc),
        "timezone": _zone_name(doc, timezone),
        "local_date": _local_day(doc),
        "created_at": _moment_or(doc, "created_at", started_at),
        "updated_at": _moment_or(doc, "updated_at", ended_at),
        **_optional_fields(doc),
        **({"checkin": focus_checkin.imported_checkin(doc["checkin"])} if "checkin" in doc else {}),
    }
