"""Writing, searching and reading an entry in a real browser, with JavaScript on and off."""

import io
import os
import re
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image

from mindnotes.models import User
from mindnotes.services import journal
from tests.browser.helpers import sign_in
from tests.conftest import keep_screenshot
from tests.journal.helpers import write

pytestmark = pytest.mark.browser


def log_in(page, live_server, users) -> None:
    users.make(email="writer@example.com", timezone="Europe/Berlin")
    sign_in(page, live_server, "writer@example.com")


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
    page.locator("summary", has_text="Details").click()
    page.get_by_label("Add tags").fill("nature")
    page.get_by_role("button", name="Save entry").click()
    page.wait_for_url(re.compile(r".*/journal/[0-9a-f]{24}$"))
    assert page.get_by_role("heading", name="By the river").is_visible()
    assert page.locator(".entry-body strong").inner_text() == "kingfisher"
    assert page.locator(".entry-tags .tag", has_text="nature").is_visible()

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
    page.locator("summary", has_text="Details").click()
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


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (30, 110, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def test_the_editor_puts_words_first_and_saves_tags_and_a_photo_with_the_entry(page, live_server, users, app, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    log_in(page, live_server, users)
    page.goto(f"{live_server}/journal/new")
    details = page.locator("details.entry-details")
    assert not details.get_by_label("Weather (optional)").is_visible()
    page.get_by_label("Title").fill("Errands")
    body = page.get_by_label("Entry (Markdown)")
    if page.javascript_enabled:
        body.fill("milk")
        body.select_text()
        page.get_by_role("toolbar", name="Formatting").get_by_role("button", name="Bold").click()
        assert body.input_value() == "**milk**"
        body.press("End")
        page.keyboard.type("\n")
        page.get_by_role("button", name="Task").click()
        page.keyboard.type("post the letter")
    else:
        assert page.get_by_role("toolbar").count() == 0
        body.fill("**milk**\n- [ ] post the letter")
    page.set_input_files("#photo", files=[{"name": "shop.png", "mimeType": "image/png", "buffer": png()}])
    page.locator("summary", has_text="Details").click()
    page.get_by_label("Add tags").fill("town, chores")
    page.get_by_label("Weather (optional)").fill("Drizzle")
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        keep_screenshot(page, f"journal-editor-{width}-{'js' if page.javascript_enabled else 'nojs'}")
    page.get_by_role("button", name="Save entry").click()
    page.wait_for_url(re.compile(r".*/journal/[0-9a-f]{24}$"))
    assert page.locator(".entry-body strong").inner_text() == "milk"
    task = page.locator(".entry-body input[type=checkbox]")
    assert task.is_disabled() and not task.is_checked()
    assert sorted(tag.inner_text().strip() for tag in page.locator(".entry-tags .tag").all()) == ["chores", "town"]
    assert page.locator(".photo-grid img").count() == 1
    assert "Mixed" in page.locator(".entry-meta").inner_text()


def test_place_comes_from_the_browser_on_request(browser, live_server, users):
    context = browser.new_context(geolocation={"latitude": 45.764, "longitude": 4.8357}, permissions=["geolocation"])
    page = context.new_page()
    try:
        log_in(page, live_server, users)
        page.goto(f"{live_server}/journal/new")
        page.get_by_label("Entry (Markdown)").fill("Lunch by the Rhône")
        page.locator("summary", has_text="Details").click()
        page.get_by_label("Place (optional)").fill("Lyon")
        page.get_by_role("button", name="Use where I am now").click()
        page.get_by_text("Position kept: 45.76400, 4.83570.").wait_for()
        page.get_by_role("button", name="Save entry").click()
        page.wait_for_url(re.compile(r".*/journal/[0-9a-f]{24}$"))
        assert "Lyon (45.7640, 4.8357)" in page.locator(".entry-meta").inner_text()
    finally:
        context.close()


def test_a_version_shows_its_changes_and_can_be_restored(page, live_server, users):
    log_in(page, live_server, users)
    writer = User.query.filter_by(email="writer@example.com").one()
    entry = write(writer, title="Plans", content="We walk to the lake.")
    journal.update_entry(writer, entry["_id"], {"title": "Plans", "content": "We drive to the sea."})
    page.goto(f"{live_server}/journal/{entry['_id']}")
    page.get_by_role("link", name=re.compile("Version 1")).click()
    assert [word.inner_text() for word in page.locator(".diff-text del").all()] == ["walk", "lake"]
    assert [word.inner_text() for word in page.locator(".diff-text ins").all()] == ["drive", "sea"]
    keep_screenshot(page, f"journal-version-diff-{'js' if page.javascript_enabled else 'nojs'}")
    page.get_by_role("button", name="Restore this version").click()
    page.wait_for_url(f"{live_server}/journal/{entry['_id']}")
    assert page.locator(".entry-body").inner_text().strip() == "We walk to the lake."
    assert page.get_by_role("link", name=re.compile("Version 2")).is_visible()


def test_a_voice_note_recorded_in_the_browser_is_saved_with_the_entry(browser, live_server, users, app, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    # A Chromium whose microphone is a fake device that grants itself.
    recording = browser.browser_type.launch(
        executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        headless=True,
        args=["--no-sandbox", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"],
    )
    try:
        page = recording.new_context(permissions=["microphone"]).new_page()
        log_in(page, live_server, users)
        page.goto(f"{live_server}/journal/new")
        page.get_by_label("Entry (Markdown)").fill("Said it out loud")
        page.get_by_role("button", name="Record a voice note").click()
        page.get_by_text("Recording…").wait_for()
        page.wait_for_timeout(1500)
        page.get_by_role("button", name="Stop recording").click()
        page.get_by_text(re.compile(r"Recorded \(\d+ KB\)")).wait_for()
        page.get_by_role("button", name="Save entry").click()
        page.wait_for_url(re.compile(r".*/journal/[0-9a-f]{24}$"))
        assert page.locator(".voice-note audio").count() == 1
        assert "Mixed" in page.locator(".entry-meta").inner_text()
    finally:
        recording.close()
