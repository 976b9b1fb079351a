"""The focus check-in: an optional intention and mood before a session, a mood after that becomes a mood log."""

import pytest

from mindnotes.documents import collection
from mindnotes.jobs.analytics import rebuild_user_analytics
from mindnotes.services.overview.patterns import patterns_for
from tests.exports.test_imports import export_with, import_on_worker, session_document
from tests.focus.helpers import install_clock, only_session, start, started


@pytest.fixture
def clock(monkeypatch):
    return install_clock(monkeypatch)


@pytest.fixture
def person(users, login):
    user = users.make()
    login(user)
    return user


def moods_of(user_id: int) -> list[dict]:
    return list(collection("mood_entries").find({"user_id": user_id}))


def complete(client, session: dict, **fields):
    return client.post(f"/focus/sessions/{session['_id']}/complete", data={"rating": "4", **fields})


def test_a_check_in_is_kept_on_the_session_and_shown_with_the_timer(client, person, clock):
    session = started(client, person.id, intention="Outline, phone away", before_score="2")
    assert session["checkin"] == {"intention": "Outline, phone away", "before_score": 2}
    page = client.get(f"/focus/sessions/{session['_id']}").get_data(as_text=True)
    assert "Intention: Outline, phone away" in page


def test_the_check_in_can_be_skipped(client, person, clock):
    session = started(client, person.id)
    assert session["checkin"] is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"before_score": "7"}, "Choose how you feel, from 1 (awful) to 5 (great), or skip it."),
        ({"intention": "x" * 201}, "Keep the intention under 200 characters."),
    ],
)
def test_a_bad_check_in_is_refused_and_the_form_kept(client, person, clock, fields, message):
    response = start(client, task="Write the report", **fields)
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in text
    assert 'value="Write the report"' in text
    assert collection("focus_sessions").count_documents({"user_id": person.id}) == 0


def test_the_mood_after_becomes_a_mood_log_kept_on_the_session(client, person, clock):
    session = started(client, person.id, before_score="2")
    clock.advance(minutes=25)
    response = complete(client, session, after_score="4")
    assert response.status_code == 302
    ended = only_session(person.id)
    (mood,) = moods_of(person.id)
    assert mood["score"] == 4 and mood["felt_at"] == clock.now
    assert mood["note"] == "After focusing on Write the report."
    assert ended["checkin"] == {"intention": "", "before_score": 2, "after_score": 4, "after_mood_id": mood["_id"]}
    page = client.get(f"/focus/sessions/{session['_id']}").get_data(as_text=True)
    assert "Check-in: Bad before → Good after (logged as a mood)" in page


def test_completing_without_the_mood_after_logs_no_mood(client, person, clock):
    session = started(client, person.id)
    clock.advance(minutes=25)
    assert complete(client, session).status_code == 302
    assert moods_of(person.id) == []
    assert only_session(person.id)["status"] == "completed"


def test_a_bad_mood_after_is_refused_and_the_session_keeps_running(client, person, clock):
    session = started(client, person.id)
    response = complete(client, session, after_score="9", notes="Went well")
    assert response.status_code == 422
    assert "Choose how you feel, from 1 (awful) to 5 (great), or skip it." in response.get_data(as_text=True)
    assert only_session(person.id)["status"] == "active"
    assert moods_of(person.id) == []


def test_another_persons_session_cannot_be_checked_out(client, users, login, person, clock):
    session = started(client, person.id)
    intruder = users.make()
    login(intruder)
    assert complete(client, session, after_score="5").status_code == 404
    assert only_session(person.id)["status"] == "active"
    assert moods_of(intruder.id) == [] and moods_of(person.id) == []


def test_patterns_read_the_mood_checked_in_before_a_session(client, person, clock):
    session = started(client, person.id, before_score="5")
    clock.advance(minutes=25)
    complete(client, session)
    rebuild_user_analytics(person.id)
    groups = {each["label"]: each for each in patterns_for(person.id)["completion"]["groups"]}
    assert groups["Good or great (4–5)"]["sessions"] == 1 and groups["Good or great (4–5)"]["days"] == 1


def test_an_imported_session_keeps_its_valid_check_in(client, person, app, tmp_path):
    app.config.update(UPLOAD_DIR=str(tmp_path / "uploads"), EXPORT_DIR=str(tmp_path / "exports"))
    checkin = {"intention": "  Deep   focus ", "before_score": 2, "after_score": 9, "after_mood_id": {"$oid": "6" * 24}}
    page = import_on_worker(client, export_with(focus_sessions=[session_document(checkin=checkin)]))
    assert "1 focus session" in page
    # The mood after is imported on its own; a score outside 1-5 is left out.
    assert only_session(person.id)["checkin"] == {"intention": "Deep focus", "before_score": 2}
