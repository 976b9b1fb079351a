"""What a reader of another app's export gives the shared import: one `Item` per journal entry.

A reader only reads: it turns the app's own fields into plain values and names
each item in the person's words. Whether an item can be a MindNotes entry
(lengths, dates, tags, photos), whether it was imported before, and the
writing itself are the shared pipeline's (`services/imports/foreign.py`).
"""

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO

from mindnotes.services.imports.checks import ImportRefused
from mindnotes.timeutil import zone

# A text file (not a zip) is read whole by some readers: at most this much.
MAX_TEXT_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Media:
    """A photo or voice note an item refers to: the zip member holding it (None when the export lacks it)."""

    member: str | None
    caption: str = ""


@dataclass
class Item:
    """One journal entry as another app exported it, before MindNotes' rules are applied.

    `original_id` is what "nothing twice" matches on (a Day One uuid, a file's
    path and date); `moment` without a zone is a time in the person's zone.
    `problem`, when set, says why the item cannot be imported at all.
    """

    original_id: str
    name: str
    title: str = ""
    content: str = ""
    moment: datetime | None = None
    tags: list[str] = field(default_factory=list)
    is_favorite: bool = False
    # The entry's own mood, 1 (awful) to 5 (great), made as the editor makes it (its `mood_score`).
    mood_score: int | None = None
    location: dict | None = None
    weather: str = ""
    photos: list[Media] = field(default_factory=list)
    voice_notes: list[Media] = field(default_factory=list)
    problem: str = ""


@dataclass
class Upload:
    """The file as the reader sees it: a checked zip (`archive`, `members`) or a plain file at `path`."""

    path: Path
    archive: zipfile.ZipFile | None = None
    members: frozenset[str] = frozenset()

    def zip(self) -> zipfile.ZipFile:
        if self.archive is None:
            raise ImportRefused("This file is not a zip.")
        return self.archive

    def open_text(self) -> IO[bytes]:
        """The plain file, refused when larger than a text export can be."""
        if self.path.stat().st_size > MAX_TEXT_BYTES:
            megabytes = MAX_TEXT_BYTES // (1024 * 1024)
            raise ImportRefused(f"That file is larger than the {megabytes} MB a text export may be.")
        return self.path.open("rb")


@dataclass(frozen=True)
class Source:
    """One app whose export MindNotes imports."""

    key: str
    label: str
    zipped: bool
    read: Callable[[Upload], Iterator[Item]]
    # What maps where, shown in the preview ("Day One's starred entries become favorites").
    mapping: tuple[str, ...] = ()


def named(what: str, moment: datetime | None, zone_name: str | None = None) -> str:
    """How the report names an item: "Day One entry of 1 March 2026 09:10", in the zone it was written in."""
    if moment is None:
        return what
    if isinstance(zone_name, str) and moment.tzinfo is not None:
        moment = moment.astimezone(zone(zone_name))
    return f"{what} of {moment.day} {moment:%B %Y %H:%M}"


def parse_moment(value: object) -> datetime | None:
    """An ISO 8601 moment ("2026-03-01T09:00:00Z", "2026-03-01 09:00"), or None when it is not one."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None
