"""Mood trends: figures checked against numbers worked out by hand, drawn as SVG with text alternatives."""

import re
from datetime import date

import pytest

from mindnotes.services.mood import trends as mood_trends
from tests.mood.helpers import log


@pytest.fixture
def week_of_moods(amy, users):
    """Five moods in the last seven days, one older, and one of someone else's that must never count.

    Their scores (from valence and intensity, none chosen): Calm 8 -> 5, Content 6 -> 4, Calm 7 -> 4,
    Sad 3 -> 2, Anxious 4 -> 2, Joyful 10 -> 5; Ben's Joyful 1 -> 4.
    """
    log(amy, "Calm", 8, "2026-03-10T09:00", {"sleep": "good", "exercise": "hard"})
    log(amy, "Content", 6, "2026-03-09T08:00", {"sleep": "good"})
    log(amy, "Calm", 7, "2026-03-09T20:00", {"sleep": "good", "exercise": "none"})
    log(amy, "Sad", 3, "2026-03-08T23:30", {"sleep": "poor", "exercise": "hard"})
    log(amy, "Anxious", 4, "2026-03-07T07:00", {"sleep": "poor"})
    log(amy, "Joyful", 10, "2026-02-01T12:00", {"sleep": "poor"})
    ben = users.make(timezone="Europe/Paris")
    log(ben, "Joyful", 1, "2026-03-09T12:00", {"sleep": "good"})
    return amy


def factor_figures(chart) -> dict[tuple[str, str], tuple[float | None, int]]:
    return {(row.name, value.value): (value.average, value.moods) for row in chart for value in row.values}


def test_factor_averages_match_hand_computed_figures(week_of_moods):
    figures = factor_figures(mood_trends.factor_chart(week_of_moods, 7))
    # Scores, not intensities: sleep good (5 + 4 + 4) / 3 = 4.33; sleep poor (2 + 2) / 2 = 2.0;
    # exercise hard (5 + 2) / 2 = 3.5 (its intensities would give 5.5).
    assert figures[("sleep", "good")] == (4.33, 3)
    assert figures[("sleep", "ok")] == (None, 0)
    assert figures[("sleep", "poor")] == (2.0, 2)
    assert figures[("exercise", "hard")] == (3.5, 2)
    assert figures[("exercise", "none")] == (4.0, 1)
    assert figures[("exercise", "light")] == (None, 0)
    assert {name for name, _ in figures} == {"sleep", "exercise"}
    # Over 90 days the February mood joins poor sleep: (2 + 2 + 5) / 3 = 3.0.
    assert factor_figures(mood_trends.factor_chart(week_of_moods, 90))[("sleep", "poor")] == (3.0, 3)


def test_factor_chart_page_shows_each_value_with_its_count(client, week_of_moods):
    body = client.get("/mood/trends/factors?days=7").get_data(as_text=True)
    assert "4.3 (n=3)" in body and "2.0 (n=2)" in body and "not noted" in body
    assert "<td>good</td><td>4.3</td><td>3</td>" in body.replace("\n", "").replace("  ", "")


def test_daily_averages_cover_every_day_of_the_range(week_of_moods):
    chart = mood_trends.daily_chart(week_of_moods, 7)
    assert (chart.first, chart.last) == (date(2026, 3, 4), date(2026, 3, 10))
    assert [(bar.day.day, bar.average, bar.moods) for bar in chart.bars] == [
        (4, None, 0),
        (5, None, 0),
        (6, None, 0),
        (7, 2.0, 1),
        (8, 2.0, 1),
        (9, 4.0, 2),
        (10, 5.0, 1),
    ]
    # (5 + 4 + 4 + 2 + 2) / 5
    assert chart.overall == pytest.approx(3.4)
    assert len(mood_trends.daily_chart(week_of_moods, 90).logged) == 5


def test_category_shares_add_up_to_the_moods_of_the_period(week_of_moods):
    shares = mood_trends.category_chart(week_of_moods, 7)
    assert [(row.name, row.moods, row.share, row.average) for row in shares] == [
        ("Calm", 2, 40.0, 4.5),
        ("Content", 1, 20.0, 4.0),
        ("Anxious", 1, 20.0, 2.0),
        ("Sad", 1, 20.0, 2.0),
    ]


def test_a_strong_unpleasant_mood_pulls_the_day_down_whatever_its_intensity(amy):
    log(amy, "Stressed", 9, "2026-03-10T09:00")
    log(amy, "Calm", 3, "2026-03-10T10:00")
    (day,) = mood_trends.daily_chart(amy, 7).logged
    # Awful (1) and good (4): 2.5. Averaging the intensities would have called it a 6 of 10 day.
    assert (day.average, day.moods) == (2.5, 2)
    assert mood_trends.year_in_pixels(amy, 2026).pixels[68].label == 3


@pytest.mark.parametrize(("days", "calm_share"), [("7", "40.0"), ("30", "40.0"), ("90", "33.3")])
def test_trends_page_draws_each_chart_as_svg_with_a_text_alternative(client, week_of_moods, days, calm_share):
    response = client.get(f"/mood/trends?days={days}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.count("<svg") >= 4 and body.count("Show as a table") == 3
    assert f"Last {days} days</a>" in body and 'aria-current="page">Last' in body
    assert "Mon 09 Mar: average score 4.0 (good) from 2 moods" in body
    assert f"Calm {calm_share}% (2)" in body
    assert not re.search(r"\sstyle=", body)


def test_unknown_range_falls_back_to_thirty_days_and_unknown_chart_is_not_found(client, amy):
    assert "Last 30 days</a>" in client.get("/mood/trends?days=365").get_data(as_text=True)
    assert client.get("/mood/trends/nonsense").status_code == 404


def test_htmx_range_switch_answers_with_the_trends_region_only(client, week_of_moods):
    body = client.get("/mood/trends?days=7", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert body.lstrip().startswith('<section id="mood-trends">') and "<html" not in body


def test_year_in_pixels_labels_every_day_with_its_number_not_only_a_colour(client, week_of_moods):
    pixels = mood_trends.year_in_pixels(week_of_moods, 2026)
    assert len(pixels.pixels) == 365 and pixels.days_logged == 5
    ninth = next(pixel for pixel in pixels.pixels if pixel.day == date(2026, 3, 9))
    assert (ninth.average, ninth.label, ninth.fill) == (4.0, 4, mood_trends.PALETTE[3])

    body = client.get("/mood/year?year=2026").get_data(as_text=True)
    assert "Mon 09 Mar 2026: average 4.0 from 2 moods" in body
    assert "Sat 07 Mar 2026: average 2.0 from 1 mood<" in body
    assert "Wed 11 Mar 2026: no moods" in body
    assert "5 great</li>" in body and "1 awful</li>" in body
    # March: (2 + 2 + 4 + 4 + 5) / 5 = 3.4 over four days; February: one great mood.
    flat = body.replace("\n", "").replace("  ", "")
    assert '<th scope="row">March</th><td>4</td><td>3.4</td>' in flat
    assert '<th scope="row">February</th><td>1</td><td>5.0</td>' in flat
    assert not re.search(r"\sstyle=", body)


def test_year_in_pixels_only_goes_as_far_as_this_year(client, amy):
    body = client.get("/mood/year?year=2999").get_data(as_text=True)
    assert "Year in pixels, 2026" in body and "2027 →" not in body
    assert "Year in pixels, 2025" in client.get("/mood/year?year=2025").get_data(as_text=True)
