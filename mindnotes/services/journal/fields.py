"""What an entry's fields may hold, and what is worked out from them when it is written.

Validation (every problem at once, as `EntryInvalid.errors`), the stored date
fields in the person's zone, word and character counts, reading time, the
search text and the list order key.
"""

import math
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from bson import ObjectId

from mindnotes import timeutil
from mindnotes.documents import journal_entries
from mindnotes.inputs import parse_ids
from mindnotes.services.journal.errors import EntryInvalid, TagInvalid
from mindnotes.services.journal.markdown import plain_text, shorten
from mindnotes.services.journal.tags import clean_tag_names, owned_tag_ids
from mindnotes.services.mood.entries import entry_mood_choice
from mindnotes.timeutil import zone

TITLE_MAX = 200
CONTENT_MAX = 100_000
WEATHER_MAX = 100
LOCATION_NAME_MAX = 200
ENTRY_TYPES = ("text", "photo", "voice", "mixed")
PRIVACY_LEVELS = ("private", "shared")
WORDS_PER_MINUTE = 200
EXCERPT_LENGTH = 240
DATE_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")

_WORD = re.compile(r"\w+(?:['’-]\w+)*")


# Lists page by `list_key`: "<ms since 1900, 14 digits>-<_id>", so newest
# first is one descending string order with no ties, and a page boundary is
# one `$lt`. (nx-27017 serves no datetime comparison or second sort key from
# an index; a string key it does, in about 2 ms at 5,000 entries.)
LIST_KEY_EPOCH = datetime(1900, 1, 1, tzinfo=UTC)


def list_key(entry_date: datetime, entry_id: ObjectId | None = None) -> str:
    """The entry's place in newest-first order; without an id, the start of that moment."""
    millis = (entry_date - LIST_KEY_EPOCH) // timedelta(milliseconds=1)
    return f"{millis:014d}-{entry_id}" if entry_id is not None else f"{millis:014d}"


def new_entry_document(entry_id: ObjectId, fields: dict, now: datetime, prompt_responses: list[dict] = ()) -> dict:
    """A new entry as stored: its own fields, no media or history yet, and its place in the list."""
    return {
        "_id": entry_id,
        **fields,
        "list_key": list_key(fields["entry_date"], entry_id),
        "photos": [],
        "voice_notes": [],
        "photo_count": 0,
        "voice_note_count": 0,
        "prompt_responses": list(prompt_responses),
        "versions": [],
        "deleted_at": None,
        "revision": 0,
        "created_at": now,
        "updated_at": now,
    }


def entry_type_for(entry: dict) -> str:
    """What the entry holds, as its type: text, photo or voice, or mixed when it holds more than one of them."""
    held = [
        kind
        for kind, present in (
            ("text", entry.get("content") or entry.get("prompt_responses")),
            ("photo", entry.get("photo_count")),
            ("voice", entry.get("voice_note_count")),
        )
        if present
    ]
    if len(held) > 1:
        return "mixed"
    return held[0] if held else "text"


def count_words(text: str) -> int:
    return len(_WORD.findall(text or ""))


def reading_time_seconds(words: int) -> int:
    return math.ceil(words * 60 / WORDS_PER_MINUTE)


def make_excerpt(content: str) -> str:
    return shorten(plain_text(content), EXCERPT_LENGTH)


def text_figures(title: str, content: str, responses: list[dict]) -> dict:
    """Word and character counts, reading time, search text and terms, and excerpt of an entry."""
    answers = [response["answer"] for response in responses]
    words = count_words(content) + sum(count_words(answer) for answer in answers)
    search_text = "\n".join([title, content, *answers])
    return {
        "word_count": words,
        "char_count": len(content) + sum(len(answer) for answer in answers),
        "reading_time_seconds": reading_time_seconds(words),
        "search_text": search_text,
        "search_terms": journal_entries.search_terms(search_text),
        "excerpt": make_excerpt(content or (answers[0] if answers else "")),
    }


def plain_entry_fields(title: str, content: str, moment: datetime, timezone: str) -> dict:
    """The cleaned fields of a private text entry with no tags, mood or place (tests' and benches' plain entry)."""
    day = timeutil.local_date(moment, timezone)
    return {
        "title": title,
        "content": content,
        "entry_type": "text",
        "entry_date": moment,
        "local_date": day,
        "month_day": day[5:],
        "privacy": "private",
        "is_favorite": False,
        "tag_ids": [],
        "location": None,
        "weather": "",
        **text_figures(title, content, []),
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
        "answered_at": response.get("answered_at") or timeutil.utcnow(),
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
    errors.update(entry_mood_choice(fields)[1])
    location = _parse_location(fields.get("location"), errors)
    weather = (fields.get("weather") or "").strip()
    if len(weather) > WEATHER_MAX:
        errors["weather"] = f"Weather is at most {WEATHER_MAX} characters."
    tag_ids = parse_ids(fields.get("tag_ids") or [])
    if tag_ids is not None:
        tag_ids.sort()
    if tag_ids is None or set(tag_ids) - owned_tag_ids(user.id, tag_ids or []):
        errors["tag_ids"] = "Choose tags from your own list."
    # New tags are only checked here; the service makes them once the whole entry is valid.
    if (fields.get("new_tag") or "").strip():
        try:
            clean_tag_names(fields["new_tag"])
        except TagInvalid as error:
            errors.update(error.errors)
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
        "location": location,
        "weather": weather,
        **text_figures(title, content, responses),
    }
