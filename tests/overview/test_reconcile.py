"""`flask reconcile [--dry-run]`: every counter, in PostgreSQL and in the analytics documents, against its documents."""

import pytest

from mindnotes.documents import collection, daily_activity_logs
from mindnotes.extensions import db
from mindnotes.models import Profile
from mindnotes.services.overview.counters import counter_drift
from tests.overview.helpers import add_entry, add_mood, add_prompt_set, add_session, at


@pytest.fixture
def person(users, runner, frozen_now):
    """A person with entries, moods, focus and answered prompts, and every counter true."""
    user = users.make()
    add_entry(user, at("2026-11-24 09:00"), words=50)
    add_entry(user, at("2026-11-25 08:00"), words=100)
    add_mood(user, at("2026-11-25 07:00"), 8)
    add_mood(user, at("2026-11-22 12:00"), 4)
    add_session(user, at("2026-11-23 10:00"), 25)
    add_prompt_set(user, "2026-11-25", answered=2)
    assert runner.invoke(args=["reconcile"]).exit_code == 0
    assert counter_drift(user.id) == []
    return user


def profile(user) -> Profile:
    db.session.expire_all()
    return db.session.get(Profile, user.id)


def drift_everything(user) -> None:
    """Counters that missed writes: a mood counted twice, focus minutes lost, a day log and the figures off."""
    db.session.get(Profile, user.id).moods_logged = 5
    db.session.get(Profile, user.id).focus_minutes = 0
    db.session.commit()
    day = daily_activity_logs.day_id(user.id, "2026-11-25")
    collection("daily_activity_logs").update_one({"_id": day, "user_id": user.id}, {"$inc": {"moods": 1}})
    collection("daily_activity_logs").update_one({"_id": day, "user_id": user.id}, {"$inc": {"prompts_answered": -2}})
    collection("user_analytics").update_one({"user_id": user.id}, {"$inc": {"totals.entries": 3}})


def test_the_counters_of_a_person_start_true(person):
    assert (profile(person).entries_used, profile(person).moods_logged) == (2, 2)
    assert (profile(person).focus_minutes, profile(person).words_written) == (25, 150)
    figures = collection("user_analytics").find_one({"user_id": person.id})
    assert figures["totals"]["prompts_answered"] == 2 and figures["days_journaled"] == 2


def test_dry_run_prints_every_drifted_counter_and_changes_nothing(runner, person, users):
    untouched = users.make()
    drift_everything(person)
    before_days = daily_activity_logs.all_days(person.id)
    before_figures = collection("user_analytics").find_one({"user_id": person.id})

    result = runner.invoke(args=["reconcile", "--dry-run"])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert f"user {person.id}: moods_logged 5 -> 2" in lines
    assert f"user {person.id}: focus_minutes 0 -> 25" in lines
    assert f"user {person.id}: day logs moods 3 -> 2 (1 day(s) differ)" in lines
    assert f"user {person.id}: day logs prompts_answered 0 -> 2 (1 day(s) differ)" in lines
    assert f"user {person.id}: analytics totals.entries 5 -> 2" in lines
    assert not any(line.startswith(f"user {untouched.id}:") for line in lines)
    assert lines[-1] == "Dry run; 1 account(s) with drifted counters, nothing changed."
    assert (profile(person).moods_logged, profile(person).focus_minutes) == (5, 0)
    assert daily_activity_logs.all_days(person.id) == before_days
    assert collection("user_analytics").find_one({"user_id": person.id}) == before_figures


def test_reconcile_corrects_every_drifted_counter(runner, person):
    drift_everything(person)

    result = runner.invoke(args=["reconcile"])

    assert result.exit_code == 0, result.output
    assert f"user {person.id}: moods_logged 5 -> 2" in result.output
    assert result.output.splitlines()[-1] == "Reconciled; 1 account(s) corrected."
    assert (profile(person).moods_logged, profile(person).focus_minutes) == (2, 25)
    day = daily_activity_logs.get_day(person.id, "2026-11-25")
    assert (day["moods"], day["prompts_answered"]) == (1, 2)
    figures = collection("user_analytics").find_one({"user_id": person.id})
    assert (figures["totals"]["entries"], figures["totals"]["prompts_answered"]) == (2, 2)
    assert counter_drift(person.id) == []
    again = runner.invoke(args=["reconcile", "--dry-run"])
    assert again.output.splitlines() == ["Dry run; 0 account(s) with drifted counters, nothing changed."]


def test_entries_used_counts_trashed_entries_too(runner, person):
    collection("journal_entries").update_one(
        {"user_id": person.id, "word_count": 50}, {"$set": {"deleted_at": at("2026-11-25 09:00")}}
    )
    drifts = {drift.counter: (drift.stored, drift.counted) for drift in counter_drift(person.id)}
    assert "entries_used" not in drifts
    assert drifts["words_written"] == (150, 100)
