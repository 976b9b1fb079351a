"""Drafts: the editor's autosaved text, so a closed tab or a lost connection loses no words,
and the photos and voice notes added before the entry's first save."""

import shutil
from datetime import datetime
from pathlib import Path

from bson import ObjectId

from mindnotes import timeutil
from mindnotes.documents import journal_drafts
from mindnotes.inputs import parse_id
from mindnotes.services.journal import EntryInvalid, EntryNotFound, JournalError, get_entry
from mindnotes.services.journal import files as journal_files
from mindnotes.services.journal import media as journal_media
from mindnotes.services.journal.fields import CONTENT_MAX, TITLE_MAX

# The editor fields a draft keeps, as typed (strings), and how long each may be.
DRAFT_FIELDS = {
    "title": TITLE_MAX * 5,
    "content": CONTENT_MAX * 2,
    "entry_type": 20,
    "entry_date": 40,
    "privacy": 20,
    "mood_score": 10,
    "location_name": 1000,
    "latitude": 40,
    "longitude": 40,
    "weather": 500,
    "is_favorite": 10,
}


def save_draft(user, entry_id: str | None, form: dict, now: datetime | None = None) -> dict:
    """Keep what the person typed for a new entry (`entry_id` None) or one of their entries."""
    oid = get_entry(user, entry_id)["_id"] if entry_id is not None else None
    fields = {name: str(form.get(name) or "") for name in DRAFT_FIELDS}
    too_long = [name for name, limit in DRAFT_FIELDS.items() if len(fields[name]) > limit]
    if too_long:
        raise EntryInvalid({name: "Too long to keep as a draft." for name in too_long})
    fields["tag_ids"] = [value for value in form.get("tag_ids", []) if parse_id(value) is not None][:100]
    return journal_drafts.save_draft(user.id, oid, fields, now or timeutil.utcnow())


def draft_for(user, entry_id: ObjectId | None) -> dict | None:
    return journal_drafts.get_draft(user.id, entry_id)


def discard_draft(user, draft_id: str) -> dict:
    """Forget the draft, and the files kept with it."""
    draft = journal_drafts.get_draft_by_id(user.id, draft_id)
    if draft is None or not journal_drafts.delete_draft_by_id(user.id, draft["_id"]):
        raise EntryNotFound("There is no such draft.")
    discard_draft_media(user, draft.get("entry_id"))
    return draft


def forget_draft(user, entry_id: ObjectId | None) -> None:
    """The entry is saved: its draft has done its work."""
    journal_drafts.delete_draft(user.id, entry_id)


# Photos and voice notes added before the entry is saved live beside its draft, on disk:
# UPLOAD_DIR/<user>/drafts/<entry key>/<server-made name>. The folder is the draft's list
# (no document write, so an autosave racing an upload cannot lose a file). Saving the entry
# moves them onto it; discarding the draft deletes them; deleting the account deletes the
# person's whole folder. An abandoned draft keeps them until one of those happens, and the
# editor shows them whenever the person comes back.
def _draft_folder(user_id: int, entry_id: ObjectId | None) -> Path:
    return journal_files.user_folder(user_id) / "drafts" / (str(entry_id) if entry_id is not None else "new")


def draft_media(user, entry_id: ObjectId | None) -> list[dict]:
    """The files kept with the person's draft: name, kind ("photos" or "voice_notes") and size, oldest first."""
    folder = _draft_folder(user.id, entry_id)
    if not folder.is_dir():
        return []
    files = sorted(folder.iterdir(), key=lambda path: (path.stat().st_mtime_ns, path.name))
    return [
        {
            "name": path.name,
            "kind": "photos" if path.suffix.lstrip(".") in journal_media.PHOTO_EXTENSIONS else "voice_notes",
            "size": path.stat().st_size,
        }
        for path in files
        if path.is_file()
    ]


def keep_draft_media(
    user, entry_id: str | None, photos: list[journal_media.Upload], voice_notes: list[journal_media.Upload]
) -> None:
    """Check these files as the entry would, then keep them with the draft until the entry is saved."""
    entry = get_entry(user, entry_id) if entry_id is not None else {}
    oid = entry.get("_id")
    kept = draft_media(user, oid)
    counts = {
        kind: list(entry.get(kind, [])) + [item for item in kept if item["kind"] == kind]
        for kind in ("photos", "voice_notes")
    }
    journal_media.check_new_media(photos, voice_notes, counts)
    folder = _draft_folder(user.id, oid)
    folder.mkdir(parents=True, exist_ok=True)
    for upload, describe in [(p, journal_media.describe_photo) for p in photos] + [
        (v, journal_media.describe_audio) for v in voice_notes
    ]:
        (folder / journal_files.new_name(describe(upload.data)["extension"])).write_bytes(upload.data)


def draft_media_path(user, entry_id: str | None, name: str) -> Path:
    """A file kept with the person's draft; EntryNotFound when there is none by that name."""
    oid = get_entry(user, entry_id)["_id"] if entry_id is not None else None
    if journal_files.path_for(user.id, name) is None:
        raise EntryNotFound("There is no such file.")
    path = _draft_folder(user.id, oid) / name
    if not path.is_file():
        raise EntryNotFound("There is no such file.")
    return path


def remove_draft_media(user, entry_id: str | None, name: str) -> None:
    draft_media_path(user, entry_id, name).unlink(missing_ok=True)


def attach_draft_media(user, draft_key: ObjectId | None, entry_id: ObjectId) -> list[str]:
    """Move the files kept with the draft (of `draft_key`: None for a new entry) onto the saved entry.

    Answers the problems of any that could not be added (they stay with the draft).
    """
    folder = _draft_folder(user.id, draft_key)
    problems = []
    for item in draft_media(user, draft_key):
        path = folder / item["name"]
        upload = journal_media.Upload(path.read_bytes())
        try:
            if item["kind"] == "photos":
                journal_media.add_photo(user, entry_id, upload)
            else:
                journal_media.add_voice_note(user, entry_id, upload)
        except JournalError as error:
            problems.append(error.message)
            continue
        path.unlink(missing_ok=True)
    _remove_empty(folder)
    return problems


def discard_draft_media(user, draft_key: ObjectId | None) -> None:
    folder = _draft_folder(user.id, draft_key)
    if folder.is_dir():
        shutil.rmtree(folder, ignore_errors=True)


def _remove_empty(folder: Path) -> None:
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
