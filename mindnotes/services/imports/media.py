"""The photos and voice notes of an export: checked as the journal checks an upload of them.

The same code and limits as an upload (`journal.media`): a photo is sized from
its header and refused over the pixel budget before it is decoded, then
decoded small. A file that is missing or not what it claims is skipped and
counted; so is one over the limits. The zip's member names come from the one
reading of its list (`checks.check_archive`).
"""

import zipfile
from dataclasses import dataclass, field

from bson import ObjectId

from mindnotes.services.exports.formats import MEDIA_FOLDER, is_plain_file_name
from mindnotes.services.journal import media as journal_media

MAX_DURATION_SECONDS = 24 * 3600
ID_MAX = 64
OVERSIZED = (
    f"larger than MindNotes takes (a photo at most {journal_media.MAX_MEGAPIXELS} megapixels "
    f"and {journal_media.PHOTO_MAX_BYTES // (1024 * 1024)} MB, a voice note "
    f"{journal_media.VOICE_MAX_BYTES // (1024 * 1024)} MB)"
)


@dataclass
class MediaItems:
    kept: list[dict] = field(default_factory=list)
    missing: int = 0
    oversized: int = 0


class MediaFiles:
    """The export's media files, found by name in the zip's member list."""

    def __init__(self, archive: zipfile.ZipFile, members: frozenset[str]) -> None:
        self.archive, self.members = archive, members

    def items(self, items: list, photo: bool) -> MediaItems:
        """The items whose file is in the zip and is what it says, ready to copy; the others counted."""
        found = MediaItems()
        for item in items:
            name = item.get("filename") if isinstance(item, dict) else None
            member = f"{MEDIA_FOLDER}/{name}"
            if not is_plain_file_name(name):
                found.missing += 1
                continue
            self.add(found, member, item, photo)
        return found

    def add(self, found: MediaItems, member: str, item: dict, photo: bool) -> None:
        """Check the zip's `member` as a photo (or voice note) and keep it in `found`, or count why not."""
        if member not in self.members:
            found.missing += 1
            return
        try:
            found.kept.append(self._photo(member, item) if photo else self._voice_note(member, item))
        except journal_media.MediaTooLarge:
            found.oversized += 1
        except journal_media.MediaInvalid:
            found.missing += 1

    def _read(self, member: str, limit: int) -> bytes:
        if self.archive.getinfo(member).file_size > limit:
            raise journal_media.MediaTooLarge(OVERSIZED)
        return self.archive.read(member)

    def _photo(self, member: str, item: dict) -> dict:
        data = self._read(member, journal_media.PHOTO_MAX_BYTES)
        found = journal_media.describe_photo(data)
        return {
            "id": _media_id(item),
            "content_type": found["content_type"],
            "size": len(data),
            "width": found["width"],
            "height": found["height"],
            "caption": _clipped(item.get("caption"), journal_media.CAPTION_MAX),
            "member": member,
            "extension": found["extension"],
        }

    def _voice_note(self, member: str, item: dict) -> dict:
        data = self._read(member, journal_media.VOICE_MAX_BYTES)
        found = journal_media.describe_audio(data)
        duration = item.get("duration_seconds")
        if found["duration_seconds"] is None and isinstance(duration, (int, float)) and not isinstance(duration, bool):
            found["duration_seconds"] = duration if 0 <= duration <= MAX_DURATION_SECONDS else None
        return {
            "id": _media_id(item),
            "content_type": found["content_type"],
            "size": len(data),
            "duration_seconds": found["duration_seconds"],
            "transcription": _clipped(item.get("transcription"), journal_media.TRANSCRIPTION_MAX),
            "member": member,
            "extension": found["extension"],
        }


def _clipped(value: object, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _media_id(item: dict) -> str:
    value = item.get("id")
    return value if isinstance(value, str) and 0 < len(value) <= ID_MAX else str(ObjectId())
