"""The month calendar and a chosen day, with and without htmx."""

from html.parser import HTMLParser

import pytest

from tests.overview.helpers import add_entry, add_mood, add_session, at

pytestmark = pytest.mark.usefixtures("frozen_now")  # 2026-11-25 10:00 UTC


def body(response) -> str:
    return " ".join(response.get_data(as_text=True).split())


class DayLinks(HTMLParser):
    """Each calendar day link by its accessible name: the link's text outside aria-hidden parts."""

    def __init__(self) -> None:
        super().__init__()
        self.days: dict[str, dict] = {}
        self.link: dict | None = None
        self.words: list[str] = []
        self.depth = 0  # open elements inside the link
        self.hidden_at: int | None = None  # depth where an aria-hidden subtree began

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        if self.link is None:
            if tag == "a" and "calendar-day" in (attributes.get("class") or "").split():
                self.link, self.words, self.depth = attributes, [], 0
            return
        self.depth += 1
        if self.hidden_at is None and attributes.get("aria-hidden") == "true":
            self.hidden_at = self.depth

    def handle_endtag(self, tag) -> None:
        if self.link is None:
            return
        if self.depth == 0 and tag == "a":
            name = " ".join("".join(self.words).split())
            assert name not in self.days, f"two days named {name!r}"
            self.days[name] = self.link
            self.link = None
            return
        if self.hidden_at == self.depth:
            self.hidden_at = None
        self.depth -= 1

    def handle_data(self, data) -> None:
        if self.link is not None and self.hidden_at is None:
            self.words.append(data)


def day_links(page: str) -> dict[str, dict]:
    """{accessible name: the link's attributes} for every day in the month grid."""
    parser = DayLinks()
    parser.feed(page)
    return parser.days


def today(days: dict[str, dict]) -> list[str]:
    return [name for name, link in days.items() if link.get("aria-current") == "date"]


def test_month_grid_shows_entries_mood_and_focus_per_day(client, users, login):
    user = users.make(timezone="Europe/Berlin")
    add_entry(user, at("2026-11-05 08:00", "Europe/Berlin"), title="Thursday thoughts")
    add_entry(user, at("2026-11-05 21:00", "Europe/Berlin"))
    add_mood(user, at("2026-11-05 09:00", "Europe/Berlin"), 9)
    add_mood(user, at("2026-11-05 19:00", "Europe/Berlin"), 6)
    add_session(user, at("2026-11-12 10:00", "Europe/Berlin"), 50)
    login(user)

    text = body(client.get("/calendar/2026-11"))
    assert '<h1 id="calendar-heading">November 2026</h1>' in text
    days = day_links(text)
    assert len(days) == 30
    # Calm (valence +1) at intensity 9 is great (5), at 6 good (4): the day's score is 4.5, not an intensity.
    fifth = days["Thursday 5 November, 2 entries, mood 4.5 of 5 (2 logged)"]
    assert fifth["class"] == "calendar-day mood-band-5"  # 4.5 rounds half up
    assert fifth["href"] == "/calendar/day/2026-11-05"
    twelfth = days["Thursday 12 November, no entry, 50 focus minutes"]
    assert twelfth["class"] == "calendar-day"  # no mood, no colour
    assert today(days) == ["Wednesday 25 November, no entry"]
    assert 'href="/calendar/2026-10" rel="prev"' in text and 'href="/calendar/2026-12" rel="next"' in text


def test_calendar_opens_on_the_persons_current_month(client, users, login):
    login(users.make(timezone="Pacific/Kiritimati"))  # UTC+14: already the 26th
    text = body(client.get("/calendar/"))
    assert "November 2026" in text
    assert today(day_links(text)) == ["Thursday 26 November, no entry"]


def test_month_starts_on_its_weekday(client, users, login):
    login(users.make())
    text = body(client.get("/calendar/2026-02"))  # 1 February 2026 is a Sunday
    first_week = text.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert first_week.count('class="outside"') == 6
    assert "Sunday 1 February" in first_week


def test_choosing_a_day_shows_its_entries_moods_and_sessions(client, users, login):
    user = users.make()
    add_entry(user, at("2026-11-05 08:00"), title="Thursday thoughts", words=42)
    add_mood(user, at("2026-11-05 09:00"), 7, name="Hopeful")
    add_session(user, at("2026-11-05 10:00"), 25, task="Draft chapter two")
    login(user)

    page = body(client.get("/calendar/day/2026-11-05"))
    assert "<!doctype html>" in page.lower() and "November 2026" in page
    for expected in [
        "Thursday 5 November 2026",
        "Thursday thoughts",
        "42 words",
        "Hopeful, good (4/5), intensity 7/10",
        "Draft chapter two",
    ]:
        assert expected in page

    partial = body(client.get("/calendar/day/2026-11-05", headers={"HX-Request": "true"}))
    assert partial.startswith('<section id="day-detail"')
    assert "Thursday thoughts" in partial and "<html" not in partial


def test_previous_and_next_month_answer_htmx_with_the_month_partial(client, users, login):
    login(users.make())
    partial = body(client.get("/calendar/2026-10", headers={"HX-Request": "true"}))
    assert partial.startswith('<section id="calendar-month"')
    assert "October 2026" in partial and "<html" not in partial


def test_a_day_shows_only_the_persons_own_documents(client, users, login):
    owner, other = users.make(), users.make()
    add_entry(other, at("2026-11-05 08:00"), title="Someone else's secret")
    add_mood(other, at("2026-11-05 09:00"), 3, name="Their mood")
    login(owner)
    days = day_links(body(client.get("/calendar/2026-11")))
    assert days["Thursday 5 November, no entry"]["class"] == "calendar-day"
    assert all(name.endswith(", no entry") for name in days)
    day = body(client.get("/calendar/day/2026-11-05"))
    assert "Someone else's secret" not in day and "Their mood" not in day
    assert "No entry this day" in day


@pytest.mark.parametrize(
    "path",
    [
        "/calendar/2026-13",
        "/calendar/november",
        "/calendar/0001-01",
        "/calendar/9999-12",
        "/calendar/day/2026-02-30",
        "/calendar/day/0001-01-01",
        "/calendar/day/x",
    ],
)
def test_impossible_months_and_days_are_404(client, users, login, path):
    login(users.make())
    assert client.get(path).status_code == 404


def test_calendar_and_insights_need_login(client):
    for path in ["/calendar/", "/calendar/2026-11", "/calendar/day/2026-11-05", "/insights"]:
        assert client.get(path).headers["Location"].startswith("/login")
