"""The dashboard's prepared figures, kept in Redis from one change to the next: never shown stale.

tests/test_round_trips.py shows a view reads them (and not the analytics) once they are current.
"""

import json
import re

from mindnotes.extensions import queue
from tests.jobs import run_jobs
from tests.overview.helpers import add_entry, add_mood, at
from tests.overview.test_analytics import seed_small_history
from tests.overview.test_dashboard import page_text


def stat(value: int, label: str) -> str:
    return f'<p class="stat-value">{value}</p> <p class="stat-label">{label}</p>'


def test_a_mood_logged_before_its_job_runs_shows_at_once(client, users, login, frozen_now):
    user = users.make()
    seed_small_history(user)
    run_jobs()
    login(user)
    assert stat(4, "moods logged") in page_text(client.get("/home"))

    add_mood(user, at("2026-11-25 09:00"), 9)  # as the mood feature writes it; its job still waits
    assert stat(5, "moods logged") in page_text(client.get("/home"))
    run_jobs()
    assert stat(5, "moods logged") in page_text(client.get("/home"))


def test_figures_kept_on_one_day_are_prepared_again_the_next(client, users, login, frozen_now):
    user = users.make()
    add_entry(user, at("2026-11-25 09:00"))
    run_jobs()
    login(user)
    assert stat(1, "day in a row") in page_text(client.get("/home"))

    frozen_now(at("2026-11-27 09:00"))  # nothing written since: the run ended yesterday
    text = page_text(client.get("/home"))
    assert stat(0, "days in a row") in text
    assert "Longest streak: 1 day" in text


def test_the_dashboard_answers_from_the_stores_while_redis_is_away(app_factory, users, login, frozen_now):
    """Without Redis the figures are prepared for each view and only not kept: the page still answers."""
    user = users.make(display_name="Robin")
    seed_small_history(user)
    run_jobs()
    without_redis = app_factory(REDIS_URL="redis://127.0.0.1:1/0").test_client()
    login(user, without_redis)
    for _ in range(2):
        text = page_text(without_redis.get("/home"))
        assert "Hello, Robin" in text
        assert stat(3, "days in a row") in text
        assert stat(450, "words written") in text


def test_the_parts_rendered_once_are_shown_as_kept_until_the_templates_change(client, users, login, frozen_now):
    """The parts resting on the prepared figures are rendered by the first view and kept beside them;
    later views show them as kept, and parts kept from other templates (an older release's) are made anew."""
    user = users.make()
    seed_small_history(user)
    run_jobs()
    login(user)
    first = without_form_ids(page_text(client.get("/home")))
    kept = json.loads(queue.redis.get(f"dashboard:{user.id}"))
    assert set(kept["rendered"]["parts"]) == {"stats", "prompts", "mood_averages", "week_and_lists"}
    assert stat(3, "days in a row") in " ".join(kept["rendered"]["parts"]["stats"].split())
    assert without_form_ids(page_text(client.get("/home"))) == first

    kept["rendered"]["parts"]["stats"] = '<p class="stat-value">kept as rendered</p>'
    queue.redis.set(f"dashboard:{user.id}", json.dumps(kept))
    assert "kept as rendered" in page_text(client.get("/home"))

    kept["rendered"]["version"] = "an older release"
    queue.redis.set(f"dashboard:{user.id}", json.dumps(kept))
    assert without_form_ids(page_text(client.get("/home"))) == first


def without_form_ids(page: str) -> str:
    """The page but for the mood picker's id of the mood it would log (new on every view)."""
    return re.sub(r'value="[0-9a-f]{24}"', 'value="(a new id)"', page)
