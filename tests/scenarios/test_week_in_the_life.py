"""A week in the life: the app started as `make run` starts it, used over HTTP like a person would.

The steps run in order on one app and share what they made (`Week`): a person
registers and writes, logs moods, focuses, answers prompts, looks back, takes
every export, brings the JSON export into a second account, turns on
two-factor sign-in; the second account is deleted and must be erased; then the
app is stopped with Ctrl-C (leaving nothing running) and started again, and
every page and figure must be as it was. Every response is below 500.
"""

import csv
import io
import json
import re
import sqlite3
import wave
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path

import pymongo
import pyotp
import pytest
import redis
from PIL import Image

from tests.scenarios.person import Form, Page, Person, page_text

PASSWORD = "a walk by the sea, twice"
EMAIL = "ada@example.org"
SECOND_EMAIL = "ada.second@example.org"
ENTRY_ID = r"/journal/[0-9a-f]{24}"
DATE_INPUT = "%Y-%m-%dT%H:%M"
ENTRIES = [
    ("Tomatoes at last", "garden", "The **first** tomatoes are red.\n\n- three on the left\n- two on the right"),
    ("A quiet Monday", "work", "## Morning\n\nInbox to *zero* before ten."),
    ("Rain on the roof", None, "It rained all night; I slept **well**."),
    ("The lighthouse walk", "garden", "We walked to the lighthouse and back.\n\n> The wind was loud."),
    ("Bread", None, "Flour, water, salt, time. `72%` hydration."),
    ("Late train", "work", "1. waited\n2. read\n3. waited again"),
    ("Sunday market", "garden", "Bought *basil* and two pots."),
    ("Long call with Sam", None, "We talked for an hour about [nothing](https://example.org)."),
]
# (category, intensity, {factor: value}, note); the first is edited, the last deleted.
MOODS = [
    ("Calm", 6, {"sleep": "good", "exercise": "light"}, "after the walk"),
    ("Joyful", 8, {"social": "lots"}, "market day"),
    ("Tired", 4, {"sleep": "poor", "caffeine": "lots"}, "late train"),
    ("Grateful", 7, {"weather": "sunny"}, "tomatoes"),
    ("Anxious", 3, {"work": "heavy"}, "deadline"),
    ("Content", 5, {"diet": "good"}, "soup"),
]


@dataclass
class Week:
    """What the steps made, for the steps after them."""

    person: Person
    entries: dict[str, str] = field(default_factory=dict)  # title -> entry page path
    photo: bytes = b""
    photo_path: str = ""
    focus_path: str = ""
    exports: dict[str, bytes] = field(default_factory=dict)  # format -> the downloaded file
    second: Person | None = None
    second_id: int | None = None


@pytest.fixture(scope="module")
def week(embedded_app):
    return Week(person=embedded_app.person())


def noon_zone() -> str:
    """A time zone where it is about noon now: the whole run stays inside one local day."""
    offset = max(-12, min(14, 12 - datetime.now(UTC).hour))
    # POSIX signs: Etc/GMT-5 is five hours ahead of UTC.
    return "UTC" if offset == 0 else f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"


