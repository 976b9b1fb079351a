"""Writing, searching and reading an entry in a real browser, with JavaScript on and off."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from mindnotes.models import User
from tests.factories import PASSWORD
from tests.journal.helpers import write

pytestmark = pytest.mark.browser


def log_in(page, live_server, users) -> None:
    users.make(email="writer@example.com", timezone="Europe/Berlin")
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill("writer@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r".*/home$"))


def test_write_search_and_read_an_entry(page, live_server, users):
    log_in(page, live_server, users)
    page.goto(f"{live_server}/journal/")
    page.get_by_role("button", name="Write an entry").click()
    page.wait_for_url(f"{live_server}/journal/new")
    page.get_by_label("Title").fill("By the river")
    page.get_by_label("Entry (Markdown)").fill("A **kingfisher** dived near the heron.\n\n- calm\n- cold")
    if page.javascript_enabled:
        # The draft autosaves while typing, and the preview renders the Markdown.
        page.get_by_text("Draft saved at").wait_for(timeout=8000)
        page.locator("summary", has_text="Preview").click()
        assert page.locator("#preview strong").inner_text() == "kingfisher"
    page.get_by_label("Mood, 1 to 10 (optional)").fill("8")
    page.get_by_label("New tag (optional)").fill("nature")
    page.get_by_role("button", name="Save entry").click()
    page.wait_for_url(re.compile(r".*/journal/[0-9a-f]{24}$"))
    assert page.get_by_role("heading", name="By the river").is_visible()
    assert page.locator(".entry-body strong").inner_text() == "kingfisher"
    assert page.get_by_text("#nature").is_visible()

    page.get_by_role("link", name="← Journal").click()
    page.get_by_text("Search and filter").click()
    page.get_by_label("Search your entries").fill("heron kingfisher")
    page.get_by_role("button", name="Show entries").click()
    page.wait_for_url(re.compile(r".*q=heron(\+|%20)kingfisher.*"))
    page.get_by_text("1 entry matches").wait_for()
    assert page.locator("#entries mark").first.inner_text() == "kingfisher"

    page.get_by_role("link", name="By the river").click()
    page.wait_for_url(re.compile(r".*/journal/[0-9a-f]{24}$"))
    assert "A kingfisher dived near the heron." in page.locator(".entry-body").inner_text()


def test_an_invalid_entry_keeps_what_was_typed(page, live_server, users):
    log_in(page, live_server, users)
    page.goto(f"{live_server}/journal/new")
    page.get_by_label("Entry (Markdown)").fill("Words worth keeping")
    page.get_by_label("Date and time").fill("2999-01-01T10:00")
    page.get_by_role("button", name="Save entry").click()
    page.get_by_text("cannot be in the future").wait_for()
    assert page.get_by_label("Entry (Markdown)").input_value() == "Words worth keeping"


def test_more_entries_load_by_scrolling_or_the_next_page_link(page, live_server, users):
    log_in(page, live_server, users)
    writer = User.query.filter_by(email="writer@example.com").one()
    start = datetime(2026, 1, 1, 9, tzinfo=UTC)
    for number in range(25):
        write(writer, title=f"Day {number:02d}", entry_date=start + timedelta(days=number))
    page.goto(f"{live_server}/journal/")
    assert page.get_by_role("link", name="Day 24").is_visible()
    if page.javascript_enabled:
        page.get_by_role("link", name="Day 05").scroll_into_view_if_needed()
        page.mouse.wheel(0, 4000)
        page.get_by_role("link", name="Day 00").wait_for()
        assert page.url == f"{live_server}/journal/"
        # Favorite toggles in place, without leaving the list.
        page.get_by_role("button", name="☆ Mark as favorite").first.click()
        page.get_by_role("button", name="★ Favorite").first.wait_for()
        assert page.url == f"{live_server}/journal/"
    else:
        page.get_by_role("link", name="Next page").click()
        page.wait_for_url(re.compile(r".*after=.*"))
        assert page.get_by_role("link", name="Day 00").is_visible()
        assert not page.get_by_role("link", name="Day 24").is_visible()
