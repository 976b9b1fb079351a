"""A store that cannot be reached: people get a quick 503 "try again" page, never a 500."""

import time

import pytest

from mindnotes.extensions import mongo
from tests._mongo_lane import not_on_mongomock
from tests.factories import PASSWORD

CLOSED_PORT = 1  # nothing listens there: connections are refused at once


def says_storage_is_unreachable(response) -> bool:
    body = response.get_data(as_text=True)
    return "can't reach its storage right now; nothing you saved is lost" in body.replace("&#39;", "'")


@pytest.fixture
def mongo_down(app_factory):
    """An app whose MongoDB is unreachable; its MONGO_TIMEOUT_MS is the configured default."""
    broken = app_factory(MONGO_URI=f"mongodb://127.0.0.1:{CLOSED_PORT}/nothing")
    yield broken
    mongo.cx.close()


@not_on_mongomock("in-process: never unreachable")
def test_with_mongodb_down_a_signed_in_page_answers_503_within_two_seconds(users, login, mongo_down):
    person = users.make()
    browser = mongo_down.test_client()
    login(person, browser)

    started = time.monotonic()
    response = browser.get("/home")
    waited = time.monotonic() - started

    assert response.status_code == 503
    assert says_storage_is_unreachable(response)
    assert int(response.headers["Retry-After"]) > 0
    assert waited < 2, f"the page took {waited:.1f} s"


@not_on_mongomock("in-process: never unreachable")
def test_an_htmx_request_gets_the_message_as_a_partial(users, login, mongo_down):
    person = users.make()
    browser = mongo_down.test_client()
    login(person, browser)
    response = browser.get("/home", headers={"HX-Request": "true"})
    assert response.status_code == 503
    assert says_storage_is_unreachable(response)
    assert "<html" not in response.get_data(as_text=True)


def test_with_postgresql_down_a_signed_in_page_answers_503_not_a_bare_500(app_factory):
    broken = app_factory(SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg2://postgres@127.0.0.1:{CLOSED_PORT}/none")
    browser = broken.test_client()
    with browser.session_transaction() as session:
        session["_user_id"] = "1"  # the page must load this person from PostgreSQL
        session["_fresh"] = True

    response = browser.get("/home")

    assert response.status_code == 503
    assert says_storage_is_unreachable(response)
    assert response.headers["Retry-After"]
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and "OperationalError" not in body
    assert "<html" in body and "Log out" not in body


def test_sign_in_works_while_redis_is_unreachable(app_factory, users):
    users.make(email="no-redis@example.com")
    redis_down = f"redis://127.0.0.1:{CLOSED_PORT}/0"
    # The default limit, so the limiter really counts (in this process' memory while Redis is away).
    app = app_factory(REDIS_URL=redis_down, RATELIMIT_STORAGE_URI=redis_down, AUTH_RATE_LIMIT="10 per minute")
    browser = app.test_client()

    response = browser.post("/login", data={"email": "no-redis@example.com", "password": PASSWORD})

    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert browser.get("/home").status_code == 200
