"""Keep me signed in: the remember cookie signs in only through a live server session, and rotates it."""

import hashlib

from flask_login.utils import encode_cookie

from mindnotes.extensions import db
from mindnotes.models import UserSession
from mindnotes.services.account import login_sessions as sessions
from tests.factories import PASSWORD

REMEMBER = "remember_token"


def sign_in_remembered(client, email="amy@example.com"):
    response = client.post("/login", data={"email": email, "password": PASSWORD, "remember": "y"})
    assert response.status_code == 302
    return client.get_cookie(REMEMBER).value


def reopened_browser(app, remember_cookie: str):
    """A browser closed and opened again: the session cookie is gone, the remember cookie stays."""
    browser = app.test_client()
    browser.set_cookie(REMEMBER, remember_cookie)
    return browser


def key_hashes(user) -> set[str]:
    db.session.expire_all()
    return {row.key_hash for row in db.session.query(UserSession).filter_by(user_id=user.id, revoked_at=None)}


def test_forged_remember_cookie_does_not_sign_in(app, client, users):
    """The attack of issue 15: the user id signed with SECRET_KEY, after the person ended all sessions."""
    user = users.make(email="amy@example.com")
    client.post("/login", data={"email": "amy@example.com", "password": PASSWORD})
    sessions.end_all_sessions(user.id)
    with app.test_request_context():
        forged = encode_cookie(str(user.id))
    browser = reopened_browser(app, forged)
    response = browser.get("/account/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert browser.get_cookie(REMEMBER) is None
    assert browser.get("/account/").status_code == 302


def test_forged_remember_cookie_with_a_live_session_does_not_sign_in(app, users, login):
    user = users.make(email="amy@example.com")
    login(user)
    with app.test_request_context():
        forged = encode_cookie(str(user.id))
    assert reopened_browser(app, forged).get("/account/").status_code == 302


def test_remember_cookie_signs_in_again_with_a_new_session_key(app, client, users):
    user = users.make(email="amy@example.com")
    remembered = sign_in_remembered(client)
    (before,) = key_hashes(user)
    assert before == hashlib.sha256(remembered.encode()).hexdigest()

    browser = reopened_browser(app, remembered)
    response = browser.get("/account/")
    assert response.status_code == 200
    assert "amy@example.com" in response.get_data(as_text=True)
    renewed = browser.get_cookie(REMEMBER).value
    (after,) = key_hashes(user)
    assert renewed != remembered
    assert after == hashlib.sha256(renewed.encode()).hexdigest()
    assert browser.get("/account/").status_code == 200
    # The copy that was used once no longer signs anyone in.
    assert reopened_browser(app, remembered).get("/account/").status_code == 302


def test_remember_cookie_of_an_ended_session_does_not_sign_in(app, client, users):
    user = users.make(email="amy@example.com")
    remembered = sign_in_remembered(client)
    other = app.test_client()
    sign_in_remembered(other)
    assert other.post("/account/security/sessions/end-others").status_code == 302
    browser = reopened_browser(app, remembered)
    assert browser.get("/account/").headers["Location"].startswith("/login")
    assert browser.get_cookie(REMEMBER) is None
    assert len(key_hashes(user)) == 1


def test_remember_cookie_after_logout_does_not_sign_in(app, client, users):
    users.make(email="amy@example.com")
    remembered = sign_in_remembered(client)
    client.post("/logout")
    assert client.get_cookie(REMEMBER) is None
    assert reopened_browser(app, remembered).get("/account/").status_code == 302


def test_login_without_keep_me_signed_in_sets_no_remember_cookie(client, users):
    users.make(email="amy@example.com")
    client.post("/login", data={"email": "amy@example.com", "password": PASSWORD})
    assert client.get("/account/").status_code == 200
    assert client.get_cookie(REMEMBER) is None


def test_remember_cookie_follows_a_privilege_change(app, client, users):
    """A password change gives the session a new key; the remember cookie gets it too, the old copy stops."""
    users.make(email="amy@example.com")
    remembered = sign_in_remembered(client)
    new_password = "another long password"
    response = client.post(
        "/account/password",
        data={
            "password-current_password": PASSWORD,
            "password-new_password": new_password,
            "password-confirm": new_password,
        },
    )
    assert response.status_code == 302
    renewed = client.get_cookie(REMEMBER).value
    assert renewed != remembered
    assert reopened_browser(app, remembered).get("/account/").status_code == 302
    assert reopened_browser(app, renewed).get("/account/").status_code == 200
