"""An edited mood reads like any other everywhere: history, week, "Recent moods", the CSV export and a
JSON export imported into another account (issue 22: one edit used to break the mood pages for good)."""

import csv
import io
import zipfile
from datetime import UTC, datetime

import pytest
from bson import json_util
from bson.json_util import JSONOptions

from mindnotes import timeutil
from mindnotes.documents import mood_entries
from mindnotes.services.exports.formats import JSON_NAME
from tests.exports.helpers import export_file, latest_export
from tests.jobs import run_jobs
from tests.mood.helpers import picker_data

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
# 08:00 in Paris on 10 March (UTC+1).
FELT_AT = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)
JSON_OPTIONS = JSONOptions(tz_aware=True, tzinfo=UTC)


@pytest.fixture(autouse=True)
def setting(app, tmp_path, monkeypatch):
    """The clock at NOW, fresh upload and export folders."""
    monkeypatch.setattr(timeutil, "utcnow", lambda: NOW)
    app.config.update(UPLOAD_DIR=str(tmp_path / "uploads"), EXPORT_DIR=str(tmp_path / "exports"))


def exported(client, person, **choice) -> bytes:
    """The file of an export asked on the exports page and built by the worker."""
    response = client.post("/account/exports/", data={"date_from": "", "date_to": "", **choice})
    assert response.status_code == 302
    run_jobs()
    return export_file(latest_export(person).id).read_bytes()


def test_an_edited_mood_shows_everywhere_and_survives_export_and_import(client, users, login):
    amy = users.make(email="amy@example.com", timezone="Europe/Paris")
    login(amy)
    form = picker_data("Calm", 6, felt_at="2026-03-10T08:00", note="Before the walk", factors={"sleep": "good"})
    assert client.post("/mood/", data=form).status_code == 302
    (mood,) = mood_entries.page_of_moods(amy.id, None, None, None, None, 10)

    edited = client.post(f"/mood/{mood['_id']}", data={**form, "note": "After the walk, calmer"})
    assert edited.status_code == 302

    edit_link = f"/mood/{mood['_id']}/edit"
    pages = {}
    for url in ("/mood/history", "/mood/week?of=2026-03-10", "/mood/"):
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.get_data(as_text=True)
        assert edit_link in pages[url], url
    assert "After the walk, calmer" in pages["/mood/history"] and "Before the walk" not in pages["/mood/history"]
    week_day = pages["/mood/week?of=2026-03-10"].split("Tuesday 10", 1)[1].split("</article>", 1)[0]
    assert "average score 4.0 (good) · 1 mood" in week_day and "08:00" in week_day
    recent = pages["/mood/"].split("Recent moods", 1)[1]
    assert edit_link in recent and "After the walk, calmer" in recent
    assert 'datetime="2026-03-10T07:00:00+00:00"' in recent

    with zipfile.ZipFile(io.BytesIO(exported(client, amy, format="csv", scope="moods"))) as archive:
        rows = list(csv.DictReader(io.TextIOWrapper(archive.open("moods.csv"), "utf-8")))
    assert [(row["felt_at_utc"], row["note"], row["score"], row["intensity"]) for row in rows] == [
        (FELT_AT.isoformat(), "After the walk, calmer", "4", "6")
    ]

    export = exported(client, amy, format="json", scope="everything")
    with zipfile.ZipFile(io.BytesIO(export)) as archive:
        (exported_mood,) = json_util.loads(archive.read(JSON_NAME), json_options=JSON_OPTIONS)["mood_entries"]
    assert (exported_mood["felt_at"], exported_mood["note"]) == (FELT_AT, "After the walk, calmer")
    ben = users.make(email="ben@example.com", timezone="Europe/Paris")
    login(ben)
    archive = {"archive": (io.BytesIO(export), "export.zip")}
    imported = client.post("/account/exports/import", data=archive, content_type="multipart/form-data")
    assert imported.status_code == 302
    run_jobs()
    assert ", 1 mood," in client.get(imported.headers["Location"]).get_data(as_text=True)
    (copy,) = mood_entries.page_of_moods(ben.id, None, None, None, None, 10)
    assert (copy["felt_at"], copy["note"], copy["factors"][0]["value"]) == (FELT_AT, "After the walk, calmer", "good")
    assert (copy["score"], copy["intensity"]) == (4, 6)
    assert "After the walk, calmer" in client.get("/mood/history").get_data(as_text=True)
