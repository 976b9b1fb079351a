"""Every page, signed out and signed in with a lived-in account, at phone and desktop widths in light and dark:
nothing scrolls sideways and axe-core finds no serious or critical accessibility violation.

Each page's picture is kept in test-artifacts/every-page/<theme>-<width>/ to be looked at.
The pages come from the app's own URL map, so a new page is checked without touching this file.
"""

import re
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest

from mindnotes import timeutil
from mindnotes.extensions import db
from mindnotes.models import Payment
from mindnotes.services import journal
from mindnotes.services.exports import ExportChoice, request_export
from mindnotes.services.focus import programs as focus_programs
from tests.browser.helpers import sign_in
from tests.conftest import ARTIFACTS
from tests.exports.helpers import add_photo, add_voice_note, make_tag
from tests.factories import make_entry, make_focus_session, make_mood, make_prompt_set
from tests.jobs import run_jobs

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WIDTHS = (360, 390, 1280)
THEMES = ("light", "dark")
# Not pages: files, health checks, the webhook, and links that act on their first visit.
NOT_PAGES = {
    "static",
    "health.healthz",
    "health.readyz",
    "exports.download",
    "journal.media_file",
    "journal.new_draft_media",
    "journal.edit_draft_media",
    "security.verify_email",
    "pwa.service_worker",
    "pwa.form_token",
}
SIGNED_OUT = ("/", "/login", "/register", "/reset", "/reset/sent", "/reset/" + "x" * 43, "/no-such-page")

ENTRIES = [
    (
        "A slow Sunday",
        "## Morning\n\nCoffee on the balcony, **no phone** until ten.\n\n- bread\n- a long walk\n\n"
        "> The river was high and the herons were back.\n\nMap: [OpenStreetMap](https://www.openstreetmap.org/)",
    ),
    ("Work, and then not work", "Finished the report. Then *nothing* for an hour, which felt right."),
    ("Letter to myself", "You are doing better than you think. " * 12),
]


def _a_lived_in_account(person) -> dict[str, str]:
    """Two weeks of entries (tags, photos, a voice note), moods, focus sessions, prompts, a program,
    an export and a payment; returns the route parameter values that name them."""
    now = timeutil.utcnow()
    walks, work = make_tag(person, "walks"), make_tag(person, "work")
    work.colour = "#b3261e"
    db.session.commit()
    entries = []
    for day in range(14):
        title, content = ENTRIES[day % len(ENTRIES)]
        extra = {"photos": [add_photo(person, f"{day:032x}.png")]} if day % 4 == 0 else {}
        if day == 1:
            extra["voice_notes"] = [add_voice_note(person)]
        entries.append(make_entry(person, now - timedelta(days=day, hours=2), title=title, content=content, **extra))
    entry = entries[0]
    journal.update_entry(
        person,
        entry["_id"],
        {
            "title": entry["title"],
            "content": entry["content"] + "\n\nLater: rain.",
            "tag_ids": [str(walks.id), str(work.id)],
        },
    )
    make_entry(person, now - timedelta(days=20), title="Old thoughts", deleted_at=now - timedelta(days=1))
    moods = []
    for day in range(14):
        moods.append(make_mood(person, now - timedelta(days=day, hours=5), intensity=3 + day % 7, note="Slept well."))
    sessions = [make_focus_session(person, now - timedelta(days=day, hours=3), minutes=25) for day in range(10)]
    make_prompt_set(person, timeutil.local_date(now, person.timezone), answered=1)
    make_prompt_set(person, timeutil.local_date(now - timedelta(days=1), person.timezone), answered=3)
    enrollment = focus_programs.enroll(person, 1)
    export = request_export(person, ExportChoice(format="json", scope="everything"))
    payment = Payment(
        subscription_id=person.subscription.id,
        amount_minor=500,
        currency="eur",
        status="succeeded",
        provider="stripe",
        provider_reference=f"pi_{person.id}",
    )
    db.session.add(payment)
    db.session.commit()
    run_jobs()  # the dashboard's figures and the export's file, as the worker makes them
    today = timeutil.local_date(now, person.timezone)
    monday = date.fromisoformat(today) - timedelta(days=date.fromisoformat(today).weekday())
    return {
        "entry_id": str(entry["_id"]),
        "number": "1",
        "mood_id": str(moods[0]["_id"]),
        "session_id": str(sessions[0]["_id"]),
        "program_id": "1",
        "enrollment_id": str(enrollment.id),
        "export_id": str(export.id),
        "payment_id": str(payment.id),
        "month": today[:7],
        "day": today,
        "week_start": monday.isoformat(),
        "chart": "daily",
        "kind": "categories",
        "item_id": "1",
        "token": "x" * 43,
    }


