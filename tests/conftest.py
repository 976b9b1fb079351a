"""Fixtures: real PostgreSQL, Redis and a MongoDB-wire server for the whole run.

- PostgreSQL: a fresh database made (and dropped) by this run, migrated and
  seeded once; each test starts with no accounts (reference data stays).
- Redis: a database number no other run holds, flushed before each test.
  PostgreSQL and Redis are the named, the local or the run's own servers
  (tests/_stores.py says which, in that order).
- MongoDB: `MONGO_URI` when set, else `nx-27017` on a free port with a
  temporary data directory; each test starts with empty collections.

MINDNOTES_TEST_NOW (an ISO moment, e.g. 2027-02-28T23:30:00Z) moves this
process's clock there for the whole run, ticking on (`make test-dates`).
"""

import os
import secrets
import tempfile
import threading
from datetime import datetime
from pathlib import Path

import psycopg2
import pytest
import redis
import time_machine
from flask import session as session_cookie
from flask_migrate import upgrade
from sqlalchemy import text
from werkzeug.serving import make_server

from mindnotes import create_app, embedded
from mindnotes.documents.indexes import INDEXES, create_indexes
from mindnotes.extensions import db, mongo
from mindnotes.seed import seed_reference_data
from mindnotes.services.account.login_sessions import SESSION_KEY, start_session
from tests._stores import describe, free_port, postgres_server, redis_server, with_database
from tests.factories import UserFactory

# The MongoDB command listener (registered before any client exists) and `--mongo=mongomock` (issue 16).
pytest_plugins = ["tests._query_targeting", "tests._mongo_lane"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = str(PROJECT_ROOT / "migrations")
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
# Set SCREENSHOTS=1 to keep every browser test's pictures, not only the failing ones'.
SCREENSHOTS = os.environ.get("SCREENSHOTS") == "1"


def pytest_configure(config):
    moment = os.environ.get("MINDNOTES_TEST_NOW")
    if moment:
        traveller = time_machine.travel(datetime.fromisoformat(moment), tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


def pytest_report_header(config):
    lines = [describe()]
    if os.environ.get("MINDNOTES_TEST_NOW"):
        lines.append(f"clock: moved to {os.environ['MINDNOTES_TEST_NOW']} (MINDNOTES_TEST_NOW)")
    return lines


@pytest.fixture(scope="session")
def postgres_admin_url():
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="session")
def redis_server_url():
    with redis_server() as url:
        yield url


def _admin_connection(url: str):
    connection = psycopg2.connect(url)
    connection.autocommit = True
    return connection


@pytest.fixture(scope="session")
def make_database(postgres_admin_url):
    """Creates empty PostgreSQL databases for the run and drops them at its end."""
    made = []

    def make() -> str:
        name = f"mindnotes_test_{secrets.token_hex(4)}"
        connection = _admin_connection(postgres_admin_url)
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        connection.close()
        made.append(name)
        return with_database(postgres_admin_url, name)

    yield make
    connection = _admin_connection(postgres_admin_url)
    with connection.cursor() as cursor:
        for name in made:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.close()


@pytest.fixture(scope="session")
def database_url(make_database):
    return make_database().replace("postgresql://", "postgresql+psycopg2://", 1)


@pytest.fixture(scope="session")
def redis_url(redis_server_url):
    """A Redis database number that no other test run is using."""
    for number in range(1, 16):
        client = redis.Redis.from_url(f"{redis_server_url}/{number}")
        if client.set("mindnotes-test-run", os.getpid(), nx=True, ex=3600):
            client.flushdb()
            client.set("mindnotes-test-run", os.getpid(), ex=3600)
            yield f"{redis_server_url}/{number}"
            client.flushdb()
            return
    pytest.fail("No free Redis database (1-15) for this test run.")


@pytest.fixture(scope="session")
def mongo_uri():
    if os.environ.get("MONGO_URI"):
        base = os.environ["MONGO_URI"].rsplit("/", 1)[0]
        yield f"{base}/mindnotes_test_{secrets.token_hex(4)}"
        return
    data_dir = tempfile.mkdtemp(prefix="mindnotes-nx-")
    uri = f"mongodb://127.0.0.1:{free_port()}/mindnotes_test"
    process = embedded.start_mongo(uri, data_dir)
    yield uri
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def test_config(database_url, redis_url, mongo_uri, tmp_path_factory):
    files = tmp_path_factory.mktemp("files")
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MONGO_URI": mongo_uri,
        "REDIS_URL": redis_url,
        "WTF_CSRF_ENABLED": False,
        "AUTH_RATE_LIMIT": "1000 per minute",
        "RATELIMIT_STORAGE_URI": redis_url,
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        "UPLOAD_DIR": str(files / "uploads"),
        "EXPORT_DIR": str(files / "exports"),
        "MAIL_DIR": str(files / "mail"),
    }


