"""The dashboard, calendar and insights in a real browser, with JavaScript on and off."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from mindnotes.timeutil import local_date, utcnow
from tests.browser.helpers import sign_in
from tests.jobs import run_jobs
from tests.overview.helpers import add_entry, add_mood, add_prompt_set, add_session

pytestmark = pytest.mark.browser


@pytest.fixture
def person(users):
    """Someone in Berlin with three weeks of writing, moods and focus behind them."""
    user = users.make(email="looking.back@example.com", timezone="Europe/Berlin", display_name="Mira")
    now = utcnow()
    for days_ago in range(0, 21):
        if days_ago % 4 == 3:
            continue
        moment = now - timedelta(days=days_ago, minutes=5)
        add_entry(user, moment, words=80 + days_ago * 10, title=f"Evening notes, {days_ago} days ago")
        add_mood(user, moment, 1 + days_ago % 10)
        add_session(user, moment - timedelta(hours=3), 25 + days_ago)
    add_entry(user, now - timedelta(days=365), title="A year ago today")
    add_prompt_set(user, local_date(now, user.timezone), answered=1)
    run_jobs()
    return user


def test_dashboard_shows_streak_totals_and_recent_entries(page, live_server, person):
    sign_in(page, live_server, person.email)
    assert page.get_by_role("heading", name="Hello, Mira").is_visible()
    assert page.get_by_text("days in a row").is_visible()
    assert page.get_by_role("heading", name="This week and last week").is_visible()
    assert page.get_by_text("Evening notes, 0 days ago").is_visible()
    assert page.get_by_role("heading", name="On this day").is_visible()
    assert page.get_by_text("A year ago today").is_visible()


def test_calendar_month_navigation_and_a_chosen_day(page, live_server, person):
    sign_in(page, live_server, person.email)
    page.get_by_role("link", name="Calendar").first.click()
    page.wait_for_url(f"{live_server}/calendar/")
    heading = page.locator("#calendar-heading").inner_text()

    page.get_by_role("link", name="← Previous month").click()
    expect(page.locator("#calendar-heading")).not_to_have_text(heading)
    assert page.locator('a.calendar-day[aria-current="date"]').count() == 0
    page.get_by_role("link", name="Next month →").click()
    expect(page.locator("#calendar-heading")).to_have_text(heading)

    today_cell = page.locator('a.calendar-day[aria-current="date"]')
    expect(today_cell).to_have_accessible_name(re.compile(r"\b1 entry\b"))
    today_cell.click()
    detail = page.locator("#day-detail")
    expect(detail.get_by_text("Evening notes, 0 days ago")).to_be_visible()
    assert "/calendar/day/" in page.url
    expect(page.locator('a.calendar-day[aria-current="date"]')).to_have_class(re.compile(r"\bselected\b"))


def test_insights_draw_charts_with_tables(page, live_server, person):
    sign_in(page, live_server, person.email)
    page.goto(f"{live_server}/insights")
    assert page.get_by_role("img", name="Words per week").is_visible()
    assert page.get_by_role("img", name="Focus sessions completed by hour of the day").is_visible()
    page.get_by_text("Words per week as a table").click()
    assert page.get_by_role("table").first.is_visible()


def test_quick_mood_picker_logs_a_mood_and_returns_to_the_dashboard(page, live_server, person):
    sign_in(page, live_server, person.email)
    page.locator("label", has_text="Calm").click()
    page.get_by_role("button", name="Log mood").click()
    page.wait_for_url(f"{live_server}/home")
    expect(page.get_by_text("Mood logged")).to_be_visible()
    expect(page.get_by_role("heading", name="Hello, Mira")).to_be_visible()
