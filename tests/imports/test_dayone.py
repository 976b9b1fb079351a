"""Importing a Day One JSON export: preview, photos and audio, time zones, nothing twice, hostile files."""

import html
import io
import json
import re
from datetime import datetime

from mindnotes.documents import collection
from mindnotes.extensions import db
from mindnotes.models import Profile, Tag
from tests.imports.flow import confirm, import_file, own_files, preview, upload  # noqa: F401
from tests.imports.samples import dayone_entry, dayone_sample, dayone_zip, zip_of
from tests.jobs import run_jobs


def entries_of(person) -> list[dict]:
    return list(collection("journal_entries").find({"user_id": person.id}).sort("entry_date", 1))


def test_preview_shows_what_will_happen_and_writes_nothing(client, users, login):
    person = users.make(timezone="Europe/Berlin")
    login(person)
    _address, page = preview(client, dayone_sample(), "dayone")
    text = html.unescape(page)
    assert "3 new journal entries, from 2025-03-30 to 2025-06-02" in text
    assert "2 photos and 1 voice note" in text
    assert "2 new tags: Nature, lake" in text
    assert "1 photo or voice note whose file was missing or not a photo or sound." in text
    assert "Starred entries become favorites" in text
    assert entries_of(person) == []


def test_confirmed_import_keeps_text_dates_tags_favorites_place_weather_and_media(client, users, login):
    person = users.make(timezone="Europe/Berlin")
    login(person)
    outcome = import_file(client, dayone_sample(), "dayone")
    assert "Imported 3 journal entries, 0 moods, 0 focus sessions and 3 photos or voice notes." in outcome
    clocks, lake, unicode_entry = entries_of(person)
    assert lake["title"] == "Morning by the lake"
    assert lake["content"] == "Herons everywhere. \n\nThen"
    assert lake["entry_date"].replace(tzinfo=None) == datetime(2025, 6, 1, 7, 15)
    assert lake["is_favorite"] is True
    assert lake["location"] == {"name": "Boathouse, Potsdam, Germany", "lat": 52.4, "lng": 13.06}
    assert lake["weather"] == "Partly Cloudy, 19 °C"
    tags = {t.id: t.name for t in db.session.query(Tag).filter_by(user_id=person.id)}
    assert sorted(tags[i] for i in lake["tag_ids"]) == ["Nature", "lake"]
    # The text showed P2 before P1: the photos keep that order (blue is 20 wide, red 30).
    assert [p["width"] for p in lake["photos"]] == [20, 30]
    assert [v["content_type"] for v in lake["voice_notes"]] == ["audio/wav"]
    assert unicode_entry["title"] == ""
    assert unicode_entry["content"] == "Grüße aus Köln 🌧️ — naïve café, 東京 too."
    assert unicode_entry["photos"] == []
    # 01:30 UTC on the night the clocks went forward is 03:30 in Berlin, the same day.
    assert clocks["local_date"] == "2025-03-30"
    assert clocks["source_id"] == "dayone:C1B2C3D4E5F60718293A4B5C6D7E8F90"


def test_importing_the_same_file_again_adds_nothing_and_says_already_imported(client, users, login):
    person = users.make()
    login(person)
    import_file(client, dayone_sample(), "dayone")
    address, page = preview(client, dayone_sample(), "dayone")
    text = html.unescape(page)
    assert "0 new journal entries" in text
    assert "3 already imported" in text
    assert "Nothing new to import" in text
    confirm(client, address)
    assert len(entries_of(person)) == 3


def test_an_entry_edited_in_day_one_is_updated_only_on_request(client, users, login):
    person = users.make()
    login(person)
    first = dayone_entry("E1", "2025-05-05T10:00:00Z", "# Draft\n\nFirst words.")
    import_file(client, dayone_zip([first]), "dayone")
    edited = {**first, "text": "# Draft\n\nBetter words.", "tags": ["edited"]}
    address, page = preview(client, dayone_zip([edited]), "dayone")
    assert "1 imported before and edited since" in page
    outcome = confirm(client, address)
    assert "1 journal entry imported before and edited since" in html.unescape(outcome)
    assert entries_of(person)[0]["content"] == "First words."
    outcome = import_file(client, dayone_zip([edited]), "dayone", update=True)
    assert "Updated 1 journal entry edited since." in outcome
    (entry,) = entries_of(person)
    assert entry["content"] == "Better words."
    assert entry["versions"][-1]["content"] == "First words."
    assert import_file(client, dayone_zip([edited]), "dayone").count("already imported") == 1


def test_a_duplicated_uuid_imports_the_first_and_names_the_second(client, users, login):
    person = users.make()
    login(person)
    twins = [
        dayone_entry("SAME", "2025-04-01T08:00:00Z", "# One\n\nfirst"),
        dayone_entry("SAME", "2025-04-02T08:00:00Z", "# Two\n\nsecond"),
    ]
    _address, page = preview(client, dayone_zip(twins), "dayone")
    assert "its id (SAME) appears earlier in the file too; the first one was kept" in html.unescape(page)
    import_file(client, dayone_zip(twins), "dayone")
    assert [e["title"] for e in entries_of(person)] == ["One"]


