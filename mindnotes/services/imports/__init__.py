"""Importing a JSON export (format "mindnotes-export", see `export_formats`) into an account.

Everything is checked before anything is written: the zip (size, member
count, compression ratios, member names), the JSON (format and version), and
every document, field by field (`checks`, `rules`): a document that breaks a
rule is skipped and named in the report, the rest goes in. Then entries go in
through the journal service (which keeps the plan's entry limit: entries past
it are skipped and reported), moods and focus sessions after them, each with
its day totals. If a write fails midway, what was written is removed again.

Every imported document keeps the id it had where it was first written
(`source_id`); a document already here under that id is not written again,
so importing the same file twice adds nothing the second time.

An entry's local day comes from the importing person's time zone (the journal
service's rule); moods and sessions keep the local day they were stored with.
"""

import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from bson import ObjectId
from sqlalchemy import update

from mindnotes.documents import daily_activity_logs, focus_sessions, imported, journal_entries, mood_entries
from mindnotes.extensions import db
from mindnotes.models import Profile, User
from mindnotes.services import journal
from mindnotes.services.imports.checks import (
    MAX_UPLOAD_BYTES,
    Header,
    ImportRefused,
    Planned,
    check_documents,
    planned_documents,
    read_export,
)
from mindnotes.services.imports.writing import (
    FAILED_MESSAGE,
    ImportFailed,
    ImportReport,
    Progress,
    Written,
    batches,
    copy_media,
    count_session,
    counted,
    tag_ids,
    take_back,
)
from mindnotes.services.journal.tags import tag_names
from mindnotes.services.overview.activity import refresh_analytics

# Moods and ended focus sessions are inserted whole, as exported: the mood and
# focus services only make new ones "now", and focus_sessions.insert_session
# would claim the person's one running slot, so ended sessions go in through
# focus_sessions.insert_ended_session.
BREAKS = ("short_break", "long_break")
_COLLECTIONS = {"entry": "journal_entries", "mood": "mood_entries", "session": "focus_sessions"}
_KIND_WORDS = {
    "entry": ("journal entry", "journal entries"),
    "mood": ("mood", "moods"),
    "session": ("focus session", "focus sessions"),
}

__all__ = ["MAX_UPLOAD_BYTES", "ImportRefused", "ImportReport", "check_upload", "import_archive", "too_large_message"]


def too_large_message() -> str:
    return f"That file is larger than the {MAX_UPLOAD_BYTES // (1024 * 1024)} MB an import may be."


def _opened(source: str | Path | IO[bytes]) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportRefused("This file is not a zip. Choose the .zip of a MindNotes JSON export.") from error


def check_upload(user: User, source: str | Path | IO[bytes]) -> None:
    """Refuse (ImportRefused) a file that cannot be imported, writing nothing."""
    with _opened(source) as archive:
        check_documents(user, archive, read_export(archive))


def import_archive(
    user: User, source: str | Path | IO[bytes], progress: Callable[[int], None] | None = None
) -> ImportReport:
    """Import the JSON export in `source` into `user`'s account; ImportRefused says why not.

    The file is read three times, a document at a time: its header, a check of
    every document, then the writing. Memory does not grow with the export.
    """
    with _opened(source) as archive:
        header = read_export(archive)
        report = ImportReport(skipped=check_documents(user, archive, header))
        written = Written()
        try:
            _write(user, archive, header, written, report, Progress(header.documents, progress))
        except Exception as error:
            take_back(user, written)
            raise ImportFailed(FAILED_MESSAGE) from error
    return report


def _complete_entry(user: User, archive, entry: dict, prepared, written: Written, report: ImportReport) -> None:
    """Add what the journal service does not take at creation: media (copied), earlier versions, the source id."""
    photos = copy_media(user, archive, prepared.photos, written)
    voice_notes = copy_media(user, archive, prepared.voice_notes, written)
    report.media += len(photos) + len(voice_notes)
    media = {"photos": photos, "voice_notes": voice_notes, "photo_count": len(photos)}
    changed = journal_entries.replace_entry(
        user.id, {**entry, **prepared.extra, **media, "voice_note_count": len(voice_notes)}
    )
    if changed is None:
        raise RuntimeError("an imported entry changed while it was being completed")


def _already_here(user: User, batch: list[Planned]) -> dict[str, dict[str, ObjectId]]:
    """For each kind, the batch's source ids already in the person's collection -> the stored `_id`."""
    found = {}
    for kind, name in _COLLECTIONS.items():
        ids = [p.source_id for p in batch if p.kind == kind and p.source_id]
        found[kind] = imported.already_here(name, user.id, ids)
    return found


@dataclass
class _Writing:
    """The state of one import's writing pass."""

    tags: dict[str, int]
    new_entry_ids: dict[str, ObjectId] = field(default_factory=dict)
    already_here: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_COLLECTIONS, 0))
    limit_message: str = ""
    over_limit: int = 0


