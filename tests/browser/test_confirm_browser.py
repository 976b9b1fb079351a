"""Deleting a mood asks first: a dialog with JavaScript, a page of its own without; Cancel changes nothing."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.factories import make_mood

pytestmark = pytest.mark.browser


def test_deleting_a_mood_asks_first_and_cancel_keeps_it(page, live_server, users):
    person = users.make(email="asks@example.com")
    mood = make_mood(person, note="Keep me")
    sign_in(page, live_server, "asks@example.com")
    edit = f"{live_server}/mood/{mood['_id']}/edit"

    page.goto(edit)
    page.get_by_role("button", name="Delete this mood").click()
    question = page.get_by_role("heading", name="Delete this mood?")
    expect(question).to_be_visible()
    if page.javascript_enabled:
        assert page.url == edit
        expect(page.locator("dialog#confirm-dialog")).to_have_attribute("open", "")
    else:
        assert page.url.endswith(f"/mood/{mood['_id']}/delete")
    page.get_by_role("button", name="Cancel").click()
    if page.javascript_enabled:
        expect(question).to_be_hidden()
    else:
        page.wait_for_url(edit)
    page.goto(f"{live_server}/mood/history")
    expect(page.get_by_text("Keep me")).to_be_visible()

    page.goto(edit)
    page.get_by_role("button", name="Delete this mood").click()
    page.get_by_role("button", name="Delete mood").click()
    expect(page.get_by_text("Mood deleted.")).to_be_visible()
    expect(page.get_by_text("Keep me")).to_have_count(0)
