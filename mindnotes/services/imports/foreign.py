"""Importing another app's export (Day One, jrnl, Journey, Markdown folders): preview, then write.

Every format's reader (`sources`) gives `Item`s; from there everything is
shared. Each item is checked as the journal checks an entry typed in its form
(`journal.clean_fields`), its tags as tag names, its photos and audio as
uploads (`media.MediaFiles`); an item that breaks a rule is skipped and named.

Nothing twice: an imported entry keeps `source_id` ("<app>:<id there>") and
`source_hash` (a digest of what the item held). Importing the file again
finds it (documents/imported.py): the same item is "already imported"; one
edited in the other app since is reported, and updated when the person asks
for it (its text, date, tags, favorite, mood, place and weather, through
`journal.update_entry`, which keeps the earlier text as a version; photos stay
as first imported). An id that appears twice in one file: the first item is
imported and the later ones are skipped and named.

The file is read once for the preview (`preview.py`, in the request) and once
to write (here, in the job), an item at a time; only the ids seen are kept, to
find twins. A failure midway takes back the entries this import made (entries
it updated keep the update).
"""

import bisect
import hashlib
import json
import zipfile
from array import array
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bson import ObjectId

from mindnotes import timeutil
from mindnotes.documents import imported, journal_entries
from mindnotes.models import User
from mindnotes.services import journal
from mindnotes.services.imports.checks import NAMED_MAX, ImportRefused, check_zip
from mindnotes.services.imports.media import OVERSIZED, MediaFiles, MediaItems
from mindnotes.services.imports.sources import SOURCES
from mindnotes.services.imports.sources.item import Item, Media, Source, Upload
from mindnotes.services.imports.writing import (
    FAILED_MESSAGE,
    ImportFailed,
    ImportReport,
    Person,
    Progress,
    Someone,
    Written,
    batches,
    copy_media,
    counted,
    tag_ids,
    take_back,
)
from mindnotes.services.journal import media as journal_media
from mindnotes.services.journal.tags import clean_tag_name, tag_names
from mindnotes.services.overview.activity import refresh_analytics

SOURCE_ID_MAX = 64
TAGS_MAX = 100


@dataclass
class Checked:
    """One item, checked: `fields` ready for `journal.create_entry`, or None with `reason` (skipped)."""

    name: str
    source_id: str
    source_hash: str
    fields: dict | None = None
    tag_names: list[str] = field(default_factory=list)
    photos: MediaItems = field(default_factory=MediaItems)
    voice_notes: MediaItems = field(default_factory=MediaItems)
    media_over_cap: int = 0
    tags_left_out: int = 0
    reason: str = ""


def source_for(key: str) -> Source:
    try:
        return SOURCES[key]
    except KeyError:
        raise ImportRefused("Choose which app the file comes from.", field="source") from None


@contextmanager
def opened(source: Source, path: Path) -> Iterator[Upload]:
    """The upload as its reader takes it; a zip is checked (size, bombs, paths) before anything is read."""
    if not source.zipped:
        yield Upload(path)
        return
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportRefused(f"This file is not a zip. Choose the .zip of a {source.label}.") from error
    with archive:
        yield Upload(path, archive, check_zip(archive))


def _source_id(source: Source, original_id: str) -> str:
    whole = f"{source.key}:{original_id}"
    if len(whole) <= SOURCE_ID_MAX:
        return whole
    return f"{source.key}:sha256:{hashlib.sha256(original_id.encode()).hexdigest()[:40]}"


def _digest(item: Item) -> str:
    held: list = [
        item.title,
        item.content,
        item.moment.isoformat() if item.moment else None,
        sorted(item.tags),
        item.is_favorite,
        item.location,
        item.weather,
        [m.member for m in item.photos],
        [m.member for m in item.voice_notes],
    ]
    if item.mood_score is not None:
        held.append(item.mood_score)
    return hashlib.sha256(json.dumps(held, default=str, ensure_ascii=False).encode()).hexdigest()[:32]


def _tags(names: list[str]) -> tuple[list[str], int]:
    """The item's tag names as MindNotes keeps them (one of each, case-insensitively); how many were left out."""
    kept: dict[str, str] = {}
    left_out = 0
    for name in names[:TAGS_MAX]:
        try:
            clean = clean_tag_name(name)
        except journal.TagInvalid:
            left_out += 1
            continue
        kept.setdefault(clean.casefold(), clean)
    return sorted(kept.values()), left_out + max(0, len(names) - TAGS_MAX)


