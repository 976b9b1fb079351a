"""`flask mood upgrade`: moods stored before scores get one, and running it again changes nothing."""

from datetime import UTC, datetime

from mindnotes.documents import collection, daily_activity_logs, mood_entries
from tests.factories import make_mood
from tests.jobs import run_jobs
from tests.mood.helpers import category_id

MORNING = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)


def stored_before_scores(user, moment, intensity, name, **fields) -> dict:
    """A mood as the tracker stored it before issue 17: no score, its intensity counted in the day."""
    mood = make_mood(user, moment, intensity, category_id=category_id(name), category_name=name, **fields)
    collection("mood_entries").update_one({"_id": mood["_id"], "user_id": user.id}, {"$unset": {"score": ""}})
    daily_activity_logs.record_activity(user.id, mood["local_date"], moods=1, mood_intensity_sum=intensity)
    return mood


def scores_of(user) -> dict[str, int | None]:
    return {m["category_name"]: m.get("score") for m in mood_entries.moods_between(user.id, "2000-01-01", "2100-01-01")}


def test_upgrade_scores_old_moods_from_valence_and_intensity_and_runs_twice_safely(app, users):
    amy, ben = users.make(), users.make()
    stored_before_scores(amy, MORNING, 9, "Stressed", valence=-1)
    stored_before_scores(amy, MORNING.replace(hour=9), 6, "Calm", valence=1)
    # Stored without its valence: the category's (Joyful, +2) is used, and intensity 2 makes it good.
    old_joy = stored_before_scores(amy, MORNING.replace(hour=10), 2, "Joyful", valence=2)
    collection("mood_entries").update_one({"_id": old_joy["_id"], "user_id": amy.id}, {"$unset": {"valence": ""}})
    # A mood that has a score (chosen by its person) keeps it.
    make_mood(ben, MORNING, 9, category_id=category_id("Sad"), category_name="Sad", valence=-2, score=3)
    runner = app.test_cli_runner()

    first = runner.invoke(args=["mood", "upgrade"])
    assert first.exit_code == 0 and "Scored 3 moods; linked 0 entries" in first.output
    assert scores_of(amy) == {"Stressed": 1, "Calm": 4, "Joyful": 4}
    assert scores_of(ben) == {"Sad": 3}
    for mood in collection("mood_entries").find({"user_id": amy.id}):
        assert type(mood["score"]) is int and isinstance(mood["felt_at"], datetime)
    run_jobs()
    # The day is recounted from the scores: 1 + 4 + 4, not the intensities' 17.
    day = daily_activity_logs.get_day(amy.id, "2026-03-09")
    assert (day["moods"], day["mood_score_sum"]) == (3, 9)

    before = list(collection("mood_entries").find({"user_id": amy.id}).sort("_id", 1))
    again = runner.invoke(args=["mood", "upgrade"])
    assert again.exit_code == 0 and "Scored 0 moods; linked 0 entries" in again.output
    assert list(collection("mood_entries").find({"user_id": amy.id}).sort("_id", 1)) == before
