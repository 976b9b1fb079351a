"""The insights page: weekly charts and focus hours drawn as SVG with text alternatives."""

import pytest

from tests.jobs import run_jobs
from tests.overview.helpers import add_entry, add_mood, add_session, at

pytestmark = pytest.mark.usefixtures("frozen_now")  # 2026-11-25 10:00 UTC


def test_insights_draw_weekly_words_focus_mood_and_peak_hour(client, users, login):
    user = users.make(timezone="Europe/Berlin")
    add_entry(user, at("2026-11-24 08:00", "Europe/Berlin"), words=300)
    add_entry(user, at("2026-11-17 08:00", "Europe/Berlin"), words=120)
    add_mood(user, at("2026-11-24 08:00", "Europe/Berlin"), 8)
    add_mood(user, at("2026-11-18 08:00", "Europe/Berlin"), 4)
    add_session(user, at("2026-11-23 14:10", "Europe/Berlin"), 25)
    add_session(user, at("2026-11-24 14:20", "Europe/Berlin"), 25)
    add_session(user, at("2026-11-24 08:00", "Europe/Berlin"), 50)
    run_jobs()
    login(user)

    response = client.get("/insights")
    text = " ".join(response.get_data(as_text=True).split())
    assert response.status_code == 200
    assert text.count('<svg class="chart"') == 4 and 'role="img"' in text
    assert "In all 420 words; the most in one week: 300." in text
    assert "<title>23 Nov: 300 words</title>" in text
    assert "In all 100 focus minutes" in text
    assert "from 4.0 to 5.0 of 5" in text  # Calm at intensity 8 is great (5), at 4 good (4)
    assert "most often between 14:00–15:00 (2 sessions)" in text
    assert "style=" not in text  # the CSP forbids style attributes
    assert '<th scope="row">16 Nov</th><td>120</td>' in text.replace("> <", "><")


def test_insights_without_history_explain_what_will_appear(client, users, login):
    login(users.make())
    text = client.get("/insights").get_data(as_text=True)
    assert "No words written in these weeks yet" in text
    assert "Complete a focus session to see which hours suit you" in text
    assert '<svg class="chart"' not in text
