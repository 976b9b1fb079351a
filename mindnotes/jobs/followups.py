"""Queueing the follow-up jobs that writes left in the outbox while Redis was unreachable.

Listed in `jobs/schedule.py` (every minute); by hand, `flask queue-followups`.
Running it twice queues nothing twice: a record is forgotten once its job is queued.
"""

from datetime import datetime

from mindnotes.services.followups import queue_waiting_followups


def queue_outbox_followups(now: datetime | None = None) -> int:
    """Queue every follow-up job waiting in the outbox; returns how many were queued."""
    return queue_waiting_followups(now)
