"""Checking an import before anything is written: the zip, the JSON, every document.

A hostile or broken file is refused with a message the person can read:
not a zip, a zip bomb (too much unpacked data, a member compressed
suspiciously well, or many more files than its journal refers to), a member
name that climbs out of its folder, a file that is not JSON, an export of
another format or an unknown version. The zip's member list is read once.

A document that breaks a rule of its collection (`rules`) does not stop the
import: it is skipped and named in the report, and the rest goes in; only a
file in which nothing can be imported is refused. `planned_documents` gives
the documents one at a time, ready to write; nothing is kept, so the check's
memory does not grow with the export.
"""

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import bson
from bson import ObjectId
from bson.errors import BSONError, InvalidDocument

from mindnotes.errors import UserError
from mindnotes.models import User
from mindnotes.services.exports.formats import FORMAT_NAME, FORMAT_VERSION, JSON_NAME, MEDIA_FOLDER, is_plain_file_name
from mindnotes.services.imports import rules
from mindnotes.services.imports.media import OVERSIZED, MediaFiles
from mindnotes.services.imports.reader import DOCUMENT_LISTS, read_members

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_JSON_BYTES = 512 * 1024 * 1024
MAX_MEMBERS = 100_000
# Files an export may hold besides its JSON and the media its entries refer to
# (an export holds none; this leaves room for a zip tool's own files).
MAX_OTHER_MEMBERS = 10_000
# Real exports compress text a few times over and media hardly at all; a
# member that shrank more than this is a zip bomb, not a journal.
MAX_COMPRESSION_RATIO = 100
MAX_NESTING = 12
# The report names this many skipped documents, then counts the rest.
NAMED_MAX = 20
_KINDS = {"journal_entries": "entry", "mood_entries": "mood", "focus_sessions": "session"}


class ImportRefused(UserError):
    """The file cannot be imported; the message says why, for the person."""


class ImportTooLarge(ImportRefused):
    status = 413


@dataclass
class Header:
    """The export's small members: its reference data (old id -> name or slug), how many documents
    and media references it holds, and the zip's member names (read once)."""

    tags: dict[int, str]
    categories: dict[int, str]
    programs: dict[int, str]
    documents: int
    members: frozenset[str] = frozenset()


@dataclass
class Planned:
    """One document, checked: `kind` is entry, mood or session (ready to write), running or skipped (not written)."""

    kind: str
    document: rules.PreparedEntry | dict | None = None
    source_id: str | None = None
    reason: str = ""


def check_member_name(name: str) -> None:
    """Refuse a member name that climbs out of its folder."""
    parts = name.split("/")
    if name.startswith("/") or "\\" in name or "\x00" in name or ":" in parts[0] or ".." in parts:
        raise ImportRefused(f"The file {name!r} in the zip points outside its folder; this import is refused.")


def _check_export_member(name: str) -> None:
    """A MindNotes export's media are plain file names in media/."""
    parts = name.split("/")
    if parts[0] == MEDIA_FOLDER and not (len(parts) == 2 and (parts[1] == "" or is_plain_file_name(parts[1]))):
        raise ImportRefused(f"The media file {name!r} is not a plain file name in media/; this import is refused.")


def check_zip(archive: zipfile.ZipFile) -> frozenset[str]:
    """Refuse a zip bomb or a climbing path before anything is unpacked; the member names, read once.

    Every import of a zip (ours or another app's) starts here.
    """
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise ImportTooLarge(f"The zip holds more than {MAX_MEMBERS:,} files; this import is refused.")
    unpacked = 0
    for member in members:
        check_member_name(member.filename)
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
    return frozenset(member.filename for member in members)


def check_archive(archive: zipfile.ZipFile) -> frozenset[str]:
    """`check_zip`, then what a MindNotes JSON export must hold."""
    names = check_zip(archive)
    for name in names:
        _check_export_member(name)
    if JSON_NAME not in names:
        raise ImportRefused(f"The zip holds no {JSON_NAME}: it is not a MindNotes JSON export.")
    if archive.getinfo(JSON_NAME).file_size > MAX_JSON_BYTES:
        raise ImportTooLarge(f"{JSON_NAME} is larger than {MAX_JSON_BYTES // (1024 * 1024)} MB.")
    return names


def _members(archive: zipfile.ZipFile) -> Iterator[tuple[str, object]]:
    """The JSON file's members, read a piece at a time; a broken file is refused."""
    try:
        with archive.open(JSON_NAME) as raw:
            yield from read_members(raw)
    except (UnicodeDecodeError, ValueError, TypeError, KeyError, RecursionError, BSONError, OverflowError) as error:
        raise ImportRefused(f"{JSON_NAME} is not valid JSON, so nothing was imported.") from error
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ImportRefused("The zip is damaged, so nothing was imported.") from error


def _media_references(key: str, doc: object) -> int:
    if key != "journal_entries" or not isinstance(doc, dict):
        return 0
    return sum(len(doc[kind]) for kind in ("photos", "voice_notes") if isinstance(doc.get(kind), list))


