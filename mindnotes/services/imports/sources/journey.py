"""Journey's JSON export: a zip with one `<id>.json` per entry and its photos beside it.

An entry: `id`, `date_journal` (milliseconds since 1970, UTC), `timezone`,
`text` (HTML in recent versions, Markdown before: HTML is sanitised with nh3,
then written as Markdown with markdownify), `mood` (Journey's 1-5, 0 for
none), `lat`/`lon` (Journey writes a huge number for "no place"), `address`,
`weather` (`degree_c`, `description`), `tags`, `photos` (file names in the
zip) and `favourite`. An entry is known again by its Journey id.
"""

import json
import posixpath
import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime

import nh3
from markdownify import markdownify

from mindnotes.services.imports.checks import ImportRefused
from mindnotes.services.imports.sources.item import Item, Media, Upload, named

MAX_FILE_BYTES = 2 * 1024 * 1024
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_BLANK_LINES = re.compile(r"\n{3,}")
_JSON_ERRORS = (UnicodeDecodeError, ValueError, TypeError, RecursionError, OverflowError)


def as_markdown(text: str) -> str:
    """Journey's text as Markdown: HTML is cleaned first (scripts, styles and handlers go), then converted."""
    if not _TAG.search(text):
        return text.strip()
    converted = markdownify(nh3.clean(text), heading_style="ATX", bullets="-")
    return _BLANK_LINES.sub("\n\n", converted).strip()


def _moment(value: object) -> datetime | None:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    try:
        return datetime.fromtimestamp(value / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _coordinate(value: object, bound: float) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and -bound <= value <= bound:
        return float(value)
    return None


def _location(entry: dict) -> dict | None:
    lat, lng = _coordinate(entry.get("lat"), 90), _coordinate(entry.get("lon"), 180)
    address = entry["address"] if isinstance(entry.get("address"), str) else ""
    if lat is None or lng is None:
        lat = lng = None
    if not address.strip() and lat is None:
        return None
    return {"name": address.strip(), "lat": lat, "lng": lng}


def _weather(value: object) -> str:
    if not isinstance(value, dict):
        return ""
    words = [value["description"].strip()] if isinstance(value.get("description"), str) else []
    degrees = value.get("degree_c")
    if isinstance(degrees, (int, float)) and not isinstance(degrees, bool) and -100 < degrees < 100:
        words.append(f"{round(degrees)} °C")
    return ", ".join(w for w in words if w)


def _photos(upload: Upload, folder: str, names: object) -> list[Media]:
    if not isinstance(names, list):
        return []
    photos = []
    for name in names:
        member = posixpath.join(folder, name) if isinstance(name, str) and "/" not in name else None
        photos.append(Media(member if member in upload.members else None))
    return photos


def _item(upload: Upload, member: str, entry: object) -> Item:
    stem = posixpath.splitext(posixpath.basename(member))[0]
    if not isinstance(entry, dict):
        return Item(stem, member, problem="it is not a Journey entry")
    moment = _moment(entry.get("date_journal"))
    journey_id = entry["id"] if isinstance(entry.get("id"), str) and entry["id"] else stem
    mood = entry.get("mood")
    tags = entry["tags"] if isinstance(entry.get("tags"), list) else []
    text = entry["text"] if isinstance(entry.get("text"), str) else ""
    return Item(
        journey_id,
        named("Journey entry", moment, entry.get("timezone")) if moment else member,
        content=as_markdown(text),
        moment=moment,
        tags=[tag for tag in tags if isinstance(tag, str)],
        is_favorite=entry.get("favourite") is True,
        mood_score=mood if isinstance(mood, int) and not isinstance(mood, bool) and 1 <= mood <= 5 else None,
        location=_location(entry),
        weather=_weather(entry.get("weather")),
        photos=_photos(upload, posixpath.dirname(member), entry.get("photos")),
        problem="" if moment else "it has no date (date_journal)",
    )


def read(upload: Upload) -> Iterator[Item]:
    archive = upload.zip()
    entries = sorted(name for name in upload.members if name.lower().endswith(".json"))
    if not entries:
        raise ImportRefused("The zip holds no .json files: it is not a Journey export.")
    for member in entries:
        if archive.getinfo(member).file_size > MAX_FILE_BYTES:
            yield Item(member, member, problem=f"it is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
            continue
        try:
            entry = json.loads(archive.read(member).decode("utf-8-sig"))
        except _JSON_ERRORS:
            yield Item(member, member, problem="it is not valid JSON")
            continue
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            raise ImportRefused("The zip is damaged, so nothing was imported.") from error
        yield _item(upload, member, entry)


MAPPING = (
    "Journey's text (HTML) becomes Markdown; its mood (1-5) becomes the entry's own mood, awful to great.",
    "Favourites become favorites; tags become your tags; address, place and weather are kept.",
    "Photos in the zip become the entry's photos.",
)
