"""Logging, editing and deleting moods: the picker's rules, day totals and whose mood it is."""

from datetime import UTC, datetime, timedelta

import pytest
from flask import render_template
from flask_login import login_user

from mindnotes import timeutil
from mindnotes.blueprints.mood import picker_context
from mindnotes.documents import daily_activity_logs, mood_entries
from mindnotes.extensions import db
from mindnotes.models import Profile
from mindnotes.services.mood import MoodForm, log_mood
from tests.mood.helpers import category_id, factor_id, journal_entry, log, picker_data

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def frozen_now(monkeypatch):
    """The clock stands at NOW (13:00 in Paris) for services and views."""
    monkeypatch.setattr(timeutil, "utcnow", lambda: NOW)
    return NOW


@pytest.fixture
def amy(users, login, frozen_now):
    person = users.make(email="amy@example.com", timezone="Europe/Paris")
    login(person)
    return person


def only_mood(user_id: int) -> dict:
    moods = mood_entries.page_of_moods(user_id, None, None, None, None, 10)
    assert len(moods) == 1
    return moods[0]


def test_picker_offers_every_reference_mood_and_factor(client, amy):
    body = client.get("/mood/").get_data(as_text=True)
    assert 'name="category"' in body and "😌" in body and "Calm" in body
    assert f'name="factor-{factor_id("sleep")}"' in body and ">good<" in body
    assert 'type="number"' in body and 'name="intensity"' in body
    assert 'value="2026-03-10T13:00"' in body


def test_logging_a_mood_stores_it_and_counts_it_on_the_persons_day(client, amy):
    data = picker_data("Calm", 7, factors={"sleep": "good", "exercise": ""}, note="Quiet walk", place="park")
    data["other_factors"] = "deadline, coffee with Sam, deadline"
    response = client.post("/mood/", data=data)
    assert response.status_code == 302
    mood = only_mood(amy.id)
    assert (mood["category_name"], mood["emoji"], mood["intensity"], mood["score"]) == ("Calm", "😌", 7, 4)
    assert mood["factors"] == [
        {"factor_id": factor_id("sleep"), "name": "sleep", "value": "good"},
        {"factor_id": None, "name": "deadline", "value": None},
        {"factor_id": None, "name": "coffee with Sam", "value": None},
    ]
    assert mood["felt_at"] == NOW
    assert (mood["local_date"], mood["time_of_day"], mood["context"]) == ("2026-03-10", "afternoon", {"place": "park"})
    day = daily_activity_logs.get_day(amy.id, "2026-03-10")
    assert (day["moods"], day["mood_score_sum"]) == (1, 4)
    assert db.session.get(Profile, amy.id).moods_logged == 1
    assert "Mood logged" in client.get("/mood/").get_data(as_text=True)


def test_earlier_time_is_read_in_the_persons_zone_and_lands_on_that_local_day(client, users, login, frozen_now):
    kenji = users.make(timezone="Asia/Tokyo")
    login(kenji)
    client.post("/mood/", data=picker_data("Tired", 3, felt_at="2026-03-09T23:30"))
    mood = only_mood(kenji.id)
    assert mood["felt_at"] == datetime(2026, 3, 9, 14, 30, tzinfo=UTC)
    assert (mood["local_date"], mood["time_of_day"]) == ("2026-03-09", "night")
    assert daily_activity_logs.get_day(kenji.id, "2026-03-09")["moods"] == 1


@pytest.mark.parametrize(
    ("local_time", "expected"),
    [
        ("04:59", "night"),
        ("05:00", "morning"),
        ("11:59", "morning"),
        ("12:00", "afternoon"),
        ("17:00", "evening"),
        ("21:59", "evening"),
        ("22:00", "night"),
    ],
)
def test_time_of_day_follows_the_local_clock(amy, local_time, expected):
    mood = log(amy, felt_at=f"2026-03-09T{local_time}")
    assert mood["time_of_day"] == expected


