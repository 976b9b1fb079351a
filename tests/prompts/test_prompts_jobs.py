"""The prompt cleanup job (run by a real RQ worker), `flask prompts cleanup`, and the schedule."""

from datetime import UTC, datetime, timedelta

import pytest
from croniter import croniter
from rq import SimpleWorker
from rq.job import Job

from mindnotes.documents import journal_entries
from mindnotes.extensions import queue
from mindnotes.jobs.prompts import cleanup_prompt_sets
from mindnotes.jobs.schedule import SCHEDULE, build_cron_scheduler
from mindnotes.services import prompts
from mindnotes.timeutil import utcnow
from tests.prompts.helpers import stored_sets


def run_worker() -> None:
    SimpleWorker([queue.queue], connection=queue.redis).work(burst=True)


@pytest.fixture
def history(users):
    """A person with sets 45, 31, 30 and 5 days old (unanswered) and one 60 days old that was answered."""
    user = users.make()
    now = utcnow()
    for days in (45, 31, 30, 5):
        prompts.todays_set(user, now - timedelta(days=days))
    answered = prompts.todays_set(user, now - timedelta(days=60))
    prompts.answer_prompt(
        user, answered["_id"], answered["prompts"][0]["prompt_id"], "Kept forever", now=now - timedelta(days=60)
    )
    return user, answered


def ages(user) -> list[int]:
    today = utcnow().date()
    return sorted((today - datetime.fromisoformat(s["local_date"]).date()).days for s in stored_sets(user.id))


def test_worker_deletes_old_unanswered_sets_keeps_answers_and_is_idempotent(history):
    user, answered = history
    job = queue.enqueue(cleanup_prompt_sets, job_id="cleanup-prompt-sets")
    run_worker()
    assert Job.fetch(job.id, connection=queue.redis).return_value() == 2
    assert ages(user) == [5, 30, 60]
    entry = journal_entries.get_entry(user.id, answered["entry_id"])
    assert entry["prompt_responses"][0]["answer"] == "Kept forever"

    again = queue.enqueue(cleanup_prompt_sets)
    run_worker()
    assert Job.fetch(again.id, connection=queue.redis).return_value() == 0
    assert ages(user) == [5, 30, 60]
    assert journal_entries.get_entry(user.id, answered["entry_id"]) is not None


def test_cleanup_command_runs_the_job(runner, history):
    user, _ = history
    result = runner.invoke(args=["prompts", "cleanup"])
    assert result.exit_code == 0, result.output
    assert "Deleted 2 unanswered prompt set(s)" in result.output
    assert "Deleted 0" in runner.invoke(args=["prompts", "cleanup"]).output
    assert ages(user) == [5, 30, 60]


def test_every_scheduled_job_is_importable_with_a_valid_cron_string(app):
    scheduler = build_cron_scheduler(queue.redis, "default")
    jobs = scheduler.get_jobs()
    assert len(jobs) == len(SCHEDULE)
    for job, (path, cron) in zip(jobs, SCHEDULE, strict=True):
        assert job.func_name == path and callable(job.func)
        assert croniter.is_valid(cron)
    assert "mindnotes.jobs.prompts.cleanup_prompt_sets" in {path for path, _ in SCHEDULE}


def test_the_cron_scheduler_enqueues_due_jobs_for_the_worker(history):
    user, _ = history
    scheduler = build_cron_scheduler(
        queue.redis, "default", [("mindnotes.jobs.prompts.cleanup_prompt_sets", "15 3 * * *")]
    )
    [cleanup] = scheduler.get_jobs()
    assert cleanup.next_enqueue_time > datetime.now(UTC)
    cleanup.next_enqueue_time = datetime.now(UTC) - timedelta(seconds=1)
    assert scheduler.enqueue_jobs() == [cleanup]
    assert cleanup.next_enqueue_time > datetime.now(UTC)
    run_worker()
    assert ages(user) == [5, 30, 60]
