"""Password reset and email verification links, sent by the file mailer on the embedded default."""

import hashlib
import socketserver
import threading
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email import message_from_bytes

import pytest

from mindnotes import timeutil
from mindnotes.extensions import db
from mindnotes.models import AccountToken, SecurityEvent
from mindnotes.services.account import security
from tests.account.helpers import empty_mailbox, link_in, mails_to, path_of, session_cookie, use_cookie
from tests.conftest import free_port
from tests.factories import PASSWORD

NEW_PASSWORD = "a fresh new password"


@pytest.fixture(autouse=True)
def mailbox(app):
    empty_mailbox(app)


@pytest.fixture
def clock(monkeypatch):
    """`clock.now` is what the app thinks the time is; move it with `clock.now += timedelta(...)`."""

    class Clock:
        now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    monkeypatch.setattr(timeutil, "utcnow", lambda: Clock.now)
    return Clock


class SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP to receive one message (no TLS, no auth)."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 test")
        while line := self.rfile.readline():
            command = line.decode().strip().upper()
            if command.startswith("DATA"):
                self.reply("354 go on")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data[1:] if data.startswith(b"..") else data)
                self.server.messages.append(b"".join(lines))
                self.reply("250 queued")
            elif command.startswith("QUIT"):
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


@contextmanager
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SMTPHandler)
    server.messages, server.port = [], server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def ask_reset(client, email):
    return client.post("/reset", data={"email": email})


def reset_link(app, client, email) -> str:
    ask_reset(client, email)
    return path_of(link_in(mails_to(app, email)[-1]))


def choose(client, path, password=NEW_PASSWORD, confirm=None):
    return client.post(path, data={"password": password, "confirm": confirm or password})


def test_reset_answer_is_the_same_whether_or_not_the_account_exists(app, client, users):
    users.make(email="known@example.com")
    known = ask_reset(client, "known@example.com")
    unknown = ask_reset(client, "nobody@example.com")
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"] == "/reset/sent"
    assert len(mails_to(app, "known@example.com")) == 1
    assert mails_to(app, "nobody@example.com") == []


def test_reset_link_sets_the_new_password_once_and_signs_in_with_it(app, client, users):
    user = users.make(email="amy@example.com")
    path = reset_link(app, client, "amy@example.com")
    assert "Choose a new password" in client.get(path).get_data(as_text=True)
    assert choose(client, path).headers["Location"] == "/login"
    assert user.check_password(NEW_PASSWORD)
    assert client.post("/login", data={"email": "amy@example.com", "password": PASSWORD}).status_code == 422
    assert client.post("/login", data={"email": "amy@example.com", "password": NEW_PASSWORD}).status_code == 302

    again = client.get(path)
    assert again.status_code == 410
    assert "already used" in again.get_data(as_text=True)


def test_reset_ends_every_session_of_the_account(app, client, users, login):
    user = users.make(email="amy@example.com")
    signed_in_elsewhere = login(user, app.test_client())
    assert signed_in_elsewhere.get("/account/").status_code == 200
    choose(client, reset_link(app, client, "amy@example.com"))
    assert signed_in_elsewhere.get("/account/").headers["Location"].startswith("/login")


def test_reset_link_expires_after_an_hour(app, client, users, clock):
    user = users.make(email="amy@example.com")
    path = reset_link(app, client, "amy@example.com")
    clock.now += timedelta(minutes=59)
    assert client.get(path).status_code == 200
    clock.now += timedelta(minutes=1)
    expired = choose(client, path)
    assert expired.status_code == 410
    assert "expired" in expired.get_data(as_text=True)
    assert user.check_password(PASSWORD)


def test_altered_or_unknown_reset_link_is_a_clear_400_page(app, client, users):
    users.make(email="amy@example.com")
    path = reset_link(app, client, "amy@example.com")
    for bad in (path[:-1] + ("A" if path[-1] != "A" else "B"), "/reset/not-a-token", "/reset/" + "x" * 500):
        response = client.get(bad)
        assert response.status_code == 400
        assert "not valid" in response.get_data(as_text=True)


def test_a_newer_reset_link_replaces_the_older_one(app, client, users):
    users.make(email="amy@example.com")
    first = reset_link(app, client, "amy@example.com")
    second = reset_link(app, client, "amy@example.com")
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_tokens_are_stored_hashed_and_never_in_events(app, client, users):
    user = users.make(email="amy@example.com")
    path = reset_link(app, client, "amy@example.com")
    token = path.rsplit("/", 1)[1]
    stored = db.session.query(AccountToken).filter_by(user_id=user.id).one()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    choose(client, path)
    events = db.session.query(SecurityEvent).filter_by(user_id=user.id).all()
    assert {"password_reset_requested", "password_reset"} <= {event.kind for event in events}
    assert not [event for event in events if token in f"{event.kind} {event.ip} {event.user_agent}"]