# The size a chart's words are drawn at on screen: their font size in chart units times the chart's scale.
SMALLEST_CHART_TEXT = """() => {
  const sizes = [...document.querySelectorAll("main svg text")]
    .filter((text) => text.getClientRects().length && text.textContent.trim())
    .map((text) => parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a);
  return sizes.length ? Math.min(...sizes) : null;
}"""

_PARAMETER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def signed_in_pages(app, values: dict[str, str]) -> list[str]:
    """The path of every page in the URL map, its parameters filled from `values`."""
    paths = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        missing = set(rule.arguments) - set(values)
        assert not missing, f"{rule.rule}: give {missing} a value in _a_lived_in_account, or name it in NOT_PAGES"
        paths.add(_PARAMETER.sub(lambda match: quote(values[match.group(2)], safe=""), rule.rule))
    return sorted(paths)


def _picture_name(path: str) -> str:
    path = re.sub(r"[0-9a-f]{24}|x{43}", "id", path.lower())
    return re.sub(r"[^a-z0-9]+", "-", path).strip("-") or "front"


def _problems_on(page, url: str, folder: Path) -> list[str]:
    response = page.goto(url)
    if "text/html" not in response.headers.get("content-type", ""):
        return []  # the service worker, a form token: not pages
    page.wait_for_load_state("load")
    problems = []
    overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        problems.append(f"scrolls sideways by {overflow} px")
    smallest = page.evaluate(SMALLEST_CHART_TEXT)
    if smallest is not None and smallest < 11:
        problems.append(f"chart text drawn at {smallest:.1f} px (at least 11)")
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + n.failureSummary"
        ".replace(/\\s+/g, ' ').slice(0, 160)).join(' | '))"
    )
    problems.extend(violations)
    # A whole-page picture: the fixed tab bar is drawn once, at the end, not across the middle.
    picture = folder / f"{_picture_name(url.split('/', 3)[-1])}.png"
    page.screenshot(path=str(picture), full_page=True, style=".tabbar { position: static; }")
    return problems


def _check(browser, live_server: str, paths, theme: str, sign_in_as: str | None) -> list[str]:
    found = []
    for width in WIDTHS:
        folder = ARTIFACTS / "every-page" / f"{'in' if sign_in_as else 'out'}-{theme}-{width}"
        folder.mkdir(parents=True, exist_ok=True)
        context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=theme, bypass_csp=True)
        context.add_init_script(path=str(AXE))  # into every page before its own scripts (CSP bypassed)
        page = context.new_page()
        if sign_in_as:
            sign_in(page, live_server, sign_in_as)
        for path in paths:
            found.extend(
                f"{theme} {width}px {path}: {problem}" for problem in _problems_on(page, live_server + path, folder)
            )
        context.close()
    return found


@pytest.mark.parametrize("theme", THEMES)
def test_every_signed_out_page_fits_a_phone_and_passes_axe(browser, live_server, theme):
    problems = _check(browser, live_server, SIGNED_OUT, theme, sign_in_as=None)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("theme", THEMES)
def test_every_signed_in_page_fits_a_phone_and_passes_axe(browser, live_server, app, users, theme):
    person = users.make(email="lived-in@example.com", timezone="Europe/Berlin", display_name="Robin")
    values = _a_lived_in_account(person)
    problems = _check(browser, live_server, signed_in_pages(app, values), theme, sign_in_as="lived-in@example.com")
    assert not problems, "\n".join(problems)
