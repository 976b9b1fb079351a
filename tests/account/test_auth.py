"""Registering, logging in and out, and the limits around them."""

from mindnotes.models import User
from mindnotes.services.billing.plans import plan_for
from tests.factories import PASSWORD


def register(client, email="new@example.com", password="a long enough pw", confirm=None, timezone="Europe/Paris"):
    return client.post(
        "/register",
        data={"email": email, "password": password, "confirm": confirm or password, "timezone": timezone},
    )


def test_registration_creates_account_on_free_plan_and_signs_in(client, app):
    response = register(client)
    assert response.status_code == 302
    user = User.query.filter_by(email="new@example.com").one()
    assert user.timezone == "Europe/Paris"
    assert user.password_hash.startswith("scrypt:")
    assert plan_for(user.id).code == "free"
    assert user.profile.entries_used == 0
    assert client.get("/home").status_code == 200


def test_duplicate_email_in_other_case_is_refused_and_form_kept(client, users):
    users.make(email="Sam@Example.com")
    response = register(client, email="SAM@example.COM")
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "already exists" in body
    assert 'value="SAM@example.COM"' in body
    assert User.query.count() == 1


def test_too_short_password_is_refused(client):
    response = register(client, password="short")
    assert response.status_code == 422
    assert "at least 10 characters" in response.get_data(as_text=True)
    assert User.query.count() == 0


def test_unknown_timezone_is_refused(client):
    response = register(client, timezone="Mars/Olympus_Mons")
    assert response.status_code == 422
    assert "Choose a time zone" in response.get_data(as_text=True)
    assert User.query.count() == 0


def test_login_with_right_password_then_logout_ends_session(client, users):
    users.make(email="amy@example.com")
    response = client.post("/login", data={"email": "AMY@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/home").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/home").headers["Location"].startswith("/login")


def test_wrong_password_is_refused_with_email_kept(client, users):
    users.make(email="amy@example.com")
    response = client.post("/login", data={"email": "amy@example.com", "password": "not the password"})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "do not match" in body
    assert 'value="amy@example.com"' in body
    assert client.get("/home").status_code == 302


def test_login_only_redirects_to_same_site_paths(client, users):
    users.make(email="amy@example.com")
    response = client.post("/login?next=//evil.example/x", data={"email": "amy@example.com", "password": PASSWORD})
    assert response.headers["Location"] == "/home"


def test_missing_csrf_token_is_a_400(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    response = app.test_client().post("/login", data={"email": "a@example.com", "password": "x"})
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)


def test_login_is_rate_limited_with_a_friendly_page(app_factory):
    app = app_factory(AUTH_RATE_LIMIT="3 per minute")
    client = app.test_client()
    statuses = [
        client.post("/login", data={"email": "a@example.com", "password": "wrong"}).status_code for _ in range(4)
    ]
    assert statuses == [422, 422, 422, 429]
    assert "Too many attempts" in client.post("/login", data={}).get_data(as_text=True)


def test_register_is_rate_limited(app_factory):
    app = app_factory(AUTH_RATE_LIMIT="2 per minute")
    client = app.test_client()
    statuses = [register(client, email=f"p{i}@example.com", password="x").status_code for i in range(3)]
    assert statuses == [422, 422, 429]
