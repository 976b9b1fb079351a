"""Day One's JSON export: a zip of `<Journal name>.json` (`metadata`, `entries[]`), `photos/<md5>.<type>`
and `audios/<md5>.<type>`.

An entry's `text` is Markdown whose first line, when a heading, is its title;
photos and audio appear in it as `![](dayone-moment://<identifier>)` (audio:
`dayone-moment:/audio/<identifier>`). Those references leave the text and
their files become the entry's photos (in the order the text shows them, then
the rest by `orderInEntry`) and voice notes. `creationDate` is UTC;
`timeZone` names the zone it was written in, used to name it in the report.
`entries` is read one at a time, so a long journal does not fill memory.
"""

import re
import zipfile
from collections.abc import Iterator
from datetime import UTC

from mindnotes.services.imports.checks import ImportRefused
from mindnotes.services.imports.reader import SMALL_CHUNK_CHARACTERS, read_members
from mindnotes.services.imports.sources.item import Item, Media, Upload, named, parse_moment

_MOMENT = re.compile(r"!\[[^\]\n]*\]\(dayone-moment:/+(?:audio/)?([^)\s]+)\)")
_FILE_TYPE = re.compile(r"^[A-Za-z0-9]{1,10}$")
_JSON_ERRORS = (UnicodeDecodeError, ValueError, TypeError, RecursionError, OverflowError)


def _journals(upload: Upload) -> list[str]:
    journals = sorted(name for name in upload.members if name.endswith(".json") and "/" not in name)
    if not journals:
        raise ImportRefused("The zip holds no Journal.json: it is not a Day One JSON export.")
    return journals


def _title_and_text(text: str) -> tuple[str, str]:
    first, _newline, rest = text.strip().partition("\n")
    if first.startswith("# "):
        return first[2:].strip(), rest.strip()
    return "", text.strip()


def _location(value: object) -> dict | None:
    if not isinstance(value, dict):
        return None
    words = [value.get(k) for k in ("placeName", "localityName", "country")]
    name = ", ".join(w.strip() for w in words if isinstance(w, str) and w.strip())
    return {"name": name, "lat": value.get("latitude"), "lng": value.get("longitude")}


def _weather(value: object) -> str:
    if not isinstance(value, dict):
        return ""
    words = []
    if isinstance(value.get("conditionsDescription"), str):
        words.append(value["conditionsDescription"].strip())
    temperature = value.get("temperatureCelsius")
    if isinstance(temperature, (int, float)) and not isinstance(temperature, bool):
        words.append(f"{round(temperature)} °C")
    return ", ".join(w for w in words if w)


def _media(items: object, folder: str, shown: list[str]) -> list[Media]:
    """The entry's photos (or audio) in the order the text shows them, then by `orderInEntry`."""
    if not isinstance(items, list):
        return []
    found: dict[str, tuple[tuple, Media]] = {}
    for number, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        identifier, md5 = item.get("identifier"), item.get("md5")
        kind = item.get("type") or item.get("format")
        member = None
        if isinstance(md5, str) and re.fullmatch(r"[0-9a-fA-F]{8,64}", md5) and isinstance(kind, str):
            member = f"{folder}/{md5}.{kind}" if _FILE_TYPE.match(kind) else None
        order = item.get("orderInEntry") if isinstance(item.get("orderInEntry"), int) else number
        place = shown.index(identifier) if identifier in shown else len(shown)
        found[str(identifier or number)] = ((place, order, number), Media(member))
    return [media for _key, media in sorted(found.values(), key=lambda pair: pair[0])]


def _item(entry: object, number: int) -> Item:
    if not isinstance(entry, dict):
        return Item(f"#{number}", f"Day One entry {number}", problem="it is not an entry")
    moment = parse_moment(entry.get("creationDate"))
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    uuid = entry.get("uuid")
    name = named("Day One entry", moment, entry.get("timeZone"))
    if not isinstance(uuid, str) or not 0 < len(uuid) <= 64:
        return Item(f"#{number}", name if moment else f"Day One entry {number}", problem="it has no uuid")
    text = entry["text"] if isinstance(entry.get("text"), str) else ""
    shown = _MOMENT.findall(text)
    title, content = _title_and_text(_MOMENT.sub("", text))
    tags = entry["tags"] if isinstance(entry.get("tags"), list) else []
    return Item(
        uuid,
        name,
        title=title,
        content=content,
        moment=moment,
        tags=[tag for tag in tags if isinstance(tag, str)],
        is_favorite=entry.get("starred") is True,
        location=_location(entry.get("location")),
        weather=_weather(entry.get("weather")),
        photos=_media(entry.get("photos"), "photos", shown),
        voice_notes=_media(entry.get("audios"), "audios", shown),
        problem="" if moment else "it has no creation date",
    )


def read(upload: Upload) -> Iterator[Item]:
    archive = upload.zip()
    number = 0
    for journal in _journals(upload):
        try:
            with archive.open(journal) as raw:
                for key, entry in read_members(raw, lists=("entries",), chunk=SMALL_CHUNK_CHARACTERS):
                    if key == "entries":
                        number += 1
                        yield _item(entry, number)
        except _JSON_ERRORS as error:
            raise ImportRefused(f"{journal} is not valid JSON, so nothing was imported.") from error
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            raise ImportRefused("The zip is damaged, so nothing was imported.") from error


MAPPING = (
    "Day One's first line, when a heading, becomes the title; the rest of the text stays Markdown.",
    "Starred entries become favorites; tags become your tags; place and weather are kept.",
    "Photos become the entry's photos in the order the text shows them; audio becomes voice notes.",
)
