"""Round trips per request: a signed-in person's hot requests stay within their budget (DESIGN.md, issue 21).

Each request is counted in steady state, as a web process serves it: one app,
warmed up by the same request, every request in an app context of its own (the
measured app is not the test's pushed app). Counted:
- SQL statements, with SQLAlchemy's `before_cursor_execute` on the app's engine
  (the pool no longer pings before a checkout, see the last test);
- MongoDB commands, with a pymongo `CommandListener` (registered at import,
  before any client of the run exists);
- Redis round trips: calls of redis-py's `send_packed_command`, which one command
  and a whole pipeline each make once.

Measured before issue 21 (same person, same counting): the dashboard 8 SQL + 5
MongoDB, the journal list 8 SQL + 2 MongoDB, the mood page 6 SQL, the focus
page 6 SQL, an entry page 5 SQL, an entry create 5 SQL + 3 MongoDB + 2 Redis
(plus a pool pre-ping round trip on every checkout).
"""

import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta

import psycopg2
import pytest
from pymongo import monitoring
from redis.connection import AbstractConnection
from sqlalchemy import event, text

from mindnotes import timeutil
from mindnotes.extensions import db, mongo
from mindnotes.services.overview import activity
from tests.factories import make_focus_session, make_mood, make_prompt_set
from tests.jobs import run_jobs
from tests.overview.helpers import add_entry


@dataclass
class Trips:
    sql: list[str] = field(default_factory=list)
    mongo: list[str] = field(default_factory=list)
    redis: list[bytes] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"{len(self.sql)} SQL:", *self.sql, f"{len(self.mongo)} MongoDB:", *self.mongo]
        return "\n  ".join([*lines, f"{len(self.redis)} Redis:", *map(repr, self.redis)])


class _Recording(threading.local):
    trips: Trips | None = None


RECORDING = _Recording()


class MongoCounter(monitoring.CommandListener):
    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if RECORDING.trips is not None:
            RECORDING.trips.mongo.append(f"{event.command_name} {event.command.get(event.command_name)}")

    def succeeded(self, event) -> None:
        pass

    def failed(self, event) -> None:
        pass


monitoring.register(MongoCounter())


@pytest.fixture
def served(app, app_factory, monkeypatch):
    """`served(method, url, **kwargs)` answers (response, Trips) for one request to an app of its own."""
    measured = app_factory()
    with measured.app_context():
        engine = db.engine

    def on_statement(conn, cursor, statement, parameters, context, executemany):
        if RECORDING.trips is not None:
            RECORDING.trips.sql.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", on_statement)
    send = AbstractConnection.send_packed_command

    def counted(self, command, check_health=True):
        if RECORDING.trips is not None:
            parts = command if isinstance(command, list | tuple) else [command]
            RECORDING.trips.redis.append(b"".join(bytes(part) for part in parts)[:60])
        return send(self, command, check_health)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counted)
    client = measured.test_client()

    def request(method: str, url: str, **kwargs):
        RECORDING.trips = Trips()
        try:
            response = client.open(url, method=method, **kwargs)
        finally:
            trips, RECORDING.trips = RECORDING.trips, None
        return response, trips

    request.client = client
    request.engine = engine
    yield request
    event.remove(engine, "before_cursor_execute", on_statement)


