"""Patterns: each figure counted by the analytics recount against a history worked out by hand.

The history (a UTC person, 4 weeks from Monday 5 October 2026):
- days 0-13: a completed 25-minute session at 10:00; moods at 09:00 (score 5, sleep: good) and
  19:00 (score 3): the day's mood is 4;
- days 14-27: an abandoned session at 10:00; moods at 09:00 (score 3) and 19:00 (score 1, sleep: poor):
  the day's mood is 2;
- 100 words written on days 0-6 and 14-27, none on days 7-13 (only 7 days: too few to show);
- day 0 also has a completed short break (never counted), day 14 an abandoned session at 11:00 checked
  in at "awful" (1 day: too few to show).
"""

from datetime import date, timedelta

import pytest

from mindnotes.jobs.analytics import rebuild_user_analytics
from mindnotes.services.overview.activity import record_activity
from mindnotes.services.overview.patterns import MINIMUM_DAYS, mood_before, patterns_for
from tests.factories import make_focus_session, make_mood
from tests.overview.helpers import add_entry, add_session, at

pytestmark = pytest.mark.usefixtures("frozen_now")  # 2026-11-25 10:00 UTC

FIRST_DAY = date(2026, 10, 5)  # a Monday


def day(number: int) -> str:
    return (FIRST_DAY + timedelta(days=number)).isoformat()


def add_scored_mood(user, moment, score: int, part: str, factors: list[dict] | None = None) -> dict:
    factors = factors or []
    mood = make_mood(
        user,
        moment,
        intensity=9,  # intensity stays out of every figure: the same high number on good and bad days
        score=score,
        time_of_day=part,
        factors=factors,
        factor_values={str(f["factor_id"]): f["value"] for f in factors},
    )
    record_activity(user.id, moment, user.timezone, moods=1)
    return mood


def sleep(value: str) -> list[dict]:
    return [{"factor_id": 1, "name": "sleep", "value": value}]


def four_weeks(user) -> None:
    for number in range(28):
        good = number < 14
        add_scored_mood(user, at(f"{day(number)} 09:00"), 5 if good else 3, "morning", sleep("good") if good else None)
        add_scored_mood(user, at(f"{day(number)} 19:00"), 3 if good else 1, "evening", None if good else sleep("poor"))
        add_session(user, at(f"{day(number)} 10:00"), 25, status="completed" if good else "abandoned")
        if number < 7 or number >= 14:
            add_entry(user, at(f"{day(number)} 21:00"), words=100)
    add_session(user, at(f"{day(0)} 10:30"), 5, kind="short_break")
    make_focus_session(user, at(f"{day(14)} 11:00"), 25, "abandoned", checkin={"before_score": 1, "intention": ""})


def groups(figure: dict) -> dict[str, tuple]:
    return {each["label"]: (each["average"], each["days"], each["shown"]) for each in figure["groups"]}


@pytest.fixture
def patterns(users):
    user = users.make(timezone="UTC")
    four_weeks(user)
    rebuild_user_analytics(user.id)
    return user, patterns_for(user.id)


def test_mood_with_and_without_focus_and_by_focus_minutes(patterns):
    _user, stored = patterns
    with_without, bands = stored["focus"]
    assert groups(with_without) == {
        "With a completed focus session": (4.0, 14, True),
        "Without one": (2.0, 14, True),
    }
    assert with_without["shown"]
    assert groups(bands)["1–29 min"] == (4.0, 14, True)
    assert groups(bands)["No focus"] == (2.0, 14, True)
    assert groups(bands)["30–59 min"] == (None, 0, False)
    assert bands["shown"]


def test_writing_figures_stay_hidden_below_the_minimum(patterns):
    _user, stored = patterns
    wrote, words = stored["writing"]
    # Days 0-6 (mood 4) and 14-27 (mood 2): (7 * 4 + 14 * 2) / 21.
    assert groups(wrote) == {"Days you wrote": (2.67, 21, True), "Days you didn't": (4.0, 7, False)}
    assert not wrote["shown"]
    assert groups(words)["1–199 words"] == (2.67, 21, True)
    assert groups(words)["No words"] == (4.0, 7, False)
    assert not words["shown"]


def test_mood_by_time_of_day_and_weekday(patterns):
    _user, stored = patterns
    by_part, by_weekday = stored["time"]
    # Mornings: 14 fives and 14 threes; evenings: 14 threes and 14 ones.
    assert groups(by_part) == {
        "Morning": (4.0, 28, True),
        "Afternoon": (None, 0, False),
        "Evening": (2.0, 28, True),
        "Night": (None, 0, False),
    }
    assert by_part["shown"]
    # Four of each weekday: none reaches the minimum.
    assert groups(by_weekday)["Monday"] == (3.0, 4, False)
    assert not by_weekday["shown"]