def a_photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def a_voice_note() -> bytes:
    """One second of quiet, as a WAV file (8 kHz, 16-bit, mono)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        sound.writeframes(b"\x00\x00" * 8000)
    return buffer.getvalue()


def titles_in_journal(page: Page) -> list[str]:
    rows = re.findall(r'<article class="entry-row">.*?<h3><a href="[^"]+">(.*?)</a></h3>', page.html, re.S)
    return sorted(re.sub(r"<[^>]+>", "", row).strip() for row in rows)


def tag_fields(editor: Form, tag: str) -> dict:
    """Tick the tag when the editor offers it; else type it as a new tag."""
    tags = editor.controls.get("tag_ids")
    if tags is not None and tag in [label for _, label in tags.options]:
        return {"tag_ids": [tags.value_for(tag)]}
    return {"new_tag": tag}


def tag_chips(entry: Page) -> list[tuple[str, str]]:
    """The tags the entry page shows: (the name a person reads, where the chip leads)."""
    line = re.search(r'<p class="entry-tags">(.*?)</p>', entry.html, re.S)
    chips = re.findall(r'<a class="tag" href="([^"]*)">(.*?)</a>', line.group(1), re.S) if line else []
    return [(page_text(text), unescape(href)) for href, text in chips]


def register(person: Person, email: str, timezone: str) -> Page:
    form = person.open("/register").form("/register")
    fields = {"email": email, "display_name": "Ada", "password": PASSWORD, "confirm": PASSWORD, "timezone": timezone}
    return person.submit(form, fields)


def sign_out(person: Person) -> Page:
    # The header and the phones' tab bar (under "More") each hold a Log out button; the header's is first.
    [header, tabbar] = [form for form in person.open("/home").forms if form.action == person.url("/logout")]
    page = person.submit(header)
    assert "You are logged out." in page.text
    return page


def local_now_field(page: Page, name: str) -> datetime:
    """The moment a form offers by default (now, in the person's zone), as typed in its field."""
    return datetime.strptime(page.form(button="Save entry").default(name), DATE_INPUT)


def export_ids(page: Page) -> set[int]:
    return {int(number) for number in re.findall(r'id="export-(\d+)"', page.html)}


def ask_for_export(person: Person, export_format: str) -> Page:
    form = person.open("/account/exports/").form("/account/exports/", button="Prepare export")
    return person.submit(form, {"format": export_format, "scope": "everything"})


def take_export(person: Person, export_format: str) -> bytes:
    """Ask for an export, reload its page until it is ready, download it."""
    before = export_ids(person.open("/account/exports/"))
    page = ask_for_export(person, export_format)
    assert page.path == "/account/exports/", page.text[:500]
    assert "Your export is being prepared" in page.text
    [export_id] = export_ids(page) - before
    ready = person.wait_for(
        f"/account/exports/{export_id}",
        lambda page: "Ready." in page.text or "This export failed" in page.text,
    )
    assert "Ready." in ready.text, ready.text
    [download] = ready.links(rf"/account/exports/{export_id}/download")
    response = person.http.get(download, timeout=60)
    assert response.status_code == 200
    assert f"mindnotes-{export_format}-" in response.headers["Content-Disposition"]
    return response.content


def json_export(archive: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(archive)) as files:
        return json.loads(files.read("mindnotes-export.json"))


def csv_rows(archive: bytes, name: str) -> list[dict]:
    with zipfile.ZipFile(io.BytesIO(archive)) as files:
        return list(csv.DictReader(io.StringIO(files.read(name).decode("utf-8"))))


def user_id_of(database: Path, email: str) -> int | None:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        row = connection.execute("SELECT id FROM users WHERE email = ?", (email,)).fetchone()
    return row[0] if row else None


def rows_of(database: Path, user_id: int) -> dict[str, int]:
    """Rows naming `user_id`, per table that has a user_id column (and the users row itself)."""
    found = {}
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        tables = [name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            columns = {row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')}
            key = "id" if table == "users" else "user_id" if "user_id" in columns else None
            if key:
                count = connection.execute(f'SELECT count(*) FROM "{table}" WHERE {key} = ?', (user_id,)).fetchone()[0]
                if count:
                    found[table] = count
    return found


def documents_of(mongo_uri: str, user_id: int) -> dict[str, int]:
    client = pymongo.MongoClient(mongo_uri, serverSelectionTimeoutMS=5000)
    try:
        database = client["mindnotes"]
        counts = {
            name: database[name].count_documents({"user_id": user_id}) for name in database.list_collection_names()
        }
    finally:
        client.close()
    return {name: count for name, count in counts.items() if count}


def files_of(instance: Path, user_id: int) -> list[str]:
    return [str(path) for area in ("uploads", "exports") for path in (instance / area / str(user_id)).rglob("*")]


def what_is_left(embedded_app, user_id: int) -> dict:
    left = {
        "documents": documents_of(embedded_app.mongo_uri, user_id),
        "files": files_of(embedded_app.instance_dir, user_id),
        "rows": rows_of(embedded_app.database, user_id),
        # The dashboard kept in Redis holds the person's entry titles and excerpts.
        "kept": redis.Redis(port=embedded_app.redis_port).keys(f"dashboard:{user_id}"),
    }
    return {kind: found for kind, found in left.items() if found}


# The steps, in order.


def test_a_new_person_registers_and_writes_eight_entries_with_tags_a_photo_and_a_voice_note(week):
    person = week.person
    home = register(person, EMAIL, noon_zone())
    assert home.path == "/home"
    assert "Welcome to MindNotes. Your journal is ready." in home.text

    now = local_now_field(person.open("/journal/new"), "entry_date")
    tag_filters: dict[str, str] = {}
    for days_ago, (title, tag, content) in enumerate(ENTRIES):
        page = person.open("/journal/new")
        editor = page.form(button="Save entry")
        fields = {
            "title": title,
            "content": content,
            "entry_date": (now - timedelta(days=days_ago)).strftime(DATE_INPUT),
        }
        if tag is not None:
            fields.update(tag_fields(editor, tag))
        entry = person.submit(editor, fields)
        assert re.fullmatch(ENTRY_ID, entry.path), entry.text[:500]
        assert "Your entry is saved." in entry.text
        if tag is not None:
            # The tag shows as a chip named by the tag, linking to the journal filtered by it.
            [(name, href)] = tag_chips(entry)
            assert name == tag and re.fullmatch(r"/journal/\?tag=\d+", href)
            assert tag_filters.setdefault(tag, href) == href  # a tag ticked again is the same tag
        week.entries[title] = entry.path

    first = person.open(week.entries["Tomatoes at last"])
    assert "<strong>first</strong>" in first.html and "<li>three on the left</li>" in first.html
    assert "<h2>Morning</h2>" in person.open(week.entries["A quiet Monday"]).html

    week.photo = a_photo()
    with_photo = person.submit(
        first.form(rf"{ENTRY_ID}/photos"),
        {"caption": "The first five"},
        files={"photo": ("IMG_0042.png", week.photo, "image/png")},
    )
    assert "The photo is added." in with_photo.text
    assert "The first five (64×48)" in with_photo.text
    [week.photo_path] = with_photo.sources(rf"{ENTRY_ID}/photos/[^/]+")
    assert person.http.get(week.photo_path, timeout=30).content == week.photo

    call = person.open(week.entries["Long call with Sam"])
    with_voice = person.submit(
        call.form(rf"{ENTRY_ID}/voice-notes"),
        {"transcription": "Remember to call back on Friday."},
        files={"voice_note": ("call.wav", a_voice_note(), "audio/wav")},
    )
    assert "The voice note is added." in with_voice.text
    assert "Voice note, 1.0 s" in with_voice.text
    [voice_src] = with_voice.sources(rf"{ENTRY_ID}/voice-notes/[^/]+")
    voice = person.http.get(voice_src, timeout=30)
    assert voice.headers["Content-Type"] == "audio/wav" and voice.content.startswith(b"RIFF")

    journal = person.open("/journal/")
    assert titles_in_journal(journal) == sorted(week.entries)
    assert "1 photo" in journal.text and "1 voice note" in journal.text


def test_an_edited_entry_keeps_its_earlier_version(week):
    person = week.person
    path = week.entries.pop("Rain on the roof")
    editor = person.open(f"{path}/edit").form(button="Save entry")
    edited = person.submit(
        editor, {"title": "Rain on the tin roof", "content": "It rained all night, loud on the tin."}
    )
    week.entries["Rain on the tin roof"] = path
    assert edited.path == path
    assert "Your changes are saved; the earlier version is kept." in edited.text
    assert "loud on the tin" in edited.text
    assert "Version 1: “Rain on the roof”" in edited.text
    [earlier] = edited.links(rf"{path}/versions/1")
    version = person.open(earlier)
    assert "It rained all night; I slept" in version.text and "loud on the tin" not in version.text


def test_an_entry_moved_to_the_trash_comes_back_and_search_finds_entries(week):
    person = week.person
    path = week.entries["Bread"]
    trashed = person.submit(person.open(path).form(button="Move to trash"))
    assert trashed.path == "/journal/" and "The entry is in the trash." in trashed.text
    assert "Bread" not in titles_in_journal(trashed)
    trash = person.open("/journal/trash")
    assert "Bread" in trash.text
    restored = person.submit(trash.form(rf"{path}/restore"))
    assert restored.path == path and "The entry is back in your journal." in restored.text
    assert titles_in_journal(person.open("/journal/")) == sorted(week.entries)
    assert "The trash is empty." in person.open("/journal/trash").text

    search = person.open("/journal/").form("/journal/", method="get")
    found = person.submit(search, {"q": "lighthouse"})
    assert "1 entry matches every word of “lighthouse”" in found.text
    assert found.links(ENTRY_ID) == [person.url(week.entries["The lighthouse walk"])]
    tagged = person.submit(search, {"tag": [search.control("tag").value_for("work")]})
    assert titles_in_journal(tagged) == ["A quiet Monday", "Late train"]


def test_six_moods_with_factors_one_edited_one_deleted(week):
    person = week.person
    logger = person.open("/mood/")
    now = datetime.strptime(logger.form("/mood/").default("felt_at"), DATE_INPUT)
    for days_ago, (category, intensity, factors, note) in enumerate(MOODS):
        picker = person.open("/mood/").form("/mood/", button="Log mood")
        fields = {
            "category": picker.control("category").value_for(category),
            "intensity": str(intensity),
            "note": note,
            "felt_at": (now - timedelta(days=days_ago)).strftime(DATE_INPUT),
        }
        for factor, value in factors.items():
            fields[picker.labelled(factor)] = value
        logged = person.submit(picker, fields)
        assert logged.path == "/mood/", logged.text[:500]
        assert "Mood logged: " in logged.text and f"intensity {intensity}/10." in logged.text

    history = person.open("/mood/history")
    assert history.count('class="mood-item"') == 6
    assert "sleep: good" in history.text and "caffeine: lots" in history.text

    # The newest mood (listed first): change its note.
    edit_links = history.links(r"/mood/[^/]+/edit")
    assert len(edit_links) == 6
    edit_page = person.open(edit_links[0])
    updated = person.submit(edit_page.form(button="Save changes"), {"note": "after the walk, and a nap"})
    assert updated.path == "/mood/history", updated.text[:500]
    assert "Mood updated." in updated.text
    assert "after the walk, and a nap" in updated.text
    assert updated.count('class="mood-item"') == 6
    assert "after the walk, and a nap" in person.open("/mood/").text  # still among the recent moods
    person.open("/mood/week")

    # The oldest: delete it.
    oldest = person.open(person.open("/mood/history").links(r"/mood/[^/]+/edit")[-1])
    assert oldest.form(button="Save changes").default("note") == "soup"
    # Deleting asks first, on a page of its own (without JavaScript); only its form deletes.
    [ask] = oldest.links(r"/mood/[^/]+/delete")
    question = person.open(ask)
    assert "Delete this mood?" in question.text and "This cannot be undone." in question.text
    assert person.open("/mood/history").count('class="mood-item"') == 6
    deleted = person.submit(question.form(button="Delete mood"))
    assert deleted.path == "/mood/history" and "Mood deleted." in deleted.text
    assert deleted.count('class="mood-item"') == 5
    assert "soup" not in deleted.text


def test_a_focus_session_started_paused_resumed_and_completed(week):
    person = week.person
    start = person.open("/focus/").form("/focus/sessions", button="Start")
    running = person.submit(start, {"session_type": "pomodoro", "task": "Write the garden plan"})
    assert re.fullmatch(r"/focus/sessions/[^/]+", running.path), running.text[:500]
    week.focus_path = running.path
    assert "Write the garden plan" in running.text
    assert "Focusing: the clock is running." in running.text

    paused = person.submit(running.form(button="Pause"))
    assert paused.path == week.focus_path
    assert "Paused: the clock is stopped until you resume." in paused.text
    focus_page = person.open("/focus/")
    assert "Paused: " in focus_page.text and "Write the garden plan" in focus_page.text
    assert focus_page.links(week.focus_path), "the focus page links to the paused session"
    resumed = person.submit(paused.form(button="Resume"))
    assert "Focusing: the clock is running." in resumed.text

    completed = person.submit(resumed.form(button="Complete early"), {"rating": "4", "notes": "Good enough."})
    assert completed.path == week.focus_path
    assert re.search(r"Completed · \d+ focus minutes · rated 4 of 5 · 0 distractions", completed.text), completed.text
    stats = person.open("/focus/")
    assert "(last 30 days: 1 completed, 0 abandoned)" in stats.text
    assert "Write the garden plan" in stats.text and "Start a session" in stats.text


def test_two_of_todays_prompts_answered(week):
    person = week.person
    answers = ["The tomatoes, the rain and Sam's call.", "To finish the garden plan."]
    for answer in answers:
        today = person.open("/prompts/")
        form = today.forms[[i for i, f in enumerate(today.forms) if f.action.endswith("/answer")][0]]
        [field_name] = [name for name in form.controls if name.endswith("-answer")]
        saved = person.submit(form, {field_name: answer})
        assert saved.path == "/prompts/", saved.text[:500]
        assert "Saved in your journal." in saved.text or "All done for today." in saved.text
        assert answer in saved.text
    today = person.open("/prompts/")
    assert today.count("✓ Answered") == 2
    # The answers are kept in one journal entry of today.
    [journal_link] = set(today.links(ENTRY_ID))
    day_entry = person.open(journal_link)
    assert all(answer in day_entry.text for answer in answers)
    week.entries[re.search(r"<h1>(.*?)</h1>", day_entry.html).group(1)] = day_entry.path
    assert titles_in_journal(person.open("/journal/")) == sorted(week.entries)


def dashboard_figures(page: Page) -> dict[str, int]:
    found = re.findall(r'<p class="stat-value">([\d,]+)</p>\s*<p class="stat-label">([^<]+)</p>', page.html)
    return {label.strip(): int(value.replace(",", "")) for value, label in found}


def words_in_journal(page: Page) -> int:
    return sum(int(words) for words in re.findall(r"</time>\s*· (\d+) words?", page.html))


def words_charted(page: Page) -> int:
    """The words of the Insights chart's weeks, as the analytics job last folded them."""
    return sum(int(words.replace(",", "")) for words in re.findall(r"<title>[^<]*: ([\d,]+) words</title>", page.html))


def test_every_page_opens_and_the_dashboard_adds_up(week):
    person = week.person
    journal = person.open("/journal/")
    expected = {"days in a row": 8, "entries": 9, "words written": words_in_journal(journal), "moods logged": 5}
    # The totals are rebuilt by a background job after each write.
    home = person.wait_for("/home", lambda page: dashboard_figures(page).get("moods logged") == 5)
    figures = dashboard_figures(home)
    assert {label: figures.get(label) for label in expected} == expected
    assert re.search(r"Today's prompts 2 of \d+ answered", home.text), home.text
    # Insights show the figures as the worker folded them, nothing added at view time. The entries were
    # written seconds apart, so the later ones waited for a rebuild the worker's scheduler queued once the
    # second after the one before was up (rebuilds run at most once a second): it ran.
    person.wait_for("/insights", lambda page: words_charted(page) == expected["words written"])

    pages = ["/home", "/calendar/", "/insights", "/mood/", "/mood/history", "/mood/week", "/mood/trends", "/mood/year"]
    pages += ["/focus/", week.focus_path, "/prompts/", "/prompts/history", "/journal/", "/journal/trash"]
    pages += ["/account/", "/account/security/", "/account/exports/", "/billing/", *week.entries.values()]
    for path in pages:
        person.open(path)
    calendar = person.open("/calendar/")
    days = set(calendar.links(r"/calendar/day/[0-9-]+"))
    assert days, "the calendar links the days written on"
    for day in days:
        person.open(day)


def test_every_export_format_downloads_and_reads_back(week, embedded_app):
    person = week.person
    titles = sorted(week.entries)
    moods_kept = sorted(note for _, _, _, note in MOODS[1:-1]) + ["after the walk, and a nap"]

    week.exports["json"] = take_export(person, "json")
    data = json_export(week.exports["json"])
    assert data["format"] == "mindnotes-export" and data["version"] == 1
    assert sorted(entry["title"] for entry in data["journal_entries"]) == titles
    assert sorted(mood["note"] for mood in data["mood_entries"]) == sorted(moods_kept)
    assert all(set(mood["felt_at"]) == {"$date"} for mood in data["mood_entries"]), data["mood_entries"]
    assert [session["status"] for session in data["focus_sessions"]] == ["completed"]
    with zipfile.ZipFile(io.BytesIO(week.exports["json"])) as archive:
        media = [name for name in archive.namelist() if name.startswith("media/")]
        assert len(media) == 2
        assert week.photo in [archive.read(name) for name in media]

    week.exports["csv"] = take_export(person, "csv")
    moods = csv_rows(week.exports["csv"], "moods.csv")
    assert sorted(row["note"] for row in moods) == sorted(moods_kept)
    assert all(row["felt_at_utc"] and row["local_date"] for row in moods), moods
    assert {row["factors"] for row in moods} >= {"sleep=poor; caffeine=lots", "social=lots"}
    [session] = csv_rows(week.exports["csv"], "focus_sessions.csv")
    assert session["status"] == "completed" and session["task"] == "Write the garden plan"

    week.exports["markdown"] = take_export(person, "markdown")
    with zipfile.ZipFile(io.BytesIO(week.exports["markdown"])) as archive:
        notes = [archive.read(name).decode() for name in archive.namelist() if name.endswith(".md")]
    assert len(notes) == len(titles)
    assert all(any(title in note for note in notes) for title in titles)
    assert any("The **first** tomatoes are red." in note for note in notes)

    refused = ask_for_export(person, "pdf")
    assert refused.status == 403
    assert "PDF export is part of the Premium plan" in refused.text
    granted = embedded_app.flask("plans", "grant", EMAIL, "premium")
    assert granted.returncode == 0, granted.stdout + granted.stderr
    assert f"{EMAIL} is now on the Premium plan." in granted.stdout
    week.exports["pdf"] = take_export(person, "pdf")
    assert week.exports["pdf"].startswith(b"%PDF")


def test_a_second_account_imports_the_json_export(week, embedded_app):
    second = week.second = embedded_app.person()
    assert register(second, SECOND_EMAIL, noon_zone()).path == "/home"
    week.second_id = user_id_of(embedded_app.database, SECOND_EMAIL)
    form = second.open("/account/exports/").form("/account/exports/import")
    page = second.submit(form, files={"archive": ("mindnotes-json.zip", week.exports["json"], "application/zip")})
    if page.path.startswith("/account/exports/imports/"):
        page = second.wait_for(
            page.path, lambda page: "import-queued" not in page.html and "import-running" not in page.html
        )
        assert "import-done" in page.html, page.text
    else:
        assert page.path == "/account/exports/" and "Imported" in page.text, page.text

    journal = second.open("/journal/")
    assert titles_in_journal(journal) == sorted(week.entries)
    assert second.open("/mood/history").count('class="mood-item"') == 5
    assert "(last 30 days: 1 completed, 0 abandoned)" in second.open("/focus/").text
    [tomatoes] = [link for link in journal.links(ENTRY_ID) if "Tomatoes at last" in second.get(link).text]
    [photo] = second.open(tomatoes).sources(rf"{ENTRY_ID}/photos/[^/]+")
    assert second.http.get(photo, timeout=30).content == week.photo


def test_two_factor_sign_in(week):
    person = week.person
    setup = person.submit(person.open("/account/security/two-factor").form(button="Set up two-factor sign-in"))
    key = re.search(r'<code class="totp-key" id="totp-key">([^<]+)</code>', setup.html)
    assert key, setup.text
    totp = pyotp.TOTP("".join(key.group(1).split()))
    codes = person.submit(setup.form(button="Turn on two-factor sign-in"), {"confirm-code": totp.now()})
    assert "Two-factor sign-in is on" in codes.text
    assert len(re.findall(r"<li><code>", codes.html)) == 10

    sign_out(person)
    login = person.open("/login").form("/login")
    step = person.submit(login, {"email": EMAIL, "password": PASSWORD})
    assert step.path == "/login/two-factor", step.text
    # The code just used to turn it on is spent: the app's next code (allowed for clock drift).
    home = person.submit(step.form("/login/two-factor"), {"code": totp.at(datetime.now(UTC) + timedelta(seconds=30))})
    assert home.path == "/home", home.text
    assert "On" in person.open("/account/security/two-factor").text


def test_deleting_the_second_account_erases_everything_of_it(week, embedded_app):
    second, user_id = week.second, week.second_id
    assert second is not None and user_id is not None
    # An export of its own, so that its export folder holds a file too.
    own_csv = take_export(second, "csv")
    assert len(csv_rows(own_csv, "moods.csv")) == 5
    before = what_is_left(embedded_app, user_id)
    assert set(before) == {"documents", "files", "rows", "kept"}, before
    assert any(f"/uploads/{user_id}/" in path for path in before["files"])
    assert any(f"/exports/{user_id}/" in path for path in before["files"])

    form = second.open("/account/security/delete").form(button="Delete my account and everything in it")
    gone = second.submit(form, {"password": PASSWORD})
    assert gone.path == "/account/deleted" and "Your account is being deleted" in gone.text

    deadline = datetime.now(UTC) + timedelta(seconds=60)
    while (left := what_is_left(embedded_app, user_id)) and datetime.now(UTC) < deadline:
        second.get("/account/deleted")  # a person waiting, reading the page again
    assert left == {}, f"Still there 60 s after the deletion: {left}"

    refused = second.submit(second.open("/login").form("/login"), {"email": SECOND_EMAIL, "password": PASSWORD})
    assert refused.path == "/login" and refused.status == 422
    again = embedded_app.person()
    assert register(again, SECOND_EMAIL, noon_zone()).path == "/home"
    new_id = user_id_of(embedded_app.database, SECOND_EMAIL)
    assert new_id != user_id, "a deleted person's id was given to the next account"
    assert "Failed sign-in" not in again.open("/account/security/events").text
    assert "No entries yet." in again.open("/journal/").text


def what_a_person_sees(person: Person, path: str) -> str:
    """The page's text, without the clock the dashboard shows and the moment its totals were rebuilt."""
    text = person.open(path).text
    text = re.sub(r"It is \w+ \d+ \w+, \d\d:\d\d where you are\.", "", text)
    return re.sub(r"Totals and streaks updated [^.]*\.", "", text)


def test_after_ctrl_c_and_a_new_start_every_page_and_figure_is_the_same(week, embedded_app):
    person = week.person
    pages = ["/home", "/journal/", "/journal/trash", "/calendar/", "/insights", "/mood/", "/mood/history"]
    pages += ["/mood/week", "/mood/trends", "/mood/year", "/focus/", week.focus_path, "/prompts/", "/prompts/history"]
    pages += ["/account/exports/", "/account/security/two-factor", *week.entries.values()]
    before = {path: what_a_person_sees(person, path) for path in pages}
    figures = dashboard_figures(person.open("/home"))
    assert figures["entries"] == 9 and figures["moods logged"] == 5

    left = embedded_app.stop()
    assert left == [], f"Still running after Ctrl-C: {left}"
    embedded_app.start()

    after = {path: what_a_person_sees(person, path) for path in pages}
    assert [path for path in pages if after[path] != before[path]] == []
    assert dashboard_figures(person.open("/home")) == figures
    assert person.http.get(week.photo_path, timeout=30).content == week.photo
    [download] = person.open("/account/exports/").links(r"/account/exports/\d+/download")[-1:]
    assert person.http.get(download, timeout=60).content in week.exports.values()

    # And it keeps working: a new mood reaches the dashboard through the background job.
    picker = person.open("/mood/").form("/mood/", button="Log mood")
    person.submit(picker, {"category": picker.control("category").value_for("Calm"), "intensity": "7"})
    home = person.wait_for("/home", lambda page: dashboard_figures(page).get("moods logged") == 6)
    assert dashboard_figures(home)["entries"] == 9
