"""Without Redis (the embedded default): jobs after the response, the schedule in-process."""

import threading

from mindnotes.extensions import queue
from mindnotes.jobs.schedule import run_schedule_inline

ran: list[str] = []


def remember(label: str) -> None:
    ran.append(label)


def test_inline_jobs_run_once_after_the_response_is_sent(app_factory):
    app = app_factory(REDIS_URL="", RATELIMIT_STORAGE_URI="memory://")
    ran.clear()

    @app.get("/_test/enqueue")
    def enqueue_twice():
        queue.enqueue(remember, "rebuild", job_id="analytics-1")
        queue.enqueue(remember, "rebuild again", job_id="analytics-1")
        queue.enqueue(remember, "other")
        return {"ran_before_response": list(ran)}

    response = app.test_client().get("/_test/enqueue", buffered=False)
    assert response.get_json() == {"ran_before_response": []}
    response.close()
    assert ran == ["rebuild", "other"]


def test_inline_job_outside_a_request_runs_at_once(app_factory):
    app = app_factory(REDIS_URL="", RATELIMIT_STORAGE_URI="memory://")
    ran.clear()
    with app.app_context():
        queue.enqueue(remember, "from the cli")
    assert ran == ["from the cli"]


def test_inline_schedule_runs_a_due_job_and_stops(app_factory):
    app = app_factory(REDIS_URL="", RATELIMIT_STORAGE_URI="memory://")
    ran.clear()
    stop = threading.Event()
    schedule = [("tests.stores.test_jobs_inline.tick", "* * * * * *")]  # every second
    thread = threading.Thread(target=run_schedule_inline, args=(app, stop, schedule), daemon=True)
    thread.start()
    assert ticked.wait(timeout=5)
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive()


ticked = threading.Event()


def tick() -> None:
    ticked.set()
