"""Exports that would otherwise hang, found and started again by a sweep run every minute.

A request can be left pending with nothing at work on it: Redis was unreachable when it
was asked for (its build was never queued), or the worker died during the build (RQ
notices an abandoned job only after half an hour or more). `requeue_stalled_exports`
finds both within two minutes and queues the build again; it also deletes the `.part`
files no build is writing any more.

This sweep reads every person's pending requests (PostgreSQL, not MongoDB): the partial
index `uq_export_requests_one_pending` holds exactly those rows.
"""

import re
from datetime import datetime, timedelta
from enum import Enum
from pathlib import Path

from flask import current_app
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from sqlalchemy import select

from mindnotes import timeutil
from mindnotes.extensions import db, queue
from mindnotes.models import ExportRequest
from mindnotes.services.exports import JOB_TIMEOUT_SECONDS, PENDING, build_job_id, queue_build

# A build reports at least every REPORT_EVERY_SECONDS (formats.py); silent this long, it is dead.
STALE_AFTER = timedelta(minutes=1)
QUEUE_GRACE = timedelta(seconds=15)
# A build that dies this often (say it kills its worker each time) is not started again.
MAX_RESTARTS = 3
WAITING = {JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED}
PART_NAME = re.compile(r"^\.mindnotes-export-(\d+)\.")


class Stalled(Enum):
    NOT_QUEUED = "its build is not in the queue"
    DEAD_BUILD = "its build stopped"


def requeue_stalled_exports(now: datetime | None = None) -> int:
    """Queue again the build of every pending export nothing is working on; returns how many."""
    now = now or timeutil.utcnow()
    pending = db.session.scalars(
        select(ExportRequest).where(ExportRequest.status.in_(PENDING)).order_by(ExportRequest.id)
    ).all()
    requeued = 0
    for export in pending:
        stalled = _stalled(export, now)
        if stalled is None:
            continue
        if stalled is Stalled.DEAD_BUILD:
            if export.restarts >= MAX_RESTARTS:
                _give_up(export, now)
                continue
            export.status, export.progress, export.heartbeat_at = "queued", 0, None
            export.restarts += 1
            db.session.commit()
        current_app.logger.warning("Export %s: %s; queueing it again", export.id, stalled.value)
        if queue_build(export.id):
            requeued += 1
    remove_stale_parts(now)
    return requeued


def _stalled(export: ExportRequest, now: datetime) -> Stalled | None:
    """Why nothing is at work on `export`, or None while its build waits or runs."""
    silent_since = now - STALE_AFTER
    if export.status == "running":
        last_sign = export.heartbeat_at or export.created_at
        return Stalled.DEAD_BUILD if last_sign < silent_since else None
    try:
        job = Job.fetch(build_job_id(export.id), connection=queue.redis)
    except NoSuchJobError:
        # Not in its first moments: the request queues its own build right after saving it.
        return Stalled.NOT_QUEUED if export.created_at < now - QUEUE_GRACE else None
    status = job.get_status(refresh=False)
    if status in WAITING:
        return None
    if status == JobStatus.STARTED:
        # The build marks its request running first thing; still queued, its worker died before.
        started = job.started_at
        return Stalled.DEAD_BUILD if started is not None and started < silent_since else None
    return Stalled.NOT_QUEUED  # finished, failed, stopped or canceled without building it


def _give_up(export: ExportRequest, now: datetime) -> None:
    current_app.logger.error("Export %s: its build died %s times; not starting it again", export.id, export.restarts)
    export.status, export.finished_at = "failed", now
    export.error = (
        "The export was interrupted several times, so it was stopped. Try a shorter date range, or try again later."
    )
    db.session.commit()


def remove_stale_parts(now: datetime | None = None) -> int:
    """Delete `.part` files older than the job timeout, or of requests no build is running."""
    now = now or timeutil.utcnow()
    # Listed before the statuses are read: a build marks its request running before it
    # makes its part, so a part seen here whose request is not running has no writer.
    parts = {}
    for part in Path(current_app.config["EXPORT_DIR"]).glob("*/.mindnotes-export-*.part"):
        found = PART_NAME.match(part.name)
        if found:
            parts[part] = int(found.group(1))
    if not parts:
        return 0
    running = set(
        db.session.scalars(
            select(ExportRequest.id).where(ExportRequest.id.in_(set(parts.values())), ExportRequest.status == "running")
        )
    )
    cutoff = now.timestamp() - JOB_TIMEOUT_SECONDS
    removed = 0
    for part, export_id in parts.items():
        try:
            stale = export_id not in running or part.stat().st_mtime < cutoff
        except FileNotFoundError:  # renamed into place meanwhile
            continue
        if stale:
            part.unlink(missing_ok=True)
            removed += 1
    return removed
