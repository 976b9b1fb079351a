"""Exports never hang: one pending export per person, held by the database; builds that
were never queued or whose worker died are queued again by the sweep; dead `.part` files go."""

import os
import threading
import time
from datetime import timedelta

import pytest
from redis import Redis
from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from mindnotes import timeutil
from mindnotes.extensions import db, queue
from mindnotes.jobs.schedule import SCHEDULE
from mindnotes.models import ExportRequest
from mindnotes.services import exports
from mindnotes.services.exports import recovery
from tests.exports.helpers import add_entry, export_file, latest_export
from tests.jobs import run_jobs

PARALLEL_REQUESTS = 20


@pytest.fixture(autouse=True)
def own_files(app, tmp_path):
    app.config.update(UPLOAD_DIR=str(tmp_path / "uploads"), EXPORT_DIR=str(tmp_path / "exports"))


def ask(client):
    return client.post("/account/exports/", data={"format": "json", "scope": "everything"})


def build_job(export: ExportRequest) -> Job | None:
    try:
        return Job.fetch(exports.build_job_id(export.id), connection=queue.redis)
    except NoSuchJobError:
        return None


def make_part(export: ExportRequest, token: str, age_seconds: float = 0):
    folder = exports.user_export_dir(export.user_id)
    folder.mkdir(parents=True, exist_ok=True)
    part = folder / f".{exports.file_name(export)}.{token}.part"
    part.write_bytes(b"half an export")
    moment = time.time() - age_seconds
    os.utime(part, (moment, moment))
    return part


def test_twenty_parallel_requests_make_one_export_and_the_rest_are_told_to_wait(app, users, login):
    person = users.make()
    clients = [app.test_client() for _ in range(PARALLEL_REQUESTS)]
    for client in clients:
        login(person, client)
    start = threading.Barrier(PARALLEL_REQUESTS)
    statuses = []

    def press(client):
        start.wait()
        response = ask(client)
        statuses.append(response.status_code)
        if response.status_code == 409:
            assert "already being prepared" in response.get_data(as_text=True)

    threads = [threading.Thread(target=press, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses) == [302] + [409] * (PARALLEL_REQUESTS - 1)
    db.session.expire_all()
    assert ExportRequest.query.filter_by(user_id=person.id).count() == 1
    assert queue.queue.count == 1


def test_the_database_refuses_a_second_pending_export_for_one_person(users):
    first, second = users.make(), users.make()
    db.session.add(ExportRequest(user_id=first.id, format="json", status="queued"))
    db.session.add(ExportRequest(user_id=second.id, format="json", status="running"))
    db.session.commit()
    db.session.add(ExportRequest(user_id=first.id, format="csv", status="running"))
    with pytest.raises(Exception, match="uq_export_requests_one_pending"):
        db.session.commit()
    db.session.rollback()
    # Finished ones do not count: a person keeps any number of past exports.
    db.session.add_all(ExportRequest(user_id=first.id, format="json", status=state) for state in ("ready", "failed"))
    db.session.commit()


def test_an_export_asked_while_redis_is_down_is_kept_then_queued_by_the_sweep(client, users, login, monkeypatch):
    person = users.make()
    add_entry(person)
    login(person)
    unreachable = Redis(port=1)
    with monkeypatch.context() as outage:
        outage.setattr(queue, "redis", unreachable)
        outage.setattr(queue, "queue", Queue("default", connection=unreachable))
        response = ask(client)
    assert response.status_code == 302
    export = latest_export(person)
    assert export.status == "queued" and build_job(export) is None
    assert "Waiting its turn" in client.get(f"/account/exports/{export.id}").get_data(as_text=True)

    # The sweep, run by the worker as the cron scheduler runs it, once the request is a minute old.
    export.created_at = timeutil.utcnow() - timedelta(minutes=1)
    db.session.commit()
    queue.enqueue("mindnotes.jobs.exports.requeue_stalled_exports")
    run_jobs()

    assert latest_export(person).status == "ready"
    assert export_file(export.id).is_file()


def test_the_sweep_leaves_a_request_alone_while_its_build_waits_or_runs(client, users, login):
    person = users.make()
    login(person)
    ask(client)
    export = latest_export(person)
    assert recovery.requeue_stalled_exports(now=timeutil.utcnow() + timedelta(minutes=5)) == 0

    export.status, export.heartbeat_at = "running", timeutil.utcnow()
    db.session.commit()
    assert recovery.requeue_stalled_exports(now=timeutil.utcnow() + timedelta(seconds=30)) == 0
    assert latest_export(person).status == "running"


def test_a_build_whose_worker_was_killed_is_queued_again_within_two_minutes_and_finishes(client, users, login):
    person = users.make()
    add_entry(person)
    login(person)
    ask(client)
    export = latest_export(person)
    # What a killed worker leaves: its job marked started, the request at 99 %, a half-written file.
    build_job(export).set_status(JobStatus.STARTED)
    killed_at = timeutil.utcnow()
    export.status, export.progress, export.heartbeat_at = "running", 99, killed_at
    db.session.commit()
    leftover = make_part(export, "deadbeef")

    assert recovery.requeue_stalled_exports(now=killed_at + timedelta(seconds=30)) == 0
    assert recovery.requeue_stalled_exports(now=killed_at + timedelta(seconds=90)) == 1

    export = latest_export(person)
    assert (export.status, export.progress, export.restarts) == ("queued", 0, 1)
    assert build_job(export).get_status() == JobStatus.QUEUED
    assert not leftover.exists()
    run_jobs()
    assert latest_export(person).status == "ready"
    assert [path.name for path in exports.user_export_dir(person.id).iterdir()] == [exports.file_name(export)]


def test_a_build_that_keeps_dying_is_given_up_and_another_can_be_asked(client, users, login):
    person = users.make()
    login(person)
    ask(client)
    export = latest_export(person)
    export.status, export.restarts = "running", recovery.MAX_RESTARTS
    export.heartbeat_at = timeutil.utcnow() - timedelta(minutes=5)
    db.session.commit()

    assert recovery.requeue_stalled_exports() == 0
    export = latest_export(person)
    assert export.status == "failed" and "interrupted several times" in export.error
    assert ask(client).status_code == 302


def test_the_sweep_removes_stale_part_files_and_keeps_the_one_being_written(client, users, login):
    person = users.make()
    add_entry(person)
    login(person)
    ask(client)
    run_jobs()
    finished = latest_export(person)
    ask(client)
    building = latest_export(person)
    building.status, building.heartbeat_at = "running", timeutil.utcnow()
    db.session.commit()

    of_finished = make_part(finished, "aaaa")
    being_written = make_part(building, "bbbb")
    too_old = make_part(building, "cccc", age_seconds=exports.JOB_TIMEOUT_SECONDS + 60)

    assert recovery.remove_stale_parts() == 2
    assert being_written.exists()
    assert not of_finished.exists() and not too_old.exists()
    assert export_file(finished.id).is_file()


def test_the_sweep_runs_every_minute():
    assert ("mindnotes.jobs.exports.requeue_stalled_exports", "* * * * *") in SCHEDULE