@pytest.mark.parametrize("intensity", ["0", "11", "-3", "seven", ""])
def test_intensity_outside_one_to_ten_is_refused_with_the_form_kept(client, amy, intensity):
    response = client.post("/mood/", data=picker_data("Joyful", intensity, note="kept as typed", place="home"))
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "whole number from 1 to 10" in body
    assert "kept as typed</textarea>" in body and 'value="home"' in body
    assert f'value="{category_id("Joyful")}"\n        checked' in body
    assert mood_entries.page_of_moods(amy.id, None, None, None, None, 10) == []
    assert daily_activity_logs.get_day(amy.id, "2026-03-10") is None


@pytest.mark.parametrize("category", ["9999", "calm", ""])
def test_unknown_or_missing_category_is_refused(client, amy, category):
    response = client.post("/mood/", data={"category": category, "intensity": "5"})
    assert response.status_code == 422
    assert "Choose" in response.get_data(as_text=True)


def test_unknown_factor_is_refused(client, amy):
    response = client.post("/mood/", data=picker_data(**{"factor-9999": "good"}))
    assert response.status_code == 422
    assert "not on the list" in response.get_data(as_text=True)


def test_factor_value_outside_its_allowed_values_is_refused_and_kept(client, amy):
    data = picker_data(factors={"sleep": "amazing", "exercise": "hard"})
    response = client.post("/mood/", data=data)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Sleep is one of: poor, ok, good." in body
    assert '<option value="hard" selected>' in body


def test_too_many_or_too_long_other_factors_are_refused(client, amy):
    response = client.post("/mood/", data=picker_data(other_factors="x" * 41))
    assert response.status_code == 422
    assert "at most 40 characters" in response.get_data(as_text=True)


def test_time_more_than_a_minute_ahead_is_refused_but_half_a_minute_is_fine(client, users, login, monkeypatch):
    person = users.make(timezone="UTC")
    login(person)
    monkeypatch.setattr(timeutil, "utcnow", lambda: datetime(2026, 3, 10, 12, 0, 30, tzinfo=UTC))
    refused = client.post("/mood/", data=picker_data(felt_at="2026-03-10T12:02"))
    assert refused.status_code == 422
    assert "in the future" in refused.get_data(as_text=True)
    assert 'value="2026-03-10T12:02"' in refused.get_data(as_text=True)
    assert client.post("/mood/", data=picker_data(felt_at="2026-03-10T12:01")).status_code == 302


def test_unreadable_time_is_refused(client, amy):
    response = client.post("/mood/", data=picker_data(felt_at="yesterday-ish"))
    assert response.status_code == 422
    assert "Enter a date and time" in response.get_data(as_text=True)


def test_note_over_two_thousand_characters_is_refused_and_kept(client, amy):
    response = client.post("/mood/", data=picker_data(note="a" * 2001))
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "at most 2,000 characters" in body and "a" * 2001 in body
    assert client.post("/mood/", data=picker_data(note="a" * 2000)).status_code == 302


def test_htmx_logging_answers_with_the_fresh_picker_and_the_new_mood(client, amy):
    headers = {"HX-Request": "true"}
    response = client.post("/mood/", data=picker_data("Grateful", 8, note="thanks"), headers=headers)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<html" not in body and 'id="mood-logger"' in body
    assert "Mood logged: 🙏 Grateful, great (5/5), intensity 8/10." in body
    assert "thanks</textarea>" not in body and '<p class="mood-note">thanks</p>' in body

    invalid = client.post("/mood/", data=picker_data(intensity=12), headers=headers)
    assert invalid.status_code == 422
    assert "<html" not in invalid.get_data(as_text=True)


def test_after_logging_a_plain_form_goes_back_to_a_same_site_next_page(client, amy):
    assert client.post("/mood/", data=picker_data(next="/home")).headers["Location"] == "/home"
    assert client.post("/mood/", data=picker_data(next="//evil.example")).headers["Location"] == "/mood/"


