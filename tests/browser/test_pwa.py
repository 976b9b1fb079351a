"""The installable app in Chromium: the manifest and service worker pass the browser's own
installability check, an entry written offline is saved once when the connection returns, a focus
session ends with a notification, reminders are set and paused, and the app opens as a standalone window."""

import os
import re
from datetime import timedelta

import pytest

from mindnotes.documents import reminders as plans
from mindnotes.extensions import mongo
from mindnotes.models import User
from tests.account.helpers import path_of
from tests.browser.helpers import sign_in
from tests.conftest import keep_screenshot
from tests.factories import PASSWORD
from tests.focus.helpers import install_clock
from tests.reminders.helpers import pause_link, reminder_mails, run_job

pytestmark = pytest.mark.browser


@pytest.fixture
def clock(monkeypatch):
    return install_clock(monkeypatch)


@pytest.fixture
def app_page(browser, tmp_path):
    """A page with JavaScript on (the service worker needs it) in a browser profile of its own:
    Chromium never offers to install from an incognito context, which new_context() makes."""
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        permissions=["notifications"],
    )
    page = context.pages[0] if context.pages else context.new_page()
    yield page
    context.close()


def log_in(page, live_server, users, email="writer@example.com"):
    users.make(email=email, timezone="Europe/Berlin")
    sign_in(page, live_server, email)


def wait_for_service_worker(page) -> None:
    """Until the service worker is installed and controls the page (page.evaluate runs under the CSP).

    A page loaded while the worker was still activating may never be claimed: as a person would,
    the test opens it again, which an active worker always controls."""
    for _ in range(10):
        controlled = page.evaluate(
            """async () => {
                await navigator.serviceWorker.ready;
                for (let tries = 0; tries < 20 && !navigator.serviceWorker.controller; tries++) {
                    await new Promise((later) => setTimeout(later, 100));
                }
                return Boolean(navigator.serviceWorker.controller);
            }"""
        )
        if controlled:
            return
        page.reload()
    raise AssertionError("the service worker never took control of the page")


def wait_for_kept_new_entry_page(page) -> None:
    """Signed in, every page asks the service worker to keep the new-entry page: until it has."""
    for _ in range(10):
        kept = page.evaluate(
            """async () => {
                for (let tries = 0; tries < 30; tries++) {
                    if (await caches.match("/journal/new", { ignoreVary: true })) {
                        return true;
                    }
                    await new Promise((later) => setTimeout(later, 100));
                }
                return false;
            }"""
        )
        if kept:
            return
        page.reload()
        wait_for_service_worker(page)
    raise AssertionError("the service worker never kept the new-entry page")


