"""On a phone: the four daily places in a bottom tab bar, everything else behind "More" (with or without scripts)."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scripts", [True, False], ids=["js-on", "js-off"])
def test_bottom_tab_bar_and_more(browser, live_server, users, scripts):
    users.make(email="phone@example.com")
    context = browser.new_context(viewport={"width": 390, "height": 800}, java_script_enabled=scripts)
    page = context.new_page()
    sign_in(page, live_server, "phone@example.com")

    tabs = page.get_by_role("navigation", name="Sections")
    for name in ("Today", "Journal", "Mood", "Focus", "More"):
        expect(tabs.get_by_text(name, exact=True)).to_be_visible()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Journal")).to_be_hidden()
    expect(tabs.get_by_role("link", name="Today")).to_have_attribute("aria-current", "page")
    box = tabs.bounding_box()
    assert box["y"] + box["height"] == pytest.approx(800, abs=1)

    expect(tabs.get_by_role("link", name="Prompts")).to_be_hidden()
    tabs.get_by_text("More", exact=True).click()
    expect(tabs.get_by_role("button", name="Log out")).to_be_visible()
    tabs.get_by_role("link", name="Prompts").click()
    page.wait_for_url(f"{live_server}/prompts/")
    context.close()
