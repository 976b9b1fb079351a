"""Follow-up jobs after a saved write: queued now, or kept in the outbox for the sweep.

A write that was saved answers success, whatever happens to the work it
leaves for the worker (DESIGN.md). `queue_followup` queues the job; when Redis
cannot be reached it records the job in the person's outbox in MongoDB
(`documents.job_outbox`, one record per job id), logs a warning and returns.
`queue_waiting_followups` (the sweep, every minute from `jobs/schedule.py`,
or `flask queue-followups`) queues what the outbox holds and forgets each
record once queued.

Jobs queued from here are safe to run twice (every job is), so a record swept
after the same job was queued again by a later write costs one extra run at most.
"""

from datetime import datetime

from flask import current_app
from pymongo.errors import PyMongoError
from redis.exceptions import RedisError
from rq import Retry

from mindnotes import timeutil
from mindnotes.documents import job_outbox
from mindnotes.extensions import queue

# Records queued per sweep run; the next run (a minute later) takes the rest.
SWEEP_BATCH = 500


def queue_followup(user_id: int, job_path: str, *args, job_id: str, retry: Retry | None = None, **options) -> bool:
    """Queue the job `job_path(*args)` for the person's saved write; never raises for a store outage.

    True when queued; False when Redis could not be reached and the job waits
    in the outbox (or, with MongoDB unreachable too, was only logged: the
    nightly jobs recount everything).
    """
    stored_options = {**options, **({"retry": {"max": retry.max, "intervals": retry.intervals}} if retry else {})}
    try:
        queue.enqueue(job_path, *args, job_id=job_id, **_queue_options(stored_options))
        return True
    except RedisError as error:
        reason = f"{error.__class__.__name__}: {error}"
    try:
        job_outbox.record_job(user_id, job_path, list(args), job_id, stored_options, timeutil.utcnow())
    except PyMongoError as error:
        current_app.logger.error(
            "Follow-up job %s (%s) of user %s could not be queued (%s) nor kept in the outbox (%s)",
            job_id,
            job_path,
            user_id,
            reason,
            error.__class__.__name__,
        )
        return False
    current_app.logger.warning(
        "Follow-up job %s (%s) of user %s could not be queued (%s); kept in the outbox for the sweep",
        job_id, job_path, user_id, reason,
    )  # fmt: skip
    return False


def waiting_followups(user_id: int) -> list[dict]:
    """The person's jobs waiting in the outbox, oldest first."""
    return job_outbox.waiting_jobs(user_id)


def queue_waiting_followups(now: datetime | None = None, limit: int = SWEEP_BATCH) -> int:
    """Queue the outbox's jobs, oldest first, forgetting each once queued; returns how many were queued.

    While Redis is still unreachable the first enqueue raises and every record
    stays for the next run.
    """
    now = now or timeutil.utcnow()
    queued = 0
    for record in job_outbox.oldest_records(now, limit):
        queue.enqueue(record["job_path"], *record["args"], job_id=record["job_id"], **_queue_options(record["options"]))
        job_outbox.forget_record(record["user_id"], record["job_id"], record["record_key"])
        queued += 1
    if queued:
        current_app.logger.info("Queued %s follow-up job(s) from the outbox", queued)
    return queued


def _queue_options(stored: dict) -> dict:
    """RQ's enqueue options from the stored ones (a retry is stored as its numbers)."""
    options = {name: value for name, value in stored.items() if name != "retry"}
    if stored.get("retry"):
        options["retry"] = Retry(max=stored["retry"]["max"], interval=stored["retry"]["intervals"])
    return options
