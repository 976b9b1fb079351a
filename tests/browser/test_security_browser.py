"""Password reset through the file mailbox, and two-factor sign-in, in a real browser (JavaScript on and off)."""

from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from mindnotes import timeutil
from tests.account.helpers import empty_mailbox, link_in, mails_to
from tests.conftest import keep_screenshot

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a browser reset password"


def shot(page, name: str) -> None:
    suffix = "js-on" if page.javascript_enabled else "js-off"
    keep_screenshot(page, f"security-{name}-{suffix}")


def log_in(page, live_server, email, password, next_path="/account/security/"):
    page.goto(f"{live_server}/login?next={next_path}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_forgotten_password_is_reset_through_the_mailed_link(page, live_server, app, users):
    empty_mailbox(app)
    users.make(email="forgot@example.com")
    page.goto(f"{live_server}/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("forgot@example.com")
    page.get_by_role("button", name="Send the link").click()
    assert page.get_by_role("heading", name="Check your mail").is_visible()

    page.goto(link_in(mails_to(app, "forgot@example.com")[-1]))
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat new password").fill(NEW_PASSWORD)
    shot(page, "reset-form")
    page.get_by_role("button", name="Save the new password").click()
    page.wait_for_url(f"{live_server}/login")
    assert page.get_by_text("Your password is changed").is_visible()

    log_in(page, live_server, "forgot@example.com", NEW_PASSWORD)
    page.wait_for_url(f"{live_server}/account/security/")
    assert page.get_by_role("heading", name="Security").is_visible()


def test_turning_on_two_factor_then_signing_in_with_a_code(page, live_server, users, monkeypatch):
    class Clock:
        now = datetime.now(UTC).replace(microsecond=0)

    monkeypatch.setattr(timeutil, "utcnow", lambda: Clock.now)
    users.make(email="twofa@example.com")
    log_in(page, live_server, "twofa@example.com", "correct horse battery", "/account/security/two-factor")
    page.wait_for_url(f"{live_server}/account/security/two-factor")
    page.get_by_role("button", name="Set up two-factor sign-in").click()
    assert page.get_by_role("img", name="QR code for your authenticator app").is_visible()
    shot(page, "two-factor-setup")
    secret = page.locator("#totp-key").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)

    page.get_by_label("Code from your authenticator app").fill(totp.at(Clock.now))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    assert page.get_by_role("heading", name="Save your recovery codes").is_visible()
    assert page.locator(".recovery-codes li").count() == 10
    shot(page, "recovery-codes")

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server}/login")
    log_in(page, live_server, "twofa@example.com", "correct horse battery")
    page.wait_for_url(f"{live_server}/login/two-factor")
    Clock.now += timedelta(seconds=30)
    page.get_by_label("Code from your authenticator app").fill(totp.at(Clock.now))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server}/account/security/")
    assert page.get_by_text("On", exact=True).is_visible()


def test_signing_out_another_browser_from_the_sessions_page(page, live_server, browser, users):
    users.make(email="twice@example.com")
    other = browser.new_context(user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Safari/604.1")
    phone = other.new_page()
    log_in(phone, live_server, "twice@example.com", "correct horse battery")
    phone.wait_for_url(f"{live_server}/account/security/")

    log_in(page, live_server, "twice@example.com", "correct horse battery", "/account/security/sessions")
    page.wait_for_url(f"{live_server}/account/security/sessions")
    assert page.get_by_role("cell", name="Safari on iPhone", exact=True).is_visible()
    shot(page, "sessions")
    page.get_by_role("button", name="Sign out Safari on iPhone").click()
    page.get_by_text("No other browser is signed in.").wait_for()
    assert page.get_by_role("cell", name="Safari on iPhone", exact=True).count() == 0

    phone.goto(f"{live_server}/account/security/")
    assert phone.url.startswith(f"{live_server}/login")
    other.close()
