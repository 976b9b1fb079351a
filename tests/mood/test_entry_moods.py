"""One mood system: the editor's mood control, an entry's linked moods both ways, and old entries' moods."""

from datetime import UTC, datetime

from bson import ObjectId

from mindnotes.documents import collection, daily_activity_logs, journal_entries, mood_entries
from tests.factories import make_entry
from tests.mood.helpers import NOW, category_id, picker_data


def editor_form(**overrides) -> dict:
    data = {"title": "A quiet day", "content": "Slept well.", "privacy": "private", "entry_date": "2026-03-09T20:00"}
    return {**data, **overrides}


def moods_of(user) -> list[dict]:
    return list(collection("mood_entries").find({"user_id": user.id}).sort("felt_at", 1))


def day(user, local_date: str) -> tuple[int, int]:
    logged = daily_activity_logs.get_day(user.id, local_date) or {}
    return logged.get("moods", 0), logged.get("mood_score_sum", 0)


def test_the_editors_mood_is_a_mood_log_linked_to_the_entry(client, amy):
    entry_id = str(ObjectId())
    response = client.post("/journal/new", data=editor_form(mood_score="2", entry_id=entry_id))
    assert response.status_code == 302
    # The same form sent again (a double press) makes no second entry and no second mood.
    client.post("/journal/new", data=editor_form(mood_score="2", entry_id=entry_id))
    (mood,) = moods_of(amy)
    assert (mood["journal_entry_id"], mood["score"], mood["local_date"]) == (ObjectId(entry_id), 2, "2026-03-09")
    # A bad score of 2 is the first listed unpleasant mood; its felt time is the entry's.
    assert mood["category_name"] == "Tired" and mood["felt_at"] == datetime(2026, 3, 9, 19, 0, tzinfo=UTC)
    assert day(amy, "2026-03-09") == (1, 2)
    assert "mood" not in journal_entries.get_entry(amy.id, entry_id)

    page = client.get(f"/journal/{entry_id}").get_data(as_text=True)
    assert "Tired</strong> · bad (2/5) · intensity 5/10" in page
    assert f'href="/mood/{entry_id}/edit"' in page and f'href="/mood/?entry={entry_id}"' in page
    editor = client.get(f"/journal/{entry_id}/edit").get_data(as_text=True)
    assert 'id="entry-mood-2" name="mood_score" value="2" checked' in editor and "Logged as" in editor


def test_changing_the_editors_score_keeps_the_mood_and_no_mood_removes_it(client, amy):
    entry_id = str(ObjectId())
    client.post("/journal/new", data=editor_form(mood_score="4", entry_id=entry_id))
    (mood,) = moods_of(amy)
    # Chosen further on the mood page: another category and a note.
    client.post(f"/mood/{entry_id}", data=picker_data("Grateful", 7, score="4", note="Dinner with Sam"))

    revision = journal_entries.get_entry(amy.id, entry_id)["revision"]
    changed = client.post(f"/journal/{entry_id}/edit", data=editor_form(mood_score="5", revision=str(revision)))
    assert changed.status_code == 302
    (mood,) = moods_of(amy)
    assert (mood["category_name"], mood["note"], mood["score"], mood["intensity"]) == (
        "Grateful",
        "Dinner with Sam",
        5,
        7,
    )
    assert day(amy, "2026-03-09") == (1, 5)

    # An edit from a form without the mood control leaves the mood as it is.
    revision = journal_entries.get_entry(amy.id, entry_id)["revision"]
    assert client.post(f"/journal/{entry_id}/edit", data=editor_form(revision=str(revision))).status_code == 302
    assert [m["score"] for m in moods_of(amy)] == [5]

    revision = journal_entries.get_entry(amy.id, entry_id)["revision"]
    client.post(f"/journal/{entry_id}/edit", data=editor_form(mood_score="", revision=str(revision)))
    assert moods_of(amy) == [] and day(amy, "2026-03-09") == (0, 0)


