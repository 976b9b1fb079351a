"""After each write the analytics job folds that write into the stored figures, reading only around the
changed days; the figures it keeps are the ones a full recount finds."""

from contextlib import contextmanager

import pytest

from mindnotes.documents import collection, history, user_analytics
from mindnotes.jobs.analytics import rebuild_all_analytics, rebuild_user_analytics, refresh_user_analytics
from mindnotes.services.overview.dashboard import dashboard_for
from tests.jobs import run_jobs
from tests.overview.helpers import add_entry, add_mood, add_prompt_set, add_session, at, trash_entry

pytestmark = pytest.mark.usefixtures("frozen_now")  # 2026-11-25 10:00 UTC, a Wednesday


def seed_runs(user) -> dict:
    """Entries on 1-5 November (the longest run) and 10-11 November, a mood and a focus session; figures counted."""
    entries = {day: add_entry(user, at(f"2026-11-{day:02d} 08:00"), words=10) for day in (1, 2, 3, 4, 5, 10, 11)}
    add_mood(user, at("2026-11-02 12:00"), 4)
    add_session(user, at("2026-11-03 09:00"), 25)
    run_jobs()
    return entries


def writes_of_a_month(user, entries: dict) -> list:
    """Writes that start, extend, join, cut and empty runs, and touch every other figure."""
    return [
        lambda: add_entry(user, at("2026-11-24 21:00"), words=30),  # a new latest run
        lambda: entries.update(today=add_entry(user, at("2026-11-25 08:00"), words=40)),  # extends it
        lambda: add_entry(user, at("2026-11-25 09:00"), words=5),  # the same day again
        lambda: add_entry(user, at("2026-11-06 08:00"), words=7),  # backdated: the longest run grows to 6 days
        lambda: add_entry(user, at("2026-11-12 08:00"), words=7),  # backdated: 10-12 November
        lambda: trash_entry(user, entries[11], at("2026-11-25 09:30")),  # cuts a run that is neither
        lambda: trash_entry(user, entries[3], at("2026-11-25 09:31")),  # cuts the longest run: recounted
        lambda: add_mood(user, at("2026-11-25 07:00"), 8),
        lambda: add_session(user, at("2026-11-25 08:30"), 25),  # ends 08:55
        lambda: add_session(user, at("2026-11-25 09:10"), 5, kind="short_break"),
        lambda: add_prompt_set(user, "2026-11-25", answered=2),
        lambda: add_entry(user, at("2025-11-25 10:00"), title="A year ago"),  # on this day, a year earlier
        lambda: trash_entry(user, entries["today"], at("2026-11-25 09:45")),  # today keeps its 09:00 entry
        lambda: trash_entry(user, entries[10], at("2026-11-25 09:50")),  # the run of 10-12 November loses its start
    ]


def recount(*args):
    raise AssertionError("the history was recounted from the documents")


@contextmanager
def no_recount_from_documents(monkeypatch):
    """Within: reading the person's whole journal, mood or focus history fails the test."""
    with monkeypatch.context() as patched:
        for name in ("journal_days", "mood_days", "focus_days", "focus_completions_by_utc_hour"):
            patched.setattr(history, name, recount)
        yield patched


def assert_same_as_a_recount(user) -> None:
    stored = user_analytics.get_analytics(user.id)
    recounted = rebuild_user_analytics(user.id)
    assert {name: stored[name] for name in recounted} == recounted


def test_each_update_after_a_write_equals_a_full_recount(app, users, monkeypatch):
    user = users.make()
    entries = seed_runs(user)
    for write in writes_of_a_month(user, entries):
        with no_recount_from_documents(monkeypatch):
            write()
            run_jobs()
        assert_same_as_a_recount(user)


def test_updates_add_up_over_many_writes_to_a_full_recount(app, users, monkeypatch):
    user = users.make()
    entries = seed_runs(user)
    with no_recount_from_documents(monkeypatch):
        for write in writes_of_a_month(user, entries):
            write()
            run_jobs()

    figures = user_analytics.get_analytics(user.id)
    assert (figures["totals"]["entries"], figures["totals"]["words"]) == (9, 189)
    assert (figures["streak"]["longest"], figures["streak"]["latest_length"]) == (3, 2)
    assert figures["focus_hours"][8] == 1 and sum(figures["focus_hours"]) == 2
    dashboard = dashboard_for(user)
    assert (dashboard["streak_current"], dashboard["streak_longest"]) == (2, 3)
    assert [entry["title"] for entry in dashboard["on_this_day"]] == ["A year ago"]
    assert_same_as_a_recount(user)


def test_the_update_after_a_write_never_recounts_the_history(app, users, monkeypatch):
    user = users.make()
    seed_runs(user)
    with no_recount_from_documents(monkeypatch):
        add_entry(user, at("2026-11-25 08:00"), words=40)
        add_mood(user, at("2026-11-25 08:10"), 7)
        add_session(user, at("2026-11-25 08:30"), 25)
        run_jobs()  # a job that recounts fails here, and leaves the figures as they were

    figures = user_analytics.get_analytics(user.id)
    assert (figures["totals"]["entries"], figures["totals"]["words"], figures["totals"]["moods"]) == (8, 110, 2)
    assert figures["totals"]["focus_minutes"] == 50 and figures["focus_hours"][8] == 1


def test_the_nightly_recount_is_not_lost_behind_a_waiting_update(app, users):
    user = users.make()
    seed_runs(user)
    add_entry(user, at("2026-11-20 08:00"), words=500, record=False)  # missed its day log (as an old import did)
    add_entry(user, at("2026-11-25 08:00"), words=1)  # its update waits in the queue

    assert rebuild_all_analytics() == 1
    run_jobs()
    assert user_analytics.get_analytics(user.id)["totals"]["words"] == 70 + 500 + 1


def test_an_update_that_fails_is_recounted_by_the_next_run(app, users, monkeypatch):
    user = users.make()
    seed_runs(user)
    add_entry(user, at("2026-11-25 08:00"), words=40)
    with monkeypatch.context() as patched:
        patched.setattr(history, "newest_entry_ids", lambda *args: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            refresh_user_analytics(user.id)
    assert user_analytics.get_analytics(user.id)["totals"]["words"] == 70

    refresh_user_analytics(user.id)
    assert user_analytics.get_analytics(user.id)["totals"]["words"] == 110


def test_a_write_on_a_day_stored_without_its_day_id_is_counted_and_folded(app, users):
    user = users.make()
    add_entry(user, at("2026-11-20 08:00"), words=12, record=False)
    collection("daily_activity_logs").insert_one({"user_id": user.id, "local_date": "2026-11-20", "entries": 1})
    run_jobs()  # nothing queued yet: the first figures come with the next write

    add_entry(user, at("2026-11-20 09:00"), words=3)  # the day id's upsert meets the older document
    run_jobs()
    assert user_analytics.get_analytics(user.id)["totals"]["words"] == 15
    add_entry(user, at("2026-11-21 09:00"), words=4)
    run_jobs()
    figures = user_analytics.get_analytics(user.id)
    assert (figures["totals"]["entries"], figures["totals"]["words"], figures["streak"]["latest_length"]) == (3, 19, 2)
