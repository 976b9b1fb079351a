"""Exports: asking for one, its progress, its file, building it, and expiry.

A request is a row in PostgreSQL (`ExportRequest`); the file is built by the
job `mindnotes.jobs.exports.build_export` into
`EXPORT_DIR/<user_id>/mindnotes-export-<id>.<ext>` (a name the server makes,
outside `static/`). The build writes to a temporary name and renames it when
complete, so a retried or doubled run leaves one file. Files expire after
`EXPORT_LIFETIME`; `expire_exports` deletes them and marks the rows expired.
"""

import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from uuid import uuid4

from flask import current_app
from redis.exceptions import RedisError
from rq import Retry
from rq.timeouts import JobTimeoutException
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mindnotes import timeutil
from mindnotes.errors import UserError
from mindnotes.extensions import db, queue
from mindnotes.models import ExportRequest, User
from mindnotes.services.billing.plans import plan_for

FORMATS = {
    "json": "JSON (everything, can be imported again)",
    "markdown": "Markdown (one file per journal entry)",
    "csv": "CSV (moods and focus sessions, for spreadsheets)",
    "pdf": "PDF (your journal, to read or print; premium)",
}
SCOPES = {"everything": "Everything", "journal": "Journal", "moods": "Moods", "focus": "Focus sessions"}
# What each format can hold; "everything" means all of it.
FORMAT_HOLDS = {
    "json": {"journal", "moods", "focus"},
    "markdown": {"journal"},
    "csv": {"moods", "focus"},
    "pdf": {"journal"},
}
FILE_EXTENSIONS = {"json": "zip", "markdown": "zip", "csv": "zip", "pdf": "pdf"}
EXPORT_LIFETIME = timedelta(days=7)
# A build gets this long before RQ stops it; it is then retried (twice).
JOB_TIMEOUT_SECONDS = 30 * 60
JOB_RETRIES = 2
PENDING = ("queued", "running")
# Longer than every attempt together could take, with time to wait in the queue.
STUCK_AFTER = timedelta(seconds=JOB_TIMEOUT_SECONDS * (JOB_RETRIES + 1) + 3600)
PAST_EXPORTS_SHOWN = 20


class ExportError(UserError):
    """A request the person can fix: `field` names the form field, when there is one."""


class PremiumRequired(ExportError):
    status = 403


class ExportPending(ExportError):
    status = 409


@dataclass(frozen=True)
class ExportChoice:
    format: str
    scope: str
    date_from: date | None = None
    date_to: date | None = None


def collections_for(export: ExportRequest) -> list[str]:
    """Which of journal, moods, focus this export holds, in that order."""
    wanted = {"journal", "moods", "focus"} if export.scope == "everything" else {export.scope}
    return [part for part in ("journal", "moods", "focus") if part in wanted & FORMAT_HOLDS[export.format]]


def _check_choice(user: User, choice: ExportChoice) -> None:
    if choice.format not in FORMATS:
        raise ExportError("Choose one of the formats.", "format")
    if choice.scope not in SCOPES:
        raise ExportError("Choose what to export.", "scope")
    holds = FORMAT_HOLDS[choice.format]
    if choice.scope != "everything" and choice.scope not in holds:
        names = " and ".join(SCOPES[part].lower() for part in ("journal", "moods", "focus") if part in holds)
        raise ExportError(f"A {choice.format.upper()} export holds your {names}; choose that or everything.", "scope")
    if choice.date_from and choice.date_to and choice.date_from > choice.date_to:
        raise ExportError("The start date comes after the end date.", "date_to")
    if choice.format == "pdf" and not plan_for(user.id).pdf_export:
        raise PremiumRequired(
            f"PDF export is part of the Premium plan; you are on the {plan_for(user.id).name} plan. "
            "JSON, Markdown and CSV exports are free.",
            "format",
        )


