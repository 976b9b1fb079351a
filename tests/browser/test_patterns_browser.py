"""Patterns, the weekly review and the focus check-in from a real browser, with JavaScript on and off.

With SCREENSHOTS=1 the Patterns page and the weekly review are kept at 1280 and 390 pixels wide.
"""

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from mindnotes import timeutil
from mindnotes.documents import collection
from mindnotes.jobs.analytics import rebuild_user_analytics
from mindnotes.jobs.weekly import make_weekly_review
from tests.browser.helpers import sign_in
from tests.conftest import keep_screenshot
from tests.focus.helpers import install_clock
from tests.overview.test_patterns import four_weeks
from tests.overview.test_weekly_review import MONDAY_START, ZONE, the_week

pytestmark = pytest.mark.browser

WIDTHS = (1280, 390)


def test_patterns_page_shows_charts_tables_and_why_a_figure_is_hidden(page, live_server, users, monkeypatch, request):
    monkeypatch.setattr(timeutil, "utcnow", lambda: datetime(2026, 11, 2, 6, 0, tzinfo=UTC))
    user = users.make(timezone="UTC")
    four_weeks(user)
    rebuild_user_analytics(user.id)
    sign_in(page, live_server, user.email)

    page.goto(f"{live_server}/mood/")
    page.get_by_role("link", name="Patterns").first.click()
    expect(page.get_by_role("heading", name="Patterns", level=1)).to_be_visible()
    expect(page.get_by_role("img", name="Mood on days with and without a completed focus session")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("With a completed focus session"))
    expect(row).to_contain_text("4.0")
    expect(page.get_by_text("Shown once at least two groups have 14 days with a mood each").first).to_be_visible()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        keep_screenshot(page, f"patterns-{width}-{request.node.callspec.id}")


def test_weekly_review_page_and_dashboard_card(page, live_server, users, monkeypatch, request):
    monkeypatch.setattr(timeutil, "utcnow", lambda: MONDAY_START)
    user = users.make(timezone=ZONE)
    the_week(user)
    make_weekly_review(user.id)
    sign_in(page, live_server, user.email)

    page.get_by_role("link", name="Read your weekly review").click()
    expect(page.get_by_role("heading", name="Your week, 21 Sep – 27 Sep 2026")).to_be_visible()
    expect(page.get_by_text("Best day: Sunday (5.0).")).to_be_visible()
    expect(page.get_by_role("link", name="Long walk")).to_be_visible()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        keep_screenshot(page, f"weekly-review-{width}-{request.node.callspec.id}")

    page.goto(f"{live_server}/insights/weeks")
    page.get_by_role("button", name="Mail me each review").click()
    expect(page.get_by_role("button", name="Stop mailing them")).to_be_visible()


def test_focus_check_in_before_and_after(page, live_server, users, monkeypatch):
    clock = install_clock(monkeypatch)
    user = users.make()
    sign_in(page, live_server, user.email)
    page.goto(f"{live_server}/focus/")
    page.get_by_label("What will you work on?").fill("Plan the week")
    page.get_by_text("Check in before you start (optional)").click()
    page.get_by_label("Your intention for this session").fill("One thing at a time")
    page.get_by_label("Bad").check()
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r"/focus/sessions/[0-9a-f]{24}$"))
    timer = page.locator("#focus-timer")
    expect(timer).to_contain_text("Intention: One thing at a time")

    clock.advance(minutes=25)
    page.get_by_label("4", exact=True).check()
    page.get_by_label("Good").check()
    page.get_by_role("button", name=re.compile("Complete")).click()
    expect(timer).to_contain_text("Check-in: Bad before → Good after (logged as a mood)")
    (mood,) = collection("mood_entries").find({"user_id": user.id})
    assert mood["score"] == 4
