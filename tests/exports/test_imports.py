"""Importing a JSON export: the round trip, the entry limit, and refusing hostile files."""

import io
import json
import re
import secrets
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bson import json_util
from sqlalchemy import select

from mindnotes.documents import collection, journal_entries, mood_entries
from mindnotes.extensions import db, queue
from mindnotes.models import FocusProgram, MoodFactor, Profile, Tag
from mindnotes.services import imports, journal
from mindnotes.services.exports.formats import JSON_NAME
from mindnotes.services.imports import checks as import_checks
from mindnotes.services.imports import reader as import_json
from tests._mongo_lane import not_on_mongomock
from tests.exports.helpers import (
    add_focus,
    add_mood,
    add_photo,
    add_voice_note,
    export_file,
    latest_export,
    make_tag,
    png_bytes,
)
from tests.jobs import run_jobs
from tests.journal.test_journal_media import solid_png

JSON_OPTIONS = json_util.JSONOptions(tz_aware=True, tzinfo=UTC)


@pytest.fixture(autouse=True)
def own_files(app, tmp_path):
    """Fresh media and export folders: user ids restart at 1 in every test."""
    app.config.update(UPLOAD_DIR=str(tmp_path / "uploads"), EXPORT_DIR=str(tmp_path / "exports"))


def export_json(client, login, person) -> bytes:
    login(person)
    client.post("/account/exports/", data={"format": "json", "scope": "everything"})
    run_jobs()
    return export_file(latest_export(person).id).read_bytes()