def test_bad_entries_are_skipped_and_named_and_the_rest_imports(client, users, login):
    person = users.make(timezone="UTC")
    login(person)
    entries = [
        dayone_entry("OK", "2025-04-01T08:00:00Z", "Fine"),
        dayone_entry("EMPTY", "2025-04-02T08:00:00Z", "   "),
        dayone_entry("NODATE", None, "No date"),
        dayone_entry("FUTURE", "2999-01-01T00:00:00Z", "Later"),
        "not an entry",
    ]
    _address, page = preview(client, dayone_zip(entries), "dayone")
    text = html.unescape(page)
    assert "Day One entry of 2 April 2025 10:00 skipped: Write something first: a title or a few words." in text
    assert "skipped: it has no creation date." in text
    assert "skipped: The entry date cannot be in the future." in text
    assert "Day One entry 5 skipped: it is not an entry." in text
    import_file(client, dayone_zip(entries), "dayone")
    assert [e["content"] for e in entries_of(person)] == ["Fine"]


def test_a_photo_that_is_not_an_image_is_skipped_like_an_upload(client, users, login):
    person = users.make()
    login(person)
    entry = dayone_entry(
        "P",
        "2025-04-01T08:00:00Z",
        "Photo ![](dayone-moment://X)",
        photos=[{"identifier": "X", "md5": "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", "type": "jpeg"}],
    )
    data = dayone_zip([entry], {"photos/eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee.jpeg": b"<script>not a photo</script>"})
    outcome = import_file(client, data, "dayone")
    assert "1 photo or voice note whose file was missing or not a photo or sound." in outcome
    assert entries_of(person)[0]["photos"] == []


def test_hostile_and_wrong_files_are_refused_with_a_reason(client, users, login):
    cases = {
        b"plain text": "This file is not a zip. Choose the .zip of a Day One JSON export (.zip).",
        zip_of({"notes.txt": "hello"}): "The zip holds no Journal.json: it is not a Day One JSON export.",
        zip_of({"../evil.json": "{}"}): "points outside its folder",
        zip_of({"Journal.json": " " * (8 * 1024 * 1024)}): "that is a zip bomb, not an export",
        zip_of({"Journal.json": "{not json"}): "Journal.json is not valid JSON, so nothing was imported.",
        dayone_zip([]): "Nothing in this file can be imported. It holds no entries.",
        zip_of({"Journal.json": json.dumps({"entries": [dayone_entry("X", None, "x")]})}): "it has no creation date",
    }
    for data, message in cases.items():
        person = users.make()  # a person may send 5 files an hour
        login(person)
        response = upload(client, data, "dayone")
        assert response.status_code == 422, message
        assert message in html.unescape(response.get_data(as_text=True))
        assert entries_of(person) == []


def test_another_person_cannot_see_or_confirm_a_preview(client, users, login):
    owner, other = users.make(), users.make()
    login(owner)
    address, _page = preview(client, dayone_sample(), "dayone")
    login(other)
    assert client.get(address).status_code == 404
    assert client.post(address).status_code == 404
    login(owner)
    assert "3 new journal entries" in client.get(address).get_data(as_text=True)
    assert entries_of(owner) == entries_of(other) == []


def test_the_entry_limit_holds_and_tags_are_the_persons_own_through_htmx(client, users, login):
    person = users.make()
    profile = db.session.get(Profile, person.id)
    profile.entries_used = 98
    db.session.add(Tag(user_id=person.id, name="Nature"))
    db.session.commit()
    login(person)
    entries = [
        dayone_entry(f"U{n}", f"2025-04-0{n}T08:00:00Z", f"Day {n}", tags=["nature", "new"]) for n in range(1, 5)
    ]
    response = client.post(
        "/account/exports/import",
        data={"source": "dayone", "archive": (io.BytesIO(dayone_zip(entries)), "dayone.zip")},
        content_type="multipart/form-data",
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    partial = html.unescape(response.get_data(as_text=True))
    assert "4 new journal entries" in partial and "1 new tag: new" in partial
    confirm_url = re.search(r'hx-post="(/account/exports/imports/[0-9a-f]+)"', partial).group(1)
    queued = client.post(confirm_url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "waits its turn" in queued and 'hx-trigger="load delay:1s"' in queued
    run_jobs()
    body = html.unescape(client.get(confirm_url, headers={"HX-Request": "true"}).get_data(as_text=True))
    assert "Imported 2 journal entries" in body
    assert "2 journal entries, because your Free plan keeps up to 100 entries" in body
    stored = entries_of(person)
    assert len(stored) == 2
    tags = {t.name: t.id for t in db.session.query(Tag).filter_by(user_id=person.id)}
    assert sorted(tags) == ["Nature", "new"]
    assert stored[0]["tag_ids"] == sorted([tags["Nature"], tags["new"]])
