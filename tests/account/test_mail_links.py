"""Links in mail start at PUBLIC_URL, never at the request's Host header; other host names are refused."""

import logging

import pytest

from tests.account.helpers import empty_mailbox, link_in, mails_to

PUBLIC_URL = "https://notes.example.org"


@pytest.fixture(autouse=True)
def mailbox(app):
    empty_mailbox(app)


def ask_reset(client, email="amy@example.com", host="localhost"):
    return client.post("/reset", data={"email": email}, base_url=f"http://{host}")


def test_reset_link_ignores_a_forged_host_header(app, client, users):
    """Without PUBLIC_URL (embedded default, tests) links point at this machine, whatever Host said."""
    users.make(email="amy@example.com")
    assert ask_reset(client, host="attacker.example").status_code == 302
    (message,) = mails_to(app, "amy@example.com")
    link = link_in(message)
    assert link.startswith(app.config["LOCAL_URL"] + "/reset/")
    assert "attacker.example" not in link


def test_reset_link_starts_at_public_url(app, app_factory, users):
    users.make(email="amy@example.com")
    public = app_factory(PUBLIC_URL=PUBLIC_URL).test_client()
    assert ask_reset(public, host="notes.example.org").status_code == 302
    (message,) = mails_to(app, "amy@example.com")
    assert link_in(message).startswith(f"{PUBLIC_URL}/reset/")


def test_a_foreign_host_header_is_refused_when_public_url_is_set(app, app_factory, users):
    users.make(email="amy@example.com")
    public = app_factory(PUBLIC_URL=PUBLIC_URL, WTF_CSRF_ENABLED=True).test_client()
    refused = ask_reset(public, host="attacker.example")
    # Refused for its host before anything else (such as the missing CSRF token) is looked at.
    assert refused.status_code == 400
    assert "does not answer for that host name" in refused.get_data(as_text=True)
    assert public.get("/login", base_url="http://attacker.example").status_code == 400
    assert mails_to(app, "amy@example.com") == []
    assert public.get("/login", base_url="https://notes.example.org").status_code == 200


def test_extra_trusted_hosts_are_answered_too(app_factory):
    public = app_factory(PUBLIC_URL=PUBLIC_URL, TRUSTED_HOSTS=["internal.example"]).test_client()
    assert public.get("/login", base_url="http://internal.example").status_code == 200
    assert public.get("/login", base_url="http://attacker.example").status_code == 400


def test_production_without_public_url_sends_no_link_and_says_why(app, app_factory, users, caplog, monkeypatch):
    # A `flask db upgrade` earlier in the run (alembic's fileConfig) disables the loggers that existed then.
    monkeypatch.setattr(app.logger, "disabled", False)
    users.make(email="amy@example.com")
    production = app_factory(TESTING=False, EMBEDDED=False, PUBLIC_URL="").test_client()
    with caplog.at_level(logging.ERROR):
        response = ask_reset(production, host="attacker.example")
    # The page answers as for any address: it never tells whether an account exists.
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/reset/sent")
    assert mails_to(app, "amy@example.com") == []
    assert "PUBLIC_URL is not set" in caplog.text