def _write_one(user: User, archive, planned: Planned, state: _Writing, written: Written, report) -> ObjectId | None:
    """Write one checked document; its new `_id`, or None when the plan's entry limit stopped it."""
    if planned.kind == "entry":
        if state.limit_message:
            state.over_limit += 1
            return None
        prepared = planned.document
        fields = {**prepared.fields, "tag_ids": tag_ids(user, prepared.tag_names, state.tags, written)}
        try:
            entry = journal.create_entry(user, fields, entry_id=ObjectId())
        except journal.EntryLimitReached as error:
            state.limit_message, state.over_limit = str(error), 1
            return None
        written.add_entry(entry["_id"])
        prepared.extra["source_id"] = planned.source_id
        _complete_entry(user, archive, entry, prepared, written, report)
        state.new_entry_ids[prepared.old_id] = entry["_id"]
        report.entries += 1
        return entry["_id"]
    if planned.kind == "mood":
        report.moods += 1
        return _write_mood(user, {**planned.document, "source_id": planned.source_id}, state.new_entry_ids, written)
    report.focus_sessions += 1
    return _write_session(user, {**planned.document, "source_id": planned.source_id}, state.tags, written)


def _write(
    user: User, archive: zipfile.ZipFile, header: Header, written: Written, report: ImportReport, progress: Progress
) -> None:
    state = _Writing({name.casefold(): tag_id for tag_id, name in tag_names(user.id).items()})
    for batch in batches(planned_documents(user, archive, header)):
        here = _already_here(user, batch)
        for planned in batch:
            progress.step()
            if planned.kind not in _COLLECTIONS:
                continue
            stored_id = here[planned.kind].get(planned.source_id) if planned.source_id else None
            if stored_id is not None:
                state.already_here[planned.kind] += 1
                if planned.kind == "entry":
                    state.new_entry_ids[planned.document.old_id] = stored_id
                continue
            stored_id = _write_one(user, archive, planned, state, written, report)
            if stored_id is not None and planned.source_id:
                # A twin later in the same file is then found here too.
                here[planned.kind][planned.source_id] = stored_id
    _report_not_written(state, report)
    _count_in_profile(user.id, len(written.moods), sum(s["focus_minutes"] for s in written.sessions))
    # Moods and sessions went into the day logs directly; the entries queued this already.
    refresh_analytics(user.id)


def _report_not_written(state: _Writing, report: ImportReport) -> None:
    if state.limit_message:
        reason = state.limit_message[0].lower() + state.limit_message[1:]
        report.skipped.append(f"{counted(state.over_limit, 'journal entry', 'journal entries')}, because {reason}")
    counts = [counted(n, *_KIND_WORDS[kind]) for kind, n in state.already_here.items() if n]
    if counts:
        what = ", ".join(counts[:-1]) + " and " + counts[-1] if len(counts) > 1 else counts[0]
        report.skipped.append(f"{what} already in your account (imported before).")


def _write_mood(user: User, mood: dict, new_entry_ids: dict[str, ObjectId], written: Written) -> ObjectId:
    link = mood.pop("journal_entry_old_id")
    stored = mood_entries.insert_mood(user.id, {**mood, "journal_entry_id": new_entry_ids.get(link)})
    written.moods.append({"_id": stored["_id"], "local_date": stored["local_date"], "score": stored["score"]})
    daily_activity_logs.record_activity(user.id, stored["local_date"], moods=1, mood_score_sum=stored["score"])
    return stored["_id"]


def _write_session(user: User, prepared: dict, tags: dict[str, int], written: Written) -> ObjectId:
    session = {key: value for key, value in prepared.items() if key != "tag_names"}
    session_id = ObjectId()
    session["_id"] = session_id
    session["tag_ids"] = tag_ids(user, prepared["tag_names"], tags, written)
    focus_sessions.insert_ended_session(user.id, session)
    counted = {"_id": session_id, "local_date": session["local_date"], "focus_minutes": _focus_minutes(session)}
    written.sessions.append({**counted, "counts": _counts_as_focus(session)})
    count_session(user.id, written.sessions[-1], 1)
    return session_id


def _counts_as_focus(session: dict) -> bool:
    return session.get("status") == "completed" and session.get("session_type") not in BREAKS


def _focus_minutes(session: dict) -> int:
    return (session.get("focus_minutes") or 0) if _counts_as_focus(session) else 0


def _count_in_profile(user_id: int, moods: int, focus_minutes: int) -> None:
    db.session.execute(
        update(Profile)
        .where(Profile.user_id == user_id)
        .values(moods_logged=Profile.moods_logged + moods, focus_minutes=Profile.focus_minutes + focus_minutes)
    )
    db.session.commit()
