"""Importing another app's export from a real browser, with JavaScript on and off: preview, confirm, outcome."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_exports_browser import sign_in
from tests.imports.samples import dayone_sample
from tests.jobs import run_jobs

pytestmark = pytest.mark.browser


def test_a_day_one_export_is_previewed_then_imported(page, live_server, users, tmp_path):
    users.make(email="dayone@example.com", timezone="Europe/Berlin")
    export = tmp_path / "dayone.zip"
    export.write_bytes(dayone_sample())
    sign_in(page, live_server, "dayone@example.com")
    page.goto(f"{live_server}/account/exports/")
    page.get_by_label("From", exact=True).select_option("dayone")
    page.get_by_label("JSON export (.zip)").set_input_files(str(export))
    page.get_by_role("button", name="Import").first.click()
    expect(page.get_by_text("3 new journal entries, from 2025-03-30 to 2025-06-02")).to_be_visible()
    expect(page.get_by_text("Starred entries become favorites")).to_be_visible()
    page.locator("form[action*='/account/exports/imports/']").get_by_role("button", name="Import").click()
    expect(page.get_by_text("waits its turn to be imported")).to_be_visible()
    run_jobs()
    if not page.javascript_enabled:
        page.get_by_role("link", name="Refresh to see its progress").click()
    expect(page.get_by_text("Imported 3 journal entries, 0 moods, 0 focus sessions")).to_be_visible(timeout=10_000)
