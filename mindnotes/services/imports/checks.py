"""Checking an import before anything is written: the zip, the JSON, every document.

A hostile or broken file is refused with a message the person can read:
not a zip, a zip bomb (too much unpacked data, or a member compressed
suspiciously well), a member name that climbs out of its folder, a file that
is not JSON, an export of another format or an unknown version, a document
that breaks the rules of its collection. `planned_documents` gives the
documents one at a time, ready to write, with their references matched by
name; nothing is kept, so the check's memory does not grow with the export.
"""

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from bson import ObjectId
from bson.errors import BSONError
from sqlalchemy import select

from mindnotes import timeutil
from mindnotes.documents import mood_entries
from mindnotes.errors import UserError
from mindnotes.extensions import db
from mindnotes.models import DailyPrompt, FocusProgram, MoodCategory, MoodFactor, User
from mindnotes.services import journal
from mindnotes.services.exports.formats import FORMAT_NAME, FORMAT_VERSION, JSON_NAME, MEDIA_FOLDER, is_plain_file_name
from mindnotes.services.imports.reader import DOCUMENT_LISTS, read_members
from mindnotes.services.journal import media as journal_media

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_JSON_BYTES = 512 * 1024 * 1024
MAX_MEMBERS = 100_000
# Real exports compress text a few times over and media hardly at all; a
# member that shrank more than this is a zip bomb, not a journal.
MAX_COMPRESSION_RATIO = 100
MAX_NESTING = 12
FINISHED_SESSION = ("completed", "abandoned")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ImportRefused(UserError):
    """The file cannot be imported; the message says why, for the person."""


class ImportTooLarge(ImportRefused):
    status = 413


@dataclass
class PreparedEntry:
    old_id: str
    fields: dict
    tag_names: list[str]
    photos: list[dict]
    voice_notes: list[dict]
    extra: dict


@dataclass
class Header:
    """The export's small members: its reference data (old id -> name or slug) and how many documents it holds."""

    tags: dict[int, str]
    categories: dict[int, str]
    programs: dict[int, str]
    documents: int


@dataclass
class Planned:
    """One document, checked and ready to write: `kind` is entry, mood, session or running (skipped)."""

    kind: str
    document: PreparedEntry | dict | None = None
    missing_media: int = 0


def _member_kind(name: str) -> str:
    """ "json", "media", "other" for a safe member name; refuses one that climbs out."""
    parts = name.split("/")
    if name.startswith("/") or "\\" in name or "\x00" in name or ":" in parts[0] or ".." in parts:
        raise ImportRefused(f"The file {name!r} in the zip points outside its folder; this import is refused.")
    if name == JSON_NAME:
        return "json"
    if parts[0] == MEDIA_FOLDER and len(parts) == 2 and (parts[1] == "" or is_plain_file_name(parts[1])):
        return "media"
    if parts[0] == MEDIA_FOLDER:
        raise ImportRefused(f"The media file {name!r} is not a plain file name in media/; this import is refused.")
    return "other"


def check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse a zip bomb or a climbing path before anything is unpacked."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise ImportTooLarge(f"The zip holds more than {MAX_MEMBERS:,} files; this import is refused.")
    unpacked = 0
    for member in members:
        _member_kind(member.filename)
        unpacked += member.file_size
        if member.file_size > 1024 * 1024 and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1):
            raise ImportRefused(
                f"The file {member.filename!r} unpacks to {member.file_size // max(member.compress_size, 1)} times "
                "its packed size; that is a zip bomb, not an export. This import is refused."
            )
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportTooLarge(
            f"The zip unpacks to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB; this import is refused."
        )
    if JSON_NAME not in archive.namelist():
        raise ImportRefused(f"The zip holds no {JSON_NAME}: it is not a MindNotes JSON export.")
    if archive.getinfo(JSON_NAME).file_size > MAX_JSON_BYTES:
        raise ImportTooLarge(f"{JSON_NAME} is larger than {MAX_JSON_BYTES // (1024 * 1024)} MB.")


