"""Server-side sessions: listing them, ending one or all others, and the security log."""

from datetime import timedelta

from mindnotes import timeutil
from mindnotes.extensions import db
from mindnotes.models import SecurityEvent, UserSession
from mindnotes.services.account.login_sessions import describe_device
from tests.account.helpers import session_cookie, use_cookie
from tests.factories import PASSWORD

FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def sign_in_with_form(client, email="amy@example.com", agent=FIREFOX_LINUX, ip="203.0.113.7"):
    return client.post(
        "/login",
        data={"email": email, "password": PASSWORD},
        headers={"User-Agent": agent},
        environ_base={"REMOTE_ADDR": ip},
    )


def live_sessions(user):
    db.session.expire_all()
    return db.session.query(UserSession).filter_by(user_id=user.id, revoked_at=None).all()


def test_sessions_page_lists_device_address_and_marks_this_browser(app, client, users):
    users.make(email="amy@example.com")
    sign_in_with_form(client)
    sign_in_with_form(app.test_client(), agent=SAFARI_IPHONE, ip="198.51.100.4")
    page = client.get("/account/security/sessions").get_data(as_text=True)
    assert "Firefox on Linux" in page
    assert "Safari on iPhone" in page
    assert "203.0.113.7" in page and "198.51.100.4" in page
    assert page.count("This browser") == 1


def test_ending_a_session_really_refuses_its_cookie(app, client, users):
    user = users.make(email="amy@example.com")
    sign_in_with_form(client)
    phone = app.test_client()
    sign_in_with_form(phone, agent=SAFARI_IPHONE)
    stolen_copy = session_cookie(phone)
    phone_session = next(item for item in live_sessions(user) if "iPhone" in item.user_agent)
    assert client.post(f"/account/security/sessions/{phone_session.id}/end").status_code == 302
    assert phone.get("/account/").headers["Location"].startswith("/login")
    assert use_cookie(app.test_client(), stolen_copy).get("/account/").status_code == 302
    assert client.get("/account/").status_code == 200


def test_htmx_end_returns_the_refreshed_list(app, client, users):
    user = users.make(email="amy@example.com")
    sign_in_with_form(client)
    sign_in_with_form(app.test_client(), agent=SAFARI_IPHONE)
    phone_session = next(item for item in live_sessions(user) if "iPhone" in item.user_agent)
    response = client.post(f"/account/security/sessions/{phone_session.id}/end", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="sessions"')
    assert "iPhone" not in body


def test_sign_out_all_others_keeps_this_browser(app, client, users):
    user = users.make(email="amy@example.com")
    sign_in_with_form(client)
    others = [app.test_client() for _ in range(3)]
    for other in others:
        sign_in_with_form(other, agent=SAFARI_IPHONE)
    client.post("/account/security/sessions/end-others")
    assert len(live_sessions(user)) == 1
    assert client.get("/account/").status_code == 200
    assert all(other.get("/account/").status_code == 302 for other in others)


def test_another_persons_session_id_is_404_and_stays_live(app, client, users, login):
    amy = users.make(email="amy@example.com")
    bob = users.make(email="bob@example.com")
    login(amy)
    bob_client = login(bob, app.test_client())
    bob_session = live_sessions(bob)[0]
    assert client.post(f"/account/security/sessions/{bob_session.id}/end").status_code == 404
    assert client.post("/account/security/sessions/999999/end").status_code == 404
    assert bob_client.get("/account/").status_code == 200


def test_logging_out_revokes_the_server_session(app, client, users):
    user = users.make(email="amy@example.com")
    sign_in_with_form(client)
    copy = session_cookie(client)
    client.post("/logout")
    assert live_sessions(user) == []
    assert use_cookie(app.test_client(), copy).get("/account/").status_code == 302


def test_session_id_changes_at_sign_in(app, client, users):
    users.make(email="amy@example.com")
    client.get("/login")
    before = session_cookie(client) if client.get_cookie("session") else None
    sign_in_with_form(client)
    assert session_cookie(client) != before


def test_a_forged_cookie_without_a_server_session_is_refused(app, client, users):
    user = users.make()
    with client.session_transaction() as cookie:
        cookie["_user_id"] = str(user.id)
        cookie["_fresh"] = True
    assert client.get("/account/").headers["Location"].startswith("/login")


def test_a_session_unused_for_the_idle_limit_is_over(app, client, users, login, monkeypatch):
    user = users.make()
    login(user)
    later = timeutil.utcnow() + timedelta(days=app.config["SESSION_IDLE_DAYS"], minutes=1)
    monkeypatch.setattr(timeutil, "utcnow", lambda: later)
    assert client.get("/account/").status_code == 302


def test_security_log_shows_sign_ins_failures_and_changes_without_secrets(app, client, users):
    user = users.make(email="amy@example.com")
    client.post("/login", data={"email": "amy@example.com", "password": "not my password"})
    sign_in_with_form(client)
    client.post(
        "/account/password",
        data={
            "password-current_password": PASSWORD,
            "password-new_password": "another long password",
            "password-confirm": "another long password",
        },
    )
    page = client.get("/account/security/events").get_data(as_text=True)
    for label in ("Failed sign-in (wrong password)", "Signed in", "Password changed"):
        assert label in page
    assert "Firefox on Linux" in page
    events = db.session.query(SecurityEvent).filter_by(user_id=user.id)
    stored = " ".join(f"{event.kind} {event.ip} {event.user_agent}" for event in events)
    assert "not my password" not in stored and "another long password" not in stored


def test_security_pages_need_login(client):
    for path in ("/account/security/", "/account/security/sessions", "/account/security/events"):
        assert client.get(path).headers["Location"].startswith("/login")


def test_device_names_from_user_agents():
    assert describe_device(FIREFOX_LINUX) == "Firefox on Linux"
    assert describe_device(SAFARI_IPHONE) == "Safari on iPhone"
    chrome_windows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"
    assert describe_device(chrome_windows) == "Chrome on Windows"
    assert describe_device("") == "Unknown device"