def test_chromium_finds_the_app_installable(app_page, live_server):
    app_page.goto(f"{live_server}/login")
    wait_for_service_worker(app_page)
    cdp = app_page.context.new_cdp_session(app_page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"].endswith("/static/manifest.webmanifest")
    assert not manifest["errors"]
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []


def kept_entries(page) -> list:
    """What offline.js keeps in this browser's IndexedDB."""
    return page.evaluate(
        """() => new Promise((done, failed) => {
            const opening = indexedDB.open("mindnotes-offline", 1);
            opening.onupgradeneeded = () => opening.result.createObjectStore("entries", { keyPath: "id" });
            opening.onsuccess = () => {
                const reading = opening.result.transaction("entries").objectStore("entries").getAll();
                reading.onsuccess = () => done(reading.result);
                reading.onerror = () => failed(reading.error);
            };
        })"""
    )


def keep_again(page, entry: dict) -> None:
    page.evaluate(
        """(entry) => new Promise((done) => {
            const opening = indexedDB.open("mindnotes-offline", 1);
            opening.onsuccess = () => {
                const writing = opening.result.transaction("entries", "readwrite");
                writing.objectStore("entries").put(entry);
                writing.oncomplete = done;
            };
        })""",
        entry,
    )


def stored_titled(user_id: int, title: str) -> list[dict]:
    return list(mongo.db.journal_entries.find({"user_id": {"$eq": user_id}, "title": {"$eq": title}}))


def test_an_entry_written_offline_is_saved_once_when_back_online(app_page, live_server, users):
    page = app_page
    log_in(page, live_server, users)
    writer = User.query.filter_by(email="writer@example.com").one()
    wait_for_service_worker(page)
    # Signed in, the service worker keeps the new-entry page for this session.
    wait_for_kept_new_entry_page(page)

    page.context.set_offline(True)
    page.goto(f"{live_server}/journal/")
    assert page.get_by_role("heading", name="You are offline").is_visible()
    page.get_by_role("button", name="Write an entry").click()
    page.wait_for_url(f"{live_server}/journal/new")
    page.get_by_label("Title").fill("Written on the train")
    page.get_by_label("Entry (Markdown)").fill("No signal between the tunnels, and still a thought worth keeping.")
    page.get_by_role("button", name="Save entry").click()
    page.get_by_text("Saved on this device, will sync").wait_for()
    keep_screenshot(page, "pwa-written-offline")
    [kept] = kept_entries(page)
    assert re.fullmatch(r"[0-9a-f]{24}", kept["id"])
    assert stored_titled(writer.id, "Written on the train") == []

    page.context.set_offline(False)
    page.get_by_text("Saved: 1 entry written offline is in your journal").wait_for(timeout=15000)
    keep_screenshot(page, "pwa-synced")
    assert kept_entries(page) == []
    [stored] = stored_titled(writer.id, "Written on the train")
    assert str(stored["_id"]) == kept["id"]
    assert stored["content"] == "No signal between the tunnels, and still a thought worth keeping."

    # The same entry sent a second time (another tab, a retry) is still stored once.
    keep_again(page, kept)
    assert len(kept_entries(page)) == 1
    page.evaluate(
        """() => {
            document.querySelector("[data-offline-status]").textContent = "";
            window.dispatchEvent(new Event("online"));
        }"""
    )
    page.wait_for_function('() => document.querySelector("[data-offline-status]").textContent.startsWith("Saved:")')
    assert kept_entries(page) == []
    assert len(stored_titled(writer.id, "Written on the train")) == 1


def test_an_offline_entry_the_server_refuses_comes_back_to_the_editor(app_page, live_server, users):
    page = app_page
    log_in(page, live_server, users)
    writer = User.query.filter_by(email="writer@example.com").one()
    wait_for_service_worker(page)
    page.goto(f"{live_server}/journal/new")
    page.context.set_offline(True)
    page.get_by_label("Title").fill("From the future")
    page.get_by_label("Entry (Markdown)").fill("Words that must not be lost.")
    page.locator("summary", has_text="Details").click()
    page.get_by_label("Date and time").fill("2999-01-01T10:00")
    page.get_by_role("button", name="Save entry").click()
    page.get_by_text("Saved on this device, will sync").wait_for()

    page.context.set_offline(False)
    page.get_by_text("cannot be in the future").wait_for(timeout=15000)
    [kept] = kept_entries(page)
    assert stored_titled(writer.id, "From the future") == []

    page.goto(f"{live_server}/journal/new")
    page.get_by_text("This entry, written offline, was not saved").wait_for()
    assert page.get_by_label("Entry (Markdown)").input_value() == "Words that must not be lost."
    page.get_by_label("Date and time").fill("2026-01-01T10:00")
    page.get_by_role("button", name="Save entry").click()
    page.wait_for_url(re.compile(r".*/journal/[0-9a-f]{24}$"))
    [stored] = stored_titled(writer.id, "From the future")
    assert str(stored["_id"]) == kept["id"]
    assert kept_entries(page) == []


def kept_page_date(page) -> str:
    return page.evaluate(
        """async () => {
            const kept = await caches.match("/journal/new", { ignoreVary: true });
            return kept ? kept.headers.get("Date") : "";
        }"""
    )


def test_the_kept_new_entry_page_is_not_fetched_again_on_every_page(app_page, live_server, users):
    """Signed-in pages ask the service worker to keep the new-entry page; a copy under an hour old is kept
    as it is, not fetched again for each page the person opens (each fetch is a whole page's work)."""
    page = app_page
    log_in(page, live_server, users)
    wait_for_service_worker(page)
    wait_for_kept_new_entry_page(page)
    kept = kept_page_date(page)
    assert kept
    page.wait_for_timeout(1100)  # a new fetch would carry a later Date (whole seconds)
    for path in ("/journal/", "/mood/", "/home"):
        page.goto(f"{live_server}{path}")
    page.wait_for_timeout(1500)  # time for a fetch the worker should not make
    assert kept_page_date(page) == kept


def test_logging_out_leaves_nothing_private_in_the_browser(app_page, live_server, users):
    page = app_page
    log_in(page, live_server, users)
    wait_for_service_worker(page)
    wait_for_kept_new_entry_page(page)
    keep_again(page, {"id": "0" * 24, "person": "1", "action": "/journal/new", "fields": [["content", "unsent"]]})
    assert len(page.evaluate("() => caches.keys()")) == 2

    page.get_by_role("button", name="Log out").first.click()
    page.wait_for_url(re.compile(r".*/login$"))
    # The login page registers the service worker again, which may already have cached the public
    # shell (static files, the offline page) anew; nothing of the person's may be left.
    left = page.evaluate(
        """async () => ({
            names: await caches.keys(),
            newEntryPage: Boolean(await caches.match("/journal/new", { ignoreVary: true })),
        })"""
    )
    assert [name for name in left["names"] if not name.startswith("mindnotes-shell-")] == []
    assert left["newEntryPage"] is False
    assert kept_entries(page) == []


def test_a_focus_session_ends_with_a_notification(app_page, live_server, users, clock):
    page = app_page
    log_in(page, live_server, users)
    wait_for_service_worker(page)
    page.goto(f"{live_server}/focus/")
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r"/focus/sessions/[0-9a-f]{24}$"))
    clock.advance(minutes=24, seconds=57)
    clock.run()
    page.reload()
    shown = page.evaluate(
        """async () => {
            const registration = await navigator.serviceWorker.ready;
            for (let waited = 0; waited < 15000; waited += 200) {
                const notifications = await registration.getNotifications();
                if (notifications.length) {
                    return notifications.map((notification) => [notification.title, notification.body]);
                }
                await new Promise((later) => setTimeout(later, 200));
            }
            return [];
        }"""
    )
    assert shown == [["Pomodoro · 25 min: time is up", "Time is up. Rate the session when you are back."]]


