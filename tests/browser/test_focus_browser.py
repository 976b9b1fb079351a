"""A focus session from a real browser: start, pause, resume, complete, with JavaScript on and off."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.conftest import keep_screenshot
from tests.focus.helpers import install_clock

pytestmark = pytest.mark.browser


@pytest.fixture
def clock(monkeypatch):
    return install_clock(monkeypatch)


def test_start_pause_resume_and_complete_a_session(page, live_server, users, clock, request):
    sign_in(page, live_server, users.make().email)
    htmx_posts = []
    page.on("request", lambda sent: htmx_posts.append(sent.url) if sent.headers.get("hx-request") else None)
    page.goto(f"{live_server}/focus/")
    page.get_by_label("Pomodoro (25 min)").check()
    page.get_by_label("What will you work on?").fill("Write the browser test")
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r"/focus/sessions/[0-9a-f]{24}$"))
    timer = page.locator("#focus-timer")
    expect(timer).to_contain_text("Write the browser test")
    expect(timer.locator("[data-focus-clock]")).to_have_text(re.compile(r"^2[45]:[0-5]\d$"))
    if page.javascript_enabled:
        # The page counts down by itself between heartbeats.
        shown = timer.locator("[data-focus-clock]").inner_text()
        expect(timer.locator("[data-focus-clock]")).not_to_have_text(shown, timeout=3000)
    keep_screenshot(page, f"{request.node.name}-running")

    clock.advance(minutes=10)
    page.get_by_role("button", name="Pause").click()
    expect(timer).to_contain_text("Paused: the clock is stopped")
    expect(timer.locator("[data-focus-clock]")).to_have_text("15:00")

    clock.advance(minutes=30)
    page.get_by_role("button", name="Resume").click()
    expect(timer).to_contain_text("Focusing")
    expect(timer.locator("[data-focus-clock]")).to_have_text(re.compile(r"^1[45]:[0-5]\d$"))

    clock.advance(minutes=2)
    page.get_by_label("4", exact=True).check()
    page.get_by_label("Notes (optional)").fill("Steady")
    page.get_by_role("button", name="Complete early").click()
    expect(timer).to_contain_text("Completed")
    expect(timer).to_contain_text("12 focus minutes")
    expect(timer).to_contain_text("rated 4 of 5")
    actions = {url.rsplit("/", 1)[1] for url in htmx_posts}
    assert actions == ({"pause", "resume", "complete"} if page.javascript_enabled else set())


def test_time_up_asks_for_the_rating(page, live_server, users, clock):
    sign_in(page, live_server, users.make().email)
    page.goto(f"{live_server}/focus/")
    page.get_by_label("Short break (5 min)").check()
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r"/focus/sessions/[0-9a-f]{24}$"))
    clock.advance(minutes=6)
    page.reload()
    timer = page.locator("#focus-timer")
    expect(timer).to_contain_text("Time is up! How productive was it?")
    expect(timer.locator("[data-focus-clock]")).to_have_text("00:00")
    page.get_by_label("5", exact=True).check()
    page.get_by_role("button", name="Complete session").click()
    expect(timer).to_contain_text("Completed")


def test_enroll_in_a_program_and_tick_a_task(page, live_server, users, clock):
    sign_in(page, live_server, users.make().email)
    page.goto(f"{live_server}/focus/programs")
    page.get_by_role("button", name="Enroll in Deep work sprint").click()
    expect(page.get_by_text("part of the Premium plan")).to_be_visible()
    page.get_by_role("button", name="Enroll in Focus foundations").click()
    page.wait_for_url(re.compile(r"/focus/enrollments/\d+$"))
    day = page.locator("#program-day")
    expect(day).to_contain_text("Day 1 of 7")
    day.get_by_role("button", name="Tick: Silence notifications").click()
    expect(day.get_by_role("button", name="✓ Done: Silence notifications")).to_be_visible()
    page.get_by_role("link", name="Start a session for this day").click()
    expect(page.get_by_label("Count towards a program day")).to_have_value(re.compile(r"^\d+$"))
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r"/focus/sessions/[0-9a-f]{24}$"))
    expect(page.locator("#focus-timer")).to_contain_text("Program day 1")
    clock.advance(minutes=25)
    page.get_by_label("3", exact=True).check()
    # The page learns the time is up at its next heartbeat; either button completes it.
    page.get_by_role("button", name=re.compile(r"^Complete (session|early)$")).click()
    expect(page.locator("#focus-timer")).to_contain_text("25 focus minutes")
    page.goto(f"{live_server}/focus/")
    expect(page.get_by_text("min today")).to_contain_text("25")


def test_the_page_notices_by_itself_when_time_is_up(page, live_server, users, clock):
    sign_in(page, live_server, users.make().email)
    page.goto(f"{live_server}/focus/")
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r"/focus/sessions/[0-9a-f]{24}$"))
    clock.advance(minutes=24, seconds=58)
    clock.run()
    page.reload()
    # With JavaScript the countdown reaches zero and asks the server; without, the page refreshes itself.
    expect(page.get_by_role("button", name="Complete session")).to_be_visible(timeout=10_000)
    expect(page.locator("#focus-timer")).to_contain_text("Time is up!")
