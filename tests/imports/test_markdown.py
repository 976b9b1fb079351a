"""Markdown folders with YAML front matter: the export reads back whole; other apps' notes import too."""

import html
from datetime import UTC, datetime

from mindnotes.documents import collection, mood_entries
from mindnotes.extensions import db
from mindnotes.models import Tag
from mindnotes.services.imports import foreign
from tests.exports.helpers import (
    add_entry_mood,
    add_photo,
    add_voice_note,
    export_file,
    latest_export,
    make_tag,
    png_bytes,
)
from tests.factories import make_entry
from tests.imports.flow import import_file, own_files, preview, upload  # noqa: F401
from tests.imports.samples import zip_of
from tests.jobs import run_jobs

KEPT = ("title", "content", "entry_date", "local_date", "is_favorite", "location", "weather")


def entries_of(person) -> list[dict]:
    return list(collection("journal_entries").find({"user_id": person.id}).sort("entry_date", 1))


def as_read(person, entry: dict) -> dict:
    """What a person sees of an entry, with tags by name and media without their stored file names."""
    names = {t.id: t.name for t in db.session.query(Tag).filter_by(user_id=person.id)}
    own_mood = mood_entries.get_mood(person.id, entry["_id"])
    return {
        **{key: entry.get(key) for key in KEPT},
        "mood": (own_mood["score"], own_mood["journal_entry_id"] == entry["_id"]) if own_mood else None,
        "tags": sorted(names[i] for i in entry["tag_ids"]),
        "photos": [{k: v for k, v in p.items() if k not in ("id", "filename")} for p in entry["photos"]],
        "voice_notes": [{k: v for k, v in v.items() if k not in ("id", "filename")} for v in entry["voice_notes"]],
    }


def markdown_export(client, login, person) -> bytes:
    login(person)
    client.post("/account/exports/", data={"format": "markdown", "scope": "journal"})
    run_jobs()
    return export_file(latest_export(person).id).read_bytes()


def test_markdown_export_imports_back_without_losing_anything(client, users, login):
    writer, reader = users.make(timezone="Europe/Berlin"), users.make(timezone="Europe/Berlin")
    family, trip = make_tag(writer, "family"), make_tag(writer, "Trip: Köln")
    photo, voice = add_photo(writer, caption="Herons [two]"), add_voice_note(writer)
    second = add_photo(writer, name="ffeeddccbbaa99887766554433221100.png", caption="")
    dinner = make_entry(
        writer,
        datetime(2025, 3, 30, 0, 59, 59, 123000, tzinfo=UTC),
        title='Dinner: "the big one" 🍝',
        content="First paragraph.\n\n- a list\n- with *emphasis*\n\n## A heading inside\n\nÜmlauts and 東京.",
        tag_ids=[family.id, trip.id],
        is_favorite=True,
        location={"name": "Home, sweet: home", "lat": 52.52, "lng": 13.405},
        weather="Rain, 7 °C",
        photos=[photo, second],
        voice_notes=[voice],
        local_date="2025-03-30",
    )
    add_entry_mood(writer, dinner, 4)
    make_entry(writer, datetime(2025, 10, 26, 1, 30, tzinfo=UTC), title="", content="No title, no tags.")
    data = markdown_export(client, login, writer)
    login(reader)
    outcome = import_file(client, data, "markdown")
    assert "Imported 2 journal entries, 0 moods, 0 focus sessions and 3 photos or voice notes." in outcome
    exported = [as_read(writer, e) for e in entries_of(writer)]
    imported = [as_read(reader, e) for e in entries_of(reader)]
    exported[0]["photos"][0]["caption"] = "Herons (two)"  # brackets cannot stand inside link text
    assert [e["mood"] for e in exported] == [(4, True), None]
    assert imported == exported
    again = import_file(client, data, "markdown")
    assert "2 journal entries already imported." in again


