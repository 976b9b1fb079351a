"""Asking for an export, watching it, downloading it; the job's rules; expiry."""

import csv
import io
import json
import os
import shutil
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from bson import json_util
from flask import current_app
from rq.job import Job

from mindnotes.extensions import db, queue
from mindnotes.jobs.exports import build_export, expire_exports
from mindnotes.models import ExportRequest
from mindnotes.services import exports
from mindnotes.services.exports.formats import JSON_NAME
from tests.exports.helpers import (
    add_entry,
    add_entry_mood,
    add_focus,
    add_mood,
    add_photo,
    export_file,
    latest_export,
    make_tag,
    open_zip,
)
from tests.jobs import run_jobs


@pytest.fixture(autouse=True)
def own_files(app, tmp_path):
    """Fresh media and export folders: user ids restart at 1 in every test."""
    app.config.update(UPLOAD_DIR=str(tmp_path / "uploads"), EXPORT_DIR=str(tmp_path / "exports"))


def ask(client, **fields):
    data = {"format": "json", "scope": "everything", "date_from": "", "date_to": "", **fields}
    return client.post("/account/exports/", data=data)


def test_json_export_is_built_by_the_worker_with_documents_reference_data_and_media(client, users, login):
    person = users.make()
    login(person)
    walk = make_tag(person, "walks")
    photo = add_photo(person)
    add_entry(person, tag_ids=[walk.id], mood=7, photos=[photo], photo_count=1)
    add_mood(person)
    add_focus(person)

    response = ask(client)
    assert response.status_code == 302
    export = latest_export(person)
    assert export.status == "queued"
    page = client.get("/account/exports/").get_data(as_text=True)
    assert "Waiting its turn" in page

    run_jobs()

    export = latest_export(person)
    assert (export.status, export.progress) == ("ready", 100)
    assert export.expires_at - export.finished_at == timedelta(days=7)
    with open_zip(export_file(export.id)) as archive:
        data = json_util.loads(archive.read(JSON_NAME), json_options=json_util.JSONOptions(tz_aware=True, tzinfo=UTC))
        assert archive.read(f"media/{photo['filename']}")[:4] == b"\x89PNG"
        assert "README.txt" in archive.namelist()
    assert (data["format"], data["version"], data["scope"]) == ("mindnotes-export", 1, "everything")
    [entry] = data["journal_entries"]
    assert entry["title"] == "A walk by the river"
    assert entry["entry_date"] == datetime(2026, 3, 1, 9, tzinfo=UTC)
    assert data["reference"]["tags"] == [{"id": walk.id, "name": "walks", "colour": walk.colour}]
    assert [c["name"] for c in data["reference"]["mood_categories"]] == ["Calm"]
    assert len(data["mood_entries"]) == 1 and len(data["focus_sessions"]) == 1
    assert data["missing_media"] == []


def test_ready_export_downloads_for_its_owner_only(client, users, login, app):
    person, other = users.make(), users.make()
    add_entry(person)
    login(person)
    ask(client)
    run_jobs()
    export = latest_export(person)
    response = client.get(f"/account/exports/{export.id}/download")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store, private"
    assert response.data[:2] == b"PK"

    stranger = login(other, app.test_client())
    assert stranger.get(f"/account/exports/{export.id}/download").status_code == 404
    assert stranger.get(f"/account/exports/{export.id}").status_code == 404
    assert stranger.get(f"/account/exports/{export.id}", headers={"HX-Request": "true"}).status_code == 404


def test_download_of_an_unfinished_or_unknown_export_is_a_404(client, users, login):
    person = users.make()
    login(person)
    ask(client)
    export = latest_export(person)
    assert client.get(f"/account/exports/{export.id}/download").status_code == 404
    assert client.get("/account/exports/99999/download").status_code == 404
    assert client.get("/account/exports/99999").status_code == 404


