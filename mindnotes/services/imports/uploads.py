"""An import as the person asks for it: checked at once, written by a job.

The upload is saved under `EXPORT_DIR/<user_id>/imports/<token>.zip` (a
server-made name) and checked completely in the request, so a refusal comes
back straight away (422/413). A MindNotes export is then queued; another
app's export (`sources`) is saved as `<token>.upload` with its preview beside
it (`<token>.preview.json`), and queued only once the person confirms it.
The writing, which can take minutes for a long history, runs in the worker
(`mindnotes.jobs.exports.import_upload`); its state is the RQ job's (or, before
that, the preview's), found by an id that holds the owner's id, so another
person's import is simply not found.
The job is not retried: a failure takes back what it wrote and is reported.
A person may send IMPORTS_PER_HOUR uploads an hour (counted in the rate
limiter's store, Redis): checking a file costs the server real work.
"""

import json
import math
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app
from limits import parse
from rq import get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from werkzeug.datastructures import FileStorage, MultiDict

from mindnotes import timeutil
from mindnotes.extensions import db, limiter, queue
from mindnotes.models import User
from mindnotes.services.exports import user_export_dir
from mindnotes.services.imports import ImportRefused, check_upload, daylio, import_archive
from mindnotes.services.imports.daylio import DaylioPreview
from mindnotes.services.imports.foreign import import_upload, source_for
from mindnotes.services.imports.preview import Preview, preview_upload
from mindnotes.services.imports.sources import SOURCES

JOB_TIMEOUT_SECONDS = 60 * 60
# How long the outcome stays readable after the job ends.
RESULT_SECONDS = 7 * 24 * 3600
# Uploads whose job never ran (a lost queue) are deleted after this long.
UPLOAD_LIFETIME_SECONDS = 2 * 24 * 3600
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
# The source key of MindNotes' own JSON export; every other key is another app's (`sources.SOURCES`).
OWN_EXPORT = "mindnotes"
IMPORTS_PER_HOUR = 5
_IMPORT_RATE = parse(f"{IMPORTS_PER_HOUR} per hour")


class ImportTooOften(ImportRefused):
    status = 429


@dataclass
class ImportState:
    state: str  # preview (waits for the person), queued, running, done, failed
    progress: int = 0
    summary: str = ""
    error: str = ""
    preview: Preview | DaylioPreview | None = None


def _upload_path(user_id: int, token: str) -> Path:
    return user_export_dir(user_id) / "imports" / f"{token}.zip"


def _foreign_path(user_id: int, token: str) -> Path:
    return user_export_dir(user_id) / "imports" / f"{token}.upload"


def _preview_path(user_id: int, token: str) -> Path:
    return user_export_dir(user_id) / "imports" / f"{token}.preview.json"


def _saved_preview(user_id: int, token: str) -> Preview | DaylioPreview | None:
    try:
        values = json.loads(_preview_path(user_id, token).read_text())
        return (DaylioPreview if values.get("source") == daylio.KEY else Preview).from_dict(values)
    except (OSError, ValueError, TypeError, AttributeError):
        return None


def source_choices() -> list[tuple[str, str]]:
    """What an import can come from, for the form."""
    others = [(source.key, source.label) for source in SOURCES.values()]
    return [(OWN_EXPORT, "MindNotes JSON export (.zip)"), *others, (daylio.KEY, daylio.LABEL)]


def _job_id(user_id: int, token: str) -> str:
    return f"import-{int(user_id)}-{token}"


def start_import(user: User, upload: FileStorage, source: str = OWN_EXPORT) -> str:
    """Check the upload; queue a MindNotes export's import, or keep another app's preview for the person
    to confirm. Returns the token its state is found by."""
    if source not in (OWN_EXPORT, daylio.KEY):
        source_for(source)
    _count_import(user.id)
    token = secrets.token_hex(16)
    path = _upload_path(user.id, token) if source == OWN_EXPORT else _foreign_path(user.id, token)
    path.parent.mkdir(parents=True, exist_ok=True)
    upload.save(path)
    try:
        if source == OWN_EXPORT:
            check_upload(user, path)
        else:
            found = daylio.preview_daylio(user, path) if source == daylio.KEY else preview_upload(user, source, path)
            _preview_path(user.id, token).write_text(json.dumps(found.as_dict()))
    except ImportRefused:
        path.unlink(missing_ok=True)
        raise
    if source == OWN_EXPORT:
        _queue(user.id, token)
    return token


