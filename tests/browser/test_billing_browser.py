"""Plans, the trial and the billing page in a real browser, with JavaScript on and off."""

from datetime import timedelta

import pytest

from mindnotes.services.billing import expire_subscriptions, record_manual_payment
from mindnotes.timeutil import utcnow
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser


def test_start_the_trial_then_cancel_and_resume_it(page, live_server, users):
    users.make(email="trial@example.com")
    sign_in(page, live_server, "trial@example.com")
    page.goto(f"{live_server}/billing/plans")
    assert page.get_by_role("heading", name="Premium").is_visible()
    page.get_by_role("button", name="Start your 14-day free trial").click()
    page.wait_for_url(f"{live_server}/billing/")
    assert page.get_by_text("Your 14-day Premium trial has started.").is_visible()
    assert page.get_by_text("Free trial").is_visible()
    assert page.get_by_text("Trial ends").is_visible()

    page.get_by_role("button", name="Cancel at the end of the period").click()
    resume = page.get_by_role("button", name="Resume Premium")
    resume.wait_for()
    assert page.get_by_text("You keep Premium until").is_visible()
    resume.click()
    page.get_by_role("button", name="Cancel at the end of the period").wait_for()
    assert page.get_by_text("Welcome back").is_visible()


def test_a_recorded_payment_shows_on_the_billing_page_with_its_receipt(page, live_server, users):
    users.make(email="paid@example.com", display_name="Paula")
    record_manual_payment("paid@example.com", 900, "EUR", 1, reference="BANK-2026-11")
    sign_in(page, live_server, "paid@example.com")
    page.goto(f"{live_server}/billing/")
    assert page.get_by_text("Paid until").is_visible()
    assert page.get_by_role("cell", name="9.00 EUR").is_visible()
    page.get_by_role("link", name="Receipt").click()
    assert page.get_by_role("heading", name="Receipt").is_visible()
    assert page.get_by_text("BANK-2026-11").is_visible()
    assert page.get_by_text("Paula").is_visible()


def test_cancelling_from_a_stale_page_says_why_it_was_refused(page, live_server, users):
    users.make(email="stale@example.com")
    sign_in(page, live_server, "stale@example.com")
    page.goto(f"{live_server}/billing/plans")
    page.get_by_role("button", name="Start your 14-day free trial").click()
    page.wait_for_url(f"{live_server}/billing/")
    expire_subscriptions(now=utcnow() + timedelta(days=15))  # the trial ends while the page stays open
    page.get_by_role("button", name="Cancel at the end of the period").click()
    page.get_by_text("There is no running Premium subscription to cancel.").wait_for()
    if page.javascript_enabled:
        assert page.url == f"{live_server}/billing/"
        assert page.get_by_text("Premium ended; back on Free").is_visible()
