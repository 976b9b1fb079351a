"""Every periodic job, in one list: ("module.function", cron string).

`python worker.py --cron` runs RQ's own CronScheduler over this list: it only
enqueues each job when due, and the worker(s) run it like any other job. Cron
strings are read in the server's local time zone (UTC in the Docker image).
A job listed here takes no arguments and is safe to run twice.

To schedule a job, add one line to SCHEDULE.
"""

from redis import Redis
from rq.cron import CronScheduler
from rq.utils import import_attribute

SCHEDULE: list[tuple[str, str]] = [
    ("mindnotes.jobs.prompts.cleanup_prompt_sets", "15 3 * * *"),  # daily at 03:15
    ("mindnotes.jobs.focus.close_overdue_sessions", "*/10 * * * *"),  # every 10 minutes
    ("mindnotes.jobs.billing.expire_subscriptions", "5 * * * *"),  # hourly at :05
    ("mindnotes.jobs.exports.expire_exports", "20 * * * *"),  # hourly at :20
    ("mindnotes.jobs.exports.requeue_stalled_exports", "* * * * *"),  # every minute: exports nothing works on
    ("mindnotes.jobs.analytics.rebuild_all_analytics", "30 2 * * *"),  # nightly at 02:30: every person's figures
    ("mindnotes.jobs.deletion.resume_pending_deletions", "45 * * * *"),  # hourly at :45
    ("mindnotes.jobs.security.prune_security_records", "50 3 * * *"),  # daily at 03:50
    ("mindnotes.jobs.journal.purge_expired_trash", "40 3 * * *"),  # daily at 03:40: trash older than 30 days
    ("mindnotes.jobs.followups.queue_outbox_followups", "* * * * *"),  # every minute: jobs Redis could not take
    ("mindnotes.jobs.reminders.send_due_reminders", "* * * * *"),  # every minute: reminders due (indexed)
    ("mindnotes.jobs.weekly.queue_weekly_reviews", "10 * * * *"),  # hourly at :10: reviews for whom it is Monday
]


def build_cron_scheduler(
    connection: Redis, queue_name: str, schedule: list[tuple[str, str]] = SCHEDULE
) -> CronScheduler:
    """A CronScheduler with every job of `schedule` registered on `queue_name`."""
    scheduler = CronScheduler(connection=connection)
    for job_path, cron in schedule:
        scheduler.register(import_attribute(job_path), queue_name, cron=cron)
    return scheduler
