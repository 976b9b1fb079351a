"""The dashboard: the signed-in home, built from pre-aggregated figures and a few recent documents."""

import pytest

from tests.jobs import run_jobs
from tests.overview.helpers import add_entry, add_mood, add_prompt_set, add_session, at
from tests.overview.test_analytics import seed_small_history


def page_text(response) -> str:
    assert response.status_code == 200
    return " ".join(response.get_data(as_text=True).split())


def test_dashboard_shows_the_hand_counted_figures(client, users, login, frozen_now):
    user = users.make(display_name="Robin")
    seed_small_history(user)
    run_jobs()
    login(user)

    text = page_text(client.get("/home"))
    assert "Hello, Robin" in text
    assert "Good morning" in text
    assert '<p class="stat-value">3</p> <p class="stat-label">days in a row</p>' in text
    assert "Longest streak: 3 days" in text
    assert '<p class="stat-value">450</p> <p class="stat-label">words written</p>' in text
    assert '<p class="stat-value">75</p> <p class="stat-label">focus minutes</p>' in text
    assert '<p class="stat-value">4</p> <p class="stat-label">moods logged</p>' in text
    assert "2 of 3 answered" in text
    assert "last 7 days: <strong>4.5</strong> of 5" in text  # scores 5 and 4, not intensities 8 and 4
    assert "last 30 days: <strong>4.7</strong> of 5" in text
    assert '<th scope="row">Words</th> <td>200</td> <td>210</td> <td><span class="down">▼ 10 fewer</span></td>' in text
    assert "Written 2026-11-25 08:00" in text
    assert "Written 2025-11-25 10:00" in text.split("On this day", 1)[1]


@pytest.mark.parametrize(
    ("local_time", "greeting"),
    [("07:00", "Good morning"), ("13:00", "Good afternoon"), ("20:00", "Good evening"), ("02:00", "Good night")],
)
def test_greeting_follows_the_persons_local_time(client, users, login, frozen_now, local_time, greeting):
    user = users.make(timezone="Asia/Tokyo")
    frozen_now(at(f"2026-11-25 {local_time}", "Asia/Tokyo"))
    login(user)
    assert greeting in page_text(client.get("/home"))


def test_new_person_sees_an_empty_dashboard_without_errors(client, users, login):
    login(users.make())
    text = page_text(client.get("/home"))
    assert '0</p> <p class="stat-label">days in a row' in text
    assert "Nothing written yet" in text
    assert "no moods yet" in text
    assert "No focus session running" in text


def test_todays_entry_counts_in_the_streak_before_the_job_runs(client, users, login, frozen_now):
    user = users.make()
    add_entry(user, at("2026-11-23 09:00"))
    add_entry(user, at("2026-11-24 09:00"))
    run_jobs()
    add_entry(user, at("2026-11-25 09:00"))  # its rebuild is still waiting
    login(user)
    assert '<p class="stat-value">3</p> <p class="stat-label">days in a row</p>' in page_text(client.get("/home"))


def test_running_focus_session_is_shown(client, users, login, frozen_now):
    user = users.make()
    add_session(user, at("2026-11-25 09:50"), 25, status="active", task="Write the report")
    login(user)
    text = page_text(client.get("/home"))
    assert "Write the report" in text
    assert "Running · started 09:50, 25 min planned" in text


def test_dashboard_never_shows_another_persons_documents(client, users, login, frozen_now):
    owner, other = users.make(), users.make()
    add_entry(other, at("2026-11-25 08:00"), title="Someone else's secret", words=999)
    add_mood(other, at("2026-11-25 08:00"), 10)
    add_session(other, at("2026-11-25 09:55"), 25, status="active", task="Their task")
    add_prompt_set(other, "2026-11-25", answered=3)
    run_jobs()
    login(owner)
    text = page_text(client.get("/home"))
    assert "Someone else's secret" not in text and "Their task" not in text and "999" not in text
    assert "No prompts drawn for today yet" in text


def test_dashboard_needs_login(client):
    assert client.get("/home").headers["Location"].startswith("/login")
