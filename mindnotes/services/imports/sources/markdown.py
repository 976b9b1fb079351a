"""A folder of Markdown files with YAML front matter, zipped (Obsidian, Joplin, jrnl's Markdown, and
MindNotes' own "Markdown with front matter" export, which reads back whole).

Each `.md` file is one entry. Front matter (read with `yaml.safe_load`):
`title`, `created` or `date` (a moment with its offset, or a local time or
day in the person's zone; a day alone is noon), `updated`, `tags` (a list or
"a, b"; a leading # is dropped), `latitude`, `longitude`, `place`, `weather`,
and MindNotes' own `mood` and `favorite`. `mood` is the entry's own mood, 1
(awful) to 5 (great), made as the editor makes it; 6 to 10 can only be the
1-10 mood an export before issue 17 wrote, read as the data upgrade reads it
(`old_mood_score`: 7 is 4, good), while 1 to 5 is always read as the score. Without a date, the file's
time in the zip stands for it. Images the text shows (`![caption](path)` or
`![[name]]`) that are in the zip become the entry's photos, in order; links to
sound files become voice notes (the link text their transcription); both
leave the text. An entry is known again by its file path and date.
"""

import posixpath
import re
from collections.abc import Iterator
from datetime import date, datetime, time
from urllib.parse import unquote

import yaml

from mindnotes.services.imports.checks import ImportRefused
from mindnotes.services.imports.sources.item import Item, Media, Upload, parse_moment
from mindnotes.services.mood.entries import old_mood_score
from mindnotes.services.mood.fields import SCORE_MAX

OLD_MOOD_MAX = 10

MAX_FILE_BYTES = 2 * 1024 * 1024
FRONT_MATTER_MAX = 20_000
AUDIO_EXTENSIONS = ("m4a", "mp3", "wav", "ogg", "opus", "flac", "aac", "webm")
_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
# `![caption](path)` or Obsidian's `![[name|size]]`.
_IMAGE = re.compile(r"!\[([^\]\n]*)\]\(<?([^)\s>]+)>?\)|!\[\[([^\]|\n]+)(?:\|[^\]\n]*)?\]\]")
_AUDIO = re.compile(r"(?<!!)\[([^\]\n]*)\]\(<?([^)\s>]+\.(?:" + "|".join(AUDIO_EXTENSIONS) + r"))>?\)", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n{3,}")


def _notes(upload: Upload) -> list[str]:
    notes = sorted(
        name
        for name in upload.members
        if name.lower().endswith(".md") and not name.startswith("__MACOSX/") and "/." not in "/" + name
    )
    if not notes:
        raise ImportRefused("The zip holds no .md files: it is not a folder of Markdown notes.")
    return notes


def _front_matter(text: str) -> tuple[dict, str, str]:
    """(front matter, the text after it, a problem in words)."""
    found = _FRONT.match(text)
    if not found:
        return {}, text, ""
    if len(found.group(1)) > FRONT_MATTER_MAX:
        return {}, text, f"its front matter is longer than {FRONT_MATTER_MAX:,} characters"
    try:
        values = yaml.safe_load(found.group(1))
    except yaml.YAMLError:
        return {}, text, "its front matter is not YAML"
    if values is None:
        values = {}
    if not isinstance(values, dict):
        return {}, text, "its front matter is not a list of fields"
    return values, text[found.end() :], ""


def _moment(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time(12))
    if isinstance(value, str) and len(value.strip()) == 10:
        return parse_moment(value.strip() + "T12:00")
    return parse_moment(value)


def _tags(value: object) -> list[str]:
    if isinstance(value, str):
        value = value.split(",") if "," in value else value.split()
    if not isinstance(value, list):
        return []
    return [tag.strip().lstrip("#") for tag in value if isinstance(tag, str) and tag.strip().lstrip("#")]


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _mood_score(value: object) -> int | None:
    """`mood` as a 1-5 score; another number goes on to the journal's check, which says what it takes."""
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    return old_mood_score(value) if SCORE_MAX < value <= OLD_MOOD_MAX else value


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


class _Files:
    """Finds what a note links to among the zip's members: by a path relative to the note, or by file name."""

    def __init__(self, members: frozenset[str]) -> None:
        self.members = members
        self.by_name: dict[str, str] = {}
        for member in sorted(members):
            self.by_name.setdefault(posixpath.basename(member), member)

    def relative(self, note: str, link: str) -> str | None:
        if "://" in link or link.startswith("/"):
            return None
        member = posixpath.normpath(posixpath.join(posixpath.dirname(note), unquote(link)))
        return member if member in self.members else None


def _media(note: str, body: str, files: _Files) -> tuple[str, list[Media], list[Media]]:
    """The body without its photos and sound links, the photos in the order shown, the voice notes."""
    photos: list[Media] = []

    def image(match: re.Match) -> str:
        if match.group(3):
            member = files.by_name.get(posixpath.basename(match.group(3).strip()))
        else:
            member = files.relative(note, match.group(2))
        if member is None:
            return match.group(0)
        photos.append(Media(member, match.group(1) or ""))
        return ""

    voice_notes: list[Media] = []

    def audio(match: re.Match) -> str:
        member = files.relative(note, match.group(2))
        if member is None:
            return match.group(0)
        words = match.group(1)
        voice_notes.append(Media(member, "" if words == posixpath.basename(member) else words))
        return ""

    body = _AUDIO.sub(audio, _IMAGE.sub(image, body))
    return _BLANK_LINES.sub("\n\n", body).strip(), photos, voice_notes


def _item(upload: Upload, note: str, files: _Files) -> Item:
    archive = upload.zip()
    info = archive.getinfo(note)
    if info.file_size > MAX_FILE_BYTES:
        return Item(note, note, problem=f"it is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    try:
        text = archive.read(note).decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        return Item(note, note, problem="it is not UTF-8 text")
    values, body, problem = _front_matter(text)
    moment = _moment(values.get("created", values.get("date"))) or datetime(*info.date_time)
    content, photos, voice_notes = _media(note, body, files)
    location = None
    if any(values.get(k) is not None for k in ("latitude", "longitude", "place")):
        location = {"name": _text(values.get("place")), "lat": values.get("latitude"), "lng": values.get("longitude")}
    return Item(
        f"{note}|{moment.isoformat()}",
        note,
        title=_text(values.get("title")),
        content=content,
        moment=moment,
        tags=_tags(values.get("tags")),
        is_favorite=values.get("favorite") is True,
        mood_score=_mood_score(values.get("mood")),
        location=location,
        weather=_text(values.get("weather")),
        photos=photos,
        voice_notes=voice_notes,
        problem=problem,
    )


def read(upload: Upload) -> Iterator[Item]:
    files = _Files(upload.members)
    for note in _notes(upload):
        yield _item(upload, note, files)


MAPPING = (
    "Each .md file becomes an entry: title, created (or date), tags, favorite, mood and place from its front "
    "matter; the text after it stays Markdown.",
    "Images the text shows become the entry's photos; links to sound files become voice notes.",
    "A date without a zone is read in your time zone; a file without a date takes the file's time.",
)