def test_a_mood_links_to_the_persons_own_journal_entry_and_shows_for_it(client, amy, users):
    entry_id = journal_entry(amy.id, title="Spring walk")
    page = client.get(f"/mood/?entry={entry_id}").get_data(as_text=True)
    assert f'<option value="{entry_id}" selected>Spring walk (2026-03-01)</option>' in page
    assert client.post("/mood/", data=picker_data(journal_entry_id=str(entry_id))).status_code == 302
    assert only_mood(amy.id)["journal_entry_id"] == entry_id
    assert [mood["category_name"] for mood in mood_entries.moods_for_entry(amy.id, entry_id)] == ["Calm"]

    stranger = users.make()
    assert mood_entries.moods_for_entry(stranger.id, entry_id) == []
    others_entry = journal_entry(stranger.id)
    refused = client.post("/mood/", data=picker_data(journal_entry_id=str(others_entry)))
    assert refused.status_code == 422
    assert "your own journal entries" in refused.get_data(as_text=True)
    assert client.post("/mood/", data=picker_data(journal_entry_id="not-an-id")).status_code == 422


def test_editing_moves_the_mood_between_days_in_the_day_totals(client, amy):
    mood = log(amy, "Calm", 6, felt_at="2026-03-09T08:00")
    edit_page = client.get(f"/mood/{mood['_id']}/edit").get_data(as_text=True)
    assert 'value="2026-03-09T08:00"' in edit_page and 'value="6"' in edit_page

    response = client.post(f"/mood/{mood['_id']}", data=picker_data("Anxious", 4, felt_at="2026-03-10T09:15"))
    assert response.status_code == 302
    changed = only_mood(amy.id)
    assert (changed["category_name"], changed["intensity"], changed["local_date"]) == ("Anxious", 4, "2026-03-10")
    assert changed["created_at"] == mood["created_at"].replace(
        microsecond=mood["created_at"].microsecond // 1000 * 1000
    )
    old_day = daily_activity_logs.get_day(amy.id, "2026-03-09")
    new_day = daily_activity_logs.get_day(amy.id, "2026-03-10")
    assert (old_day["moods"], old_day["mood_score_sum"]) == (0, 0)
    assert (new_day["moods"], new_day["mood_score_sum"]) == (1, 2)  # Anxious at 4: bad
    assert db.session.get(Profile, amy.id).moods_logged == 1


def test_invalid_edit_is_refused_and_changes_nothing(client, amy):
    mood = log(amy, "Calm", 6)
    response = client.post(f"/mood/{mood['_id']}", data=picker_data("Calm", 0, note="n" * 2001))
    assert response.status_code == 422
    assert "whole number from 1 to 10" in response.get_data(as_text=True)
    assert only_mood(amy.id)["intensity"] == 6


def test_deleting_takes_the_mood_off_its_day(client, amy):
    mood = log(amy, "Sad", 2)
    response = client.post(f"/mood/{mood['_id']}/delete")
    assert response.status_code == 302
    assert mood_entries.get_mood(amy.id, mood["_id"]) is None
    day = daily_activity_logs.get_day(amy.id, "2026-03-10")
    assert (day["moods"], day["mood_score_sum"]) == (0, 0)
    assert db.session.get(Profile, amy.id).moods_logged == 0


def test_another_persons_mood_is_not_found_on_every_route(client, amy, users, login, app):
    ben = users.make(email="ben@example.com")
    bens_mood = log(ben, "Joyful", 9)
    mood_id = str(bens_mood["_id"])
    assert client.get(f"/mood/{mood_id}/edit").status_code == 404
    assert client.post(f"/mood/{mood_id}", data=picker_data()).status_code == 404
    assert client.post(f"/mood/{mood_id}", data=picker_data(intensity=99)).status_code == 404
    assert client.post(f"/mood/{mood_id}/delete").status_code == 404
    for bad_id in ("nonsense", "0" * 24):
        assert client.get(f"/mood/{bad_id}/edit").status_code == 404
        assert client.post(f"/mood/{bad_id}/delete").status_code == 404
    assert mood_entries.get_mood(ben.id, mood_id)["intensity"] == 9
    assert "Joyful</strong>" not in client.get("/mood/history").get_data(as_text=True)


