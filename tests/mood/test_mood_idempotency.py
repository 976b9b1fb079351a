"""Pressing "Log mood" again never logs a second mood: the picker carries the new mood's id (issue 14)."""

import re
from datetime import UTC, datetime

import pytest

from mindnotes import timeutil
from mindnotes.documents import daily_activity_logs, mood_entries
from mindnotes.extensions import db
from mindnotes.models import Profile
from tests.mood.helpers import picker_data

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
HTMX = {"HX-Request": "true"}
KEY = re.compile(r'name="mood_id" value="([0-9a-f]{24})"')


@pytest.fixture
def amy(users, login, monkeypatch):
    monkeypatch.setattr(timeutil, "utcnow", lambda: NOW)
    person = users.make(timezone="Europe/Paris")
    login(person)
    return person


def key_on(client, path: str) -> str:
    keys = KEY.findall(client.get(path).get_data(as_text=True))
    assert len(keys) == 1, f"{path} should carry one mood key"
    return keys[0]


def moods_of(user) -> list[dict]:
    return mood_entries.page_of_moods(user.id, None, None, None, None, 10)


def moods_logged(user) -> int:
    db.session.expire_all()
    return db.session.get(Profile, user.id).moods_logged


def test_each_showing_of_the_picker_carries_a_new_key(client, amy):
    assert key_on(client, "/mood/") != key_on(client, "/mood/")


@pytest.mark.parametrize("path", ["/mood/", "/home"])
def test_the_same_form_sent_twice_logs_one_mood_and_both_answers_are_success(client, amy, path):
    data = {**picker_data("Calm", 7, note="once"), "mood_id": key_on(client, path), "next": "/home"}
    first = client.post("/mood/", data=data)
    again = client.post("/mood/", data=data)
    assert (first.status_code, again.status_code) == (302, 302)
    assert first.headers["Location"] == again.headers["Location"]
    [mood] = moods_of(amy)
    assert str(mood["_id"]) == data["mood_id"] and mood["note"] == "once"
    assert moods_logged(amy) == 1
    assert daily_activity_logs.get_day(amy.id, "2026-03-10")["moods"] == 1


def test_the_htmx_picker_sent_twice_answers_the_same_partial_with_one_mood(client, amy):
    data = {**picker_data("Joyful", 8), "mood_id": key_on(client, "/mood/")}
    first = client.post("/mood/", data=data, headers=HTMX)
    again = client.post("/mood/", data=data, headers=HTMX)
    assert (first.status_code, again.status_code) == (200, 200)
    for response in (first, again):
        assert "Joyful, great (5/5), intensity 8/10." in response.get_data(as_text=True)
    assert len(moods_of(amy)) == 1 and moods_logged(amy) == 1
    # The picker that comes back is ready for the next mood, under a new key.
    assert KEY.findall(again.get_data(as_text=True)) != [data["mood_id"]]


def test_two_forms_log_two_moods(client, amy):
    for _ in range(2):
        assert client.post("/mood/", data={**picker_data(), "mood_id": key_on(client, "/mood/")}).status_code == 302
    assert len(moods_of(amy)) == 2 and moods_logged(amy) == 2


def test_a_key_of_another_persons_mood_logs_a_new_mood_and_leaves_theirs(client, amy, users, login):
    other = users.make()
    login(other)
    theirs = {**picker_data("Tired", 2), "mood_id": key_on(client, "/mood/")}
    assert client.post("/mood/", data=theirs).status_code == 302
    login(amy)
    assert client.post("/mood/", data={**picker_data("Calm", 6), "mood_id": theirs["mood_id"]}).status_code == 302
    [mine] = moods_of(amy)
    assert mine["category_name"] == "Calm" and str(mine["_id"]) != theirs["mood_id"]
    assert [m["category_name"] for m in moods_of(other)] == ["Tired"]


def test_the_edit_form_carries_no_new_mood_key(client, amy):
    client.post("/mood/", data={**picker_data(), "mood_id": key_on(client, "/mood/")})
    [mood] = moods_of(amy)
    assert KEY.findall(client.get(f"/mood/{mood['_id']}/edit").get_data(as_text=True)) == []