def _media(files: MediaFiles | None, refs: list[Media], photo: bool, cap: int) -> MediaItems:
    found = MediaItems()
    for ref in refs[:cap]:
        if files is None or ref.member is None:
            found.missing += 1
        else:
            files.add(found, ref.member, {"caption": ref.caption, "transcription": ref.caption}, photo)
    return found


def check_item(user: Someone, source: Source, item: Item, files: MediaFiles | None, now: datetime) -> Checked:
    """The item as a MindNotes entry, or why it cannot be one."""
    checked = Checked(item.name, _source_id(source, item.original_id), _digest(item))
    if item.problem:
        checked.reason = item.problem
        return checked
    fields = {
        "title": item.title,
        "content": item.content,
        "entry_date": item.moment,
        "is_favorite": item.is_favorite,
        "location": item.location,
        "weather": item.weather,
        **({"mood_score": str(item.mood_score)} if item.mood_score is not None else {}),
    }
    try:
        journal.clean_fields(user, {**fields, "tag_ids": []}, now, [])
    except journal.EntryInvalid as error:
        checked.reason = " ".join(error.errors.values()).rstrip(".")
        return checked
    checked.fields = fields
    checked.tag_names, checked.tags_left_out = _tags(item.tags)
    checked.photos = _media(files, item.photos, True, journal_media.PHOTOS_PER_ENTRY)
    checked.voice_notes = _media(files, item.voice_notes, False, journal_media.VOICE_NOTES_PER_ENTRY)
    checked.media_over_cap = max(0, len(item.photos) - journal_media.PHOTOS_PER_ENTRY) + max(
        0, len(item.voice_notes) - journal_media.VOICE_NOTES_PER_ENTRY
    )
    return checked


def checked_items(user: Someone, source: Source, upload: Upload) -> Iterator[Checked]:
    """Every item of the file, checked, in file order; a second item with an id already seen is skipped."""
    now = timeutil.utcnow()
    files = MediaFiles(upload.archive, upload.members) if upload.archive is not None else None
    seen = _Seen()
    for item in source.read(upload):
        checked = check_item(user, source, item, files, now)
        if seen.met_before(checked.source_id):
            checked.fields = None
            checked.reason = f"its id ({item.original_id}) appears earlier in the file too; the first one was kept"
        yield checked


class _Seen:
    """The ids met so far in the file, as sorted 64-bit hashes: 8 bytes an id, where a set takes about 100
    (this is the one thing that grows with the file)."""

    def __init__(self) -> None:
        self.hashes = array("q")

    def met_before(self, value: str) -> bool:
        """Whether `value` was met before; it is remembered from now on."""
        key = hash(value)
        at = bisect.bisect_left(self.hashes, key)
        if at < len(self.hashes) and self.hashes[at] == key:
            return True
        self.hashes.insert(at, key)
        return False


def with_stored(user: Someone, checked: Iterator[Checked]) -> Iterator[tuple[Checked, dict | None]]:
    """Each checked item with the entry an earlier import made of it (or None), looked up a batch at a time."""
    for batch in batches(checked):
        ids = [c.source_id for c in batch if c.fields is not None]
        stored = imported.imported_items(journal_entries.NAME, user.id, ids)
        for item in batch:
            yield item, stored.get(item.source_id) if item.fields is not None else None


def skip_line(checked: Checked) -> str:
    return f"{checked.name} skipped: {checked.reason}."


def media_lines(missing: int, oversized: int, over_cap: int) -> list[str]:
    lines = []
    if missing:
        what = counted(missing, "photo or voice note", "photos or voice notes")
        lines.append(f"{what} whose file was missing or not a photo or sound.")
    if oversized:
        lines.append(f"{counted(oversized, 'photo or voice note', 'photos or voice notes')} {OVERSIZED}.")
    if over_cap:
        lines.append(
            f"{counted(over_cap, 'photo or voice note', 'photos or voice notes')} past the "
            f"{journal_media.PHOTOS_PER_ENTRY} photos and {journal_media.VOICE_NOTES_PER_ENTRY} voice notes "
            "an entry keeps."
        )
    return lines


@dataclass
class _Writing:
    tags: dict[str, int]
    limit_message: str = ""
    over_limit: int = 0
    already: int = 0
    changed: int = 0
    skipped: int = 0
    media_missing: int = 0
    media_oversized: int = 0
    media_over_cap: int = 0


