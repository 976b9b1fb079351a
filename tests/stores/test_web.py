"""Headers, error pages and health probes every page relies on."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from rq import SimpleWorker, Worker

import worker as worker_process
from mindnotes.extensions import mongo, queue


@pytest.fixture
def live_worker(app):
    """An RQ worker on the app's queue that has just heartbeated, as `python worker.py` keeps one."""
    worker = SimpleWorker([queue.queue], connection=queue.redis, name="worker-on-duty")
    worker.register_birth()
    yield worker
    worker.register_death()


def test_every_response_carries_security_headers(client):
    response = client.get("/login")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "HX-Request" in response.headers["Vary"]


def test_session_cookie_is_httponly_and_lax(client, users):
    users.make(email="c@example.com")
    response = client.post("/login", data={"email": "c@example.com", "password": "correct horse battery"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_pages_have_no_inline_script(client):
    body = client.get("/login").get_data(as_text=True)
    assert "<script>" not in body and "onclick" not in body


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "not yours to see" in response.get_data(as_text=True)


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_readyz_when_all_stores_answer_and_a_worker_heartbeats(client, live_worker):
    queue.enqueue("mindnotes.jobs.exports.expire_exports")
    response = client.get("/readyz")
    assert response.status_code == 200
    report = response.get_json()
    assert report["stores"] == {"database": "ok", "mongodb": "ok", "redis": "ok", "worker": "ok"}
    assert [worker["name"] for worker in report["workers"]] == ["worker-on-duty"]
    assert report["queued_jobs"] == 1


def test_readyz_names_the_worker_when_none_has_heartbeated_for_a_minute(client, live_worker):
    silent_since = datetime.now(UTC) - timedelta(seconds=61)
    queue.redis.hset(live_worker.key, "last_heartbeat", silent_since.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["down"] == ["worker"]

    live_worker.heartbeat()
    assert client.get("/readyz").status_code == 200


def test_the_worker_keeps_heartbeating_while_a_long_job_holds_it(app, client, monkeypatch):
    monkeypatch.setattr(worker_process, "HEARTBEAT_SECONDS", 0.1)
    busy = worker_process.AppWorker([queue.queue], connection=queue.redis, name="busy-worker")
    busy.register_birth()
    try:
        silent_since = datetime.now(UTC) - timedelta(seconds=61)
        queue.redis.hset(busy.key, "last_heartbeat", silent_since.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
        time.sleep(0.5)  # the main thread does nothing meanwhile, as when it runs a long export
        assert Worker.find_by_key(busy.key, connection=queue.redis).last_heartbeat > silent_since
        assert client.get("/readyz").status_code == 200
    finally:
        busy.register_death()
    assert client.get("/readyz").get_json()["down"] == ["worker"]


def test_readyz_names_the_worker_when_there_is_none(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["down"] == ["worker"]
    assert response.get_json()["workers"] == []


def test_readyz_names_the_store_that_is_down(app_factory):
    app = app_factory(
        MONGO_URI="mongodb://127.0.0.1:1/nothing",
        MONGO_TIMEOUT_MS=200,
        REDIS_URL="redis://127.0.0.1:1/0",
        RATELIMIT_STORAGE_URI="memory://",
    )
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert sorted(response.get_json()["down"]) == ["mongodb", "redis"]
    mongo.cx.close()


def test_readyz_names_postgresql_when_it_is_down(app_factory, live_worker):
    app = app_factory(SQLALCHEMY_DATABASE_URI="postgresql+psycopg2://postgres@127.0.0.1:1/none")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["down"] == ["database"]
