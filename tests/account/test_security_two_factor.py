"""Two-factor sign-in with TOTP (codes computed by pyotp) and single-use recovery codes."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from mindnotes import timeutil
from mindnotes.extensions import db
from mindnotes.models import RecoveryCode, SecurityEvent
from mindnotes.services.account import security, two_factor
from tests.account.helpers import empty_mailbox, link_in, mails_to, path_of, totp_for
from tests.factories import PASSWORD

CODE_PATTERN = re.compile(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>")


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    monkeypatch.setattr(timeutil, "utcnow", lambda: Clock.now)
    return Clock


def turn_on(client, user, clock) -> list[str]:
    """Set up two-factor through the pages; returns the recovery codes shown once."""
    client.post("/account/security/two-factor/setup")
    page = client.get("/account/security/two-factor").get_data(as_text=True)
    assert "data:image/svg+xml" in page
    code = totp_for(user).at(clock.now)
    response = client.post("/account/security/two-factor/confirm", data={"confirm-code": code})
    assert response.status_code == 200
    codes = CODE_PATTERN.findall(response.get_data(as_text=True))
    assert len(codes) == 10
    return codes


def password_step(client, email="amy@example.com"):
    return client.post("/login", data={"email": email, "password": PASSWORD})


def test_setup_shows_qr_code_and_key_and_needs_a_right_code(client, users, login, clock):
    user = users.make(email="amy@example.com")
    login(user)
    client.post("/account/security/two-factor/setup")
    page = client.get("/account/security/two-factor").get_data(as_text=True)
    secret = totp_for(user).secret
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page
    assert 'src="data:image/svg+xml' in page
    wrong = client.post("/account/security/two-factor/confirm", data={"confirm-code": "000000"})
    assert wrong.status_code == 422
    assert "not right" in wrong.get_data(as_text=True)
    assert not two_factor.is_enabled(user)


def test_turning_on_shows_ten_codes_once_and_stores_them_hashed(client, users, login, clock):
    user = users.make(email="amy@example.com")
    login(user)
    codes = turn_on(client, user, clock)
    assert two_factor.is_enabled(user)
    stored = [row.code_hash for row in db.session.query(RecoveryCode).filter_by(user_id=user.id)]
    assert len(stored) == 10
    assert not set(codes) & set(stored)
    page = client.get("/account/security/two-factor").get_data(as_text=True)
    assert not any(code in page for code in codes)
    assert "10</strong> unused recovery codes" in page


def test_sign_in_needs_the_code_after_the_password(app, client, users, login, clock):
    user = users.make(email="amy@example.com")
    turn_on(login(user, app.test_client()), user, clock)
    response = password_step(client)
    assert response.headers["Location"] == "/login/two-factor"
    assert client.get("/account/").status_code == 302
    clock.now += timedelta(seconds=60)
    signed_in = client.post("/login/two-factor", data={"code": totp_for(user).at(clock.now)})
    assert signed_in.headers["Location"] == "/home"
    assert client.get("/account/").status_code == 200


def test_wrong_or_replayed_code_is_refused_and_logged(app, client, users, login, clock):
    user = users.make(email="amy@example.com")
    turn_on(login(user, app.test_client()), user, clock)
    clock.now += timedelta(seconds=60)
    code = totp_for(user).at(clock.now)
    password_step(client)
    wrong = "123456" if code != "123456" else "654321"
    assert client.post("/login/two-factor", data={"code": wrong}).status_code == 422
    assert client.post("/login/two-factor", data={"code": code}).status_code == 302

    other = app.test_client()
    password_step(other)
    replay = other.post("/login/two-factor", data={"code": code})
    assert replay.status_code == 422
    assert other.get("/account/").status_code == 302
    kinds = [event.kind for event in db.session.query(SecurityEvent).filter_by(user_id=user.id)]
    assert kinds.count("two_factor_failed") == 2


def test_code_from_one_step_either_side_is_accepted_for_clock_drift(app, client, users, login, clock):
    user = users.make(email="amy@example.com")
    turn_on(login(user, app.test_client()), user, clock)
    clock.now += timedelta(minutes=5)
    password_step(client)
    late = totp_for(user).at(clock.now - timedelta(seconds=30))
    assert client.post("/login/two-factor", data={"code": late}).status_code == 302


def test_code_two_steps_old_is_refused(app, client, users, login, clock):
    user = users.make(email="amy@example.com")
    turn_on(login(user, app.test_client()), user, clock)
    clock.now += timedelta(minutes=5)
    password_step(client)
    stale = totp_for(user).at(clock.now - timedelta(seconds=90))
    assert client.post("/login/two-factor", data={"code": stale}).status_code == 422


def test_recovery_code_signs_in_once(app, client, users, login, clock):
    user = users.make(email="amy@example.com")
    codes = turn_on(login(user, app.test_client()), user, clock)
    password_step(client)
    assert client.post("/login/two-factor", data={"code": codes[3].upper()}).status_code == 302
    assert two_factor.remaining_recovery_codes(user.id) == 9
    other = app.test_client()
    password_step(other)
    assert other.post("/login/two-factor", data={"code": codes[3]}).status_code == 422


def test_second_step_waits_only_a_few_minutes(app, client, users, login, clock):
    user = users.make(email="amy@example.com")
    turn_on(login(user, app.test_client()), user, clock)
    password_step(client)
    clock.now += timedelta(minutes=6)
    response = client.post("/login/two-factor", data={"code": totp_for(user).at(clock.now)})
    assert response.headers["Location"] == "/login"


def test_second_step_without_the_password_step_goes_back_to_login(client):
    assert client.get("/login/two-factor").headers["Location"] == "/login"


def test_codes_are_rate_limited_per_account(app, app_factory, users, clock):
    user = users.make(email="amy@example.com")
    with app.test_request_context():
        two_factor.begin_setup(user)
        two_factor.confirm_setup(user, totp_for(user).at(clock.now))
    limited = app_factory(TWO_FACTOR_RATE_LIMIT="3 per minute")
    client = limited.test_client()
    password_step(client)
    statuses = [client.post("/login/two-factor", data={"code": "000000"}).status_code for _ in range(4)]
    assert statuses == [422, 422, 422, 429]
    # A new browser for the same account shares the budget.
    fresh = limited.test_client()
    password_step(fresh)
    clock.now += timedelta(seconds=30)
    assert fresh.post("/login/two-factor", data={"code": totp_for(user).at(clock.now)}).status_code == 429


def test_turning_off_needs_password_and_code(client, users, login, clock):
    user = users.make(email="amy@example.com")
    login(user)
    codes = turn_on(client, user, clock)
    clock.now += timedelta(seconds=60)
    code = totp_for(user).at(clock.now)
    wrong_password = client.post(
        "/account/security/two-factor/disable", data={"disable-password": "nope", "disable-code": code}
    )
    assert wrong_password.status_code == 422
    assert "password is not right" in wrong_password.get_data(as_text=True)
    wrong_code = client.post(
        "/account/security/two-factor/disable", data={"disable-password": PASSWORD, "disable-code": "111111"}
    )
    assert wrong_code.status_code == 422
    assert two_factor.is_enabled(user)
    off = client.post(
        "/account/security/two-factor/disable", data={"disable-password": PASSWORD, "disable-code": codes[0]}
    )
    assert off.status_code == 302
    assert not two_factor.is_enabled(user)
    assert db.session.query(RecoveryCode).filter_by(user_id=user.id).count() == 0


def test_new_recovery_codes_replace_the_old_ones(client, users, login, clock):
    user = users.make(email="amy@example.com")
    login(user)
    old = turn_on(client, user, clock)
    response = client.post(
        "/account/security/two-factor/recovery-codes", data={"codes-password": PASSWORD, "codes-code": old[0]}
    )
    new = CODE_PATTERN.findall(response.get_data(as_text=True))
    assert len(new) == 10
    assert not set(new) & set(old)
    assert two_factor.use_second_factor(user, old[1]) is None
    assert two_factor.use_second_factor(user, new[1]) == "recovery"


def test_a_password_reset_does_not_skip_the_second_step(app, client, users, login, clock):
    user = users.make(email="amy@example.com")
    turn_on(login(user, app.test_client()), user, clock)
    empty_mailbox(app)
    with app.test_request_context():
        security.request_password_reset("amy@example.com")
    path = path_of(link_in(mails_to(app, "amy@example.com")[-1]))
    client.post(path, data={"password": "a brand new password", "confirm": "a brand new password"})
    response = client.post("/login", data={"email": "amy@example.com", "password": "a brand new password"})
    assert response.headers["Location"] == "/login/two-factor"
    assert client.get("/account/").status_code == 302
