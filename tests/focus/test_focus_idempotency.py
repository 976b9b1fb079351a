"""Pressing "Start" again never starts a second session: the start form carries the new session's id (issue 14)."""

import re

import pytest

from mindnotes.documents import collection
from tests.focus.helpers import install_clock, start

KEY = re.compile(r'name="session_id"[^>]*value="([0-9a-f]{24})"|value="([0-9a-f]{24})"[^>]*name="session_id"')


@pytest.fixture
def person(users, login, monkeypatch):
    install_clock(monkeypatch)
    user = users.make()
    login(user)
    return user


def key_on_start_form(client) -> str:
    keys = ["".join(found) for found in KEY.findall(client.get("/focus/").get_data(as_text=True))]
    assert len(keys) == 1, "the start form should carry one session key"
    return keys[0]


def sessions_of(user) -> list[dict]:
    return list(collection("focus_sessions").find({"user_id": user.id}).sort("started_at", 1))


def test_the_same_start_form_sent_twice_starts_one_session_and_both_go_to_it(client, person):
    key = key_on_start_form(client)
    first = start(client, session_id=key)
    again = start(client, session_id=key)
    assert (first.status_code, again.status_code) == (302, 302)
    assert first.headers["Location"] == again.headers["Location"] == f"/focus/sessions/{key}"
    assert [str(session["_id"]) for session in sessions_of(person)] == [key]


def test_the_same_form_after_the_session_ended_still_answers_that_session(client, person):
    key = key_on_start_form(client)
    start(client, session_id=key)
    client.post(f"/focus/sessions/{key}/abandon")
    again = start(client, session_id=key)
    assert again.status_code == 302 and again.headers["Location"] == f"/focus/sessions/{key}"
    assert len(sessions_of(person)) == 1


def test_a_new_form_is_still_refused_while_a_session_runs(client, person):
    start(client, session_id=key_on_start_form(client))
    assert start(client, session_id="0123456789abcdef01234567").status_code == 409
    assert len(sessions_of(person)) == 1


def test_two_start_forms_start_two_sessions_one_after_the_other(client, person):
    first = key_on_start_form(client)
    start(client, session_id=first)
    client.post(f"/focus/sessions/{first}/abandon")
    second = key_on_start_form(client)
    assert second != first
    assert start(client, session_id=second).status_code == 302
    assert [str(session["_id"]) for session in sessions_of(person)] == [first, second]


def test_a_key_of_another_persons_session_starts_a_new_one(client, person, users, login):
    other = users.make()
    login(other)
    theirs = key_on_start_form(client)
    start(client, session_id=theirs)
    login(person)
    response = start(client, session_id=theirs)
    assert response.status_code == 302
    [mine] = sessions_of(person)
    assert str(mine["_id"]) != theirs and response.headers["Location"] == f"/focus/sessions/{mine['_id']}"
    assert [str(session["_id"]) for session in sessions_of(other)] == [theirs]
