"""Importing a Journey export: HTML made safe Markdown, moods, places, photos, nothing twice."""

import html
import json

from mindnotes.documents import collection, mood_entries
from tests.exports.helpers import png_bytes
from tests.imports.flow import import_file, own_files, preview  # noqa: F401
from tests.imports.samples import journey_entry, journey_zip, zip_of

# 2025-04-05 10:00 UTC
APRIL = 1743847200000


def own_mood_score(person, entry: dict) -> int | None:
    own_mood = mood_entries.get_mood(person.id, entry["_id"])
    return own_mood["score"] if own_mood else None


def entries_of(person) -> list[dict]:
    return list(collection("journal_entries").find({"user_id": person.id}).sort("entry_date", 1))


def test_journey_entries_become_safe_markdown_with_mood_place_weather_and_photos(client, users, login):
    person = users.make(timezone="Asia/Tokyo")
    login(person)
    entries = [
        journey_entry(
            "1743847200000-abc",
            APRIL,
            "<p>Cherry <b>blossoms</b> 🌸</p><script>alert(1)</script><ul><li>one</li><li>two</li></ul>"
            '<img src="x" onerror="alert(2)"><a href="javascript:alert(3)">link</a>',
            mood=4,
            lat=35.68,
            lon=139.76,
            address="Ueno Park",
            weather={"degree_c": 14.4, "description": "Sunny"},
            tags=["spring", "花見"],
            photos=["1743847200000-abc-1.png", "missing.jpg"],
            favourite=True,
        ),
        journey_entry("1743933600000-def", APRIL + 86_400_000, "Plain **Markdown** from an older Journey."),
    ]
    data = journey_zip(entries, {"1743847200000-abc-1.png": png_bytes()})
    _address, page = preview(client, data, "journey")
    text = html.unescape(page)
    assert "2 new journal entries, from 2025-04-05 to 2025-04-06" in text
    assert "1 photo or voice note whose file was missing or not a photo or sound." in text
    import_file(client, data, "journey")
    blossoms, older = entries_of(person)
    assert blossoms["content"] == "Cherry **blossoms** 🌸\n\n- one\n- two\n\n![](x)link"
    assert "alert" not in blossoms["content"] and "script" not in blossoms["content"]
    assert own_mood_score(person, blossoms) == 4
    assert blossoms["is_favorite"] is True
    assert blossoms["location"] == {"name": "Ueno Park", "lat": 35.68, "lng": 139.76}
    assert blossoms["weather"] == "Sunny, 14 °C"
    assert len(blossoms["photos"]) == 1
    assert blossoms["source_id"] == "journey:1743847200000-abc"
    assert older["content"] == "Plain **Markdown** from an older Journey."
    assert older.get("location") is None and older.get("weather") == "" and own_mood_score(person, older) is None
    again = import_file(client, data, "journey")
    assert "2 journal entries already imported." in again
    assert len(entries_of(person)) == 2


def test_broken_and_twin_files_are_skipped_and_named(client, users, login):
    person = users.make()
    login(person)
    first = journey_entry("same-id", APRIL, "<p>first</p>")
    files = {
        "a.json": json.dumps(first),
        "b.json": json.dumps({**first, "text": "<p>second</p>"}),
        "c.json": "{broken",
        "d.json": json.dumps({**first, "id": "no-date", "date_journal": None}),
    }
    _address, page = preview(client, zip_of(files), "journey")
    text = html.unescape(page)
    assert "1 new journal entry" in text
    assert "its id (same-id) appears earlier in the file too; the first one was kept." in text
    assert "c.json skipped: it is not valid JSON." in text
    assert "d.json skipped: it has no date (date_journal)." in text
    import_file(client, zip_of(files), "journey")
    assert [e["content"] for e in entries_of(person)] == ["first"]