def _has_pending_export(user_id: int) -> bool:
    return (
        db.session.scalar(
            select(ExportRequest.id).where(ExportRequest.user_id == user_id, ExportRequest.status.in_(PENDING)).limit(1)
        )
        is not None
    )


def request_export(user: User, choice: ExportChoice) -> ExportRequest:
    """Record the request and queue its build.

    One pending export per person is held by a unique index, not by a check before the
    insert: of two concurrent requests, the second's insert fails and it is told to wait.
    When Redis cannot take the job, the request is kept, queued; the sweep queues its build.
    """
    _check_choice(user, choice)
    export = ExportRequest(
        user_id=user.id,
        format=choice.format,
        scope=choice.scope,
        date_from=choice.date_from,
        date_to=choice.date_to,
        status="queued",
        progress=0,
    )
    db.session.add(export)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if not _has_pending_export(user.id):
            raise
        raise ExportPending(
            "An export is already being prepared. Wait for it to finish, then ask for another."
        ) from None
    queue_build(export.id)
    return export


def queue_build(export_id: int) -> bool:
    """Queue the build of export `export_id`. When Redis cannot take it, the request stays
    queued (logged, False) and the sweep `recovery.requeue_stalled_exports` queues it later."""
    try:
        queue.enqueue(
            "mindnotes.jobs.exports.build_export",
            export_id,
            job_id=build_job_id(export_id),
            job_timeout=JOB_TIMEOUT_SECONDS,
            retry=Retry(max=JOB_RETRIES),
        )
    except RedisError as error:
        current_app.logger.warning(
            "Export %s is saved but its build was not queued (%s); the sweep will queue it",
            export_id,
            error.__class__.__name__,
        )
        return False
    return True


def build_job_id(export_id: int) -> str:
    """The RQ job id of an export's build: one job per export."""
    return f"export-{export_id}"


def get_export(user_id: int, export_id: int) -> ExportRequest | None:
    """The person's own export, or None (another person's is answered as a 404)."""
    return db.session.scalar(
        select(ExportRequest).where(ExportRequest.id == export_id, ExportRequest.user_id == user_id)
    )


def list_exports(user_id: int, limit: int = PAST_EXPORTS_SHOWN) -> list[ExportRequest]:
    return list(
        db.session.scalars(
            select(ExportRequest)
            .where(ExportRequest.user_id == user_id)
            .order_by(ExportRequest.created_at.desc(), ExportRequest.id.desc())
            .limit(limit)
        )
    )


def user_export_dir(user_id: int) -> Path:
    return Path(current_app.config["EXPORT_DIR"]) / str(int(user_id))


def file_name(export: ExportRequest) -> str:
    return f"mindnotes-export-{export.id}.{FILE_EXTENSIONS[export.format]}"


def download_name(export: ExportRequest) -> str:
    """The name the person's browser saves the file under."""
    return f"mindnotes-{export.format}-{export.created_at:%Y-%m-%d}-{export.id}.{FILE_EXTENSIONS[export.format]}"


def ready_file(user_id: int, export_id: int) -> tuple[ExportRequest, Path] | None:
    """The person's finished, unexpired export and its file, or None."""
    export = get_export(user_id, export_id)
    if export is None or export.status != "ready" or not export.file_path:
        return None
    path = user_export_dir(user_id) / export.file_path
    return (export, path) if path.is_file() else None


def _remove_stale_parts(folder: Path, export: ExportRequest) -> None:
    """Delete half-written files a crashed run left behind.

    Only parts older than the job timeout: a part still being written by a
    concurrent run is younger than that.
    """
    cutoff = timeutil.utcnow().timestamp() - JOB_TIMEOUT_SECONDS
    for part in folder.glob(f".{file_name(export)}.*.part"):
        if part.stat().st_mtime < cutoff:
            part.unlink(missing_ok=True)