def test_reminders_are_turned_on_and_paused_from_the_browser(app_page, live_server, users, app):
    page = app_page
    log_in(page, live_server, users, email="reminded@example.com")
    page.goto(f"{live_server}/account/")
    page.get_by_label("Remind me to write each day").check()
    page.locator("#journal_time").fill("21:00")
    page.get_by_label("An email").check()
    page.get_by_role("button", name="Save reminders").click()
    page.get_by_text("Your reminders are saved.").wait_for()
    assert page.get_by_label("Remind me to write each day").is_checked()
    page.locator("#reminders").scroll_into_view_if_needed()
    keep_screenshot(page, "reminders-settings")

    person = User.query.filter_by(email="reminded@example.com").one()
    due = plans.get_plan(person.id)["next_due_at"]
    assert run_job(due + timedelta(seconds=5)) == 1
    [mail] = reminder_mails(person)
    page.goto(live_server + path_of(pause_link(mail)))
    keep_screenshot(page, "reminder-pause-link")
    page.get_by_role("button", name="Pause reminders").click()
    page.get_by_role("heading", name="Reminders paused").wait_for()
    assert plans.get_plan(person.id)["paused"] is True


def test_the_installed_app_view(browser, live_server, users, tmp_path):
    """The app as it opens from the home screen: `chromium --app`, a phone-sized standalone window."""
    users.make(email="installed@example.com", timezone="Europe/Berlin")
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "app-profile"),
        executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--app={live_server}/login"],
        viewport={"width": 412, "height": 860},
    )
    try:
        [page] = context.pages
        page.wait_for_load_state()
        assert page.evaluate("() => matchMedia('(display-mode: standalone)').matches")
        page.get_by_label("Email").fill("installed@example.com")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(re.compile(r".*/home$"))
        page.goto(f"{live_server}/journal/new")
        assert page.locator("meta[name=theme-color]").first.get_attribute("content") == "#285e73"
        keep_screenshot(page, "installed-app-view")
    finally:
        context.close()
