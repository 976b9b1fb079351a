"""Pressing "Save entry" again never saves a second entry: the editor carries the new entry's id (issue 14)."""

import re

import pytest

from mindnotes.documents import collection
from tests.journal.helpers import entries_used, leave_slots

KEY = re.compile(r'name="entry_id"[^>]*value="([0-9a-f]{24})"|value="([0-9a-f]{24})"[^>]*name="entry_id"')


@pytest.fixture
def person(users, login):
    user = users.make()
    login(user)
    return user


def key_on_editor(client) -> str:
    keys = ["".join(found) for found in KEY.findall(client.get("/journal/new").get_data(as_text=True))]
    assert len(keys) == 1, "the editor should carry one entry key"
    return keys[0]


def entries_of(user) -> list[dict]:
    return list(collection("journal_entries").find({"user_id": user.id}))


def test_the_same_editor_sent_twice_saves_one_entry_and_both_go_to_it(client, person):
    data = {"title": "Once", "content": "Only once.", "entry_id": key_on_editor(client)}
    first = client.post("/journal/new", data=data)
    again = client.post("/journal/new", data=data)
    assert (first.status_code, again.status_code) == (302, 302)
    assert first.headers["Location"] == again.headers["Location"] == f"/journal/{data['entry_id']}"
    assert [str(entry["_id"]) for entry in entries_of(person)] == [data["entry_id"]]
    assert entries_used(person) == 1


def test_pressing_again_at_the_plan_limit_still_answers_with_the_saved_entry(client, person):
    leave_slots(person, 1)
    data = {"title": "The last one", "content": "Fits.", "entry_id": key_on_editor(client)}
    assert client.post("/journal/new", data=data).status_code == 302
    again = client.post("/journal/new", data=data)
    assert again.status_code == 302 and again.headers["Location"] == f"/journal/{data['entry_id']}"
    assert len(entries_of(person)) == 1


def test_two_editors_save_two_entries(client, person):
    for title in ("One", "Two"):
        data = {"title": title, "content": "Words.", "entry_id": key_on_editor(client)}
        assert client.post("/journal/new", data=data).status_code == 302
    assert sorted(entry["title"] for entry in entries_of(person)) == ["One", "Two"]