def write_export(export: ExportRequest, user: User, target: Path, report: Callable[[int], None]) -> None:
    """Write the export's whole file to `target` (a zip of the chosen format, or a PDF)."""
    # Imported here: the writers (fpdf, Pillow) are the job's, not every request's.
    from mindnotes.services.exports import formats, pdf

    parts = collections_for(export)
    progress = formats.Progress(formats.count_documents(parts, user.id, export), report)
    if export.format == "pdf":
        pdf.write_pdf(export, user, target, progress)
        return
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        formats.ZIP_WRITERS[export.format](export, user, archive, parts, progress)


def build_export_file(export_id: int) -> None:
    """Build the file of one request; a finished request is left as it is.

    A failure is recorded on the request with a readable message and raised
    again, so the queue retries it.
    """
    export = db.session.get(ExportRequest, export_id)
    if export is None or export.status not in ("queued", "running", "failed"):
        return
    user = db.session.get(User, export.user_id)
    if user is None:
        return
    export.status, export.progress, export.error = "running", 0, None
    export.heartbeat_at = timeutil.utcnow()
    try:
        db.session.commit()
    except IntegrityError:
        # A retry of a failed build while the person's newer export is pending: that one wins.
        db.session.rollback()
        return
    folder = user_export_dir(user.id)
    part = folder / f".{file_name(export)}.{uuid4().hex}.part"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _remove_stale_parts(folder, export)
        write_export(export, user, part, lambda percent: _record_progress(export, percent))
        os.replace(part, folder / file_name(export))
    except Exception as error:
        if part.parent.is_dir():
            part.unlink(missing_ok=True)
        _record_failure(export_id, error)
        raise
    finished = timeutil.utcnow()
    export.status, export.progress, export.file_path = "ready", 100, file_name(export)
    export.finished_at, export.expires_at = finished, finished + EXPORT_LIFETIME
    db.session.commit()


def _record_progress(export: ExportRequest, percent: int) -> None:
    """The build's progress, and its heartbeat: the sweep takes a silent build for dead."""
    export.progress = max(0, min(99, percent))
    export.heartbeat_at = timeutil.utcnow()
    db.session.commit()


def _record_failure(export_id: int, error: Exception) -> None:
    # The person reads a plain reason; the details are for whoever runs the server.
    current_app.logger.error("Export %s failed", export_id, exc_info=error)
    db.session.rollback()
    export = db.session.get(ExportRequest, export_id)
    if export is None or export.status == "ready":
        return
    export.status = "failed"
    export.error = readable_failure(error)
    export.finished_at = timeutil.utcnow()
    db.session.commit()


def readable_failure(error: Exception) -> str:
    """What went wrong, in words the person can act on (never a stack trace)."""
    if isinstance(error, JobTimeoutException):
        return "The export took too long and was stopped. Try a shorter date range, or try again later."
    if isinstance(error, OSError):
        return "The export could not be written to disk (the server may be out of space). Please try again later."
    return "Something went wrong while building the export. Please try again; if it keeps failing, tell us."


def expire_exports(now: datetime | None = None) -> int:
    """Delete the files of exports past their expiry and mark them expired; returns how many.

    An export still queued or running long after every attempt must have ended
    (a lost queue, a killed worker) is marked failed, so the person can ask again.
    """
    now = now or timeutil.utcnow()
    expired = list(
        db.session.scalars(
            select(ExportRequest).where(ExportRequest.status == "ready", ExportRequest.expires_at <= now)
        )
    )
    for export in expired:
        if export.file_path:
            (user_export_dir(export.user_id) / export.file_path).unlink(missing_ok=True)
        export.status, export.file_path = "expired", None
    stuck = db.session.scalars(
        select(ExportRequest).where(ExportRequest.status.in_(PENDING), ExportRequest.created_at <= now - STUCK_AFTER)
    )
    for export in stuck:
        export.status, export.finished_at = "failed", now
        export.error = "The export did not finish (the server was interrupted). Please ask for it again."
    db.session.commit()
    return len(expired)