def send(client, data: bytes, name: str = "export.zip", **headers):
    return client.post(
        "/account/exports/import",
        data={"archive": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        headers=headers,
    )


def import_on_worker(client, data: bytes) -> str:
    """Upload without htmx, run the queued import on a real worker, and read its status page."""
    response = send(client, data)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/exports/imports/")
    run_jobs()
    return client.get(response.headers["Location"]).get_data(as_text=True)


def zip_of(files: dict[str, bytes | str], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def export_with(**documents) -> bytes:
    data = {"format": "mindnotes-export", "version": 1, "reference": {}, **documents}
    return zip_of({JSON_NAME: json_util.dumps(data)})


def entry_document(**fields) -> dict:
    return {
        "_id": {"$oid": "65f000000000000000000001"},
        "title": "Imported",
        "content": "From elsewhere",
        "entry_date": {"$date": "2026-03-01T09:00:00Z"},
        "local_date": "2026-03-01",
        **fields,
    }


def comparable(data: dict) -> dict:
    """The export's documents without what an import may change: ids (and the source id it keeps),
    owners, import timestamps, file names."""
    tags = {tag["id"]: tag["name"] for tag in data["reference"]["tags"]}
    entries = []
    for entry in data["journal_entries"]:
        entry = {
            k: v
            for k, v in entry.items()
            if k not in ("_id", "source_id", "user_id", "list_key", "created_at", "updated_at", "revision")
        }
        entry["tag_ids"] = sorted(tags[t] for t in entry["tag_ids"])
        for kind in ("photos", "voice_notes"):
            entry[kind] = [{k: v for k, v in item.items() if k != "filename"} for item in entry[kind]]
        entries.append(entry)
    moods = [
        {
            **{k: v for k, v in m.items() if k not in ("_id", "source_id", "user_id")},
            "journal_entry_id": bool(m["journal_entry_id"]),
        }
        for m in data["mood_entries"]
    ]
    sessions = [
        {
            **{k: v for k, v in s.items() if k not in ("_id", "source_id", "user_id", "active_key")},
            "tag_ids": sorted(tags[t] for t in s["tag_ids"]),
        }
        for s in data["focus_sessions"]
    ]
    return {"journal_entries": entries, "mood_entries": moods, "focus_sessions": sessions}


def media_contents(archive: zipfile.ZipFile) -> list[bytes]:
    return sorted(archive.read(name) for name in archive.namelist() if name.startswith("media/"))


def test_export_import_into_a_fresh_account_and_export_again_gives_the_same_documents(client, users, login, app):
    original, fresh = users.make(), users.make()
    walks = make_tag(original, "walks")
    sleep = db.session.scalar(select(MoodFactor).where(MoodFactor.name == "sleep"))
    when = datetime(2026, 3, 1, 9, tzinfo=UTC)
    first = journal.create_entry(
        original,
        {
            "title": "River",
            "content": "High water, **herons**.",
            "tag_ids": [walks.id],
            "mood": 7,
            "entry_date": when,
            "is_favorite": True,
            "location": {"name": "Quay", "lat": "51.5", "lng": "-0.1"},
        },
        now=when,
    )
    media = {"photos": [add_photo(original)], "photo_count": 1, "voice_notes": [add_voice_note(original)]}
    journal_entries.replace_entry(original.id, {**first, **media, "voice_note_count": 1})
    journal.create_entry(
        original,
        {
            "title": "",
            "content": "",
            "entry_date": when,
            "prompt_responses": [{"prompt_id": None, "question": "What made you smile?", "answer": "The dog."}],
        },
        now=when,
    )
    add_mood(
        original,
        journal_entry_id=first["_id"],
        factors=[{"factor_id": sleep.id, "name": "sleep", "value": "good"}],
        factor_values={str(sleep.id): "good"},
    )
    program = db.session.scalar(select(FocusProgram).order_by(FocusProgram.id))
    add_focus(original, tag_ids=[walks.id], program_id=program.id, program_day=2)
    add_focus(original, day="2026-03-02", session_type="short_break", focus_minutes=0)
    before = export_json(client, login, original)

    page = import_on_worker(login(fresh), before)
    assert "Imported 2 journal entries, 1 mood, 2 focus sessions and 2 photos or voice notes." in page
    after = export_json(client, login, fresh)

    with zipfile.ZipFile(io.BytesIO(before)) as old, zipfile.ZipFile(io.BytesIO(after)) as new:
        old_data = json_util.loads(old.read(JSON_NAME), json_options=JSON_OPTIONS)
        new_data = json_util.loads(new.read(JSON_NAME), json_options=JSON_OPTIONS)
        assert media_contents(old) == media_contents(new)
    old_documents, new_documents = comparable(old_data), comparable(new_data)
    for name in ("journal_entries", "mood_entries", "focus_sessions"):
        for old_document, new_document in zip(old_documents[name], new_documents[name], strict=True):
            assert new_document == old_document
    assert db.session.get(Profile, fresh.id).entries_used == 2
    day = collection("daily_activity_logs").find_one({"user_id": fresh.id, "local_date": "2026-03-01"})
    assert (day["entries"], day["moods"], day["focus_sessions"], day["focus_minutes"]) == (2, 1, 1, 25)


def test_import_keeps_the_entry_limit_and_says_what_it_skipped(client, users, login):
    person = users.make()
    profile = db.session.get(Profile, person.id)
    profile.entries_used = 99
    db.session.commit()
    documents = [entry_document(_id={"$oid": f"65f00000000000000000000{n}"}, title=f"Entry {n}") for n in range(3)]
    login(person)
    response = send(client, export_with(journal_entries=documents), **{"HX-Request": "true"})
    assert response.status_code == 200
    partial = response.get_data(as_text=True)
    assert "waits its turn" in partial and 'hx-trigger="load delay:1s"' in partial
    status_url = re.search(r'hx-get="(/account/exports/imports/[0-9a-f]+)"', partial).group(1)
    run_jobs()
    body = client.get(status_url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "hx-trigger" not in body
    assert "Imported 1 journal entry" in body
    assert "Skipped: 2 journal entries, because your Free plan keeps up to 100 entries" in body
    assert collection("journal_entries").count_documents({"user_id": person.id}) == 1


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (b"just some text", "not a zip"),
        (zip_of({"notes.txt": "hello"}), "holds no mindnotes-export.json"),
        (zip_of({JSON_NAME: "{not json"}), "is not valid JSON"),
        (zip_of({JSON_NAME: json.dumps({"format": "something-else", "version": 1})}), "is not a MindNotes export"),
        (
            zip_of({JSON_NAME: json.dumps({"format": "mindnotes-export", "version": 99})}),
            "this MindNotes imports version 1",
        ),
        (zip_of({JSON_NAME: "{}", "media/../../../etc/cron.d/evil": "x"}), "points outside its folder"),
        (zip_of({JSON_NAME: "{}", "/etc/passwd": "x"}), "points outside its folder"),
        (zip_of({JSON_NAME: "{}", "media/sub/photo.png": "x"}), "not a plain file name"),
        (zip_of({JSON_NAME: "{}", "media/bomb.png": b"\0" * (20 * 1024 * 1024)}), "zip bomb"),
        (export_with(journal_entries=[entry_document(content={"$where": "sleep(1000)"})]), "cannot store"),
        (export_with(journal_entries=[entry_document(**{"$set": {"user_id": 1}})]), "cannot store"),
        (export_with(journal_entries=[entry_document(entry_date={"$date": "2099-01-01T00:00:00Z"})]), "future"),
        (
            export_with(
                mood_entries=[
                    {"felt_at": {"$date": "2026-03-01T09:00:00Z"}, "local_date": "2026-03-01", "intensity": 40}
                ]
            ),
            "intensity",
        ),
        (export_with(journal_entries="all of them"), "not a list of documents"),
    ],
    ids=[
        "not-zip",
        "no-json",
        "not-json",
        "other-format",
        "unknown-version",
        "climbing-media",
        "absolute-path",
        "nested-media",
        "zip-bomb",
        "operator-value",
        "operator-key",
        "future-entry",
        "bad-mood",
        "not-a-list",
    ],
)
def test_hostile_or_broken_import_is_refused_and_nothing_is_written(client, users, login, upload, message):
    person = users.make()
    login(person)
    response = send(client, upload)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert collection("journal_entries").count_documents({}) == 0
    assert collection("mood_entries").count_documents({}) == 0


def test_too_large_upload_is_refused_with_413(client, users, login, monkeypatch):
    monkeypatch.setattr(imports, "MAX_UPLOAD_BYTES", 10_000)
    login(users.make())
    response = send(client, export_with(journal_entries=[entry_document()]) + b"\0" * 20_000)
    assert response.status_code == 413
    assert "larger than" in response.get_data(as_text=True)


def test_zip_that_unpacks_too_large_is_refused_with_413(client, users, login, monkeypatch):
    monkeypatch.setattr(import_checks, "MAX_UNPACKED_BYTES", 1000)
    login(users.make())
    response = send(client, zip_of({JSON_NAME: "{}", "media/a.png": b"x" * 2000}, zipfile.ZIP_STORED))
    assert response.status_code == 413
    assert "unpacks to more than" in response.get_data(as_text=True)


def test_media_that_is_not_a_photo_is_skipped_and_said(client, users, login):
    person = users.make()
    login(person)
    photos = [
        {"id": "p1", "filename": "fake.png", "content_type": "image/png", "caption": ""},
        {"id": "p2", "filename": "real.png", "content_type": "image/png", "caption": "ok"},
    ]
    data = {
        "format": "mindnotes-export",
        "version": 1,
        "reference": {},
        "journal_entries": [json.loads(json_util.dumps(entry_document())) | {"photos": photos}],
    }
    upload = zip_of(
        {JSON_NAME: json_util.dumps(data), "media/fake.png": "<script>alert(1)</script>", "media/real.png": png_bytes()}
    )
    assert "Skipped: 1 photo or voice note whose file" in import_on_worker(client, upload)
    [entry] = collection("journal_entries").find({"user_id": person.id})
    assert [p["caption"] for p in entry["photos"]] == ["ok"]
    assert entry["photos"][0]["filename"] != "real.png"


def test_failure_midway_takes_back_everything_written(client, users, login, monkeypatch, app):
    original, person = users.make(), users.make()
    journal.create_entry(original, {"title": "One", "content": "first", "tag_ids": [make_tag(original, "t").id]})
    journal.create_entry(original, {"title": "Two", "content": "second"})
    add_mood(original)
    add_focus(original)
    upload = export_json(client, login, original)

    def store_fails(*args):
        raise OSError("disk full")

    monkeypatch.setattr(imports, "_count_in_profile", store_fails)
    page = import_on_worker(login(person), upload)
    assert "stopped part-way" in page and "nothing was imported" in page
    for name in ("journal_entries", "mood_entries", "focus_sessions"):
        assert collection(name).count_documents({"user_id": person.id}) == 0
    days = collection("daily_activity_logs").find({"user_id": person.id})
    assert all(not any(day.get(f) for f in ("entries", "words", "moods", "focus_sessions")) for day in days)
    db.session.expire_all()
    assert db.session.get(Profile, person.id).entries_used == 0
    assert db.session.scalar(select(Tag).where(Tag.user_id == person.id)) is None


def test_import_form_requires_a_file_and_login(client, users, login):
    response = client.post("/account/exports/import", data={})
    assert response.status_code == 302
    login(users.make())
    response = client.post("/account/exports/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choose the file to import." in response.get_data(as_text=True)


def test_import_without_its_security_token_is_refused(app_factory, users, login):
    protected = app_factory(WTF_CSRF_ENABLED=True)
    browser = login(users.make(), protected.test_client())
    response = send(browser, export_with(journal_entries=[entry_document()]))
    assert response.status_code == 400
    assert collection("journal_entries").count_documents({}) == 0


def test_another_persons_import_status_is_a_404(client, users, login, app):
    owner, other = users.make(), users.make()
    response = send(login(owner), export_with(journal_entries=[entry_document()]))
    status_url = response.headers["Location"]
    stranger = login(other, app.test_client())
    assert stranger.get(status_url).status_code == 404
    assert stranger.get(status_url, headers={"HX-Request": "true"}).status_code == 404
    assert client.get("/account/exports/imports/not-a-token").status_code == 404
    assert "waits its turn" in client.get(status_url).get_data(as_text=True)


def test_the_uploaded_file_is_deleted_once_imported_or_refused(client, users, login, app):
    person = users.make()
    login(person)
    send(client, b"not a zip")
    import_on_worker(client, export_with(journal_entries=[entry_document()]))
    assert list((Path(app.config["EXPORT_DIR"]) / str(person.id) / "imports").iterdir()) == []


def test_the_json_is_read_in_small_pieces_whatever_the_order_of_its_members(client, users, login, monkeypatch):
    monkeypatch.setattr(import_json, "CHUNK_CHARACTERS", 7)
    person = users.make()
    walks = '{"id": 12, "name": "walks", "colour": "#6c757d"}'
    text = (
        '{ "journal_entries" : [ '
        + json_util.dumps(entry_document(tag_ids=[12], mood=10))
        + " ,\n "
        + json_util.dumps(
            entry_document(_id={"$oid": "65f000000000000000000002"}, title="Second", content="Number 12345")
        )
        + ' ] , "mood_entries": [], "reference": {"tags": ['
        + walks
        + ']}, "version": 1, "format": "mindnotes-export" }\n'
    )
    login(person)
    page = import_on_worker(client, zip_of({JSON_NAME: text}))
    assert "Imported 2 journal entries" in page
    stored = {e["title"]: e for e in collection("journal_entries").find({"user_id": person.id})}
    assert stored["Second"]["content"] == "Number 12345"
    # An export from before issue 17: the entry's 1-10 mood comes in as its own mood, 10 being great.
    assert "mood" not in stored["Imported"]
    assert mood_entries.get_mood(person.id, stored["Imported"]["_id"])["score"] == 5
    tag = db.session.scalar(select(Tag).where(Tag.user_id == person.id))
    assert (tag.name, stored["Imported"]["tag_ids"]) == ("walks", [tag.id])


@pytest.mark.parametrize(
    "text",
    [
        '{"format": "mindnotes-export", "version": 1, "journal_entries": [{"title": "cut',
        '{"format": "mindnotes-export", "version": 1, "journal_entries": []} and more',
        '{"format": "mindnotes-export", "version": 1, "journal_entries": [1, 2}',
        '["format", "mindnotes-export"]',
    ],
    ids=["cut-short", "text-after", "broken-list", "not-an-object"],
)
def test_broken_json_is_refused_before_anything_is_written(client, users, login, text):
    login(users.make())
    response = send(client, zip_of({JSON_NAME: text}))
    assert response.status_code == 422
    assert "is not valid JSON" in response.get_data(as_text=True)
    assert collection("journal_entries").count_documents({}) == 0


def many_files_export(entries: int, empty_files: int) -> bytes:
    """The hostile shape: `entries` entries (with no media, as exported) and `empty_files` empty members."""
    documents = [
        entry_document(_id={"$oid": f"{n:024x}"}, title=f"Entry {n}", photos=[], voice_notes=[]) for n in range(entries)
    ]
    data = {"format": "mindnotes-export", "version": 1, "reference": {}, "journal_entries": documents}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(JSON_NAME, json_util.dumps(data))
        for n in range(empty_files):
            archive.writestr(f"padding/{n}", b"")
    return buffer.getvalue()


def test_zip_of_99000_empty_files_is_refused_at_once_and_costs_little_cpu(client, users, login):
    upload = many_files_export(1000, 99_000)
    assert len(upload) > 10_000_000
    login(users.make())
    started = time.process_time()
    response = send(client, upload)
    cpu_seconds = time.process_time() - started
    assert response.status_code == 413
    assert "holds 99,001 files but its journal refers to 0 photos or voice notes" in response.get_data(as_text=True)
    assert cpu_seconds < 5, f"the refusal took {cpu_seconds:.1f} s of CPU"
    assert collection("journal_entries").count_documents({}) == 0


def test_checking_an_export_reads_the_zip_member_list_once(users, monkeypatch):
    """Allowed so many files, the check of 1,000 entries still does not grow with files x entries."""
    monkeypatch.setattr(import_checks, "MAX_OTHER_MEMBERS", 100_000)
    upload = many_files_export(1000, 99_000)
    listed = []
    real_namelist = zipfile.ZipFile.namelist
    monkeypatch.setattr(zipfile.ZipFile, "namelist", lambda self: listed.append(1) or real_namelist(self))
    started = time.process_time()
    imports.check_upload(users.make(plan="premium"), io.BytesIO(upload))
    cpu_seconds = time.process_time() - started
    assert len(listed) <= 1
    assert cpu_seconds < 10, f"the check took {cpu_seconds:.1f} s of CPU"


def test_a_sixth_import_within_the_hour_is_refused_with_429(client, users, login):
    person = users.make()
    login(person)
    for _ in range(5):
        assert send(client, b"not a zip").status_code == 422
    response = send(client, export_with(journal_entries=[entry_document()]))
    assert response.status_code == 429
    assert "You can import 5 files an hour" in response.get_data(as_text=True)
    assert collection("journal_entries").count_documents({}) == 0
    other = login(users.make(), client.application.test_client())
    assert send(other, b"not a zip").status_code == 422


def session_document(**fields) -> dict:
    return {
        "_id": {"$oid": "65f0000000000000000000a1"},
        "session_type": "pomodoro",
        "planned_minutes": 25,
        "task": "Report",
        "started_at": {"$date": "2026-03-02T10:00:00Z"},
        "ended_at": {"$date": "2026-03-02T10:25:00Z"},
        "status": "completed",
        "focus_minutes": 25,
        "pauses": [],
        "local_date": "2026-03-02",
        **fields,
    }


def mood_document(**fields) -> dict:
    return {
        "_id": {"$oid": "65f0000000000000000000b1"},
        "category_name": "Calm",
        "intensity": 6,
        "felt_at": {"$date": "2026-03-02T18:00:00Z"},
        "local_date": "2026-03-02",
        **fields,
    }


def test_documents_that_break_a_rule_are_skipped_and_named_while_the_rest_lands(client, users, login):
    person = users.make()
    upload = export_with(
        journal_entries=[
            entry_document(),
            entry_document(
                _id={"$oid": "65f000000000000000000002"},
                entry_date={"$date": "2026-03-01T10:30:00Z"},
                versions=["x"],
            ),
        ],
        mood_entries=[
            mood_document(),
            mood_document(
                _id={"$oid": "65f0000000000000000000b2"}, felt_at=None, created_at={"$date": "2026-03-03T09:10:00Z"}
            ),
        ],
        focus_sessions=[
            session_document(),
            session_document(_id={"$oid": "65f0000000000000000000a2"}, planned_minutes=None),
            session_document(_id={"$oid": "65f0000000000000000000a3"}, ended_at="2026-03-02T10:25:00Z"),
            session_document(_id={"$oid": "65f0000000000000000000a4"}, session_type=5),
        ],
    )
    page = import_on_worker(login(person), upload)
    assert "Imported 1 journal entry, 1 mood, 1 focus session" in page
    assert "Journal entry of 1 March 2026 10:30 skipped: one of its earlier versions is not a version." in page
    assert "Mood of 3 March 2026 09:10 skipped: no time felt." in page
    assert "Focus session of 2 March 2026 10:00 skipped: its planned length in minutes is not a whole number" in page
    assert "skipped: it has no end time." in page
    assert "skipped: its kind is not one of pomodoro" in page
    [entry] = collection("journal_entries").find({"user_id": person.id})
    [session] = collection("focus_sessions").find({"user_id": person.id})
    assert client.get(f"/journal/{entry['_id']}").status_code == 200
    assert client.get(f"/focus/sessions/{session['_id']}").status_code == 200
    assert client.get("/mood/history").status_code == 200
    assert queue.queue.failed_job_registry.count == 0
    assert collection("user_analytics").count_documents({"user_id": person.id}) == 1


def test_importing_the_same_file_again_adds_nothing(client, users, login):
    person = users.make()
    upload = export_with(
        journal_entries=[entry_document(), entry_document(_id={"$oid": "65f000000000000000000002"}, title="Two")],
        mood_entries=[mood_document(journal_entry_id={"$oid": "65f000000000000000000001"})],
        focus_sessions=[session_document()],
    )
    login(person)
    assert "Imported 2 journal entries, 1 mood, 1 focus session" in import_on_worker(client, upload)
    again = import_on_worker(client, upload)
    assert "Imported 0 journal entries, 0 moods, 0 focus sessions" in again
    assert "2 journal entries, 1 mood and 1 focus session already in your account" in again
    for name, count in (("journal_entries", 2), ("mood_entries", 1), ("focus_sessions", 1)):
        assert collection(name).count_documents({"user_id": person.id}) == count
    db.session.expire_all()
    assert db.session.get(Profile, person.id).entries_used == 2
    day = collection("daily_activity_logs").find_one({"user_id": person.id, "local_date": "2026-03-02"})
    assert (day["moods"], day["focus_sessions"]) == (1, 1)


def test_an_own_export_imported_back_adds_nothing(client, users, login):
    person = users.make()
    journal.create_entry(person, {"title": "Mine", "content": "Already here"})
    add_mood(person)
    upload = export_json(client, login, person)
    page = import_on_worker(client, upload)
    assert "1 journal entry and 1 mood already in your account" in page
    assert collection("journal_entries").count_documents({"user_id": person.id}) == 1
    assert collection("mood_entries").count_documents({"user_id": person.id}) == 1


def test_an_entry_with_a_huge_list_of_versions_is_refused(client, users, login):
    saved_at = {"$date": "2026-03-01T09:00:00Z"}
    versions = [
        {"title": "Old", "content": secrets.token_hex(50), "word_count": 1, "saved_at": saved_at} for _ in range(10_000)
    ]
    login(users.make())
    response = send(client, export_with(journal_entries=[entry_document(versions=versions)]))
    assert response.status_code == 422
    assert "it has 10,000 earlier versions; MindNotes keeps at most 20." in response.get_data(as_text=True)
    assert collection("journal_entries").count_documents({}) == 0


@not_on_mongomock("no 16 MB limit on a document: the oversized entry is stored")
def test_an_entry_too_large_for_mongodb_gives_its_plan_slot_back(users):
    """DocumentTooLarge is not a PyMongoError: the journal service still releases the reserved slot."""
    person = users.make()
    answers = [{"prompt_id": None, "question": "Why?", "answer": "y" * 100_000}] * 170
    with pytest.raises(journal.EntryInvalid, match="too large"):
        journal.create_entry(person, {"title": "Long", "prompt_responses": answers})
    db.session.expire_all()
    assert db.session.get(Profile, person.id).entries_used == 0
    assert collection("journal_entries").count_documents({"user_id": person.id}) == 0


def test_a_photo_of_88_megapixels_in_an_import_is_skipped_and_its_entry_kept(client, users, login):
    person = users.make()
    photo = {"id": "p1", "filename": "wall.png", "content_type": "image/png", "caption": "Wall"}
    data = {
        "format": "mindnotes-export",
        "version": 1,
        "reference": {},
        "journal_entries": [json.loads(json_util.dumps(entry_document())) | {"photos": [photo]}],
    }
    upload = zip_of({JSON_NAME: json_util.dumps(data), "media/wall.png": solid_png(9400, 9400)})
    page = import_on_worker(login(person), upload)
    assert "Imported 1 journal entry" in page
    assert "1 photo or voice note larger than MindNotes takes (a photo at most 40 megapixels" in page
    [entry] = collection("journal_entries").find({"user_id": person.id})
    assert entry["photos"] == [] and entry["source_id"] == "65f000000000000000000001"
