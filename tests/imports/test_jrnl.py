"""Importing jrnl: its JSON export and its plain-text journal, times read in the person's zone."""

import html

from mindnotes.documents import collection
from mindnotes.extensions import db
from mindnotes.models import Tag
from tests.imports.flow import import_file, own_files, preview, upload  # noqa: F401
from tests.imports.samples import JRNL_TEXT, jrnl_entry, jrnl_json


def entries_of(person) -> dict[str, dict]:
    return {e["title"]: e for e in collection("journal_entries").find({"user_id": person.id})}


def tag_names_of(person, entry: dict) -> list[str]:
    names = {t.id: t.name for t in db.session.query(Tag).filter_by(user_id=person.id)}
    return sorted(names[i] for i in entry["tag_ids"])


def test_plain_text_journal_keeps_titles_bodies_tags_stars_and_local_days(client, users, login):
    person = users.make(timezone="America/New_York")
    login(person)
    _address, page = preview(client, JRNL_TEXT.encode(), "jrnl", "journal.txt")
    assert "4 new journal entries, from 2025-03-09 to 2025-11-02" in page
    import_file(client, JRNL_TEXT.encode(), "jrnl", "journal.txt")
    entries = entries_of(person)
    late = entries["Late walk with @anna."]
    assert late["content"] == "The city was quiet.\nSaw a fox near the #river."
    assert tag_names_of(person, late) == ["anna", "river"]
    # 23:30 in New York is 03:30 UTC the next day; the entry stays on its own day.
    assert late["local_date"] == "2025-07-01"
    assert late["entry_date"].replace(tzinfo=None).isoformat() == "2025-07-02T03:30:00"
    starred = entries["The hour that never was"]
    assert starred["is_favorite"] is True
    assert starred["local_date"] == "2025-03-09"
    assert entries["Twice."]["local_date"] == "2025-11-02"
    assert entries["Twice."]["content"] == "Once in daylight time, once in standard time."
    assert entries["Ünïcödé 🦊 title?"]["content"] == "Body after a question mark."


def test_json_export_imports_once_and_knows_its_entries_again(client, users, login):
    person = users.make(timezone="Europe/Berlin")
    login(person)
    data = jrnl_json(
        [
            jrnl_entry("2025-05-01", "08:00", "Coffee.", "Strong.", ["@morning"], starred=True),
            jrnl_entry("2025-05-02", "08:00", "", "No title here"),
            jrnl_entry("2025-05-03", "25:99", "Broken time."),
        ]
    )
    _address, page = preview(client, data, "jrnl", "journal.json")
    text = html.unescape(page)
    assert "2 new journal entries" in text
    assert "jrnl entry 3 skipped: its date and time are not YYYY-MM-DD and HH:MM." in text
    outcome = import_file(client, data, "jrnl", "journal.json")
    assert "Imported 2 journal entries" in outcome
    entries = entries_of(person)
    assert entries["Coffee."]["is_favorite"] is True
    assert entries["Coffee."]["entry_date"].replace(tzinfo=None).isoformat() == "2025-05-01T06:00:00"
    assert entries[""]["content"] == "No title here"
    again = import_file(client, data, "jrnl", "journal.json")
    assert "2 journal entries already imported." in again
    assert len(entries_of(person)) == 2


def test_a_file_that_is_not_a_jrnl_journal_is_refused(client, users, login):
    for data, message in (
        (b"Dear diary, no dates here.", "This is not a jrnl journal"),
        (b'{"entries": [', "This file is not valid JSON"),
        (b"\xff\xfe\x00binary", "This file is not valid UTF-8 text"),
    ):
        login(users.make())
        response = upload(client, data, "jrnl", "journal.txt")
        assert response.status_code == 422
        assert message in html.unescape(response.get_data(as_text=True))
