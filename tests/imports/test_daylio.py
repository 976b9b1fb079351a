"""Importing Daylio's CSV: the person maps their mood names, rows become moods (and notes entries)."""

import html
import re

from sqlalchemy import select

from mindnotes.documents import collection
from mindnotes.extensions import db
from mindnotes.models import MoodCategory
from tests.imports.flow import own_files, preview, upload  # noqa: F401
from tests.imports.samples import DAYLIO_CSV
from tests.jobs import run_jobs


def category_id(name: str) -> int:
    return db.session.scalar(select(MoodCategory.id).where(MoodCategory.name == name))


def moods_of(person) -> dict[str, dict]:
    return {
        m["local_date"] + " " + m["category_name"]: m for m in collection("mood_entries").find({"user_id": person.id})
    }


def selected(page: str, field: str) -> str:
    block = re.search(rf'name="{field}">(.*?)</select>', page, re.DOTALL).group(1)
    return re.search(r'<option value="([^"]+)" selected>', block).group(1)


def test_preview_maps_daylio_moods_and_the_person_can_change_them(client, users, login):
    person = users.make(timezone="Europe/Berlin")
    login(person)
    address, page = preview(client, DAYLIO_CSV.encode(), "daylio", "daylio_export.csv")
    text = html.unescape(page)
    assert "3 moods, from 2025-05-01 to 2025-05-03" in text
    assert "1 journal entry from notes" in text
    assert "Row 4 (2025-05-01 07:05) skipped: another row has the same date and time; the first one was kept." in text
    assert "Row 5 (row 5) skipped: its date and time are not a date and a time." in text
    # rad, Sleepy, calm in the order first seen: rad is great, calm is MindNotes' Calm, Sleepy is a guess.
    assert selected(page, "mood-0-score") == "5"
    assert selected(page, "mood-2-category") == str(category_id("Calm"))
    response = client.post(address, data={"mood-1-category": str(category_id("Tired")), "mood-1-score": "2"})
    assert response.status_code == 302
    run_jobs()
    outcome = html.unescape(client.get(address).get_data(as_text=True))
    assert "Imported 1 journal entry, 3 moods" in outcome
    moods = moods_of(person)
    tired = moods["2025-05-02 Tired"]
    assert (tired["score"], tired["intensity"]) == (2, 5)
    assert [f["name"] for f in tired["factors"]] == ["work"]
    best = next(m for m in moods.values() if m["score"] == 5)
    # 23:45 in Berlin stays on the 3rd.
    assert best["local_date"] == "2025-05-03"
    assert [f["name"] for f in best["factors"]] == ["friends", "sport", "reading"]
    entry = collection("journal_entries").find_one({"_id": best["journal_entry_id"], "user_id": person.id})
    assert entry["title"] == "Best day"
    assert entry["content"] == "Long walk, then cake 🍰.\nSecond line."
    assert entry["source_id"] == "daylio:2025-05-03 23:45"


def test_the_same_csv_again_adds_nothing(client, users, login):
    person = users.make()
    login(person)
    address, _page = preview(client, DAYLIO_CSV.encode(), "daylio", "daylio.csv")
    client.post(address, data={})
    run_jobs()
    _address, page = preview(client, DAYLIO_CSV.encode(), "daylio", "daylio.csv")
    assert "3 already imported" in page
    assert "Nothing new to import" in page
    assert collection("mood_entries").count_documents({"user_id": person.id}) == 3
    assert collection("journal_entries").count_documents({"user_id": person.id}) == 1


def test_a_wrong_mapping_or_file_is_answered_with_why(client, users, login):
    person = users.make()
    login(person)
    address, _page = preview(client, DAYLIO_CSV.encode(), "daylio", "daylio.csv")
    response = client.post(address, data={"mood-0-category": "999999", "mood-0-score": "5"})
    assert response.status_code == 422
    assert "Choose one of the listed moods for “rad”." in html.unescape(response.get_data(as_text=True))
    response = client.post(address, data={"mood-0-score": "9"})
    assert response.status_code == 422
    assert collection("mood_entries").count_documents({"user_id": person.id}) == 0
    response = upload(client, b"date,feeling\n2025-01-01,ok\n", "daylio", "other.csv")
    assert response.status_code == 422
    assert "This is not a Daylio CSV export" in response.get_data(as_text=True)
