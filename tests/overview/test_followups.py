"""A saved write answers success with Redis unreachable; its follow-up job waits in the outbox (issue 14)."""

import logging

import pytest
from redis import Redis
from rq import Queue, Retry

from mindnotes.documents import collection, job_outbox
from mindnotes.extensions import queue
from mindnotes.jobs.followups import queue_outbox_followups
from mindnotes.jobs.schedule import SCHEDULE
from mindnotes.services import followups
from mindnotes.services.followups import queue_followup
from tests._stores import free_port
from tests.jobs import run_jobs
from tests.mood.helpers import picker_data
from tests.overview.conftest import NOW


@pytest.fixture
def person(users, login, frozen_now):
    user = users.make()
    login(user)
    return user


@pytest.fixture
def redis_down(monkeypatch):
    """The job queue points at a port where nothing listens, as while Redis is down; `back()` restores it."""
    dead = Redis.from_url(f"redis://127.0.0.1:{free_port()}/0")  # as the app makes its connection
    monkeypatch.setattr(queue, "redis", dead)
    monkeypatch.setattr(queue, "queue", Queue(queue.queue.name, connection=dead))
    return monkeypatch.undo


@pytest.fixture
def app_log(app, caplog, monkeypatch):
    """What the app logs at WARNING and above."""
    # A `flask db upgrade` earlier in the run (alembic's fileConfig) disables the loggers that existed then.
    monkeypatch.setattr(app.logger, "disabled", False)
    with caplog.at_level(logging.WARNING):
        yield caplog


def waiting(user) -> list[tuple[str, list]]:
    records = followups.waiting_followups(user.id)
    assert all(r["job_path"].startswith("mindnotes.jobs.") for r in records)
    return [(r["job_id"], r["args"]) for r in records]


def rebuild(user) -> tuple[str, list]:
    """The analytics job each write queues (what it does is the analytics area's)."""
    return (f"analytics-{user.id}", [user.id])


def answer_a_prompt(client, user):
    client.get("/prompts/")
    prompt_set = collection("daily_prompt_sets").find_one({"user_id": user.id})
    prompt_id = prompt_set["prompts"][0]["prompt_id"]
    return client.post(
        f"/prompts/{prompt_set['_id']}/{prompt_id}/answer",
        data={f"p{prompt_id}-answer": "Still here.", f"p{prompt_id}-mood": ""},
    )


WRITES = {
    "journal entry": lambda client, user: client.post("/journal/new", data={"title": "Saved", "content": "Words."}),
    "mood": lambda client, user: client.post("/mood/", data=picker_data("Calm", 6)),
    "prompt answer": answer_a_prompt,
}
STORED = {"journal entry": "journal_entries", "mood": "mood_entries", "prompt answer": "journal_entries"}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_a_write_saved_while_redis_is_down_answers_success_once(client, person, redis_down, write, app_log):
    response = WRITES[write](client, person)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert collection(STORED[write]).count_documents({"user_id": person.id}) == 1
    assert waiting(person) == [rebuild(person)]
    assert f"analytics-{person.id}" in app_log.text and "outbox" in app_log.text


def test_many_writes_while_redis_is_down_keep_one_record_per_job(client, person, redis_down):
    for _ in range(3):
        assert client.post("/mood/", data=picker_data()).status_code == 302
    assert collection("mood_entries").count_documents({"user_id": person.id}) == 3
    assert waiting(person) == [rebuild(person)]


def test_the_sweep_queues_what_waits_once_redis_is_back_and_forgets_it(client, person, users, redis_down):
    other = users.make()
    client.post("/mood/", data=picker_data("Calm", 6))
    queue_followup(
        other.id, "mindnotes.jobs.analytics.rebuild_user_analytics", other.id, job_id=f"analytics-{other.id}"
    )
    redis_down()  # Redis is back

    assert queue_outbox_followups() == 2
    assert waiting(person) == [] and waiting(other) == []
    assert sorted(queue.queue.job_ids) == sorted([f"analytics-{person.id}", f"analytics-{other.id}"])
    run_jobs()
    figures = collection("user_analytics").find_one({"user_id": person.id})
    assert figures["totals"]["moods"] == 1
    assert queue_outbox_followups() == 0


def test_the_sweep_keeps_every_record_while_redis_is_still_down(client, person, redis_down):
    client.post("/mood/", data=picker_data())
    with pytest.raises(Exception, match="(?i)connect"):
        queue_outbox_followups()
    assert waiting(person) == [rebuild(person)]


def test_a_need_recorded_again_while_the_sweep_queued_the_first_is_kept(person):
    first = job_outbox.record_job(person.id, "mindnotes.jobs.x", [1], "x-1", {}, NOW)
    again = job_outbox.record_job(person.id, "mindnotes.jobs.x", [2], "x-1", {}, NOW)
    assert not job_outbox.forget_record(person.id, "x-1", first["record_key"])
    assert [r["args"] for r in job_outbox.waiting_jobs(person.id)] == [[2]]
    assert job_outbox.forget_record(person.id, "x-1", again["record_key"])


def test_the_sweep_runs_every_minute_and_by_hand(runner, person, redis_down):
    assert ("mindnotes.jobs.followups.queue_outbox_followups", "* * * * *") in SCHEDULE
    queue_followup(person.id, "mindnotes.jobs.analytics.rebuild_user_analytics", person.id, job_id="by-hand")
    redis_down()
    result = runner.invoke(args=["queue-followups"])
    assert result.exit_code == 0 and "Queued 1 follow-up job(s)" in result.output
    assert waiting(person) == []


def test_a_job_with_a_retry_keeps_it_through_the_outbox(person, redis_down):
    queue_followup(
        person.id, "mindnotes.jobs.deletion.delete_account", person.id, job_id="d", retry=Retry(3, [60, 600])
    )
    redis_down()
    queue_outbox_followups()
    job = queue.queue.fetch_job("d")
    assert (job.retries_left, job.retry_intervals) == (3, [60, 600])
