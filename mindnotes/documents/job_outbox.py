"""job_outbox: follow-up jobs a saved write could not queue (Redis was unreachable), waiting for the sweep.

One document per (user_id, job_id): recording the same need again replaces
it, so the outbox holds at most one record per person and job id however
often a write fails to queue. Each record has the job's dotted path, its
arguments and options, `created_at`, and a `record_key` made anew on every
write: the sweep deletes a record only under the key it read, so a need
recorded again while the sweep was queueing the older one is kept.

Written by whole replacement (`replace_one`, no `_id` in it): nx-27017 keeps
a replaced document's types, where a `$set` datetime would become a string.
"""

import secrets
from datetime import datetime

from pymongo import ASCENDING

from mindnotes.documents import collection

NAME = "job_outbox"


def record_job(user_id: int, job_path: str, args: list, job_id: str, options: dict, created_at: datetime) -> dict:
    """Keep (or replace) the person's record of job `job_id`; returns the record as stored."""
    record = {
        "user_id": user_id,
        "job_id": job_id,
        "job_path": job_path,
        "args": list(args),
        "options": options,
        "created_at": created_at,
        "record_key": secrets.token_hex(8),
    }
    # `user_id` in the filter: an upsert on a collection sharded by person must name its shard key.
    collection(NAME).replace_one({"user_id": user_id, "job_id": job_id}, record, upsert=True)
    return record


def waiting_jobs(user_id: int) -> list[dict]:
    """The person's records, oldest first."""
    return list(collection(NAME).find({"user_id": user_id}).sort("created_at", ASCENDING))


def oldest_records(until: datetime, limit: int) -> list[dict]:
    """Everyone's records made up to `until`, oldest first (the sweep's one query across people)."""
    query = {"created_at": {"$lte": until}}
    return list(collection(NAME).find(query).sort("created_at", ASCENDING).limit(limit))


def forget_record(user_id: int, job_id: str, record_key: str) -> bool:
    """Delete the person's record of `job_id` if it is still the one read (same `record_key`)."""
    query = {"user_id": user_id, "job_id": job_id, "record_key": record_key}
    return collection(NAME).delete_one(query).deleted_count == 1
