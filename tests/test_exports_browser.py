"""Asking for an export and downloading it from a real browser, with JavaScript on and off."""

import zipfile

import pytest
from bson import ObjectId
from playwright.sync_api import expect

from mindnotes.services import journal
from tests.export_helpers import run_jobs
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page, live_server, email):
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server}/home")


def test_ask_for_an_export_watch_it_and_download_it(page, live_server, users):
    person = users.make(email="exporter@example.com")
    journal.create_entry(person, {"title": "First light", "content": "Up early, the garden was silver."}, ObjectId())
    sign_in(page, live_server, "exporter@example.com")
    page.goto(f"{live_server}/account/")
    page.get_by_role("link", name="Exports and import").click()
    expect(page.get_by_role("heading", name="Exports and import")).to_be_visible()

    page.get_by_label("Markdown (one file per journal entry)").check()
    page.get_by_label("Journal", exact=True).check()
    page.get_by_role("button", name="Prepare export").click()
    expect(page.get_by_text("Waiting its turn").first).to_be_visible()

    run_jobs()
    if page.javascript_enabled:
        # The status polls itself and turns into a download link.
        expect(page.get_by_role("button", name="Download").first).to_be_visible(timeout=10_000)
    else:
        page.get_by_role("link", name="Refresh to see its progress").first.click()
        expect(page.get_by_role("heading", name="Your export")).to_be_visible()
    expect(page.get_by_text("Ready. Available until").first).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download").first.click()
    download = download_info.value
    assert download.suggested_filename.startswith("mindnotes-markdown-")
    with zipfile.ZipFile(download.path()) as archive:
        [note] = [name for name in archive.namelist() if name.endswith(".md")]
        assert "First light" in archive.read(note).decode()
    page.goto(f"{live_server}/account/exports/")
    page.set_viewport_size({"width": 1100, "height": 900})