def test_notes_from_other_apps_take_dates_tags_and_images_as_written(client, users, login):
    person = users.make(timezone="America/New_York")
    login(person)
    notes = {
        "Vault/2025/Picnic.md": "---\ntitle: Picnic\ndate: 2025-06-01\ntags: park, friends\nfavorite: true\n---\n"
        "Sun! ![[cake.png]]\n\nMore ![sky](../img/sky%20blue.png) and ![web](https://example.com/x.png)",
        "Vault/img/sky blue.png": png_bytes("blue", (12, 10)),
        "Vault/attachments/cake.png": png_bytes("white", (10, 12)),
        "Vault/Joplin note.md": "---\ntitle: From Joplin\ncreated: 2025-07-04 22:15:00Z\ntags:\n  - '#holiday'\n"
        "latitude: 40.7\nlongitude: -74.0\n---\n\nFireworks.",
        "Vault/Bare.md": "Just words, no front matter.",
        "Vault/Broken.md": "---\ntitle: [unclosed\n---\nBody",
        "Vault/.obsidian/workspace.md": "ignored",
    }
    _address, page = preview(client, zip_of(notes), "markdown")
    text = html.unescape(page)
    assert "3 new journal entries" in text
    assert "Vault/Broken.md skipped: its front matter is not YAML." in text
    import_file(client, zip_of(notes), "markdown")
    by_title = {e["title"]: e for e in entries_of(person)}
    picnic = by_title["Picnic"]
    # A day alone is noon in the person's zone.
    assert picnic["entry_date"].replace(tzinfo=None).isoformat() == "2025-06-01T16:00:00"
    assert picnic["is_favorite"] is True
    assert picnic["content"] == "Sun! \n\nMore  and ![web](https://example.com/x.png)"
    assert [p["width"] for p in picnic["photos"]] == [10, 12]
    assert [p["caption"] for p in picnic["photos"]] == ["", "sky"]
    joplin = by_title["From Joplin"]
    assert joplin["local_date"] == "2025-07-04"
    assert joplin["location"] == {"name": "", "lat": 40.7, "lng": -74.0}
    names = {t.id: t.name for t in db.session.query(Tag).filter_by(user_id=person.id)}
    assert sorted(names[i] for i in picnic["tag_ids"] + joplin["tag_ids"]) == ["friends", "holiday", "park"]
    # Without a date, the file's time in the zip, read in the person's zone.
    bare = by_title[""]
    assert bare["content"] == "Just words, no front matter."
    assert bare["entry_date"].replace(tzinfo=None).isoformat() == "2025-02-03T09:05:06"


def test_mood_reads_as_the_1_to_5_score_and_an_older_exports_6_to_10_as_the_old_scale(client, users, login):
    person = users.make()
    login(person)
    moods = {"Two": 2, "Five": 5, "Seven": 7, "Ten": 10, "None": "null", "Words": "fine", "Eleven": 11}
    notes = {f"{name}.md": f"---\ntitle: {name}\ndate: 2025-06-01\nmood: {mood}\n---\n" for name, mood in moods.items()}
    _address, page = preview(client, zip_of(notes), "markdown")
    assert "Eleven.md skipped: Choose how good it felt: 1 (awful) to 5 (great), or no mood." in html.unescape(page)
    import_file(client, zip_of(notes), "markdown")
    scores = {}
    for entry in entries_of(person):
        own_mood = mood_entries.get_mood(person.id, entry["_id"])
        scores[entry["title"]] = own_mood["score"] if own_mood else None
    assert scores == {"Two": 2, "Five": 5, "Seven": 4, "Ten": 5, "None": None, "Words": None}
    days = collection("daily_activity_logs").find_one({"user_id": person.id, "local_date": "2025-06-01"})
    assert (days["moods"], days["mood_score_sum"]) == (4, 16)


def test_a_failed_import_takes_back_the_entries_own_moods(client, users, login, monkeypatch):
    person = users.make()
    login(person)
    notes = {"Calm.md": "---\ntitle: Calm\ndate: 2025-06-01\nmood: 4\n---\nText"}

    def disk_full(*args):
        raise OSError("disk full")

    # The entry and its own mood are stored by then: the import fails while it copies the entry's media.
    monkeypatch.setattr(foreign, "copy_media", disk_full)
    outcome = import_file(client, zip_of(notes), "markdown")
    assert "nothing was imported" in outcome
    for name in ("journal_entries", "mood_entries"):
        assert collection(name).count_documents({"user_id": person.id}) == 0
    days = collection("daily_activity_logs").find({"user_id": person.id})
    assert all(not day.get("moods") and not day.get("mood_score_sum") for day in days)


def test_a_zip_without_notes_is_refused(client, users, login):
    login(users.make())
    response = upload(client, zip_of({"photo.png": png_bytes()}), "markdown")
    assert response.status_code == 422
    assert "The zip holds no .md files" in response.get_data(as_text=True)
