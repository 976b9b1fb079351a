"""Focus programs: enrolling (once, premium for premium plans), daily tasks and minutes, progress and streak."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from mindnotes.extensions import db
from mindnotes.models import FocusProgram, ProgramEnrollment
from mindnotes.services import focus
from mindnotes.services.focus import programs as focus_programs
from tests.focus.helpers import install_clock, only_session, start


@pytest.fixture
def clock(monkeypatch):
    return install_clock(monkeypatch)


def program(slug: str) -> FocusProgram:
    return db.session.scalar(select(FocusProgram).where(FocusProgram.slug == slug))


def enrollments(user_id: int) -> list[ProgramEnrollment]:
    return list(db.session.scalars(select(ProgramEnrollment).where(ProgramEnrollment.user_id == user_id)))


@pytest.fixture
def free_person(users, login):
    user = users.make()
    login(user)
    return user


@pytest.fixture
def premium_person(users, login):
    user = users.make(plan="premium")
    login(user)
    return user


def test_programs_list_marks_the_premium_one(client, free_person):
    body = client.get("/focus/programs").get_data(as_text=True)
    assert "Focus foundations" in body and "Deep work sprint" in body
    assert body.count('class="premium-badge">Premium<') == 1
    assert "Enroll in Focus foundations" in body


def test_free_person_enrolling_in_a_premium_program_gets_a_clear_message(client, free_person):
    response = client.post(f"/focus/programs/{program('deep-work-sprint').id}/enroll", follow_redirects=True)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "part of the Premium plan" in body
    assert enrollments(free_person.id) == []


def test_premium_person_enrolls_in_the_premium_program(client, premium_person):
    response = client.post(f"/focus/programs/{program('deep-work-sprint').id}/enroll")
    assert response.status_code == 302
    [enrollment] = enrollments(premium_person.id)
    assert response.headers["Location"] == f"/focus/enrollments/{enrollment.id}"
    assert "Day 1 of 14" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_enrolling_twice_keeps_one_enrollment(client, free_person):
    url = f"/focus/programs/{program('focus-foundations').id}/enroll"
    client.post(url)
    again = client.post(url, follow_redirects=True)
    assert "already enrolled" in again.get_data(as_text=True)
    assert len(enrollments(free_person.id)) == 1


def test_concurrent_enrollments_make_one(app, free_person, login):
    clients = [login(free_person, app.test_client()) for _ in range(5)]
    barrier = threading.Barrier(len(clients))
    url = f"/focus/programs/{program('focus-foundations').id}/enroll"

    def enroll(a_client):
        barrier.wait()
        a_client.post(url)

    threads = [threading.Thread(target=enroll, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(enrollments(free_person.id)) == 1


def test_unknown_program_is_404(client, free_person):
    assert client.post("/focus/programs/999999/enroll").status_code == 404


def test_current_day_shows_tasks_and_minutes_and_ticks_tasks(client, free_person, clock):
    client.post(f"/focus/programs/{program('focus-foundations').id}/enroll")
    [enrollment] = enrollments(free_person.id)
    page = client.get(f"/focus/enrollments/{enrollment.id}").get_data(as_text=True)
    assert "Day 1 of 7" in page
    assert "Pick one task for the day" in page and "Silence notifications" in page
    assert "Focus minutes: 0 of 25" in page
    client.post(f"/focus/enrollments/{enrollment.id}/tasks/0")
    db.session.expire_all()
    assert enrollments(free_person.id)[0].tasks_done == {"1": [0]}
    partial = client.post(f"/focus/enrollments/{enrollment.id}/tasks/0", headers={"HX-Request": "true"})
    assert 'id="program-day"' in partial.get_data(as_text=True) and "<html" not in partial.get_data(as_text=True)
    db.session.expire_all()
    assert enrollments(free_person.id)[0].tasks_done == {"1": []}
    assert client.post(f"/focus/enrollments/{enrollment.id}/tasks/9").status_code == 404


def test_day_completes_when_minutes_are_done_and_tasks_ticked_then_next_opens_tomorrow(client, free_person, clock):
    client.post(f"/focus/programs/{program('focus-foundations').id}/enroll")
    [enrollment] = enrollments(free_person.id)
    client.post(f"/focus/enrollments/{enrollment.id}/tasks/0")
    client.post(f"/focus/enrollments/{enrollment.id}/tasks/1")
    db.session.expire_all()
    assert enrollments(free_person.id)[0].current_day == 1  # the minutes are still missing

    assert start(client, enrollment_id=str(enrollment.id)).status_code == 302
    session = only_session(free_person.id)
    assert (session["program_id"], session["program_day"]) == (enrollment.program_id, 1)
    clock.advance(minutes=25)
    client.post(f"/focus/sessions/{session['_id']}/complete", data={"rating": "4"})

    db.session.expire_all()
    done = enrollments(free_person.id)[0]
    assert done.current_day == 2
    assert done.days_completed == [{"day": 1, "local_date": "2026-03-02"}]
    page = client.get(f"/focus/enrollments/{enrollment.id}").get_data(as_text=True)
    assert "1 of 7 days (14%)" in page
    assert "opens tomorrow" in page
    assert "1 day</strong>" in page
    # Day 2 cannot be worked on today: not by ticking, not by a session.
    assert client.post(f"/focus/enrollments/{enrollment.id}/tasks/0").status_code == 409
    assert start(client, enrollment_id=str(enrollment.id)).status_code == 422

    clock.advance(days=1)
    client.post(f"/focus/enrollments/{enrollment.id}/tasks/0")
    db.session.expire_all()
    assert enrollments(free_person.id)[0].tasks_done["2"] == [0]


def test_program_streak_counts_consecutive_days(app, free_person, clock):
    enrollment = focus_programs.enroll(free_person, program("focus-foundations").id)
    for day in range(1, 4):
        view = focus_programs.day_view(free_person, enrollment, clock.now)
        for task in view.tasks:
            focus_programs.tick_task(free_person, enrollment.id, task.index, clock.now)
        session = focus.start_session(
            free_person, focus.SessionRequest("custom", view.day.focus_minutes, enrollment_id=enrollment.id), clock.now
        )
        clock.advance(minutes=view.day.focus_minutes)
        focus.complete_session(free_person, str(session["_id"]), 5, now=clock.now)
        db.session.expire_all()
        assert enrollment.current_day == day + 1
        clock.advance(days=1)
    assert focus_programs.day_view(free_person, enrollment, clock.now).streak == 3
    clock.advance(days=1)
    assert focus_programs.day_view(free_person, enrollment, clock.now).streak == 0


def test_another_persons_enrollment_is_404(client, free_person, users):
    other = users.make()
    theirs = focus_programs.enroll(other, program("focus-foundations").id)
    assert client.get(f"/focus/enrollments/{theirs.id}").status_code == 404
    assert client.post(f"/focus/enrollments/{theirs.id}/tasks/0").status_code == 404
    assert start(client, enrollment_id=str(theirs.id)).status_code == 422
    db.session.expire_all()
    assert theirs.tasks_done == {}


def test_finishing_the_last_day_completes_the_program(app, free_person, clock):
    enrollment = focus_programs.enroll(free_person, program("focus-foundations").id)
    enrollment.current_day = 7
    enrollment.days_completed = [{"day": n, "local_date": f"2026-02-0{n}"} for n in range(1, 7)]
    db.session.commit()
    for task in focus_programs.day_view(free_person, enrollment, clock.now).tasks:
        focus_programs.tick_task(free_person, enrollment.id, task.index, clock.now)
    session = focus.start_session(free_person, focus.SessionRequest("custom", 100, enrollment_id=enrollment.id))
    clock.advance(minutes=100)
    focus.complete_session(free_person, str(session["_id"]), 3)
    db.session.expire_all()
    assert enrollment.completed_at is not None and enrollment.current_day == 7
    assert focus_programs.day_view(free_person, enrollment, clock.now + timedelta(days=1)).finished
