"""Photos and voice notes on an entry: checked by their content, stored under server-made names.

A photo must decode with Pillow as JPEG, PNG or WebP (at most 10 MB); a voice
note must be audio that mutagen recognises, or a WebM recording as browsers
make them (at most 25 MB). The name, type and size we store come from what
the file is, never from what the upload says it is.

A few hundred kilobytes of PNG can stand for billions of pixels, so a photo's
size in pixels is read from its header and refused over the budget before
anything is decoded; then it is decoded as small as its format allows (a JPEG
at up to 1/8 scale through `Image.draft`), which proves the whole file reads
while keeping an upload's memory under about 100 MB (bench/media.py).
"""

import io
import secrets
import warnings
from dataclasses import dataclass
from datetime import datetime

import mutagen
from mutagen import MutagenError
from PIL import Image, UnidentifiedImageError

from mindnotes import timeutil
from mindnotes.errors import NotFound, TooLarge
from mindnotes.services.journal import JournalError, change_entry, get_entry
from mindnotes.services.journal import files as journal_files
from mindnotes.services.journal.fields import entry_type_for

PHOTO_MAX_BYTES = 10 * 1024 * 1024
VOICE_MAX_BYTES = 25 * 1024 * 1024
CAPTION_MAX = 300
TRANSCRIPTION_MAX = 20_000
PHOTOS_PER_ENTRY = 30
VOICE_NOTES_PER_ENTRY = 20
# Pixels, not bytes, decide a decoded image's memory: at most this many in a photo.
MAX_MEGAPIXELS = 40
# PNG and WebP decode only whole, at about 4 bytes a pixel for a colour PNG
# and 16 for WebP (bench/media.py): these limits keep that near 80 MB.
# A grey or palette PNG (1 byte a pixel) may have MAX_MEGAPIXELS.
WHOLE_DECODE_MEGAPIXELS = {"PNG": 20, "WEBP": 5}
_ONE_BYTE_MODES = ("1", "L", "P")
# A JPEG is checked at the smallest scale still this many pixels across.
CHECK_SIDE = 256
PHOTO_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
AUDIO_TYPES = {
    "MP3": ("audio/mpeg", "mp3"),
    "MP4": ("audio/mp4", "m4a"),
    "OggVorbis": ("audio/ogg", "ogg"),
    "OggOpus": ("audio/ogg", "opus"),
    "FLAC": ("audio/flac", "flac"),
    "WAVE": ("audio/wav", "wav"),
    "AAC": ("audio/aac", "aac"),
}
PHOTO_EXTENSIONS = {extension for _type, extension in PHOTO_TYPES.values()}
# WebM (EBML) as the browser's MediaRecorder makes it; mutagen cannot read it.
_EBML_MAGIC = b"\x1a\x45\xdf\xa3"


class MediaInvalid(JournalError):
    """The upload is not what it claims to be (answered with 422)."""


class MediaTooLarge(JournalError, TooLarge):
    """The upload is over its type's size limit (answered with 413)."""


class MediaNotFound(JournalError, NotFound):
    """No such photo or voice note on this person's entry (answered with 404)."""


@dataclass
class Upload:
    """The bytes of one uploaded file; read by the view, at most `limit + 1` of them."""

    data: bytes


def read_upload(stream, limit: int) -> Upload:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise MediaTooLarge(f"That file is larger than {limit // (1024 * 1024)} MB.")
    if not data:
        raise MediaInvalid("Choose a file to upload.")
    return Upload(data)


def _pixel_limit(kind: str, mode: str) -> int:
    """The most pixels a photo of this format (and mode) may have."""
    if kind == "PNG" and mode in _ONE_BYTE_MODES:
        return MAX_MEGAPIXELS * 1_000_000
    return WHOLE_DECODE_MEGAPIXELS.get(kind, MAX_MEGAPIXELS) * 1_000_000


