"""Focus sessions: starting, the server-held clock, pauses, completion and refusals."""

import threading
from datetime import timedelta

import pytest

from mindnotes.documents import collection
from mindnotes.extensions import db
from mindnotes.models import Tag
from mindnotes.services import focus
from tests.focus.helpers import START, day_log, install_clock, only_session, start, started


@pytest.fixture
def clock(monkeypatch):
    return install_clock(monkeypatch)


@pytest.fixture
def person(users, login):
    user = users.make()
    login(user)
    return user


def remaining_shown(client, session) -> int:
    body = client.get(f"/focus/sessions/{session['_id']}").get_data(as_text=True)
    return int(body.split('data-remaining-seconds="', 1)[1].split('"', 1)[0])


@pytest.mark.parametrize(
    ("session_type", "minutes"), [("pomodoro", 25), ("short_break", 5), ("long_break", 15), ("deep_work", 50)]
)
def test_each_kind_of_session_starts_with_its_length(client, person, clock, session_type, minutes):
    session = started(client, person.id, session_type=session_type)
    assert session["planned_minutes"] == minutes
    assert session["status"] == "active"
    assert session["started_at"] == START
    assert session["planned_end_at"] == START + timedelta(minutes=minutes)
    assert session["active_key"] == f"user:{person.id}"


def test_start_redirects_to_a_running_timer_with_the_task(client, person, clock):
    response = start(client, task="Draft chapter two")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Draft chapter two" in page
    assert "25:00" in page
    assert 'data-remaining-seconds="1500"' in page


@pytest.mark.parametrize("minutes", ["1", "180"])
def test_custom_session_takes_1_to_180_minutes(client, person, clock, minutes):
    session = started(client, person.id, session_type="custom", custom_minutes=minutes)
    assert session["planned_minutes"] == int(minutes)


@pytest.mark.parametrize("minutes", ["0", "181", "", "ten"])
def test_custom_session_outside_1_to_180_minutes_is_refused_and_kept(client, person, clock, minutes):
    response = start(client, session_type="custom", custom_minutes=minutes, task="Keep me")
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Keep me" in body
    assert "1 to 180 minutes" in body or "valid integer" in body
    assert collection("focus_sessions").count_documents({}) == 0


def test_unknown_kind_of_session_is_refused(client, person, clock):
    assert start(client, session_type="nap").status_code == 422
    assert collection("focus_sessions").count_documents({}) == 0


def test_session_keeps_the_persons_own_tags_only(client, person, users, clock):
    mine = Tag(user_id=person.id, name="writing")
    theirs = Tag(user_id=users.make().id, name="secret")
    db.session.add_all([mine, theirs])
    db.session.commit()
    refused = start(client, tag_ids=[str(mine.id), str(theirs.id)])
    assert refused.status_code == 422
    assert "your own list" in refused.get_data(as_text=True)
    session = started(client, person.id, tag_ids=[str(mine.id)])
    assert session["tag_ids"] == [mine.id]
    assert "writing" in client.get(f"/focus/sessions/{session['_id']}").get_data(as_text=True)


def test_second_start_is_409_with_a_link_to_the_running_session(client, person, clock):
    running = started(client, person.id)
    response = start(client)
    assert response.status_code == 409
    assert f'href="/focus/sessions/{running["_id"]}"' in response.get_data(as_text=True)
    assert collection("focus_sessions").count_documents({"user_id": person.id}) == 1


