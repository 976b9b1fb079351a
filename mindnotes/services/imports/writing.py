"""What every import shares once it writes: its report, its progress, tags and media made as the
person's own, and taking back everything it wrote when a write fails midway."""

import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from bson import ObjectId
from sqlalchemy import delete

from mindnotes.documents import daily_activity_logs, focus_sessions, mood_entries
from mindnotes.extensions import db
from mindnotes.models import Tag, User
from mindnotes.services import journal
from mindnotes.services.imports.checks import ImportRefused
from mindnotes.services.journal import files as journal_files
from mindnotes.services.journal.tags import find_or_create_tag
from mindnotes.services.overview.activity import refresh_analytics

# Documents looked up at once to find the ones imported before.
BATCH = 200
T = TypeVar("T")


def counted(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"


@dataclass
class ImportReport:
    entries: int = 0
    moods: int = 0
    focus_sessions: int = 0
    media: int = 0
    updated: int = 0
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [
            counted(self.entries, "journal entry", "journal entries"),
            counted(self.moods, "mood", "moods"),
            counted(self.focus_sessions, "focus session", "focus sessions"),
        ]
        text = (
            "Imported "
            + ", ".join(parts)
            + f" and {counted(self.media, 'photo or voice note', 'photos or voice notes')}."
        )
        if self.updated:
            text += f" Updated {counted(self.updated, 'journal entry', 'journal entries')} edited since."
        if self.skipped:
            text += " Skipped: " + " ".join(self.skipped)
        return text


@dataclass(frozen=True)
class Person:
    """The importing person as the services use them (id and zone), read once.

    A `User` is expired by every commit, so each entry written would read it
    again: a query, and memory that grows with the import.
    """

    id: int
    timezone: str

    @classmethod
    def of(cls, user: User) -> "Person":
        return cls(user.id, user.timezone)


# What the helpers below and the services they call read of a person: `id` and `timezone`.
Someone = User | Person


@dataclass
class Written:
    """What the import has written so far (ids and figures, not whole documents), to take back on failure."""

    # The new entries' ids as their 12 bytes (half an ObjectId's memory: a long import keeps thousands).
    entry_ids: list[bytes] = field(default_factory=list)
    new_tag_ids: list[int] = field(default_factory=list)
    moods: list[dict] = field(default_factory=list)
    sessions: list[dict] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def add_entry(self, entry_id: ObjectId) -> None:
        self.entry_ids.append(entry_id.binary)


class ImportFailed(ImportRefused):
    status = 503


FAILED_MESSAGE = (
    "The import stopped part-way because the server could not store everything; nothing was imported. Please try again."
)


class Progress:
    """Reports the share of documents written, every `EVERY` documents."""

    EVERY = 50

    def __init__(self, total: int, report: Callable[[int], None] | None) -> None:
        self.total, self.done, self.report = max(1, total), 0, report

    def step(self) -> None:
        self.done += 1
        if self.report is not None and self.done % self.EVERY == 0:
            self.report(min(100, self.done * 100 // self.total))


def tag_ids(user: Someone, names: list[str], known: dict[str, int], written: Written) -> list[int]:
    """The person's tag ids for `names`, making the tags they do not have yet."""
    ids = []
    for name in names:
        if name.casefold() not in known:
            tag_id = find_or_create_tag(user.id, name).id
            known[name.casefold()] = tag_id
            written.new_tag_ids.append(tag_id)
        ids.append(known[name.casefold()])
    return sorted(set(ids))


def copy_media(user: Someone, archive: zipfile.ZipFile, items: list[dict], written: Written) -> list[dict]:
    """Copy each media file under a new server-made name; returns the items pointing at them."""
    copied = []
    for item in items:
        item = dict(item)
        name = journal_files.new_name(item.pop("extension"))
        journal_files.save(user.id, name, archive.read(item.pop("member")))
        written.files.append(name)
        copied.append({**item, "filename": name})
    return copied


def batches(items: Iterable[T]) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def count_session(user_id: int, session: dict, sign: int) -> None:
    if session["counts"]:
        daily_activity_logs.record_activity(
            user_id, session["local_date"], focus_minutes=sign * session["focus_minutes"], focus_sessions=sign
        )


def _take_back_mood(user_id: int, mood_id: ObjectId) -> None:
    removed = mood_entries.delete_mood(user_id, mood_id)
    if removed is not None:
        daily_activity_logs.record_activity(user_id, removed["local_date"], moods=-1, mood_score_sum=-removed["score"])


def take_back(user: Someone, written: Written) -> None:
    """Remove what a failed import wrote: documents, day totals, plan slots, files."""
    db.session.rollback()
    for session in written.sessions:
        if focus_sessions.delete_session(user.id, session["_id"]):
            count_session(user.id, session, -1)
    for mood in written.moods:
        _take_back_mood(user.id, mood["_id"])
    for entry_id in written.entry_ids:
        _take_back_mood(user.id, ObjectId(entry_id))  # the entry's own mood (its file's `mood`) has its id
        journal.purge_entry(user.id, journal.trash_entry(user, ObjectId(entry_id)))
    journal_files.remove(user.id, written.files)
    if written.new_tag_ids:
        db.session.execute(delete(Tag).where(Tag.user_id == user.id, Tag.id.in_(written.new_tag_ids)))
        db.session.commit()
    refresh_analytics(user.id)