def _check_pixels(kind: str, mode: str, width: int, height: int) -> None:
    limit = _pixel_limit(kind, mode)
    if width * height <= limit:
        return
    found = f"This photo is {width:,} × {height:,} pixels ({width * height / 1_000_000:.1f} megapixels)"
    if limit < MAX_MEGAPIXELS * 1_000_000:
        raise MediaTooLarge(
            f"{found}; a {'WebP' if kind == 'WEBP' else kind} photo may have at most {limit // 1_000_000} "
            f"megapixels (a JPEG up to {MAX_MEGAPIXELS}). Make it smaller, or save it as a JPEG."
        )
    raise MediaTooLarge(f"{found}; a photo may have at most {MAX_MEGAPIXELS} megapixels. Make it smaller.")


def describe_photo(data: bytes) -> dict:
    """Type, extension, width and height of a JPEG, PNG or WebP: sized from its header, then decoded small."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Image.open reads the header only; nothing is decoded before the size is checked.
            with Image.open(io.BytesIO(data)) as image:
                kind, mode, width, height = image.format, image.mode, image.width, image.height
                if kind not in PHOTO_TYPES:
                    raise MediaInvalid("Photos must be JPEG, PNG or WebP images.")
                _check_pixels(kind, mode, width, height)
                image.verify()
            with Image.open(io.BytesIO(data)) as image:
                # A JPEG decodes at 1/2 to 1/8 scale, still reading every byte; PNG and WebP only whole.
                image.draft(None, (CHECK_SIDE, CHECK_SIDE))
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise MediaTooLarge(
            f"This photo has more pixels than MindNotes takes: at most {MAX_MEGAPIXELS} megapixels. Make it smaller."
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Warning) as error:
        raise MediaInvalid("That file is not a JPEG, PNG or WebP image we can open.") from error
    content_type, extension = PHOTO_TYPES[kind]
    return {"content_type": content_type, "extension": extension, "width": width, "height": height}


def describe_audio(data: bytes) -> dict:
    """Type, extension and duration (when readable) of an audio file, by its content."""
    if data.startswith(_EBML_MAGIC) and b"webm" in data[:64]:
        return {"content_type": "audio/webm", "extension": "webm", "duration_seconds": None}
    try:
        audio = mutagen.File(io.BytesIO(data))
    except (MutagenError, ValueError, OSError) as error:
        raise MediaInvalid("That file is not an audio recording we can read.") from error
    kind = type(audio).__name__ if audio is not None else ""
    if kind not in AUDIO_TYPES:
        raise MediaInvalid("Voice notes must be audio: MP3, M4A, Ogg, Opus, FLAC, WAV, AAC or WebM.")
    content_type, extension = AUDIO_TYPES[kind]
    length = getattr(audio.info, "length", None)
    duration = round(float(length), 1) if length else None
    return {"content_type": content_type, "extension": extension, "duration_seconds": duration}


def _with_items(entry: dict, kind: str, items: list[dict]) -> dict:
    """The entry's changes once its `kind` list is `items`: the list, its count, and the type that follows."""
    changes = {kind: items, "photo_count" if kind == "photos" else "voice_note_count": len(items)}
    return {**changes, "entry_type": entry_type_for({**entry, **changes})}


def _attach(user, entry_id: str, kind: str, item: dict, data: bytes, now: datetime) -> dict:
    """Store the file, then add `item` to the entry's `kind` list; the file goes if that fails."""
    limit = PHOTOS_PER_ENTRY if kind == "photos" else VOICE_NOTES_PER_ENTRY
    if len(get_entry(user, entry_id).get(kind, [])) >= limit:
        raise MediaInvalid(f"An entry holds at most {limit} of these.")
    journal_files.save(user.id, item["filename"], data)

    def add(entry: dict) -> dict:
        return _with_items(entry, kind, entry.get(kind, []) + [item])

    try:
        return change_entry(user, entry_id, add, now=now)
    except JournalError:
        journal_files.remove(user.id, [item["filename"]])
        raise