def test_a_bad_score_in_the_editor_keeps_the_form_and_stores_nothing(client, amy):
    response = client.post("/journal/new", data=editor_form(mood_score="7", title="Kept title"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "1 (awful) to 5 (great), or no mood." in page and 'value="Kept title"' in page
    assert moods_of(amy) == [] and list(collection("journal_entries").find({"user_id": amy.id})) == []


def test_add_how_you_felt_without_javascript_links_the_mood_and_goes_back(client, amy):
    entry = make_entry(amy, datetime(2026, 3, 9, 19, 0, tzinfo=UTC), title="Spring walk")
    entry_id = str(entry["_id"])
    picker = client.get(f"/mood/?entry={entry_id}").get_data(as_text=True)
    assert f'href="/journal/{entry_id}">Spring walk</a>' in picker
    assert f'name="next" value="/journal/{entry_id}"' in picker and "hx-post" not in picker.split("mood-picker")[1]

    logged = client.post("/mood/", data=picker_data("Calm", 6, journal_entry_id=entry_id, next=f"/journal/{entry_id}"))
    assert logged.status_code == 302 and logged.headers["Location"] == f"/journal/{entry_id}"
    (mood,) = moods_of(amy)
    assert mood["journal_entry_id"] == entry["_id"]
    assert "Calm</strong> · good (4/5)" in client.get(f"/journal/{entry_id}").get_data(as_text=True)
    # The mood page links back to the entry.
    assert f'href="/journal/{entry_id}" class="mood-entry-link"' in client.get("/mood/history").get_data(as_text=True)


def test_another_persons_entry_cannot_be_linked_or_shown(client, amy, users):
    ben = users.make(email="ben@example.com")
    bens_entry = make_entry(ben, NOW, title="Ben's secret")
    bens_id = str(bens_entry["_id"])
    picker = client.get(f"/mood/?entry={bens_id}").get_data(as_text=True)
    assert "Ben's secret" not in picker
    refused = client.post("/mood/", data=picker_data("Calm", 6, journal_entry_id=bens_id))
    assert refused.status_code == 422 and "Link one of your own journal entries." in refused.get_data(as_text=True)
    assert moods_of(amy) == [] and moods_of(ben) == []
    # Ben's entry page, and its editor (the mood control's owner), are not found for Amy.
    assert client.get(f"/journal/{bens_id}").status_code == 404
    assert client.post(f"/journal/{bens_id}/edit", data=editor_form(mood_score="5")).status_code == 404
    assert moods_of(ben) == [] and "mood" not in journal_entries.get_entry(ben.id, bens_id)


def test_upgrade_turns_old_entry_moods_into_linked_moods_once(app, amy):
    seven = make_entry(amy, datetime(2026, 3, 1, 9, 0, tzinfo=UTC), title="Good one", mood=7)
    two = make_entry(amy, datetime(2026, 3, 2, 9, 0, tzinfo=UTC), title="Hard one", mood=2)
    empty = make_entry(amy, datetime(2026, 3, 3, 9, 0, tzinfo=UTC), title="No mood", mood=None)
    trashed = make_entry(amy, datetime(2026, 3, 4, 9, 0, tzinfo=UTC), mood=5, deleted_at=NOW)
    runner = app.test_cli_runner()

    first = runner.invoke(args=["mood", "upgrade"])
    assert first.exit_code == 0 and "linked 2 entries' old moods" in first.output
    moods = {mood["journal_entry_id"]: mood for mood in moods_of(amy)}
    assert set(moods) == {seven["_id"], two["_id"]}
    assert (moods[seven["_id"]]["score"], moods[two["_id"]]["score"]) == (4, 1)
    assert (moods[two["_id"]]["category_name"], moods[seven["_id"]]["category_name"]) == ("Sad", "Calm")
    for entry in (seven, two):
        stored = journal_entries.get_entry(amy.id, entry["_id"])
        assert "mood" not in stored and stored["entry_date"] == entry["entry_date"]
        assert isinstance(stored["created_at"], datetime) and stored["title"] == entry["title"]
    # An entry whose old field was empty gets no mood (nx-27017 cannot find a null field to drop; nothing reads it).
    assert mood_entries.moods_for_entry(amy.id, empty["_id"]) == []
    # A trashed entry keeps its old mood until it is restored and the upgrade runs again.
    assert journal_entries.get_entry(amy.id, trashed["_id"])["mood"] == 5

    before = moods_of(amy)
    again = runner.invoke(args=["mood", "upgrade"])
    assert again.exit_code == 0 and "linked 0 entries' old moods" in again.output
    assert moods_of(amy) == before
    assert mood_entries.moods_for_entry(amy.id, seven["_id"])[0]["_id"] == seven["_id"]
    assert category_id(moods[seven["_id"]]["category_name"]) == moods[seven["_id"]]["category_id"]


def test_an_okay_score_in_the_editor_is_the_neutral_mood(client, amy):
    entry_id = str(ObjectId())
    client.post("/journal/new", data=editor_form(mood_score="3", entry_id=entry_id))
    (mood,) = moods_of(amy)
    assert (mood["category_name"], mood["valence"], mood["score"]) == ("Neutral", 0, 3)
