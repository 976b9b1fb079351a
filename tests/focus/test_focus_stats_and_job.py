"""Focus statistics, and the job that closes sessions left running long past their end."""

from datetime import timedelta

import pytest
from rq import SimpleWorker

from mindnotes.documents import collection
from mindnotes.extensions import db, queue
from mindnotes.jobs.focus import close_overdue_sessions
from mindnotes.services import focus
from tests.focus.helpers import START, day_log, install_clock


@pytest.fixture
def clock(monkeypatch):
    return install_clock(monkeypatch)


def run_session(user, minutes: int, rating: int | None, at, abandon: bool = False) -> None:
    session = focus.start_session(user, focus.SessionRequest("custom", minutes), at)
    if abandon:
        focus.abandon_session(user, str(session["_id"]), at + timedelta(minutes=minutes))
    else:
        focus.complete_session(user, str(session["_id"]), rating, now=at + timedelta(minutes=minutes))


def test_statistics_show_today_week_completion_and_rating(client, users, login, clock):
    # Tokyo is UTC+9: 09:00 UTC on Monday 2 March is 18:00 there.
    person = users.make(timezone="Asia/Tokyo")
    login(person)
    run_session(person, 30, 4, START - timedelta(days=3))  # Friday before: not this week
    run_session(person, 20, 2, START - timedelta(hours=2))
    run_session(person, 25, None, START - timedelta(hours=1), abandon=True)
    run_session(person, 40, 5, START)
    clock.set(START + timedelta(hours=1))
    page = client.get("/focus/").get_data(as_text=True)
    assert "<strong>60</strong> min today" in page
    assert "<strong>60</strong> min this week" in page
    assert "<strong>75%</strong> completed" in page
    assert "3 completed, 1 abandoned" in page
    assert "<strong>3.7</strong> average rating" in page


def focus_chart(page: str) -> tuple[str, str]:
    """The one element of class focus-chart on the page (the navigation's icons are SVG too): its tag, its inside."""
    assert page.count('class="focus-chart"') == 1
    before, after = page.split('class="focus-chart"', 1)
    tag = before.rsplit("<", 1)[1].strip()
    return tag, after.split(f"</{tag}>", 1)[0]


def test_sessions_per_day_chart_is_svg_with_a_text_alternative(client, users, login, clock):
    person = users.make()
    login(person)
    run_session(person, 25, 3, START - timedelta(days=1))
    run_session(person, 25, 3, START - timedelta(days=1, hours=2))
    run_session(person, 25, 3, START)
    page = client.get("/focus/").get_data(as_text=True)
    tag, chart = focus_chart(page)
    assert tag == "figure" and chart.count("<svg") == 1
    svg = chart.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert svg.count("<rect") == 14
    assert 'role="img"' in svg and "style=" not in svg
    assert "Sun 01 Mar: 2." in svg and "Mon 02 Mar: 1." in svg
    assert "<td>Sun 01 Mar</td><td>2</td><td>50</td>" in page


def test_empty_statistics_read_well(client, users, login, clock):
    login(users.make())
    page = client.get("/focus/").get_data(as_text=True)
    assert "<strong>0</strong> min today" in page
    assert "<strong>–</strong> completed" in page
    tag, chart = focus_chart(page)
    assert tag == "p" and "No completed focus sessions in the last 14 days" in chart
    assert "<svg" not in chart and "chart-bar" not in page


def test_job_closes_sessions_running_past_planned_end_plus_an_hour_at_their_planned_end(app, users, clock):
    forgotten, recent = users.make(), users.make()
    left = focus.start_session(forgotten, focus.SessionRequest("pomodoro", task="Forgot me"), START)
    focus.start_session(recent, focus.SessionRequest("pomodoro"), START + timedelta(minutes=40))
    clock.set(START + timedelta(minutes=25 + 61))

    assert close_overdue_sessions() == 1
    closed = collection("focus_sessions").find_one({"_id": left["_id"]})
    assert closed["status"] == "completed" and closed["auto_closed"]
    assert closed["ended_at"] == START + timedelta(minutes=25)
    assert closed["focus_minutes"] == 25
    assert closed["active_key"] == str(left["_id"])
    assert day_log(forgotten.id, "2026-03-02")["focus_minutes"] == 25
    assert focus.get_running_session(recent.id)["status"] == "active"
    # Running it again closes nothing twice.
    assert close_overdue_sessions() == 0
    assert day_log(forgotten.id, "2026-03-02")["focus_sessions"] == 1


def test_job_closes_a_forgotten_pause_when_the_pause_began(app, users, clock):
    person = users.make()
    session = focus.start_session(person, focus.SessionRequest("pomodoro"), START)
    focus.pause_session(person, str(session["_id"]), START + timedelta(minutes=10))
    clock.set(START + timedelta(hours=3))
    assert close_overdue_sessions() == 1
    closed = collection("focus_sessions").find_one({"_id": session["_id"]})
    assert closed["ended_at"] == START + timedelta(minutes=10)
    assert closed["focus_minutes"] == 10


def test_job_runs_on_the_rq_worker_and_from_the_cli(app, users, runner, clock):
    person = users.make()
    focus.start_session(person, focus.SessionRequest("short_break"), START)
    clock.set(START + timedelta(hours=2))
    queue.enqueue(close_overdue_sessions)
    SimpleWorker([queue.queue], connection=queue.redis).work(burst=True)
    assert focus.get_running_session(person.id) is None
    result = runner.invoke(args=["focus", "close-overdue"])
    assert "Closed 0 overdue focus session(s)." in result.output


def test_completed_minutes_add_to_the_profile_total(app, users, clock):
    person = users.make()
    run_session(person, 30, 4, START)
    run_session(person, 15, 4, START + timedelta(hours=1))
    db.session.refresh(person.profile)
    assert person.profile.focus_minutes == 45
