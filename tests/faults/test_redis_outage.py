"""Redis killed under a signed-in person and under the worker (issue 14).

A write that was saved answers success even when its follow-up work cannot be
queued; pressing again stores nothing more; signing in still works; when Redis
is back, the sweep queues what waited and the worker (a real `worker.py`
process, which outlived the outage) runs it.
"""

import re
import time

from rq.job import Job, JobStatus
from sqlalchemy import select

from mindnotes.extensions import db, mongo, queue
from mindnotes.jobs.schedule import SCHEDULE
from mindnotes.models import User
from tests.factories import UserFactory, make_entry
from tests.faults.conftest import PASSWORD, register, wait_until
from tests.scenarios.person import Page, Person

ENTRY_PATH = r"/journal/[0-9a-f]{24}"
ANSWER_PATH = r"/prompts/[^/]+/\d+/answer"
# The periodic job (every minute, from the cron process) that queues what saved writes could not queue.
SWEEP = "mindnotes.jobs.followups.queue_outbox_followups"


def answered_with_success(page: Page) -> bool:
    """The first answer to the post (before any redirect) was 2xx or 3xx."""
    first = page.response.history[0] if page.response.history else page.response
    return 200 <= first.status_code < 400


def dashboard_totals(person: Person) -> dict[str, int]:
    text = person.open("/home").text
    return {
        label: int(re.search(rf"([\d,]+) {label}\b", text).group(1).replace(",", ""))
        for label in ("entries", "moods logged")
    }


def test_writes_during_a_redis_outage_answer_success_once_and_follow_up_when_it_returns(own_redis, serve, start_worker):
    served = serve(redis=own_redis)
    person = served.person()
    register(person)
    user_id = db.session.scalar(select(User.id).where(User.email == "faults@example.org"))
    own_redis.kill()

    editor = person.open("/journal/new").form(button="Save entry")
    fields = {"title": "Written while the queue was away", "content": "Nothing I write here may be lost or doubled."}
    saved = person.submit(editor, fields)
    assert answered_with_success(saved) and re.fullmatch(ENTRY_PATH, saved.path), saved.text[:500]
    assert "Your entry is saved." in saved.text
    again = person.submit(editor, fields)  # the same form pressed again: the same idempotency key
    assert answered_with_success(again) and again.path == saved.path, again.text[:500]
    assert mongo.db.journal_entries.count_documents({"user_id": user_id, "title": fields["title"]}) == 1

    picker = person.open("/mood/").form("/mood/", button="Log mood")
    mood_fields = {"category": picker.control("category").options[0][0], "intensity": "7", "note": "steady"}
    logged = person.submit(picker, mood_fields)
    assert answered_with_success(logged) and logged.path == "/mood/", logged.text[:500]
    assert "Mood logged: " in logged.text
    logged_again = person.submit(picker, mood_fields)
    assert answered_with_success(logged_again), logged_again.text[:500]
    assert mongo.db.mood_entries.count_documents({"user_id": user_id}) == 1

    today = person.open("/prompts/")
    card = next(form for form in today.forms if re.search(ANSWER_PATH + "$", form.action))
    [answer_field] = [name for name in card.controls if name.endswith("-answer")]
    answer = "The herons came back to the river."
    answered = person.submit(card, {answer_field: answer})
    assert answered_with_success(answered) and answered.path == "/prompts/", answered.text[:500]
    assert answer in answered.text
    answered_again = person.submit(card, {answer_field: answer})
    assert answered_with_success(answered_again), answered_again.text[:500]
    responses = [
        response
        for entry in mongo.db.journal_entries.find({"user_id": user_id})
        for response in entry.get("prompt_responses", [])
        if response["answer"] == answer
    ]
    assert len(responses) == 1

    # Signing in needs the rate limiter, whose storage is Redis: it counts in memory meanwhile.
    # The header and the phones' tab bar each hold a Log out form: the header's is first.
    person.submit(next(form for form in person.open("/home").forms if form.action == person.url("/logout")))
    signed_in = person.submit(
        person.open("/login").form("/login"), {"email": "faults@example.org", "password": PASSWORD}
    )
    assert signed_in.path == "/home", signed_in.text[:500]

    # The follow-up work waits for Redis in the outbox; the dashboard already counts the pending changes
    # (two entries: the one written and the day's prompt answers; one mood).
    assert dashboard_totals(person) == {"entries": 2, "moods logged": 1}
    assert mongo.db.job_outbox.count_documents({"user_id": user_id}) >= 1

    own_redis.start()
    worker = start_worker(served.app)
    assert SWEEP in {job_path for job_path, _ in SCHEDULE}
    queue.enqueue(SWEEP)  # as the cron process does within a minute
    wait_until(
        lambda: mongo.db.job_outbox.count_documents({"user_id": user_id}) == 0,
        30,
        f"the follow-up work ran after Redis came back\n{worker.log()[-3000:]}",
    )
    # Once the worker has folded the changes into the figures, they are counted once, not twice.
    wait_until(
        lambda: (mongo.db.user_analytics.find_one({"user_id": user_id}) or {}).get("totals", {}).get("entries") == 2,
        30,
        f"the figures were rebuilt\n{worker.log()[-3000:]}",
    )
    assert dashboard_totals(person) == {"entries": 2, "moods logged": 1}
    assert mongo.db.journal_entries.count_documents({"user_id": user_id}) == 2
    assert mongo.db.mood_entries.count_documents({"user_id": user_id}) == 1
    assert mongo.db.job_outbox.count_documents({"user_id": user_id}) == 0
    assert worker.alive()


def entries_on_dashboard(user_id: int) -> int:
    """The person's entry total as the dashboard reads it (their user_analytics document)."""
    return mongo.db.user_analytics.find_one({"user_id": user_id})["totals"]["entries"]


def rebuild_analytics(user_id: int) -> Job:
    return queue.enqueue("mindnotes.jobs.analytics.rebuild_user_analytics", user_id)


def finished(job: Job) -> bool:
    return Job.fetch(job.id, connection=queue.redis).get_status() == JobStatus.FINISHED


def test_the_worker_outlives_a_redis_outage_and_runs_a_job_within_30_s_of_its_return(own_redis, serve, start_worker):
    served = serve(redis=own_redis)
    worker = start_worker(served.app)
    user = UserFactory().make()
    first = rebuild_analytics(user.id)
    wait_until(lambda: finished(first), 30, f"a first job ran\n{worker.log()[-3000:]}")
    assert entries_on_dashboard(user.id) == 0

    own_redis.kill()
    time.sleep(4)
    assert worker.alive(), f"The worker died with Redis:\n{worker.log()[-3000:]}"
    own_redis.start()
    back = time.monotonic()
    make_entry(user)
    job = rebuild_analytics(user.id)
    wait_until(lambda: finished(job), 30, f"a job queued after Redis came back ran\n{worker.log()[-3000:]}")
    assert time.monotonic() - back < 30
    assert entries_on_dashboard(user.id) == 1
    assert worker.alive()
