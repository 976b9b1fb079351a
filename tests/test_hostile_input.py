"""Malformed and hostile input gets a clear answer, never a 500 or a redirect off the site
(issue 15, findings 4 and 6). Choices, for each kind of input:

- an id in the path that cannot exist (too large for the database, not ASCII digits): 404;
- a bad value in a form: 422, with the message beside its field;
- a query-string filter that cannot be read: left out, and the page shows without it
  (mood history, whose filters are a form with messages, answers 422 beside the field);
- a body that is not a form (JSON) sent to a form: 415;
- `next` that is not a path on this site: the default page instead.
"""

from datetime import date, datetime

import pyotp
import pytest

from mindnotes import timeutil
from mindnotes.extensions import db
from mindnotes.inputs import parse_day, parse_id, parse_local_minute, same_site_path
from mindnotes.models import UserSession
from mindnotes.services.account import two_factor
from mindnotes.services.focus import programs as focus_programs
from tests.factories import PASSWORD, make_entry

HUGE = "9" * 25
JUST_OVER = "2147483648"  # one more than PostgreSQL's INTEGER holds


@pytest.fixture
def person(users, login):
    user = users.make(email="amy@example.com", timezone="Pacific/Pago_Pago")  # UTC-11
    login(user)
    return user


@pytest.mark.parametrize(
    "path",
    [
        "/journal/?tag=%C2%B2",
        "/mood/trends?days=%C2%B2",
        "/mood/trends/daily?days=%C2%B2",
        "/mood/year?year=%C2%B2",
        f"/journal/?tag={HUGE}",
        "/journal/?to=9999-12-31",
        "/journal/?from=0001-01-01",
        "/mood/week?of=0001-01-01",
        "/mood/week?of=9999-12-31",
        "/prompts/history?before=0001-01-01",
        f"/mood/history?after={HUGE}-{'a' * 24}",
        f"/focus/?program={HUGE}",
    ],
)
def test_unreadable_filters_are_left_out_and_the_page_shows(client, person, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("category", ["%C2%B2", HUGE, "-1"])
def test_an_unreadable_mood_category_filter_is_named_beside_the_field(client, person, category):
    response = client.get(f"/mood/history?category={category}")
    assert response.status_code == 422
    assert "Choose one of the listed moods." in response.get_data(as_text=True)


def test_ids_the_database_cannot_hold_are_not_found(client, person):
    for number in (HUGE, JUST_OVER, "0"):
        assert client.get(f"/account/exports/{number}").status_code == 404
        assert client.get(f"/account/exports/{number}/download").status_code == 404
        assert client.get(f"/billing/receipts/{number}").status_code == 404
        assert client.post(f"/account/security/sessions/{number}/end").status_code == 404
        assert client.get(f"/focus/enrollments/{number}").status_code == 404
        assert client.post(f"/focus/programs/{number}/enroll").status_code == 404
    assert db.session.query(UserSession).filter_by(user_id=person.id).count() == 1


def test_a_version_number_too_large_is_not_found(client, person):
    entry = make_entry(person)
    assert client.get(f"/journal/{entry['_id']}/versions/{HUGE}").status_code == 404


def test_tags_that_cannot_be_ids_are_refused_beside_the_field(client, person):
    for tag in (HUGE, "%C2%B2", "-3"):
        response = client.post("/journal/new", data={"title": "Hello", "content": "A day", "tag_ids": [tag]})
        assert response.status_code == 422
        assert "Choose tags from your own list." in response.get_data(as_text=True)


def test_a_revision_in_unicode_digits_is_read_as_no_revision(client, person):
    entry = make_entry(person)
    response = client.post(
        f"/journal/{entry['_id']}/edit",
        data={"title": "Changed", "content": "New words", "entry_type": "text", "privacy": "private", "revision": "²"},
    )
    assert response.status_code == 302
    assert "Changed" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_program_that_cannot_be_an_id_is_refused_beside_the_field(client, person):
    focus_programs.enroll(person, 1)  # the form shows its programs field once there is one
    response = client.post("/focus/sessions", data={"session_type": "pomodoro", "enrollment_id": "²"})
    assert response.status_code == 422
    assert "Choose one of your programs." in response.get_data(as_text=True)


@pytest.mark.parametrize("category", [HUGE, "²", "-1"])
def test_a_mood_category_that_cannot_be_an_id_is_refused_beside_the_field(client, person, category):
    response = client.post("/mood/", data={"category": category, "intensity": "5"})
    assert response.status_code == 422
    assert "Choose one of the listed moods." in response.get_data(as_text=True)


def test_a_mood_felt_at_the_end_of_time_is_refused_beside_the_field(client, person):
    """9999-12-31 23:59 in UTC-11 is past the last moment Python can hold in UTC."""
    response = client.post("/mood/", data={"category": "1", "intensity": "5", "felt_at": "9999-12-31T23:59"})
    assert response.status_code == 422
    assert "Enter a date and time" in response.get_data(as_text=True)


def test_an_export_to_the_end_of_time_is_refused_or_made(client, person):
    response = client.post("/account/exports/", data={"format": "json", "scope": "everything", "date_to": "9999-12-31"})
    assert response.status_code in {302, 422}


@pytest.mark.parametrize("route", ["/login", "/register", "/reset"])
def test_json_to_a_signed_out_form_is_refused_as_not_a_form(client, route):
    response = client.post(route, json={"email": 5, "password": True, "confirm": {"a": 1}})
    assert response.status_code == 415
    assert "This address takes a form" in response.get_data(as_text=True)


@pytest.mark.parametrize("route", ["/mood/", "/journal/new", "/journal/new/preview", "/account/exports/"])
def test_json_to_a_signed_in_form_is_refused_as_not_a_form(client, person, route):
    assert client.post(route, json={"content": 1, "category": [1], "date_from": 0}).status_code == 415


def test_the_payment_webhook_still_reads_json(client):
    response = client.post("/billing/webhooks/stripe", json={"type": "checkout.session.completed"})
    assert response.status_code == 400  # unsigned, so refused; but read, not turned away as "not a form"


NEXT_OFF_SITE = [
    "/\t/evil.example",
    "//evil.example",
    "/\\evil.example",
    "https://evil.example",
    "/home\r\nSet-Cookie: a=b",
    " //evil.example",
]


@pytest.mark.parametrize("target", NEXT_OFF_SITE)
def test_login_never_redirects_off_the_site(client, users, target):
    users.make(email="amy@example.com")
    response = client.post(
        "/login", query_string={"next": target}, data={"email": "amy@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/home"


def test_login_follows_a_next_on_the_site(client, users):
    users.make(email="amy@example.com")
    response = client.post(
        "/login", query_string={"next": "/journal/?tag=3"}, data={"email": "amy@example.com", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/journal/?tag=3"


@pytest.mark.parametrize("target", NEXT_OFF_SITE)
def test_mood_never_redirects_off_the_site(client, person, target):
    response = client.post("/mood/", data={"category": "1", "intensity": "5", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/mood/"


def test_the_two_factor_step_never_redirects_off_the_site(client, users):
    user = users.make(email="amy@example.com")
    record = two_factor.account_security(user.id)
    record.totp_secret = pyotp.random_base32()
    record.totp_enabled_at = timeutil.utcnow()
    db.session.commit()
    password = client.post(
        "/login", query_string={"next": "/\t/evil.example"}, data={"email": "amy@example.com", "password": PASSWORD}
    )
    assert password.headers["Location"] == "/login/two-factor"
    code = client.post("/login/two-factor", data={"code": pyotp.TOTP(record.totp_secret).now()})
    assert code.status_code == 302
    assert code.headers["Location"] == "/home"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42", 42),
        (" 42 ", 42),
        ("2147483647", 2147483647),
        ("2147483648", None),
        (HUGE, None),
        ("0", None),
        ("-1", None),
        ("²", None),
        ("１２", None),
        ("٣", None),
        ("1e3", None),
        ("", None),
        (None, None),
        (True, None),
        (7, 7),
    ],
)
def test_an_id_is_ascii_digits_within_the_database_integer(text, expected):
    assert parse_id(text) == expected


def test_days_and_moments_stay_between_1900_and_2200():
    assert parse_day("2026-03-05") == date(2026, 3, 5)
    assert parse_day("2200-12-31") == date(2200, 12, 31)
    for text in ("9999-12-31", "0001-01-01", "1899-12-31", "2026-02-30", "20260305", "2026-W10-1", "²⁰²⁶-03-05"):
        assert parse_day(text) is None, text
    assert parse_local_minute("2026-03-05T14:30") == datetime(2026, 3, 5, 14, 30)
    assert parse_local_minute("9999-12-31T23:59") is None


@pytest.mark.parametrize("target", ["/home", "/journal/?tag=3&from=2026-01-01", "/mood/#today", "/a:b"])
def test_a_path_on_the_site_is_a_safe_next(target):
    assert same_site_path(target) == target


@pytest.mark.parametrize("target", [*NEXT_OFF_SITE, "/x\ty", "javascript:alert(1)", "evil.example", "", None, "/\x00"])
def test_anything_else_is_not_a_safe_next(target):
    assert same_site_path(target) is None