def add_photo(user, entry_id: str, upload: Upload, caption: str = "", now: datetime | None = None) -> dict:
    caption = (caption or "").strip()
    if len(caption) > CAPTION_MAX:
        raise MediaInvalid(f"A caption is at most {CAPTION_MAX} characters.")
    get_entry(user, entry_id)
    found = describe_photo(upload.data)
    photo = {
        "id": secrets.token_hex(8),
        "filename": journal_files.new_name(found["extension"]),
        "content_type": found["content_type"],
        "size": len(upload.data),
        "width": found["width"],
        "height": found["height"],
        "caption": caption,
        "uploaded_at": now or timeutil.utcnow(),
    }
    return _attach(user, entry_id, "photos", photo, upload.data, now or timeutil.utcnow())


def add_voice_note(user, entry_id: str, upload: Upload, transcription: str = "", now: datetime | None = None) -> dict:
    transcription = (transcription or "").strip()
    if len(transcription) > TRANSCRIPTION_MAX:
        raise MediaInvalid(f"A transcription is at most {TRANSCRIPTION_MAX:,} characters.")
    get_entry(user, entry_id)
    found = describe_audio(upload.data)
    note = {
        "id": secrets.token_hex(8),
        "filename": journal_files.new_name(found["extension"]),
        "content_type": found["content_type"],
        "size": len(upload.data),
        "duration_seconds": found["duration_seconds"],
        "transcription": transcription,
        "uploaded_at": now or timeutil.utcnow(),
    }
    return _attach(user, entry_id, "voice_notes", note, upload.data, now or timeutil.utcnow())


def check_new_media(photos: list[Upload], voice_notes: list[Upload], entry: dict | None = None) -> None:
    """Refuse, before the entry is saved, what `add_photo` and `add_voice_note` would refuse of these files.

    The editor sends them with the entry's text; checking first means a refused
    file leaves no entry (or edit) half made. `entry` is the entry they join, if it exists.
    """
    for kind, items, limit in (
        ("photos", photos, PHOTOS_PER_ENTRY),
        ("voice_notes", voice_notes, VOICE_NOTES_PER_ENTRY),
    ):
        if len(items) + len((entry or {}).get(kind, [])) > limit:
            what = "photos" if kind == "photos" else "voice notes"
            raise MediaInvalid(f"An entry holds at most {limit} {what}.")
    for photo in photos:
        describe_photo(photo.data)
    for note in voice_notes:
        describe_audio(note.data)


def add_new_media(user, entry_id, photos: list[Upload], voice_notes: list[Upload]) -> list[str]:
    """Add files checked by `check_new_media` to the saved entry; the problems of any that could not be added."""
    problems = []
    for adding, uploads in ((add_photo, photos), (add_voice_note, voice_notes)):
        for upload in uploads:
            try:
                adding(user, entry_id, upload)
            except JournalError as error:
                problems.append(error.message)
    return problems


def find_media(user, entry_id: str, kind: str, media_id: str) -> tuple[dict, str]:
    """The stored item and its file path, for the owner only (trashed entries too)."""
    entry = get_entry(user, entry_id, include_trashed=True)
    for item in entry.get(kind, []):
        if item["id"] == media_id:
            path = journal_files.path_for(user.id, item["filename"])
            if path is not None and path.is_file():
                return item, str(path)
    raise MediaNotFound("There is no such file.")


def remove_media(user, entry_id: str, kind: str, media_id: str) -> dict:
    removed: list[dict] = []

    def take_out(entry: dict) -> dict:
        items = entry.get(kind, [])
        removed[:] = [item for item in items if item["id"] == media_id]
        if not removed:
            raise MediaNotFound("There is no such file.")
        return _with_items(entry, kind, [item for item in items if item["id"] != media_id])

    entry = change_entry(user, entry_id, take_out)
    journal_files.remove(user.id, [item["filename"] for item in removed])
    return entry