def test_status_partial_polls_while_pending_and_stops_when_ready(client, users, login):
    person = users.make()
    add_entry(person)
    login(person)
    ask(client)
    export = latest_export(person)
    partial = client.get(f"/account/exports/{export.id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'hx-trigger="load delay:1s"' in partial and 'hx-swap="outerHTML"' in partial
    assert "<html" not in partial
    assert "Refresh to see its progress" in partial

    export.status, export.progress = "running", 40
    db.session.commit()
    partial = client.get(f"/account/exports/{export.id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert '<progress value="40" max="100"' in partial

    run_jobs()
    partial = client.get(f"/account/exports/{export.id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "hx-trigger" not in partial
    assert f"/account/exports/{export.id}/download" in partial
    page = client.get(f"/account/exports/{export.id}").get_data(as_text=True)
    assert "<html" in page and "Download" in page


def test_htmx_request_answers_with_the_new_exports_polling_status(client, users, login):
    person = users.make()
    login(person)
    response = client.post(
        "/account/exports/",
        data={"format": "csv", "scope": "moods"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "being prepared" in body and "hx-swap-oob" in body and 'hx-trigger="load delay:1s"' in body
    assert "<html" not in body


def test_free_plan_is_told_pdf_is_premium_and_keeps_the_form(client, users, login):
    person = users.make(plan="free")
    login(person)
    response = ask(client, format="pdf", scope="journal", date_from="2026-01-01")
    assert response.status_code == 403
    body = response.get_data(as_text=True)
    assert "PDF export is part of the Premium plan" in body
    assert 'value="2026-01-01"' in body
    assert ExportRequest.query.count() == 0


def test_premium_pdf_of_a_date_range_holds_only_those_entries(client, users, login):
    person = users.make(plan="premium")
    login(person)
    add_entry(person, day="2026-02-10", title="Before the range")
    add_entry(person, day="2026-03-05", title="Inside the range", photos=[add_photo(person)], mood=8)
    ask(client, format="pdf", scope="journal", date_from="2026-03-01", date_to="2026-03-31")
    run_jobs()
    export = latest_export(person)
    assert export.status == "ready"
    data = export_file(export.id).read_bytes()
    assert data.startswith(b"%PDF")
    response = client.get(f"/account/exports/{export.id}/download")
    assert response.mimetype == "application/pdf"


def test_impossible_choices_are_refused_with_the_form_kept(client, users, login):
    person = users.make()
    login(person)
    response = ask(client, format="csv", scope="journal")
    assert response.status_code == 422
    assert "CSV export holds your moods and focus sessions" in response.get_data(as_text=True)
    response = ask(client, date_from="2026-05-01", date_to="2026-04-01")
    assert response.status_code == 422
    assert "start date comes after the end date" in response.get_data(as_text=True)
    response = ask(client, format="xml")
    assert response.status_code == 422
    assert ExportRequest.query.count() == 0


def test_a_second_export_waits_for_the_first(client, users, login):
    person = users.make()
    login(person)
    ask(client)
    response = ask(client)
    assert response.status_code == 409
    assert "already being prepared" in response.get_data(as_text=True)


def test_markdown_export_has_one_file_per_entry_with_front_matter_and_media(client, users, login):
    person = users.make()
    login(person)
    tag = make_tag(person, "family")
    photo = add_photo(person)
    dinner = add_entry(person, title='Dinner: "the big one"', tag_ids=[tag.id], is_favorite=True, photos=[photo])
    add_entry_mood(person, dinner, 4)
    add_entry(person, day="2026-03-02", title="Second")
    add_entry(person, day="2026-03-03", title="Trashed", deleted_at=datetime(2026, 3, 4, tzinfo=UTC))
    ask(client, format="markdown", scope="journal")
    run_jobs()
    with open_zip(export_file(latest_export(person).id)) as archive:
        notes = sorted(n for n in archive.namelist() if n.endswith(".md"))
        assert len(notes) == 2
        first, second = (archive.read(note).decode() for note in notes)
        assert f"media/{photo['filename']}" in archive.namelist()
    assert first.startswith('---\ntitle: "Dinner: \\"the big one\\""\ndate: 2026-03-01\n')
    assert 'tags: ["family"]\nmood: 4  # good (1 awful to 5 great)\nfavorite: true\n---' in first
    assert "tags: []\nmood: null\nfavorite: false\n---" in second
    assert f"![Herons](../media/{photo['filename']})" in first


def test_csv_export_holds_moods_and_focus_sessions_safe_for_spreadsheets(client, users, login):
    person = users.make()
    login(person)
    add_mood(person, note="=HYPERLINK(bad)")
    add_focus(person, minutes=50)
    ask(client, format="csv", scope="everything")
    run_jobs()
    with open_zip(export_file(latest_export(person).id)) as archive:
        moods = list(csv.DictReader(io.StringIO(archive.read("moods.csv").decode())))
        sessions = list(csv.DictReader(io.StringIO(archive.read("focus_sessions.csv").decode())))
    assert moods[0]["category"] == "Calm" and moods[0]["intensity"] == "6"
    assert moods[0]["note"] == "'=HYPERLINK(bad)"
    assert sessions[0]["focus_minutes"] == "50" and sessions[0]["task"] == "Write the report"


def test_date_range_and_scope_limit_what_is_exported(client, users, login):
    person = users.make()
    login(person)
    add_entry(person, day="2026-01-15")
    add_mood(person, day="2026-01-15")
    add_mood(person, day="2026-02-15")
    ask(client, scope="moods", date_from="2026-02-01", date_to="2026-02-28")
    run_jobs()
    with open_zip(export_file(latest_export(person).id)) as archive:
        data = json.loads(archive.read(JSON_NAME))
    assert "journal_entries" not in data and "focus_sessions" not in data
    assert [m["local_date"] for m in data["mood_entries"]] == ["2026-02-15"]


def test_many_documents_stream_in_batches_with_progress_recorded(client, users, login):
    person = users.make()
    login(person)
    for number in range(450):
        add_entry(person, day=f"2025-{1 + number % 12:02d}-{1 + number % 28:02d}", title=f"Entry {number}")
    ask(client, scope="journal")
    run_jobs()
    export = latest_export(person)
    with open_zip(export_file(export.id)) as archive:
        assert len(json.loads(archive.read(JSON_NAME))["journal_entries"]) == 450


def test_job_is_enqueued_with_a_timeout_and_retries(client, users, login):
    person = users.make()
    login(person)
    ask(client)
    job = Job.fetch(f"export-{latest_export(person).id}", connection=queue.redis)
    assert job.timeout == exports.JOB_TIMEOUT_SECONDS
    assert job.retries_left == exports.JOB_RETRIES


def test_a_failed_build_is_retried_then_recorded_with_a_readable_reason(client, users, login):
    person = users.make()
    login(person)
    add_entry(person)
    blocked = Path(current_app.config["EXPORT_DIR"]) / str(person.id)
    blocked.parent.mkdir(parents=True, exist_ok=True)
    blocked.write_text("not a folder")
    ask(client)
    run_jobs()
    export = latest_export(person)
    assert export.status == "failed"
    assert "could not be written to disk" in export.error
    assert "Traceback" not in export.error
    page = client.get(f"/account/exports/{export.id}").get_data(as_text=True)
    assert "This export failed" in page and "could not be written to disk" in page

    blocked.unlink()
    build_export(export.id)
    assert latest_export(person).status == "ready"


def test_finished_export_is_not_rebuilt(client, users, login):
    person = users.make()
    login(person)
    add_entry(person)
    ask(client)
    run_jobs()
    export = latest_export(person)
    path = export_file(export.id)
    before = path.stat().st_mtime_ns
    build_export(export.id)
    assert path.stat().st_mtime_ns == before
    assert latest_export(person).status == "ready"


def test_crashed_run_is_retried_and_leaves_one_file(client, users, login):
    person = users.make()
    login(person)
    add_entry(person)
    ask(client)
    export = latest_export(person)
    export.status = "running"
    db.session.commit()
    folder = exports.user_export_dir(person.id)
    folder.mkdir(parents=True, exist_ok=True)
    leftover = folder / f".mindnotes-export-{export.id}.zip.deadbeef.part"
    leftover.write_bytes(b"half a zip")
    long_ago = time.time() - exports.JOB_TIMEOUT_SECONDS - 60
    os.utime(leftover, (long_ago, long_ago))

    run_jobs()
    build_export(export.id)

    assert latest_export(person).status == "ready"
    assert [p.name for p in folder.iterdir()] == [f"mindnotes-export-{export.id}.zip"]


def test_expiry_deletes_the_file_marks_expired_and_is_idempotent(client, users, login):
    person = users.make()
    login(person)
    add_entry(person)
    ask(client)
    run_jobs()
    export = latest_export(person)
    path = export_file(export.id)
    assert expire_exports() == 0 and path.exists()

    later = datetime.now(UTC) + timedelta(days=7, minutes=1)
    assert exports.expire_exports(now=later) == 1
    assert exports.expire_exports(now=later) == 0
    export = latest_export(person)
    assert export.status == "expired" and not path.exists()
    assert client.get(f"/account/exports/{export.id}/download").status_code == 404
    assert "Expired" in client.get("/account/exports/").get_data(as_text=True)


def test_expiry_job_runs_on_the_worker(client, users, login, app):
    person = users.make()
    login(person)
    add_entry(person)
    ask(client)
    run_jobs()
    export = latest_export(person)
    export.expires_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    queue.enqueue(expire_exports)
    run_jobs()
    assert latest_export(person).status == "expired"


def test_exports_page_needs_login(client):
    assert client.get("/account/exports/").status_code == 302


def test_an_export_that_cannot_be_written_is_shown_as_failed(app, client, users, login):
    person = users.make()
    add_entry(person)
    login(person)
    assert client.post("/account/exports/", data={"format": "json", "scope": "journal"}).status_code == 302
    run_jobs()
    assert latest_export(person).status == "ready"

    folder = Path(app.config["EXPORT_DIR"]) / str(person.id)
    shutil.rmtree(folder)
    folder.write_text("not a folder")
    assert client.post("/account/exports/", data={"format": "json", "scope": "journal"}).status_code == 302
    run_jobs()
    assert latest_export(person).status == "failed"
    assert "could not be written to disk" in client.get("/account/exports/").get_data(as_text=True)


def test_an_export_stuck_long_after_its_attempts_is_marked_failed_so_another_can_be_asked(client, users, login):
    person = users.make()
    login(person)
    ask(client)
    assert exports.expire_exports(now=datetime.now(UTC) + timedelta(hours=1)) == 0
    assert latest_export(person).status == "queued"

    exports.expire_exports(now=datetime.now(UTC) + exports.STUCK_AFTER + timedelta(minutes=1))
    export = latest_export(person)
    assert export.status == "failed" and "did not finish" in export.error
    assert ask(client).status_code == 302


def test_expire_command_runs_the_cleanup_by_hand(client, users, login, runner):
    person = users.make()
    login(person)
    add_entry(person)
    ask(client)
    run_jobs()
    export = latest_export(person)
    export.expires_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    result = runner.invoke(args=["exports", "expire"])
    assert "1 export(s) expired." in result.output
    assert latest_export(person).status == "expired"