def _create(
    user: Someone, archive: zipfile.ZipFile | None, checked: Checked, state: _Writing, written: Written
) -> bool:
    """Write one new entry with its photos and voice notes; False when the plan's entry limit stopped it."""
    assert checked.fields is not None
    fields = {**checked.fields, "tag_ids": tag_ids(user, checked.tag_names, state.tags, written)}
    try:
        entry = journal.create_entry(user, fields, entry_id=ObjectId())
    except journal.EntryLimitReached as error:
        state.limit_message, state.over_limit = str(error), 1
        return False
    written.add_entry(entry["_id"])
    photos = copy_media(user, archive, checked.photos.kept, written) if archive else []
    voice_notes = copy_media(user, archive, checked.voice_notes.kept, written) if archive else []
    completed = {
        **entry,
        "photos": photos,
        "voice_notes": voice_notes,
        "photo_count": len(photos),
        "voice_note_count": len(voice_notes),
        "source_id": checked.source_id,
        "source_hash": checked.source_hash,
    }
    if journal_entries.replace_entry(user.id, completed) is None:
        raise RuntimeError("an imported entry changed while it was being completed")
    state.media_missing += checked.photos.missing + checked.voice_notes.missing
    state.media_oversized += checked.photos.oversized + checked.voice_notes.oversized
    state.media_over_cap += checked.media_over_cap
    return True


def _update(user: Someone, stored: dict, checked: Checked, state: _Writing, written: Written) -> None:
    """The entry imported before takes the edited item's fields (its earlier text is kept as a version)."""
    assert checked.fields is not None
    fields = {**checked.fields, "tag_ids": tag_ids(user, checked.tag_names, state.tags, written)}
    entry = journal.update_entry(user, stored["_id"], fields)
    if journal_entries.replace_entry(user.id, {**entry, "source_hash": checked.source_hash}) is None:
        raise RuntimeError("an imported entry changed while it was being updated")


def import_upload(
    user: User,
    source_key: str,
    path: Path,
    update: bool = False,
    total: int = 0,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import the file (as previewed); ImportRefused says why not. A failure takes back the new entries."""
    source = source_for(source_key)
    person = Person.of(user)
    report = ImportReport()
    written = Written()
    state = _Writing({name.casefold(): tag_id for tag_id, name in tag_names(person.id).items()})
    steps = Progress(total, progress)
    with opened(source, path) as upload:
        try:
            for checked, stored in with_stored(person, checked_items(person, source, upload)):
                steps.step()
                _write_one(person, upload.archive, checked, stored, update, state, written, report)
        except ImportRefused:
            take_back(person, written)
            raise
        except Exception as error:
            take_back(person, written)
            raise ImportFailed(FAILED_MESSAGE) from error
    refresh_analytics(person.id)
    report.skipped += _report_lines(state)
    return report


def _write_one(user, archive, checked: Checked, stored, update: bool, state: _Writing, written, report) -> None:
    if checked.fields is None:
        state.skipped += 1
        if state.skipped <= NAMED_MAX:
            report.skipped.append(skip_line(checked))
    elif stored is not None and stored.get("source_hash") == checked.source_hash:
        state.already += 1
    elif stored is not None and update:
        _update(user, stored, checked, state, written)
        report.updated += 1
    elif stored is not None:
        state.changed += 1
    elif state.limit_message:
        state.over_limit += 1
    elif _create(user, archive, checked, state, written):
        report.entries += 1
        report.media += len(checked.photos.kept) + len(checked.voice_notes.kept)


def _report_lines(state: _Writing) -> list[str]:
    lines = []
    if state.skipped > NAMED_MAX:
        lines.append(f"And {counted(state.skipped - NAMED_MAX, 'more entry', 'more entries')} like these.")
    lines += media_lines(state.media_missing, state.media_oversized, state.media_over_cap)
    if state.limit_message:
        reason = state.limit_message[0].lower() + state.limit_message[1:]
        lines.append(f"{counted(state.over_limit, 'journal entry', 'journal entries')}, because {reason}")
    if state.already:
        lines.append(f"{counted(state.already, 'journal entry', 'journal entries')} already imported.")
    if state.changed:
        what = counted(state.changed, "journal entry", "journal entries")
        lines.append(f"{what} imported before and edited since (import again with “update” to take the edits).")
    return lines