def test_factor_values_on_the_same_day_and_the_next(patterns):
    _user, stored = patterns
    effects = {effect["label"]: effect for effect in stored["factors"]}
    good, poor = effects["Sleep: good"], effects["Sleep: poor"]
    assert (good["same_day"]["effect"], good["same_day"]["with"]["days"], good["same_day"]["without"]["days"]) == (
        2.0,
        14,
        14,
    )
    assert poor["same_day"]["effect"] == -2.0 and poor["same_day"]["shown"]
    # Next day: the days before days 1-14 had good sleep (13 days of 4, then day 14's 2); the days after
    # a day without it are days 15-27 only (13 days): below the minimum, so no effect is claimed.
    assert good["next_day"]["with"] == {"label": "With", "average": 3.86, "days": 14, "shown": True}
    assert good["next_day"]["without"]["days"] == 13
    assert good["next_day"]["effect"] is None and not good["next_day"]["shown"]


def test_completion_rate_by_the_mood_before_the_session(patterns):
    _user, stored = patterns
    completion = stored["completion"]
    assert groups(completion) == {
        "Awful or bad (1–2)": (0.0, 1, False),  # the check-in's mood, not the 09:00 mood
        "Okay (3)": (0.0, 14, True),
        "Good or great (4–5)": (100.0, 14, True),
    }
    assert [each["sessions"] for each in completion["groups"]] == [1, 14, 14]  # the break is left out
    assert completion["shown"]


def test_a_short_history_shows_nothing_and_says_why(client, users, login):
    user = users.make(timezone="UTC")
    for number in range(MINIMUM_DAYS - 1):
        add_scored_mood(user, at(f"{day(number)} 09:00"), 4, "morning")
        add_session(user, at(f"{day(number)} 10:00"), 25)
    rebuild_user_analytics(user.id)
    login(user)

    text = " ".join(client.get("/insights/patterns").get_data(as_text=True).split())
    assert '<svg class="chart"' not in text
    assert "13 days" in text and f"needs {MINIMUM_DAYS}" in text


def test_patterns_page_draws_each_shown_figure_with_its_table(client, users, login, patterns):
    user, _stored = patterns
    other = users.make(timezone="UTC")
    login(other)
    assert "Sleep: good" not in client.get("/insights/patterns").get_data(as_text=True)

    login(user)
    response = client.get("/insights/patterns")
    text = " ".join(response.get_data(as_text=True).split()).replace("> <", "><")
    assert response.status_code == 200
    assert "style=" not in text
    assert '<th scope="row">With a completed focus session</th><td>4.0</td><td>14</td>' in text
    assert '<th scope="row">Days you didn&#39;t</th><td>—</td><td>7 <small>(needs 14)</small></td>' in text
    assert "Sleep: good" in text and "+2.0" in text
    assert text.count('<svg class="chart"') == 5  # focus x2, time of day, completion, factor effects


def test_weekday_and_writing_figures_past_the_minimum(users):
    """Fourteen Mondays with a great mood and 600 words, fourteen Tuesdays with an awful mood and none."""
    user = users.make(timezone="UTC")
    for week in range(MINIMUM_DAYS):
        monday, tuesday = day(7 * week), day(7 * week + 1)
        add_scored_mood(user, at(f"{monday} 13:00"), 5, "afternoon")
        add_entry(user, at(f"{monday} 21:00"), words=600)
        add_scored_mood(user, at(f"{tuesday} 23:00"), 1, "night")
    rebuild_user_analytics(user.id)
    stored = patterns_for(user.id)

    by_part, by_weekday = stored["time"]
    assert groups(by_weekday)["Monday"] == (5.0, 14, True)
    assert groups(by_weekday)["Tuesday"] == (1.0, 14, True)
    assert groups(by_weekday)["Sunday"] == (None, 0, False)
    assert by_weekday["shown"]
    assert groups(by_part)["Afternoon"] == (5.0, 14, True) and groups(by_part)["Night"] == (1.0, 14, True)
    wrote, words = stored["writing"]
    assert groups(wrote) == {"Days you wrote": (5.0, 14, True), "Days you didn't": (1.0, 14, True)}
    assert wrote["shown"]
    assert groups(words)["500 words or more"] == (5.0, 14, True)
    assert groups(words)["No words"] == (1.0, 14, True)
    assert words["shown"]
    assert stored["days_with_mood"] == 28


def test_the_mood_before_a_session_is_its_check_in_or_the_last_mood_of_the_three_hours_before():
    moods = [{"score": 2, "felt_at": at("2026-10-05 06:00")}, {"score": 4, "felt_at": at("2026-10-05 08:30")}]
    times = [mood["felt_at"] for mood in moods]

    def started(text: str, checkin: dict | None = None) -> dict:
        return {"started_at": at(text), "checkin": checkin}

    assert mood_before(started("2026-10-05 09:00"), moods, times) == 4
    assert mood_before(started("2026-10-05 08:00"), moods, times) == 2
    assert mood_before(started("2026-10-05 09:00", {"before_score": 1}), moods, times) == 1
    assert mood_before(started("2026-10-05 11:31"), moods, times) is None  # three hours and a minute after
    assert mood_before(started("2026-10-05 05:59"), moods, times) is None  # nothing logged before it