def read_header(archive: zipfile.ZipFile, members: frozenset[str]) -> Header:
    """Format, version and reference data, checked; the documents are only counted here.

    A zip with many more files than its entries refer to is refused here: each
    one costs time to list and check, and an export has none to spare.
    """
    small: dict[str, object] = {}
    documents = references = 0
    for key, value in _members(archive):
        if key in DOCUMENT_LISTS:
            documents += 1
            references += _media_references(key, value)
        else:
            small[key] = value
    if small.get("format") != FORMAT_NAME:
        raise ImportRefused(f"{JSON_NAME} is not a MindNotes export (its format is not {FORMAT_NAME!r}).")
    version = small.get("version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise ImportRefused(f"This export is version {version!r}; this MindNotes imports version {FORMAT_VERSION}.")
    if len(members) > 1 + references + MAX_OTHER_MEMBERS:
        raise ImportTooLarge(
            f"The zip holds {len(members):,} files but its journal refers to {references:,} photos or voice notes; "
            f"an export has no more than {MAX_OTHER_MEMBERS:,} other files. This import is refused."
        )
    reference = small.get("reference") or {}
    if not isinstance(reference, dict):
        raise ImportRefused(f"reference in {JSON_NAME} is not an object.")
    return Header(
        _reference(reference, "tags", "name"),
        _reference(reference, "mood_categories", "name"),
        _reference(reference, "focus_programs", "slug"),
        documents,
        members,
    )


def read_export(archive: zipfile.ZipFile) -> Header:
    """The zip's checks and the export's header, in one call."""
    return read_header(archive, check_archive(archive))


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


def _is_small_enough(doc: dict) -> bool:
    try:
        return len(bson.encode(doc)) <= rules.MAX_DOCUMENT_BYTES
    except (InvalidDocument, OverflowError):
        return False


def _sentence(reason: str) -> str:
    """ "A title is ..." -> "a title is ..." (an acronym keeps its capitals), without the full stop."""
    reason = reason.strip().rstrip(".")
    if len(reason) > 1 and reason[1].islower():
        reason = reason[0].lower() + reason[1:]
    return reason


def _plan(user: User, kind: str, doc: dict, header: Header, media: MediaFiles, here: rules.ThisServer):
    if not _is_storable(doc):
        raise rules.Skipped("it holds a value MindNotes cannot store")
    if not _is_small_enough(doc):
        raise rules.Skipped(f"it is larger than the {rules.MAX_DOCUMENT_BYTES // (1024 * 1024)} MB a document may be")
    if kind == "entry":
        return Planned("entry", rules.entry(user, doc, media, header.tags, here), rules.source_id(doc))
    if kind == "mood":
        return Planned("mood", rules.mood_document(doc, header.categories, here, user.timezone), rules.source_id(doc))
    if doc.get("status") not in rules.FINISHED_SESSION:
        return Planned("running")
    session = rules.session_document(doc, header.programs, here, user.timezone)
    session["tag_names"] = rules.tag_names(doc, header.tags)
    return Planned("session", session, rules.source_id(doc))


def planned_documents(user: User, archive: zipfile.ZipFile, header: Header) -> Iterator[Planned]:
    """Each document of the export in file order: checked and prepared, or skipped with its reason."""
    here = rules.ThisServer.load(user.id)
    media = MediaFiles(archive, header.members)
    numbers = dict.fromkeys(DOCUMENT_LISTS, 0)
    for key, doc in _members(archive):
        if key not in DOCUMENT_LISTS:
            continue
        if not isinstance(doc, dict):
            raise ImportRefused(f"{key} in {JSON_NAME} is not a list of documents.")
        numbers[key] += 1
        kind = _KINDS[key]
        try:
            yield _plan(user, kind, doc, header, media, here)
        except rules.Skipped as skipped:
            name = rules.item_name(kind, doc, numbers[key], user.timezone)
            yield Planned("skipped", reason=f"{name} skipped: {_sentence(str(skipped))}.")


def _counted(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"


def check_documents(user: User, archive: zipfile.ZipFile, header: Header) -> list[str]:
    """Check every document without keeping any; what will be skipped, in words.

    Refuses the file (ImportRefused) when it holds documents and none of them can be imported.
    """
    named: list[str] = []
    rule_breakers = missing_media = oversized_media = running = importable = 0
    for planned in planned_documents(user, archive, header):
        if planned.kind == "skipped":
            rule_breakers += 1
            if len(named) < NAMED_MAX:
                named.append(planned.reason)
        elif planned.kind == "running":
            running += 1
        else:
            importable += 1
        if isinstance(planned.document, rules.PreparedEntry):
            missing_media += planned.document.missing_media
            oversized_media += planned.document.oversized_media
    if rule_breakers and not importable:
        raise ImportRefused("Nothing in this file can be imported. " + " ".join(named[:3]))
    skipped = named
    if rule_breakers > len(named):
        skipped.append(f"And {_counted(rule_breakers - len(named), 'more document', 'more documents')} like these.")
    if missing_media:
        what = _counted(missing_media, "photo or voice note", "photos or voice notes")
        skipped.append(f"{what} whose file was missing or not a photo or sound.")
    if oversized_media:
        what = _counted(oversized_media, "photo or voice note", "photos or voice notes")
        skipped.append(f"{what} {OVERSIZED}.")
    if running:
        what = "focus session that was" if running == 1 else "focus sessions that were"
        skipped.append(f"{running:,} {what} still running when exported.")
    return skipped
