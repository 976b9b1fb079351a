"""Logging a mood and reading the trends from a real browser, with JavaScript on and off."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from mindnotes.timeutil import local_now
from tests.browser.helpers import sign_in
from tests.conftest import keep_screenshot
from tests.mood.helpers import log

pytestmark = pytest.mark.browser


def test_log_a_mood_with_a_few_taps(page, live_server, users):
    users.make(email="picker@example.com", timezone="Europe/Berlin")
    sign_in(page, live_server, "picker@example.com")
    page.get_by_role("link", name="Mood").first.click()
    page.wait_for_url(f"{live_server}/mood/")

    page.get_by_role("button", name="Log mood").click()
    expect(page.get_by_text("Choose how you feel.")).to_be_visible()

    page.locator("label", has_text="Calm").click()
    expect(page.get_by_role("radio", name="Calm")).to_be_checked()
    intensity = page.get_by_label("Intensity (1 to 10)")
    if page.javascript_enabled:
        assert intensity.get_attribute("type") == "range"
        intensity.focus()
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        assert page.locator("output.mood-intensity-value").inner_text() == "8"
    else:
        assert intensity.get_attribute("type") == "number"
        intensity.fill("8")
    page.locator("summary", has_text="Factors").click()
    page.get_by_label("Sleep").select_option("good")
    page.get_by_role("button", name="Log mood").click()

    expect(page.get_by_text("Mood logged: 😌 Calm, great (5/5), intensity 8/10.")).to_be_visible()
    recent = page.locator(".mood-list .mood-item").first
    assert "Calm" in recent.inner_text() and "8/10" in recent.inner_text() and "sleep: good" in recent.inner_text()
    # The picker is ready for the next mood.
    assert page.locator('input[name="category"]:checked').count() == 0


def test_trends_and_year_in_pixels_are_drawn_without_scripts(page, live_server, users):
    person = users.make(email="trends@example.com", timezone="Europe/Berlin")
    noon = local_now("Europe/Berlin").replace(hour=12, minute=0) - timedelta(days=1)
    moods = [("Calm", 7, "good"), ("Tired", 3, "poor"), ("Joyful", 9, "good"), ("Anxious", 4, "ok"), ("Sad", 2, "poor")]
    for days_ago, (category, intensity, sleep) in enumerate(moods * 3):
        felt_at = (noon - timedelta(days=days_ago * 2)).strftime("%Y-%m-%dT%H:%M")
        log(person, category, intensity, felt_at=felt_at, factors={"sleep": sleep})
    sign_in(page, live_server, "trends@example.com")
    page.goto(f"{live_server}/mood/trends?days=7")
    assert page.get_by_role("heading", name="Average mood per day").is_visible()
    assert page.get_by_role("img", name=re.compile(r"^Average mood score per day \(1 awful to 5 great\)")).is_visible()
    assert page.get_by_role("img", name="Share of each mood, last 7 days").is_visible()
    page.get_by_role("link", name="Last 90 days").click()
    expect(page.get_by_role("img", name="Share of each mood, last 90 days")).to_be_visible()
    keep_screenshot(page, f"mood-trends-{'js-on' if page.javascript_enabled else 'js-off'}")
    page.get_by_role("link", name="Year in pixels").click()
    expect(page.get_by_role("img", name="Year in pixels")).to_be_visible()
