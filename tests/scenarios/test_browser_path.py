"""One path through the app as `make run` starts it, in Chromium with JavaScript on and off:
sign up, write an entry, log a mood, run a focus session, answer a prompt, take an export."""

import re
import zipfile

import pytest
from playwright.sync_api import expect

from tests.conftest import keep_screenshot

pytestmark = pytest.mark.browser

PASSWORD = "a walk by the sea, twice"


def test_write_log_focus_answer_and_download_an_export(page, embedded_app, request):
    base = embedded_app.url
    mode = "js-on" if page.javascript_enabled else "js-off"
    page.set_default_timeout(15_000)
    page.goto(f"{base}/register")
    page.get_by_label("Email").fill(f"browser-{mode}@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(f"{base}/home")
    expect(page.get_by_text("Welcome to MindNotes. Your journal is ready.")).to_be_visible()

    # Write an entry.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Journal", exact=True).click()
    page.get_by_role("button", name="Write an entry").click()
    page.get_by_label("Title").fill("From the browser")
    page.get_by_label("Entry (Markdown)").fill("A **bold** start to the day.")
    page.get_by_role("button", name="Save entry").click()
    page.wait_for_url(re.compile(r"/journal/[0-9a-f]{24}$"))
    expect(page.get_by_text("Your entry is saved.")).to_be_visible()
    expect(page.locator(".entry-body strong")).to_have_text("bold")

    # Log a mood.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Mood", exact=True).click()
    page.wait_for_url(f"{base}/mood/")
    page.locator("label", has_text="Calm").click()
    intensity = page.get_by_label("Intensity (1 to 10)")
    if page.javascript_enabled:
        intensity.focus()
        page.keyboard.press("ArrowRight")
    else:
        intensity.fill("6")
    page.get_by_role("button", name="Log mood").click()
    expect(page.get_by_text("Mood logged: 😌 Calm, good (4/5), intensity 6/10.")).to_be_visible()
    expect(page.locator(".mood-list .mood-item").first).to_contain_text("Calm")

    # Start a focus session and complete it.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Focus", exact=True).click()
    page.get_by_label("Pomodoro (25 min)").check()
    page.get_by_label("What will you work on?").fill("Try the browser path")
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r"/focus/sessions/[0-9a-f]{24}$"))
    timer = page.locator("#focus-timer")
    expect(timer).to_contain_text("Focusing: the clock is running.")
    page.get_by_label("5", exact=True).check()
    page.get_by_role("button", name="Complete early").click()
    expect(timer).to_contain_text("Completed")
    expect(timer).to_contain_text("rated 5 of 5")

    # Answer a prompt.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Prompts", exact=True).click()
    page.wait_for_url(f"{base}/prompts/")
    card = page.locator("article.prompt-card").first
    card_id = card.get_attribute("id")
    card.get_by_label("Your answer").fill("A quiet morning and a finished test.")
    card.get_by_role("button", name="Save answer").click()
    expect(page.locator(f"#{card_id}")).to_contain_text("✓ Answered")
    expect(page.locator(f"#{card_id}")).to_contain_text("A quiet morning and a finished test.")
    keep_screenshot(page, f"{request.node.name}-prompt")

    # Ask for an export, follow it until it is ready, download it.
    page.goto(f"{base}/account/")
    page.get_by_role("link", name="Exports and import").click()
    page.get_by_label("JSON (everything, can be imported again)").check()
    page.get_by_label("Everything", exact=True).check()
    page.get_by_role("button", name="Prepare export").click()
    if page.javascript_enabled:
        # The status polls itself and turns into a download button.
        expect(page.get_by_role("button", name="Download").first).to_be_visible(timeout=60_000)
    else:
        expect(page.get_by_text("Your export is being prepared; it shows below.")).to_be_visible()
        status = page.locator(".export-status").first
        if status.get_by_role("link", name="Refresh to see its progress").count():
            status.get_by_role("link", name="Refresh to see its progress").click()
            expect(page.get_by_role("heading", name="Your export")).to_be_visible()
            for _ in range(120):  # a person reloading the page, for up to a minute
                if page.get_by_role("button", name="Download").count():
                    break
                page.wait_for_timeout(500)
                page.reload()
    expect(page.get_by_text("Ready. Available until").first).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download").first.click()
    download = download_info.value
    assert download.suggested_filename.startswith("mindnotes-json-")
    with zipfile.ZipFile(download.path()) as archive:
        export = archive.read("mindnotes-export.json").decode()
    assert "From the browser" in export and "Try the browser path" in export
    assert "A quiet morning and a finished test." in export
