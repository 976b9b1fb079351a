"""Running the queue's jobs in a test, with a real burst worker against Redis."""

import rq

from mindnotes.extensions import queue


def run_jobs() -> None:
    """Run every queued job, and every scheduled one as if its time had come (a write within a second of
    the last queued analytics run schedules the next: mindnotes.extensions.JobQueue.enqueue)."""
    scheduled = queue.queue.scheduled_job_registry
    for job in rq.job.Job.fetch_many(scheduled.get_job_ids(), connection=queue.redis):
        if job is not None:
            scheduled.remove(job)
            queue.queue.enqueue_job(job)
    rq.SimpleWorker([queue.queue], connection=queue.redis).work(burst=True)