def test_history_filters_by_date_range_and_mood(client, amy):
    log(amy, "Calm", 5, felt_at="2026-03-01T10:00")
    log(amy, "Sad", 3, felt_at="2026-03-05T10:00")
    log(amy, "Calm", 7, felt_at="2026-03-08T10:00")
    calm = category_id("Calm")
    body = client.get(f"/mood/history?first=2026-03-02&last=2026-03-09&category={calm}").get_data(as_text=True)
    assert "Sun 08 Mar 2026" in body
    assert "Sun 01 Mar 2026" not in body and "Thu 05 Mar 2026" not in body


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_history_with_unreadable_filters_is_refused_with_them_kept(client, amy, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get("/mood/history?first=2026-13-01&last=2026-01-01&category=x", headers=headers)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Enter a date like" in body and "Choose one of the listed moods" in body
    assert 'value="2026-13-01"' in body
    assert ("<html" in body) is not htmx


@pytest.mark.parametrize("hours_apart", [1, 0], ids=["distinct-times", "same-time"])
def test_history_pages_by_keyset_without_gaps_or_repeats(client, amy, hours_apart):
    start = datetime(2026, 3, 1, 8, 0)
    for n in range(25):
        log(amy, "Calm", 1 + n % 10, felt_at=(start + timedelta(hours=n * hours_apart)).strftime("%Y-%m-%dT%H:%M"))
    first = client.get("/mood/history").get_data(as_text=True)
    assert first.count('class="mood-item"') == 20 and "Older moods" in first
    older = first.split('href="/mood/history?after=')[1].split('"')[0].replace("&amp;", "&")
    second = client.get(f"/mood/history?after={older}").get_data(as_text=True)
    assert second.count('class="mood-item"') == 5 and "That is everything" in second
    edit_links = {part.split('"')[0] for page in (first, second) for part in page.split('href="/mood/')[1:]}
    assert len([link for link in edit_links if link.endswith("/edit")]) == 25


def test_week_view_groups_moods_by_local_day_with_averages(client, amy):
    log(amy, "Calm", 6, felt_at="2026-03-09T09:00")
    log(amy, "Tired", 3, felt_at="2026-03-09T22:30")
    log(amy, "Joyful", 9, felt_at="2026-03-02T12:00")
    body = client.get("/mood/week").get_data(as_text=True)
    assert "Week of 09 March 2026" in body
    # Calm at 6 is good (4), Tired at 3 bad (2): the day is okay, not the 4.5 its intensities would give.
    assert "average score 3.0 (okay) · 2 moods" in body
    assert "Joyful" not in body and "Next week" not in body
    earlier = client.get("/mood/week?of=2026-03-04").get_data(as_text=True)
    assert "Joyful, great (5/5), intensity 9/10" in earlier and "Next week" in earlier


def test_entry_page_partial_lists_the_moods_linked_to_that_entry(app, amy):
    entry_id = journal_entry(amy.id, title="Spring walk")
    log(amy, "Joyful", 9, felt_at="2026-03-01T18:45")
    linked = log_mood(amy, MoodForm(category=str(category_id("Calm")), intensity="6", journal_entry_id=str(entry_id)))
    with app.test_request_context():
        login_user(amy)
        moods = mood_entries.moods_for_entry(amy.id, entry_id)
        html = render_template("mood/_entry_moods.html", moods=moods, entry_id=entry_id)
    assert "Calm</strong> · good (4/5) · intensity 6/10" in html and "Joyful" not in html
    assert f"/mood/{linked['_id']}/edit" in html
    assert f"/mood/?entry={entry_id}" in html


def test_picker_can_be_included_by_another_page_with_its_own_action(app, amy):
    with app.test_request_context():
        login_user(amy)
        context = picker_context(MoodForm.blank("UTC"))
        html = render_template("mood/_picker.html", picker_action="/home/mood", picker_next="/home", **context)
    assert 'action="/home/mood"' in html and 'hx-post="/home/mood"' in html
    assert '<input type="hidden" name="next" value="/home">' in html