def _members(archive: zipfile.ZipFile) -> Iterator[tuple[str, object]]:
    """The JSON file's members, read a piece at a time; a broken file is refused."""
    try:
        yield from read_members(archive, JSON_NAME)
    except (UnicodeDecodeError, ValueError, TypeError, KeyError, RecursionError, BSONError, OverflowError) as error:
        raise ImportRefused(f"{JSON_NAME} is not valid JSON, so nothing was imported.") from error
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ImportRefused("The zip is damaged, so nothing was imported.") from error


def read_header(archive: zipfile.ZipFile) -> Header:
    """Format, version and reference data, checked; the documents are only counted here."""
    small: dict[str, object] = {}
    documents = 0
    for key, value in _members(archive):
        if key in DOCUMENT_LISTS:
            documents += 1
        else:
            small[key] = value
    if small.get("format") != FORMAT_NAME:
        raise ImportRefused(f"{JSON_NAME} is not a MindNotes export (its format is not {FORMAT_NAME!r}).")
    version = small.get("version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise ImportRefused(f"This export is version {version!r}; this MindNotes imports version {FORMAT_VERSION}.")
    reference = small.get("reference") or {}
    if not isinstance(reference, dict):
        raise ImportRefused(f"reference in {JSON_NAME} is not an object.")
    return Header(
        _reference(reference, "tags", "name"),
        _reference(reference, "mood_categories", "name"),
        _reference(reference, "focus_programs", "slug"),
        documents,
    )


def _is_storable(value: object, depth: int = 0) -> bool:
    """Plain values only, and no key MongoDB would read as an operator or a path."""
    if depth > MAX_NESTING:
        return False
    if value is None or isinstance(value, (bool, int, float, str, datetime, ObjectId)):
        return not isinstance(value, int) or -(2**63) <= value < 2**63
    if isinstance(value, list):
        return all(_is_storable(item, depth + 1) for item in value)
    if isinstance(value, dict):
        return all(
            isinstance(key, str)
            and key
            and not key.startswith("$")
            and "." not in key
            and "\x00" not in key
            and _is_storable(item, depth + 1)
            for key, item in value.items()
        )
    return False


def _reference(reference: dict, key: str, name_field: str) -> dict[int, str]:
    """Old id -> name (or slug) from the export's reference data."""
    rows = reference.get(key, [])
    if not isinstance(rows, list):
        raise ImportRefused(f"reference.{key} in {JSON_NAME} is not a list.")
    mapping = {}
    for row in rows:
        if not (isinstance(row, dict) and isinstance(row.get("id"), int) and isinstance(row.get(name_field), str)):
            raise ImportRefused(f"reference.{key} in {JSON_NAME} holds a row without an id and a {name_field}.")
        mapping[row["id"]] = row[name_field]
    return mapping


def _refuse(kind: str, number: int, problem: str) -> ImportRefused:
    return ImportRefused(f"{kind} {number} cannot be imported: {problem}")


def _tag_names(doc: dict, tags: dict[int, str]) -> list[str]:
    ids = doc.get("tag_ids") or []
    if not isinstance(ids, list):
        return []
    return sorted({" ".join(tags[i].split()) for i in ids if i in tags and tags[i].strip()})


def _media_items(archive: zipfile.ZipFile, items: object, photo: bool) -> tuple[list[dict], int]:
    """Media items whose file is in the zip and is what it says; and how many were not."""
    if not isinstance(items, list):
        return [], 0
    names = set(archive.namelist())
    kept, missing = [], 0
    for item in items:
        member = f"{MEDIA_FOLDER}/{item.get('filename')}" if isinstance(item, dict) else ""
        if not member or not is_plain_file_name(item.get("filename")) or member not in names:
            missing += 1
            continue
        prepared = _photo(archive, member, item) if photo else _voice_note(archive, member, item)
        if prepared is None:
            missing += 1
        else:
            kept.append(prepared)
    return kept, missing


def _text(value: object, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _photo(archive: zipfile.ZipFile, member: str, item: dict) -> dict | None:
    """The photo as the journal would store an upload of it (same checks), or None."""
    size = archive.getinfo(member).file_size
    if size > journal_media.PHOTO_MAX_BYTES:
        return None
    try:
        found = journal_media.describe_photo(archive.read(member))
    except journal_media.MediaInvalid:
        return None
    return {
        "id": str(item.get("id") or ObjectId()),
        "content_type": found["content_type"],
        "size": size,
        "width": found["width"],
        "height": found["height"],
        "caption": _text(item.get("caption"), journal_media.CAPTION_MAX),
        "member": member,
        "extension": found["extension"],
    }


def _voice_note(archive: zipfile.ZipFile, member: str, item: dict) -> dict | None:
    """The voice note as the journal would store an upload of it (same checks), or None."""
    size = archive.getinfo(member).file_size
    if size > journal_media.VOICE_MAX_BYTES:
        return None
    try:
        found = journal_media.describe_audio(archive.read(member))
    except journal_media.MediaInvalid:
        return None
    duration = item.get("duration_seconds")
    if found["duration_seconds"] is None and isinstance(duration, (int, float)) and not isinstance(duration, bool):
        found["duration_seconds"] = duration
    return {
        "id": str(item.get("id") or ObjectId()),
        "content_type": found["content_type"],
        "size": size,
        "duration_seconds": found["duration_seconds"],
        "transcription": _text(item.get("transcription"), journal_media.TRANSCRIPTION_MAX),
        "member": member,
        "extension": found["extension"],
    }


def _prompt_ids() -> set[int]:
    return set(db.session.scalars(select(DailyPrompt.id)))


def _entry(user: User, archive, doc: dict, number: int, tags: dict[int, str], prompts: set[int]):
    responses = []
    for response in doc.get("prompt_responses") or []:
        if not isinstance(response, dict):
            raise _refuse("Journal entry", number, "a prompt answer is not a document.")
        prompt_id = response.get("prompt_id")
        response = {**response, "prompt_id": prompt_id if prompt_id in prompts else None}
        try:
            responses.append(journal.clean_prompt_response(response))
        except journal.EntryInvalid as error:
            raise _refuse("Journal entry", number, str(error)) from error
    if not isinstance(doc.get("entry_date"), datetime):
        raise _refuse("Journal entry", number, "it has no entry date.")
    fields = {
        key: doc.get(key)
        for key in (
            "title",
            "content",
            "entry_type",
            "entry_date",
            "privacy",
            "is_favorite",
            "mood",
            "location",
            "weather",
        )
    }
    for key in ("title", "content", "weather"):
        if fields[key] is not None and not isinstance(fields[key], str):
            raise _refuse("Journal entry", number, f"its {key} is not text.")
    if fields["location"] is not None and not isinstance(fields["location"], dict):
        raise _refuse("Journal entry", number, "its location is not a place.")
    fields["prompt_responses"] = responses
    try:
        journal.clean_fields(user, {**fields, "tag_ids": []}, timeutil.utcnow(), responses)
    except journal.EntryInvalid as error:
        raise _refuse("Journal entry", number, str(error)) from error
    photos, missing_photos = _media_items(archive, doc.get("photos"), photo=True)
    voices, missing_voices = _media_items(archive, doc.get("voice_notes"), photo=False)
    versions = doc.get("versions") if isinstance(doc.get("versions"), list) else []
    prepared = PreparedEntry(str(doc.get("_id")), fields, _tag_names(doc, tags), photos, voices, {"versions": versions})
    return prepared, missing_photos + missing_voices


@dataclass
class _ThisServer:
    """This server's reference rows by name, to match the export's (read once, not per document)."""

    categories: dict[str, MoodCategory]
    factor_ids: dict[str, int]
    program_ids: dict[str, int]

    @classmethod
    def load(cls) -> "_ThisServer":
        return cls(
            {c.name: c for c in db.session.scalars(select(MoodCategory))},
            {f.name: f.id for f in db.session.scalars(select(MoodFactor))},
            dict(db.session.execute(select(FocusProgram.slug, FocusProgram.id)).all()),
        )


def _mood(doc: dict, number: int, categories: dict[int, str], here: _ThisServer) -> dict:
    if not isinstance(doc.get("felt_at"), datetime) or not _DAY.match(str(doc.get("local_date"))):
        raise _refuse("Mood", number, "it has no time it was felt.")
    intensity = doc.get("intensity")
    if not isinstance(intensity, int) or isinstance(intensity, bool) or not 1 <= intensity <= 10:
        raise _refuse("Mood", number, "its intensity is not a whole number from 1 to 10.")
    name = categories.get(doc.get("category_id")) or doc.get("category_name")
    category = here.categories.get(name) if isinstance(name, str) else None
    factors = []
    for factor in doc.get("factors") or []:
        if not isinstance(factor, dict) or not isinstance(factor.get("name"), str):
            raise _refuse("Mood", number, "one of its factors has no name.")
        known_id = here.factor_ids.get(factor["name"]) if factor.get("factor_id") else None
        factors.append({**factor, "factor_id": known_id})
    mood = {key: value for key, value in doc.items() if key not in ("_id", "user_id")}
    link = doc.get("journal_entry_id")
    mood.update(
        category_id=category.id if category else None,
        category_name=category.name if category else (name if isinstance(name, str) else ""),
        factors=factors,
        factor_values=mood_entries.factor_values_of(factors),
        journal_entry_old_id=str(link) if link else None,
    )
    return mood


def _session(doc: dict, number: int, programs: dict[int, str], here: _ThisServer) -> dict:
    if not isinstance(doc.get("started_at"), datetime) or not _DAY.match(str(doc.get("local_date"))):
        raise _refuse("Focus session", number, "it has no start time.")
    minutes = doc.get("focus_minutes")
    if minutes is not None and (not isinstance(minutes, int) or isinstance(minutes, bool) or minutes < 0):
        raise _refuse("Focus session", number, "its focus minutes are not a whole number.")
    slug = programs.get(doc.get("program_id"))
    program_id = here.program_ids.get(slug) if isinstance(slug, str) else None
    session = {key: value for key, value in doc.items() if key not in ("_id", "user_id", "active_key", "tag_ids")}
    session.update(program_id=program_id, program_day=doc.get("program_day") if program_id else None)
    return session


def planned_documents(user: User, archive: zipfile.ZipFile, header: Header) -> Iterator[Planned]:
    """Each document of the export in file order, checked and prepared; ImportRefused at the first problem."""
    prompts = _prompt_ids()
    here = _ThisServer.load()
    numbers = dict.fromkeys(DOCUMENT_LISTS, 0)
    for key, doc in _members(archive):
        if key not in DOCUMENT_LISTS:
            continue
        if not isinstance(doc, dict):
            raise ImportRefused(f"{key} in {JSON_NAME} is not a list of documents.")
        numbers[key] += 1
        number = numbers[key]
        if not _is_storable(doc):
            raise ImportRefused(f"Document {number} of {key} holds a value MindNotes cannot store.")
        if key == "journal_entries":
            prepared, missing = _entry(user, archive, doc, number, header.tags, prompts)
            yield Planned("entry", prepared, missing)
        elif key == "mood_entries":
            yield Planned("mood", _mood(doc, number, header.categories, here))
        elif doc.get("status") not in FINISHED_SESSION:
            yield Planned("running")
        else:
            session = _session(doc, number, header.programs, here)
            session["tag_names"] = _tag_names(doc, header.tags)
            yield Planned("session", session)


def check_documents(user: User, archive: zipfile.ZipFile, header: Header) -> list[str]:
    """Check every document without keeping any; what will be skipped, in words."""
    missing_media = running = 0
    for planned in planned_documents(user, archive, header):
        missing_media += planned.missing_media
        running += planned.kind == "running"
    skipped = []
    if missing_media:
        what = "photo or voice note" if missing_media == 1 else "photos or voice notes"
        skipped.append(f"{missing_media:,} {what} whose file was missing or not a photo or sound.")
    if running:
        what = "focus session that was" if running == 1 else "focus sessions that were"
        skipped.append(f"{running:,} {what} still running when exported.")
    return skipped
