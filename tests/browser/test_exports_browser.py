"""Asking for an export and downloading it from a real browser, with JavaScript on and off."""

import io
import zipfile

import pytest
from bson import ObjectId, json_util
from playwright.sync_api import expect

from mindnotes.services import journal
from mindnotes.services.exports.formats import JSON_NAME
from tests.browser.helpers import sign_in
from tests.jobs import run_jobs

pytestmark = pytest.mark.browser


def export_with_one_entry() -> bytes:
    entry = {
        "title": "Brought along",
        "content": "From my old journal.",
        "entry_date": {"$date": "2026-03-01T09:00:00Z"},
    }
    data = {"format": "mindnotes-export", "version": 1, "reference": {}, "journal_entries": [entry]}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(JSON_NAME, json_util.dumps(data))
    return buffer.getvalue()


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


def test_import_refuses_a_wrong_file_then_imports_an_export(page, live_server, users, tmp_path):
    users.make(email="importer@example.com")
    not_a_zip = tmp_path / "notes.zip"
    not_a_zip.write_text("just words")
    export = tmp_path / "export.zip"
    export.write_bytes(export_with_one_entry())
    sign_in(page, live_server, "importer@example.com")
    page.goto(f"{live_server}/account/exports/")

    page.get_by_label("JSON export (.zip)").set_input_files(str(not_a_zip))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("This file is not a zip.")).to_be_visible()

    page.get_by_label("JSON export (.zip)").set_input_files(str(export))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("waits its turn to be imported")).to_be_visible()
    run_jobs()
    if not page.javascript_enabled:
        page.get_by_role("link", name="Refresh to see its progress").click()
    expect(page.get_by_text("Imported 1 journal entry, 0 moods, 0 focus sessions")).to_be_visible(timeout=10_000)