def test_ten_concurrent_starts_make_exactly_one_session(app, person, login, clock):
    clients = [login(person, app.test_client()) for _ in range(10)]
    barrier = threading.Barrier(len(clients))
    statuses = []

    def start_at_once(a_client):
        barrier.wait()
        statuses.append(start(a_client).status_code)

    threads = [threading.Thread(target=start_at_once, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [302] + [409] * 9
    assert collection("focus_sessions").count_documents({"user_id": person.id}) == 1


def test_after_a_session_ends_a_new_one_can_start(client, person, clock):
    first = started(client, person.id)
    client.post(f"/focus/sessions/{first['_id']}/abandon")
    assert start(client).status_code == 302
    assert collection("focus_sessions").count_documents({"user_id": person.id}) == 2


def test_elapsed_time_is_wall_clock_minus_pauses(client, person, clock):
    session = started(client, person.id)
    clock.advance(minutes=10)
    client.post(f"/focus/sessions/{session['_id']}/pause")
    clock.advance(minutes=5)
    assert remaining_shown(client, session) == 15 * 60
    client.post(f"/focus/sessions/{session['_id']}/resume")
    clock.advance(minutes=5)
    assert remaining_shown(client, session) == 10 * 60
    stored = only_session(person.id)
    assert stored["pauses"] == [
        {"started_at": START + timedelta(minutes=10), "ended_at": START + timedelta(minutes=15)}
    ]
    # The planned end moves by the time spent paused.
    assert stored["planned_end_at"] == START + timedelta(minutes=30)


def test_reloading_shows_the_same_time_as_another_device(client, person, users, login, app, clock):
    session = started(client, person.id)
    clock.advance(minutes=3, seconds=20)
    other_device = login(person, app.test_client())
    assert remaining_shown(client, session) == remaining_shown(other_device, session) == 1300


@pytest.mark.parametrize(
    ("setup", "action", "message"),
    [
        (["pause"], "pause", "already paused"),
        ([], "resume", "not paused"),
        (["complete"], "resume", "has ended"),
        (["complete"], "complete", "already completed"),
        (["abandon"], "complete", "abandoned"),
        (["complete"], "pause", "has ended"),
        (["abandon"], "abandon", "already abandoned"),
    ],
)
def test_transitions_that_make_no_sense_are_409_and_change_nothing(client, person, clock, setup, action, message):
    session = started(client, person.id)
    url = f"/focus/sessions/{session['_id']}"
    for step in setup:
        clock.advance(minutes=5)
        assert client.post(f"{url}/{step}", data={"rating": "4"}).status_code == 302
    before = only_session(person.id)
    activity_before = day_log(person.id, "2026-03-02")
    clock.advance(minutes=5)
    response = client.post(f"{url}/{action}", data={"rating": "3"})
    assert response.status_code == 409
    assert message in response.get_data(as_text=True)
    assert only_session(person.id) == before
    assert day_log(person.id, "2026-03-02") == activity_before


def test_completing_early_counts_the_focused_minutes_for_the_local_day(client, users, login, clock):
    # 09:00 UTC on 2 March is 22:00 on 2 March in Auckland; at 12:00 UTC it is already 3 March there.
    person = users.make(timezone="Pacific/Auckland")
    login(person)
    clock.set(START + timedelta(hours=1, minutes=50))
    session = started(client, person.id, session_type="deep_work")
    clock.advance(minutes=12, seconds=40)
    response = client.post(f"/focus/sessions/{session['_id']}/complete", data={"rating": "4", "notes": "Good flow"})
    assert response.status_code == 302
    stored = only_session(person.id)
    assert (stored["status"], stored["focus_minutes"], stored["productivity_rating"]) == ("completed", 12, 4)
    assert stored["notes"] == "Good flow"
    assert stored["active_key"] == str(stored["_id"])
    log = day_log(person.id, "2026-03-02")
    assert (log["focus_minutes"], log["focus_sessions"]) == (12, 1)
    db.session.refresh(person.profile)
    assert person.profile.focus_minutes == 12


def test_completing_late_counts_no_more_than_the_planned_minutes(client, person, clock):
    session = started(client, person.id)
    clock.advance(minutes=40)
    client.post(f"/focus/sessions/{session['_id']}/complete", data={"rating": "5"})
    assert only_session(person.id)["focus_minutes"] == 25
    assert day_log(person.id, "2026-03-02")["focus_minutes"] == 25


def test_completing_while_paused_closes_the_pause(client, person, clock):
    session = started(client, person.id)
    clock.advance(minutes=8)
    client.post(f"/focus/sessions/{session['_id']}/pause")
    clock.advance(minutes=30)
    client.post(f"/focus/sessions/{session['_id']}/complete", data={"rating": "2"})
    stored = only_session(person.id)
    assert stored["focus_minutes"] == 8
    assert stored["pauses"][-1]["ended_at"] == clock.now


def test_completing_needs_a_rating_from_1_to_5(client, person, clock):
    session = started(client, person.id)
    for rating in ["", "0", "6", "great"]:
        response = client.post(f"/focus/sessions/{session['_id']}/complete", data={"rating": rating, "notes": "kept"})
        assert response.status_code == 422
        body = response.get_data(as_text=True)
        assert "from 1 to 5" in body or "Not a valid choice" in body
        assert "kept" in body
    assert only_session(person.id)["status"] == "active"


def test_abandoning_counts_no_focus_time(client, person, clock):
    session = started(client, person.id)
    clock.advance(minutes=20)
    client.post(f"/focus/sessions/{session['_id']}/abandon")
    stored = only_session(person.id)
    assert (stored["status"], stored["focus_minutes"]) == ("abandoned", 0)
    assert day_log(person.id, "2026-03-02") == {}
    assert "no focus time counted" in client.get(f"/focus/sessions/{session['_id']}").get_data(as_text=True)


def test_breaks_do_not_count_as_focus_time(client, person, clock):
    session = started(client, person.id, session_type="short_break")
    clock.advance(minutes=5)
    client.post(f"/focus/sessions/{session['_id']}/complete", data={"rating": "3"})
    assert only_session(person.id)["focus_minutes"] == 0
    assert day_log(person.id, "2026-03-02") == {}


def test_distractions_are_counted_with_optional_notes(client, person, clock):
    session = started(client, person.id)
    url = f"/focus/sessions/{session['_id']}/distraction"
    client.post(url, data={"note": "Phone buzzed"})
    client.post(url, data={"note": ""})
    stored = only_session(person.id)
    assert stored["distractions"] == {"count": 2, "notes": ["Phone buzzed"]}
    page = client.get(f"/focus/sessions/{session['_id']}").get_data(as_text=True)
    assert "Distractions: 2" in page and "Phone buzzed" in page
    client.post(f"/focus/sessions/{session['_id']}/abandon")
    refused = client.post(url, data={"note": "late"})
    assert refused.status_code == 409
    assert only_session(person.id)["distractions"]["count"] == 2


def test_heartbeat_moves_elapsed_forward_only_and_never_past_now(client, person, clock):
    session = started(client, person.id)
    url = f"/focus/sessions/{session['_id']}/heartbeat"
    clock.advance(seconds=45)
    client.post(url)
    assert only_session(person.id)["elapsed_seconds"] == 45
    client.post(url)
    assert only_session(person.id)["elapsed_seconds"] == 45
    clock.advance(seconds=-30)
    client.post(url)
    assert only_session(person.id)["elapsed_seconds"] == 45
    clock.advance(seconds=75)
    client.post(url)
    assert only_session(person.id)["elapsed_seconds"] == 90


def test_heartbeat_does_not_count_paused_time(client, person, clock):
    session = started(client, person.id)
    clock.advance(minutes=2)
    client.post(f"/focus/sessions/{session['_id']}/pause")
    clock.advance(minutes=10)
    client.post(f"/focus/sessions/{session['_id']}/heartbeat")
    assert only_session(person.id)["elapsed_seconds"] == 120


def test_htmx_heartbeat_answers_with_the_timer_partial(client, person, clock):
    session = started(client, person.id)
    clock.advance(minutes=1)
    response = client.post(f"/focus/sessions/{session['_id']}/heartbeat", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="focus-timer"' in body and 'data-remaining-seconds="1440"' in body
    assert 'hx-trigger="submit, every 45s, focus-timeup"' in body


def test_htmx_refusal_comes_back_as_the_timer_with_its_message(client, person, clock):
    session = started(client, person.id)
    client.post(f"/focus/sessions/{session['_id']}/pause")
    response = client.post(f"/focus/sessions/{session['_id']}/pause", headers={"HX-Request": "true"})
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert 'id="focus-timer"' in body and "already paused" in body


def test_when_time_is_up_the_timer_says_so_and_asks_for_the_rating(client, person, clock):
    session = started(client, person.id, session_type="short_break")
    clock.advance(minutes=5, seconds=1)
    page = client.get(f"/focus/sessions/{session['_id']}").get_data(as_text=True)
    assert "Time is up" in page
    assert "How productive was it?" in page
    assert 'data-remaining-seconds="0"' in page
    assert ">Pause<" not in page


def test_running_page_refreshes_itself_without_javascript(client, person, clock):
    session = started(client, person.id)
    page = client.get(f"/focus/sessions/{session['_id']}").get_data(as_text=True)
    assert '<noscript><meta http-equiv="refresh" content="30"></noscript>' in page
    assert "<script>" not in page and "style=" not in page
    client.post(f"/focus/sessions/{session['_id']}/pause")
    assert "http-equiv" not in client.get(f"/focus/sessions/{session['_id']}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("get", ""),
        ("post", "/heartbeat"),
        ("post", "/pause"),
        ("post", "/resume"),
        ("post", "/distraction"),
        ("post", "/complete"),
        ("post", "/abandon"),
    ],
)
def test_another_persons_session_is_404_on_every_route(client, person, users, clock, method, suffix):
    # Made through the service: test requests share the test's app context (and its cached user).
    owner = users.make()
    session = focus.start_session(owner, focus.SessionRequest("pomodoro"))
    response = getattr(client, method)(f"/focus/sessions/{session['_id']}{suffix}", data={"rating": "5"})
    assert response.status_code == 404
    assert getattr(client, method)(f"/focus/sessions/not-an-id{suffix}", data={"rating": "5"}).status_code == 404
    assert only_session(owner.id)["revision"] == 0


def test_focus_pages_need_login(client):
    assert client.get("/focus/").headers["Location"].startswith("/login")
    assert client.post("/focus/sessions").headers["Location"].startswith("/login")


def test_concurrent_completions_count_the_session_once(app, client, person, login, clock):
    session = started(client, person.id)
    clock.advance(minutes=25)
    clients = [login(person, app.test_client()) for _ in range(5)]
    barrier = threading.Barrier(len(clients))
    statuses = []

    def complete_at_once(a_client):
        barrier.wait()
        statuses.append(a_client.post(f"/focus/sessions/{session['_id']}/complete", data={"rating": "4"}).status_code)

    threads = [threading.Thread(target=complete_at_once, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [302] + [409] * 4
    log = day_log(person.id, "2026-03-02")
    assert (log["focus_minutes"], log["focus_sessions"]) == (25, 1)