def test_smtp_mail_carries_the_link_and_the_log_never_does(app, client, users, caplog):
    users.make(email="amy@example.com")
    with smtp_server() as received:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=received.port, MAIL_USE_TLS=False)
        with caplog.at_level("DEBUG"):
            assert ask_reset(client, "amy@example.com").headers["Location"] == "/reset/sent"
    message = message_from_bytes(received.messages[0])
    assert message["To"] == "amy@example.com"
    path = path_of(link_in(message))
    assert "/reset/" not in caplog.text
    choose(client, path)
    assert NEW_PASSWORD not in caplog.text


def test_unreachable_mail_server_gives_the_same_answer(app, client, users):
    users.make(email="amy@example.com")
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_USE_TLS=False)
    assert ask_reset(client, "amy@example.com").headers["Location"] == "/reset/sent"


def test_reset_with_mismatched_passwords_is_422_and_the_link_still_works(app, client, users):
    users.make(email="amy@example.com")
    path = reset_link(app, client, "amy@example.com")
    response = choose(client, path, confirm="something else entirely")
    assert response.status_code == 422
    assert "The passwords differ." in response.get_data(as_text=True)
    assert choose(client, path).status_code == 302


def test_registration_sends_a_verification_link_and_reminds_until_followed(app, client):
    client.post(
        "/register",
        data={"email": "new@example.com", "password": PASSWORD, "confirm": PASSWORD, "timezone": "UTC"},
    )
    assert "Please confirm your email address" in client.get("/account/").get_data(as_text=True)
    link = path_of(link_in(mails_to(app, "new@example.com")[-1]))
    assert client.get(link).headers["Location"] == "/account/security/"
    page = client.get("/account/security/").get_data(as_text=True)
    assert "Please confirm your email address" not in page
    assert "Confirmed" in page
    assert client.get(link).status_code == 410


def test_verification_link_expires(app, client, users, login, clock):
    user = users.make(email="amy@example.com")
    login(user)
    client.post("/account/security/verification")
    link = path_of(link_in(mails_to(app, "amy@example.com")[-1]))
    clock.now += timedelta(hours=49)
    response = client.get(link)
    assert response.status_code == 410
    assert not security.is_email_verified(user.id)


def test_changing_email_needs_the_password_unverifies_and_tells_the_old_address(app, client, users, login):
    user = users.make(email="old@example.com")
    login(user)
    wrong = client.post("/account/security/email", data={"email": "new@example.com", "password": "wrong"})
    assert wrong.status_code == 422
    assert 'value="new@example.com"' in wrong.get_data(as_text=True)
    client.post("/account/security/email", data={"email": "New@Example.com", "password": PASSWORD})
    assert user.email == "new@example.com"
    assert "was changed to new@example.com" in mails_to(app, "old@example.com")[-1].get_payload()
    assert "Please confirm" in client.get("/account/").get_data(as_text=True)
    client.get(path_of(link_in(mails_to(app, "new@example.com")[-1])))
    assert security.is_email_verified(user.id)


def test_changing_to_an_address_in_use_is_refused(client, users, login):
    users.make(email="taken@example.com")
    login(users.make(email="me@example.com"))
    response = client.post("/account/security/email", data={"email": "taken@example.com", "password": PASSWORD})
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)


def test_old_cookie_stops_working_after_a_password_change(app, client, users, login):
    user = users.make()
    login(user)
    before = session_cookie(client)
    other = login(user, app.test_client())
    client.post(
        "/account/password",
        data={
            "password-current_password": PASSWORD,
            "password-new_password": NEW_PASSWORD,
            "password-confirm": NEW_PASSWORD,
        },
    )
    assert client.get("/account/").status_code == 200
    assert use_cookie(app.test_client(), before).get("/account/").status_code == 302
    assert other.get("/account/").status_code == 302


def test_hsts_is_sent_only_when_configured_for_https(app_factory, app):
    assert "Strict-Transport-Security" not in app.test_client().get("/login").headers
    https = app_factory(PREFERRED_URL_SCHEME="https")
    assert https.test_client().get("/login").headers["Strict-Transport-Security"].startswith("max-age=")