@pytest.fixture
def person(users, login, served):
    """A signed-in person with weeks of history: entries, moods, a focus session, today's prompts, figures."""
    user = users.make(display_name="Robin")
    now = timeutil.utcnow()
    user.entries = [add_entry(user, now - timedelta(days=n // 2, hours=n % 2), title=f"Entry {n}") for n in range(40)]
    for n in range(20):
        make_mood(user, now - timedelta(days=n), intensity=5 + n % 4)
    make_focus_session(user, now - timedelta(days=1), 25, "completed")
    make_prompt_set(user, timeutil.local_date(now, user.timezone), 1)
    run_jobs()
    login(user, served.client)
    return user


def steady(served, method: str, url: str, **kwargs):
    """The second of two identical requests: connections made, scripts loaded, figures prepared."""
    served(method, url, **kwargs)
    response, trips = served(method, url, **kwargs)
    assert response.status_code == 200, response.status_code
    return response, trips


@pytest.mark.parametrize("url", ["/journal/", "/journal/new", "/prompts/", "/calendar/", "/insights", "/account/"])
def test_a_page_read_takes_at_most_two_sql_statements(served, person, url):
    _response, trips = steady(served, "GET", url)
    assert len(trips.sql) <= 2, trips


def test_an_entry_page_takes_at_most_two_sql_statements(served, person):
    _response, trips = steady(served, "GET", f"/journal/{person.entries[0]['_id']}")
    assert len(trips.sql) <= 2, trips


def test_the_session_account_profile_and_plan_come_in_one_statement(served, person):
    _response, trips = steady(served, "GET", "/account/")
    assert len(trips.sql) == 1, trips
    assert all(f"JOIN {table}" in trips.sql[0] for table in ("users", "profiles", "subscriptions", "plans")), trips


def test_an_unverified_person_costs_no_extra_statement_for_the_reminder(served, person):
    """No account_security row: the reminder knows it from the session's read, not from another SELECT."""
    unverified = db.session.scalar(text("SELECT count(*) FROM account_security WHERE user_id = :id"), {"id": person.id})
    assert unverified == 0
    response, trips = steady(served, "GET", "/calendar/")
    assert len(trips.sql) == 1, trips
    assert "verify" in response.get_data(as_text=True).lower()


def test_the_dashboard_is_one_read_of_its_prepared_figures(served, person):
    response, trips = steady(served, "GET", "/home")
    assert len(trips.sql) <= 2, trips  # the picker's lists are kept in the process (services/mood/own.py)
    assert len(trips.mongo) <= 1, trips  # the changes document
    assert [command for command in trips.redis if command.startswith(b"*2\r\n$3\r\nGET")] == trips.redis, trips
    assert "Hello, Robin" in response.get_data(as_text=True)


def test_the_mood_page_stays_within_budget_with_its_picker(served, person):
    _response, trips = steady(served, "GET", "/mood/")
    assert len(trips.sql) <= 2, trips


@pytest.fixture
def fold_window(request, monkeypatch):
    """The analytics' "at most every" period (parametrized) for all the test's writes: list it before `person`."""
    monkeypatch.setattr(activity, "FOLD_AT_MOST_EVERY", request.param)


@pytest.mark.parametrize("fold_window", [0.05], indirect=True)
def test_creating_an_entry_takes_three_sql_two_mongodb_and_one_redis_round_trip(fold_window, served, person):
    form = {"title": "A day", "content": "It went well.", "entry_type": "text"}
    served("POST", "/journal/new", data=form)
    run_jobs()  # the worker took the first write's job: this write queues one of its own
    served("GET", "/home")  # the web process's Redis connection, as the worker left it, made again
    time.sleep(0.1)  # past the (shortened) period since the last rebuild was queued, as a later write is
    response, trips = served("POST", "/journal/new", data=form)
    assert response.status_code == 302
    assert len(trips.sql) <= 3 and len(trips.mongo) <= 2 and len(trips.redis) <= 1, trips


@pytest.mark.parametrize("fold_window", [60], indirect=True)
def test_a_burst_of_writes_takes_one_more_redis_round_trip_once(fold_window, served, person):
    """Within the period after a rebuild was queued, the first write schedules the next one (a second round
    trip); the writes after it find that one waiting (one round trip, as ever)."""
    served("GET", "/home")
    form = {"title": "A day", "content": "It went well.", "entry_type": "text"}
    redis_trips = [len(served("POST", "/journal/new", data=form)[1].redis) for _ in range(3)]
    assert redis_trips == [2, 1, 1]


def text_of(response) -> str:
    return " ".join(response.get_data(as_text=True).split())


def test_the_dashboard_shows_a_write_at_once_and_after_the_job(served, person):
    """Prepared figures are kept, but never shown stale: the write is there before its job runs, and after."""
    assert '<p class="stat-value">40</p> <p class="stat-label">entries</p>' in text_of(served("GET", "/home")[0])
    served("POST", "/journal/new", data={"title": "Fresh news", "content": "one two three", "entry_type": "text"})

    before_job = text_of(served("GET", "/home")[0])
    assert '<p class="stat-value">41</p> <p class="stat-label">entries</p>' in before_job
    assert "Fresh news" in before_job

    run_jobs()
    response, trips = served("GET", "/home")
    assert '<p class="stat-value">41</p> <p class="stat-label">entries</p>' in text_of(response)
    assert "Fresh news" in text_of(response)
    # The job prepared the figures: this view read the kept ones (no analytics, day logs or prompts read).
    assert not any(name in " ".join(trips.mongo) for name in ("user_analytics", "daily_prompt_sets")), trips


def test_the_dashboard_shows_todays_prompts_once_drawn(served, person, users, login):
    """Drawing today's prompts writes no day totals: the prepared figures still give way to it."""
    other = users.make()
    login(other, served.client)
    assert "No prompts drawn for today yet" in text_of(served("GET", "/home")[0])
    assert served("GET", "/prompts/")[0].status_code == 200
    assert "0 of 3 answered" in text_of(served("GET", "/home")[0])


def test_a_dropped_postgresql_connection_is_replaced_within_the_next_request(served, person, postgres_admin_url):
    """No ping before each checkout: when PostgreSQL drops the pooled connections between two requests
    (a restart), the next request still answers."""
    assert served("GET", "/account/")[0].status_code == 200
    database = served.engine.url.database
    with served.engine.connect() as connection:
        own_pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    admin = psycopg2.connect(postgres_admin_url)
    with admin, admin.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = %s AND pid = %s",
            (database, own_pid),
        )
        assert cursor.fetchone()[0] == 1
    admin.close()

    response, _trips = served("GET", "/account/")
    assert response.status_code == 200
    assert "Robin" in response.get_data(as_text=True)


def test_a_new_title_shows_on_the_dashboard_at_once(served, person):
    """The listed entries are kept with the figures; an edit that changes no day total still makes them stale."""
    served("POST", "/journal/new", data={"title": "Old name", "content": "one two three", "entry_type": "text"})
    run_jobs()
    assert "Old name" in text_of(served("GET", "/home")[0])
    [entry] = mongo.db.journal_entries.find({"user_id": person.id, "title": "Old name"})
    served("POST", f"/journal/{entry['_id']}/edit", data={"title": "New name", "content": "one two three"})
    page = text_of(served("GET", "/home")[0])
    assert "New name" in page and "Old name" not in page


def test_a_focus_session_started_paused_and_ended_shows_on_the_dashboard_at_once(served, person):
    """The running session is kept with the figures: each change of it makes them stale."""
    assert "No focus session running" in text_of(served("GET", "/home")[0])
    started, _trips = served("POST", "/focus/sessions", data={"session_type": "pomodoro", "task": "Draft the talk"})
    session_url = started.headers["Location"]
    page = text_of(served("GET", "/home")[0])
    assert "Draft the talk" in page and "Running · started" in page

    served("POST", f"{session_url}/pause")
    assert "Paused · started" in text_of(served("GET", "/home")[0])
    served("POST", f"{session_url}/resume")
    assert "Running · started" in text_of(served("GET", "/home")[0])
    served("POST", f"{session_url}/abandon")
    page = text_of(served("GET", "/home")[0])
    assert "No focus session running" in page and "Draft the talk" not in page