def _queue(user_id: int, token: str, update: bool = False) -> None:
    queue.enqueue(
        "mindnotes.jobs.exports.import_upload",
        user_id,
        token,
        update,
        job_id=_job_id(user_id, token),
        job_timeout=JOB_TIMEOUT_SECONDS,
        result_ttl=RESULT_SECONDS,
        failure_ttl=RESULT_SECONDS,
    )


def confirm_import(user_id: int, token: str, update: bool, choices: MultiDict | None = None) -> ImportState | None:
    """Queue the previewed import `token` of the person's (once: a second confirm changes nothing), with
    the moods they mapped (Daylio); None when they have no such import, ImportRefused for a wrong choice."""
    state = import_state(user_id, token)
    if state is not None and state.state == "preview":
        if isinstance(state.preview, DaylioPreview):
            daylio.choose_mapping(state.preview, choices or MultiDict())
            _preview_path(user_id, token).write_text(json.dumps(state.preview.as_dict()))
        _queue(user_id, token, update)
        state = import_state(user_id, token)
    return state


def _count_import(user_id: int) -> None:
    """Count one more upload of the person's this hour; ImportTooOften past the limit."""
    if limiter.limiter.hit(_IMPORT_RATE, "imports", str(user_id)):
        return
    reset_at, _remaining = limiter.limiter.get_window_stats(_IMPORT_RATE, "imports", str(user_id))
    minutes = max(1, math.ceil((reset_at - timeutil.utcnow().timestamp()) / 60))
    raise ImportTooOften(
        f"You can import {IMPORTS_PER_HOUR} files an hour and have reached that. "
        f"Try again in {minutes} minute{'s' if minutes != 1 else ''}."
    )


def _record_progress(percent: int) -> None:
    job = get_current_job()
    if job is not None:
        job.meta["progress"] = percent
        job.save_meta()


def run_import(user_id: int, token: str, update: bool = False) -> dict:
    """The job's work: import the saved upload, then delete it; the outcome in words."""
    preview = _saved_preview(user_id, token)
    path = _upload_path(user_id, token) if preview is None else _foreign_path(user_id, token)
    user = db.session.get(User, user_id)
    try:
        if user is None or not path.is_file():
            return {"error": "The uploaded file is no longer here; please import it again."}
        if preview is None:
            report = import_archive(user, path, progress=_record_progress)
        elif isinstance(preview, DaylioPreview):
            report = daylio.import_daylio(user, path, preview, _record_progress)
        else:
            report = import_upload(user, preview.source, path, update, preview.items, _record_progress)
        return {"summary": report.summary()}
    except ImportRefused as error:
        return {"error": str(error)}
    finally:
        path.unlink(missing_ok=True)
        _preview_path(user_id, token).unlink(missing_ok=True)


def import_state(user_id: int, token: str) -> ImportState | None:
    """The state of the person's import `token`, or None when there is none of theirs."""
    if not _TOKEN.match(token):
        return None
    try:
        job = Job.fetch(_job_id(user_id, token), connection=queue.redis)
    except NoSuchJobError:
        preview = _saved_preview(user_id, token)
        return ImportState("preview", preview=preview) if preview is not None else None
    status = job.get_status()
    if status == JobStatus.FINISHED:
        outcome = job.return_value() or {}
        if outcome.get("error"):
            return ImportState("failed", error=outcome["error"])
        return ImportState("done", 100, summary=outcome.get("summary", ""))
    if status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
        return ImportState("failed", error="The import failed and nothing was imported. Please try again.")
    return ImportState("running" if status == JobStatus.STARTED else "queued", job.meta.get("progress", 0))


def remove_stale_uploads(now: datetime | None = None) -> int:
    """Delete saved uploads older than their lifetime (their job never ran); returns how many."""
    cutoff = (now or timeutil.utcnow()).timestamp() - UPLOAD_LIFETIME_SECONDS
    removed = 0
    for path in Path(current_app.config["EXPORT_DIR"]).glob("*/imports/*"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
