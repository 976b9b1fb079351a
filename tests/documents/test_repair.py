"""`flask repair-documents` heals what earlier versions stored as text on nx-27017: datetimes
written by `$set` and subdocuments written by `$push`, person by person, and only in the fields
known to hold them. The broken documents are inserted raw, as those versions left them."""

from datetime import UTC, datetime

import pytest
from bson import ObjectId

from mindnotes import timeutil
from mindnotes.documents import collection
from tests.factories import make_focus_session, make_mood

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
FELT_AT = datetime(2026, 3, 10, 7, 30, 15, 123000, tzinfo=UTC)
# How nx-27017 stores a `$set` datetime, and a `$push`ed subdocument.
FELT_AT_AS_TEXT = "2026-03-10 07:30:15.123000"
PAUSE_AS_TEXT = '{"started_at":{"$date":"2026-03-10T07:40:00"},"ended_at":{"$date":"2026-03-10T07:45:00"}}'


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr(timeutil, "utcnow", lambda: NOW)


def broken_documents(person) -> dict:
    """One mood edited, one day counted and one session paused by an earlier version; their ids."""
    mood = make_mood(
        person,
        FELT_AT,
        felt_at=FELT_AT_AS_TEXT,
        updated_at=FELT_AT_AS_TEXT,
        context='{"place": "Home"}',
        note="2026-03-10 07:30:15",  # the person's own words, which only look like a time
    )
    day_id = f"{person.id}-2026-03-10"
    collection("daily_activity_logs").insert_one(
        {"_id": day_id, "user_id": person.id, "local_date": "2026-03-10", "moods": 1, "created_at": NOW}
        | {"updated_at": FELT_AT_AS_TEXT}
    )
    session = make_focus_session(person, FELT_AT, pauses=[PAUSE_AS_TEXT], updated_at=FELT_AT_AS_TEXT)
    return {"mood": mood["_id"], "day": day_id, "session": session["_id"]}


def stored(name: str, document_id) -> dict:
    return collection(name).find_one({"_id": document_id})


def test_dry_run_says_what_it_would_change_per_collection_and_writes_nothing(runner, users):
    amy, ben = users.make(), users.make()
    amys, bens = broken_documents(amy), broken_documents(ben)
    result = runner.invoke(args=["repair-documents", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "daily_activity_logs: 2 document(s) would be repaired",
        "focus_sessions: 2 document(s) would be repaired",
        "mood_entries: 2 document(s) would be repaired",
        "6 document(s) of 2 person(s) would be repaired (dry run: nothing was written).",
    ]
    for ids in (amys, bens):
        assert stored("mood_entries", ids["mood"])["felt_at"] == FELT_AT_AS_TEXT
        assert stored("daily_activity_logs", ids["day"])["updated_at"] == FELT_AT_AS_TEXT
        assert stored("focus_sessions", ids["session"])["pauses"] == [PAUSE_AS_TEXT]


def test_repair_gives_back_datetimes_and_documents_and_a_second_run_changes_nothing(runner, users):
    amy = users.make()
    ids = broken_documents(amy)
    result = runner.invoke(args=["repair-documents"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "3 document(s) of 1 person(s) repaired."

    mood = stored("mood_entries", ids["mood"])
    assert (mood["felt_at"], mood["updated_at"], mood["created_at"]) == (FELT_AT, FELT_AT, FELT_AT)
    assert mood["context"] == {"place": "Home"}
    assert mood["note"] == "2026-03-10 07:30:15"
    assert stored("daily_activity_logs", ids["day"])["updated_at"] == FELT_AT
    (pause,) = stored("focus_sessions", ids["session"])["pauses"]
    assert pause == {
        "started_at": datetime(2026, 3, 10, 7, 40, tzinfo=UTC),
        "ended_at": datetime(2026, 3, 10, 7, 45, tzinfo=UTC),
    }

    before = {name: list(collection(name).find()) for name in ("mood_entries", "daily_activity_logs", "focus_sessions")}
    again = runner.invoke(args=["repair-documents"])
    assert again.output.splitlines() == ["0 document(s) of 0 person(s) repaired."]
    assert before == {name: list(collection(name).find()) for name in before}


def test_after_the_repair_the_mood_pages_open_again(client, runner, users, login):
    amy = users.make(timezone="Europe/Paris")
    ids = broken_documents(amy)
    runner.invoke(args=["repair-documents"])
    login(amy)
    for url in ("/mood/history", "/mood/week?of=2026-03-10", "/mood/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f"/mood/{ids['mood']}/edit" in response.get_data(as_text=True), url


def test_documents_of_nobody_known_and_good_documents_are_left_alone(runner, users):
    amy = users.make()
    good = make_mood(amy, FELT_AT)
    stray = {"_id": ObjectId(), "user_id": 999_999, "felt_at": FELT_AT_AS_TEXT}
    collection("mood_entries").insert_one(stray)
    result = runner.invoke(args=["repair-documents"])
    assert result.output.splitlines() == ["0 document(s) of 0 person(s) repaired."]
    assert stored("mood_entries", good["_id"]) == good
    assert stored("mood_entries", stray["_id"])["felt_at"] == FELT_AT_AS_TEXT
