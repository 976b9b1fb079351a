"""One mood system in a real browser, with JavaScript on and off: the editor's mood control makes the
entry's linked mood, "Add how you felt" links another and comes back, and the mood history leads to the entry."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser


def test_an_entry_and_its_moods_link_both_ways(page, live_server, users):
    users.make(email="feel@example.com", timezone="Europe/Berlin")
    sign_in(page, live_server, "feel@example.com")

    page.goto(f"{live_server}/journal/new")
    page.get_by_label("Title").fill("Long walk")
    page.get_by_label("Entry (Markdown)").fill("Up the hill and back before the rain.")
    page.locator("summary", has_text="Details").click()
    page.locator("label", has_text="4 good").click()
    page.get_by_role("button", name="Save entry").click()
    page.wait_for_url(re.compile(r".*/journal/[0-9a-f]{24}$"))
    entry_url = page.url
    moods = page.locator(".entry-moods .mood-item")
    expect(moods).to_have_count(1)
    assert "good (4/5)" in moods.first.inner_text()

    page.get_by_role("link", name="Add how you felt").click()
    expect(page.get_by_role("link", name="Long walk")).to_be_visible()
    page.locator("label", has_text="Grateful").click()
    page.get_by_role("button", name="Log mood").click()
    page.wait_for_url(entry_url)
    expect(moods).to_have_count(2)
    assert "Grateful" in page.locator(".entry-moods").inner_text()

    page.goto(f"{live_server}/mood/history")
    page.get_by_role("link", name="Read the entry").first.click()
    page.wait_for_url(entry_url)
    expect(page.get_by_role("heading", name="Long walk")).to_be_visible()