@pytest.fixture(scope="session")
def prepared_stores(test_config):
    """Migrate and seed PostgreSQL and index MongoDB, once per run."""
    app = create_app(test_config)
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        seed_reference_data()
        create_indexes(mongo.db)
        db.engine.dispose()
    mongo.cx.close()
    return test_config


def personal_tables() -> list[str]:
    """The tables that hold people's data, children first: users, payments,
    provider_events and every table whose foreign keys lead to one of them.
    Reference tables (plans, prompts, categories, programs) are not listed."""
    personal = {"users", "payments", "provider_events"}
    tables = db.metadata.sorted_tables  # parents before children
    for table in tables:
        if any(key.column.table.name in personal for key in table.foreign_keys):
            personal.add(table.name)
    return [table.name for table in reversed(tables) if table.name in personal]


def _empty_stores(app) -> None:
    """Deletes what the last test wrote. DELETE of the few rows a test makes is
    much faster than TRUNCATE; ids keep counting up (no test relies on them)."""
    with app.app_context():
        for name in personal_tables():
            db.session.execute(text(f"DELETE FROM {name}"))
        db.session.commit()
        for name in INDEXES:
            mongo.db[name].delete_many({})
        redis.Redis.from_url(app.config["REDIS_URL"]).flushdb()
        redis.Redis.from_url(app.config["REDIS_URL"]).set("mindnotes-test-run", os.getpid(), ex=3600)


@pytest.fixture
def app_factory(prepared_stores):
    """Builds apps on the run's stores, with per-test overrides; cleans up after."""
    apps = []

    def make(**overrides):
        app = create_app({**prepared_stores, **overrides})
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        mongo.cx.close()


@pytest.fixture
def app(app_factory):
    app = app_factory()
    _empty_stores(app)
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def users(app):
    return UserFactory()


@pytest.fixture
def login(client):
    """`login(user)` signs the test client in as `user` (the form is tested in test_auth).

    Sessions live on the server too (mindnotes/services/sessions.py): the cookie names a user_sessions row.
    """

    def sign_in(user, a_client=None):
        target = a_client or client
        with target.application.test_request_context():
            start_session(user)
            key = session_cookie[SESSION_KEY]
        with target.session_transaction() as session:
            session["_user_id"] = str(user.id)
            session["_fresh"] = True
            session[SESSION_KEY] = key
        return target

    return sign_in


@pytest.fixture
def live_server(app, app_factory):
    """The app, with CSRF on as in production, served on a free port for the browser tests."""
    port = free_port()
    # Links in mail start at PUBLIC_URL, as in production: here, this server.
    served = app_factory(WTF_CSRF_ENABLED=True, PUBLIC_URL=f"http://127.0.0.1:{port}")
    server = make_server("127.0.0.1", port, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
        )
        yield launched
        launched.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the test item (item.report_setup, item.report_call)
    so that fixtures can tell, while tearing down, whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _failed(item) -> bool:
    reports = (getattr(item, "report_setup", None), getattr(item, "report_call", None))
    return any(report is not None and report.failed for report in reports)


def save_screenshot(page, name: str) -> None:
    """A full-page picture of `page` in test-artifacts/<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def keep_screenshot(page, name: str) -> None:
    """A picture of a step in the middle of a browser test, kept only when SCREENSHOTS=1."""
    if SCREENSHOTS:
        save_screenshot(page, name)


@pytest.fixture(params=[True, False], ids=["js-on", "js-off"])
def page(request, browser):
    """A fresh browser page, once with JavaScript on and once with it off.
    Its last state is saved as a picture when the test fails (or SCREENSHOTS=1)."""
    context = browser.new_context(java_script_enabled=request.param)
    new_page = context.new_page()
    new_page.javascript_enabled = request.param
    yield new_page
    if SCREENSHOTS or _failed(request.node):
        save_screenshot(new_page, request.node.name)
    context.close()
