"""The preview of another app's export: what importing it would do, before anything is written.

Counts (new entries, already imported, edited since, skipped and why), the
days it spans in the person's zone, photos and voice notes, the tags it would
make, and what maps where. Kept as JSON beside the upload until the person
confirms (`uploads.py`).
"""

from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from mindnotes import timeutil
from mindnotes.models import User
from mindnotes.services.imports.checks import NAMED_MAX, ImportRefused
from mindnotes.services.imports.foreign import checked_items, media_lines, opened, skip_line, source_for, with_stored
from mindnotes.services.imports.writing import counted
from mindnotes.services.journal.tags import tag_names

# New tag names the preview lists; the rest are counted.
TAGS_SHOWN = 30


@dataclass
class Preview:
    """What an import will do, shown before anything is written (kept as JSON beside the upload)."""

    source: str
    label: str
    mapping: list[str]
    entries: int = 0
    already: int = 0
    changed: int = 0
    skipped: list[str] = field(default_factory=list)
    skipped_count: int = 0
    photos: int = 0
    voice_notes: int = 0
    media_skipped: list[str] = field(default_factory=list)
    first_day: str = ""
    last_day: str = ""
    new_tags: list[str] = field(default_factory=list)
    new_tag_count: int = 0
    tags_left_out: int = 0

    @property
    def items(self) -> int:
        return self.entries + self.already + self.changed + self.skipped_count

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> "Preview":
        return cls(**values)


def preview_upload(user: User, source_key: str, path: Path) -> Preview:
    """What importing the file would do, writing nothing; ImportRefused when nothing in it can be imported."""
    source = source_for(source_key)
    preview = Preview(source.key, source.label, list(source.mapping))
    known = {name.casefold() for name in tag_names(user.id).values()}
    new_tags: dict[str, str] = {}
    missing = oversized = over_cap = 0
    with opened(source, path) as upload:
        for checked, stored in with_stored(user, checked_items(user, source, upload)):
            if checked.fields is None:
                preview.skipped_count += 1
                if len(preview.skipped) < NAMED_MAX:
                    preview.skipped.append(skip_line(checked))
                continue
            if stored is not None:
                if stored.get("source_hash") == checked.source_hash:
                    preview.already += 1
                else:
                    preview.changed += 1
                continue
            preview.entries += 1
            preview.photos += len(checked.photos.kept)
            preview.voice_notes += len(checked.voice_notes.kept)
            missing += checked.photos.missing + checked.voice_notes.missing
            oversized += checked.photos.oversized + checked.voice_notes.oversized
            over_cap += checked.media_over_cap
            preview.tags_left_out += checked.tags_left_out
            day = timeutil.local_date(_aware(checked.fields["entry_date"], user.timezone), user.timezone)
            preview.first_day = min(preview.first_day or day, day)
            preview.last_day = max(preview.last_day, day)
            for name in checked.tag_names:
                if name.casefold() not in known:
                    new_tags.setdefault(name.casefold(), name)
    preview.new_tag_count = len(new_tags)
    preview.new_tags = sorted(new_tags.values())[:TAGS_SHOWN]
    preview.media_skipped = media_lines(missing, oversized, over_cap)
    if preview.skipped_count > len(preview.skipped):
        more = preview.skipped_count - len(preview.skipped)
        preview.skipped.append(f"And {counted(more, 'more entry', 'more entries')} like these.")
    if not preview.entries and not preview.already and not preview.changed:
        reasons = " ".join(preview.skipped[:3]) or "It holds no entries."
        raise ImportRefused(f"Nothing in this file can be imported. {reasons}")
    return preview


def _aware(moment: datetime, timezone: str) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timeutil.zone(timezone))
