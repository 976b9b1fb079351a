"""The analytics rebuild: figures, streaks in local days, and the job that keeps them true."""

import time
from datetime import UTC, datetime

from rq import SimpleWorker
from rq.job import Job

from mindnotes.documents import collection, daily_activity_logs, user_analytics
from mindnotes.extensions import queue
from mindnotes.jobs.analytics import rebuild_all_analytics, rebuild_user_analytics
from mindnotes.jobs.schedule import SCHEDULE
from mindnotes.services.overview import activity
from mindnotes.services.overview.dashboard import dashboard_for
from tests.jobs import run_jobs
from tests.overview.helpers import add_entry, add_mood, add_prompt_set, add_session, at, trash_entry

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)  # a Wednesday


def seed_small_history(user):
    """A hand-countable history; the expected figures are written out in the tests."""
    for moment, words in [
        ("2026-11-25 08:00", 100),
        ("2026-11-24 09:00", 50),
        ("2026-11-23 21:00", 30),
        ("2026-11-23 22:00", 20),
        ("2026-11-20 10:00", 200),
        ("2026-11-19 10:00", 10),
        ("2025-11-25 10:00", 40),
    ]:
        add_entry(user, at(moment), words=words, title=f"Written {moment}")
    for moment, intensity in [
        ("2026-11-25 07:00", 8),
        ("2026-11-22 12:00", 4),
        ("2026-11-10 12:00", 9),
        ("2026-10-01 12:00", 2),
    ]:
        add_mood(user, at(moment), intensity)
    add_session(user, at("2026-11-24 09:00"), 25)
    add_session(user, at("2026-11-17 14:00"), 50)
    add_session(user, at("2026-11-25 06:00"), 10, status="abandoned")
    add_prompt_set(user, "2026-11-25", answered=2)


def test_rebuilt_figures_match_the_hand_counted_history(app, users, frozen_now):
    user = users.make()
    seed_small_history(user)
    run_jobs()

    figures = user_analytics.get_analytics(user.id)
    assert figures["totals"] == {
        "entries": 7,
        "words": 450,
        "moods": 4,
        "mood_score_sum": 18,
        "focus_minutes": 75,
        "focus_sessions": 2,
        "prompts_answered": 2,
    }
    assert figures["days_journaled"] == 6
    assert figures["streak"]["longest"] == 3
    assert figures["focus_hours"][9] == 1 and figures["focus_hours"][14] == 1 and sum(figures["focus_hours"]) == 2
    weeks = {week["start"]: week for week in figures["weeks"]}
    assert (weeks["2026-11-16"]["words"], weeks["2026-11-16"]["focus_minutes"], weeks["2026-11-16"]["moods"]) == (
        210,
        50,
        1,
    )


def test_dashboard_figures_match_the_hand_counted_history(app, users, frozen_now):
    user = users.make()
    seed_small_history(user)
    run_jobs()

    dashboard = dashboard_for(user, now=NOW)
    assert (dashboard["streak_current"], dashboard["streak_longest"]) == (3, 3)
    this_week = dashboard["this_week"]
    assert (this_week["entries"], this_week["words"], this_week["focus_minutes"]) == (4, 200, 25)
    last_week = dashboard["last_week"]
    assert (last_week["entries"], last_week["words"], last_week["focus_minutes"]) == (2, 210, 50)
    # Calm at intensity 8, 4, 9: scores 5, 4, 5 (the intensities would give 6.0 and 7.0).
    assert dashboard["mood_average_7"] == 4.5
    assert dashboard["mood_average_30"] == 4.7
    assert dashboard["prompt_set"]["answered"] == 2 and dashboard["prompt_set"]["total"] == 3
    assert [entry["title"] for entry in dashboard["recent_entries"]][:2] == [
        "Written 2026-11-25 08:00",
        "Written 2026-11-24 09:00",
    ]
    assert len(dashboard["recent_entries"]) == 5
    assert [entry["title"] for entry in dashboard["on_this_day"]] == ["Written 2025-11-25 10:00"]


def test_streak_counts_local_days_across_the_spring_dst_change(app, users):
    user = users.make(timezone="Europe/Berlin")
    # Berlin moves to summer time on Sunday 29 March 2026: that day has 23 hours.
    for moment in ["2026-03-27 23:30", "2026-03-28 00:30", "2026-03-29 23:30", "2026-03-30 00:15", "2026-03-31 23:59"]:
        add_entry(user, at(moment, "Europe/Berlin"))
    run_jobs()

    assert user_analytics.get_analytics(user.id)["streak"]["latest_length"] == 5
    assert dashboard_for(user, now=at("2026-04-01 08:00", "Europe/Berlin"))["streak_current"] == 5


def test_streak_counts_local_days_across_the_autumn_dst_change(app, users):
    user = users.make(timezone="Europe/Berlin")
    # Sunday 25 October 2026 has 25 hours in Berlin.
    for moment in ["2026-10-24 23:50", "2026-10-25 00:10", "2026-10-25 23:50", "2026-10-26 00:10"]:
        add_entry(user, at(moment, "Europe/Berlin"))
    run_jobs()

    streak = user_analytics.get_analytics(user.id)["streak"]
    assert (streak["latest_start"], streak["latest_end"], streak["latest_length"]) == ("2026-10-24", "2026-10-26", 3)


def test_local_midnight_not_utc_midnight_starts_a_new_day(app, users):
    user = users.make(timezone="America/New_York")
    # 23:30 and 00:30 New York time are 04:30 and 05:30 UTC of the same UTC day.
    add_entry(user, at("2026-11-10 23:30", "America/New_York"))
    add_entry(user, at("2026-11-11 00:30", "America/New_York"))
    run_jobs()

    assert daily_activity_logs.get_day(user.id, "2026-11-10")["entries"] == 1
    assert daily_activity_logs.get_day(user.id, "2026-11-11")["entries"] == 1
    assert user_analytics.get_analytics(user.id)["streak"]["latest_length"] == 2
    # At 22:00 on the 12th in New York it is already the 13th in UTC: the streak is still alive.
    assert dashboard_for(user, now=at("2026-11-12 22:00", "America/New_York"))["streak_current"] == 2
    assert dashboard_for(user, now=at("2026-11-13 00:01", "America/New_York"))["streak_current"] == 0


def test_streak_survives_a_change_of_timezone(app, users):
    user = users.make(timezone="Asia/Tokyo")
    add_entry(user, at("2026-06-01 21:00", "Asia/Tokyo"))
    add_entry(user, at("2026-06-02 21:00", "Asia/Tokyo"))
    user.timezone = "America/Los_Angeles"
    # The flight lands: it is 1 June evening again in Los Angeles, then 2 June.
    add_entry(user, at("2026-06-03 09:00", "America/Los_Angeles"))
    run_jobs()

    assert user_analytics.get_analytics(user.id)["streak"]["latest_length"] == 3
    assert dashboard_for(user, now=at("2026-06-03 20:00", "America/Los_Angeles"))["streak_current"] == 3
    assert dashboard_for(user, now=at("2026-06-04 20:00", "America/Los_Angeles"))["streak_current"] == 3


def test_backdated_entry_joins_two_runs_once_the_job_ran(app, users):
    user = users.make()
    for day in ["2026-11-20", "2026-11-21", "2026-11-23", "2026-11-24"]:
        add_entry(user, at(f"{day} 12:00"))
    run_jobs()
    assert user_analytics.get_analytics(user.id)["streak"]["longest"] == 2

    add_entry(user, at("2026-11-22 12:00"), title="Written later about Sunday")
    run_jobs()
    assert user_analytics.get_analytics(user.id)["streak"]["longest"] == 5
    assert dashboard_for(user, now=at("2026-11-24 18:00"))["streak_current"] == 5


def test_deleting_an_entry_corrects_totals_and_streak_once_the_job_ran(app, users):
    user = users.make()
    kept = add_entry(user, at("2026-11-23 12:00"), words=30)
    middle = add_entry(user, at("2026-11-24 12:00"), words=70)
    add_entry(user, at("2026-11-25 09:00"), words=10)
    run_jobs()
    assert user_analytics.get_analytics(user.id)["streak"]["longest"] == 3

    trash_entry(user, middle, at("2026-11-25 10:00"))
    run_jobs()
    figures = user_analytics.get_analytics(user.id)
    assert (figures["totals"]["entries"], figures["totals"]["words"]) == (2, 40)
    assert figures["streak"]["longest"] == 1
    assert kept["title"] == "An entry"


def test_imported_entries_that_skipped_the_day_logs_are_counted_after_the_job(app, users):
    user = users.make()
    for day in ["2026-01-01", "2026-01-02", "2026-01-03"]:
        add_entry(user, at(f"{day} 08:00"), words=12, record=False)
    rebuild_user_analytics(user.id)

    assert daily_activity_logs.get_day(user.id, "2026-01-02")["entries"] == 1
    figures = user_analytics.get_analytics(user.id)
    assert (figures["totals"]["entries"], figures["totals"]["words"], figures["streak"]["longest"]) == (3, 36, 3)


def test_focus_hours_are_counted_in_the_persons_zone(app, users):
    user = users.make(timezone="Europe/Berlin")
    add_session(user, at("2026-01-15 07:30", "Europe/Berlin"), 25)  # ends 07:55 winter time
    add_session(user, at("2026-07-15 07:30", "Europe/Berlin"), 25)  # ends 07:55 summer time
    add_session(user, at("2026-07-15 16:00", "Europe/Berlin"), 25, status="abandoned")
    add_session(user, at("2026-07-15 17:00", "Europe/Berlin"), 5, kind="short_break")
    run_jobs()

    hours = user_analytics.get_analytics(user.id)["focus_hours"]
    assert hours[7] == 2 and sum(hours) == 2


def test_completed_breaks_are_not_focus_time(app, users):
    user = users.make()
    add_session(user, at("2026-11-24 09:00"), 25)
    add_session(user, at("2026-11-24 09:30"), 5, kind="short_break")
    add_session(user, at("2026-11-24 10:00"), 15, kind="long_break")
    run_jobs()

    day = daily_activity_logs.get_day(user.id, "2026-11-24")
    assert (day["focus_sessions"], day["focus_minutes"]) == (1, 25)
    assert user_analytics.get_analytics(user.id)["totals"]["focus_sessions"] == 1


def test_writes_leave_at_most_one_waiting_rebuild_per_person(app, users):
    first, second = users.make(), users.make()
    for hour in range(3):
        add_entry(first, at(f"2026-11-25 0{hour}:00"))
    add_mood(first, at("2026-11-25 05:00"), 5)
    add_entry(second, at("2026-11-25 06:00"))

    waiting = queue.queue.get_job_ids()
    assert sorted(waiting) == sorted([f"analytics-{first.id}", f"analytics-{second.id}"])
    run_jobs()
    assert queue.queue.count == 0
    assert Job.fetch(f"analytics-{first.id}", connection=queue.redis).get_status() == "finished"
    assert user_analytics.get_analytics(first.id)["totals"]["entries"] == 3
    assert user_analytics.get_analytics(second.id)["totals"]["entries"] == 1


def written_after_a_rebuild(users, monkeypatch, period: float, days=(25,), pause: float = 0) -> object:
    """A person whose first entry's rebuild ran, then, `pause` seconds later, who wrote on `days` of
    November 2026; rebuilds are queued at most every `period` seconds."""
    monkeypatch.setattr(activity, "FOLD_AT_MOST_EVERY", period)
    user = users.make()
    add_entry(user, at("2026-11-24 08:00"))
    run_jobs()
    time.sleep(pause)
    for day in days:
        add_entry(user, at(f"2026-11-{day} 08:00"))
    return user


def test_writes_soon_after_a_rebuild_wait_for_one_scheduled_rebuild(app, users, monkeypatch):
    # A burst of writes (an import, an offline queue sent at once) costs a rebuild a period, not one per write.
    # The period is a minute here, so however slow the machine the writes come within it.
    first_queued_after = datetime.now(UTC)
    user = written_after_a_rebuild(users, monkeypatch, period=60, days=(25, 26, 27))

    assert queue.queue.get_job_ids() == []
    scheduled = queue.queue.scheduled_job_registry
    assert scheduled.get_job_ids() == [f"analytics-{user.id}"]
    assert 0 < (scheduled.get_scheduled_time(f"analytics-{user.id}") - first_queued_after).total_seconds() <= 61
    run_jobs()
    assert user_analytics.get_analytics(user.id)["totals"]["entries"] == 4


def test_the_scheduled_rebuild_runs_when_its_time_comes(app, users, monkeypatch):
    user = written_after_a_rebuild(users, monkeypatch, period=60)
    scheduled = queue.queue.scheduled_job_registry
    assert scheduled.get_job_ids() == [f"analytics-{user.id}"]
    # Its time comes (moved to now rather than waited for); RQ's own scheduler, as the worker runs it, queues it.
    scheduled.schedule(Job.fetch(f"analytics-{user.id}", connection=queue.redis), datetime.now(UTC))

    SimpleWorker([queue.queue], connection=queue.redis).work(burst=True, with_scheduler=True)
    assert scheduled.get_job_ids() == []
    assert user_analytics.get_analytics(user.id)["totals"]["entries"] == 2


def test_a_write_after_the_second_is_up_queues_its_rebuild_at_once(app, users, monkeypatch):
    user = written_after_a_rebuild(users, monkeypatch, period=0.05, pause=0.2)

    assert queue.queue.get_job_ids() == [f"analytics-{user.id}"]
    run_jobs()
    assert user_analytics.get_analytics(user.id)["totals"]["entries"] == 2


def test_rebuild_runs_twice_to_the_same_figures(app, users):
    user = users.make()
    seed_small_history(user)
    first = rebuild_user_analytics(user.id)
    second = rebuild_user_analytics(user.id)
    assert first == second


def test_rebuild_keeps_people_apart(app, users):
    owner, other = users.make(), users.make()
    add_entry(owner, at("2026-11-25 08:00"), words=500)
    rebuild_user_analytics(other.id)
    assert user_analytics.get_analytics(other.id)["totals"]["words"] == 0
    assert collection("daily_activity_logs").count_documents({"user_id": other.id}) == 0


def test_cli_rebuilds_one_person_or_everyone(app, users, runner):
    first, second = users.make(), users.make()
    add_entry(first, at("2026-11-25 08:00"), words=5)
    add_entry(second, at("2026-11-25 08:00"), words=7)

    result = runner.invoke(args=["analytics", "rebuild", "--user", str(first.id)])
    assert result.exit_code == 0, result.output
    assert "5 words" in result.output
    assert user_analytics.get_analytics(second.id) is None

    result = runner.invoke(args=["analytics", "rebuild", "--all"])
    assert result.exit_code == 0, result.output
    assert "2 people" in result.output
    assert user_analytics.get_analytics(second.id)["totals"]["words"] == 7


def test_cli_refuses_an_unknown_person_or_no_choice(app, runner):
    assert runner.invoke(args=["analytics", "rebuild", "--user", "999"]).exit_code != 0
    assert runner.invoke(args=["analytics", "rebuild"]).exit_code != 0


def test_rebuild_rewrites_a_day_stored_without_its_day_id(app, users):
    user = users.make()
    add_entry(user, at("2026-11-20 08:00"), words=12, record=False)
    collection("daily_activity_logs").insert_one({"user_id": user.id, "local_date": "2026-11-20", "entries": 5})
    assert daily_activity_logs.get_day(user.id, "2026-11-20") is None  # readers look days up by day id

    rebuild_user_analytics(user.id)
    day = daily_activity_logs.get_day(user.id, "2026-11-20")
    assert (day["entries"], day["words"]) == (1, 12)
    add_entry(user, at("2026-11-20 09:00"), words=3)
    assert daily_activity_logs.get_day(user.id, "2026-11-20")["entries"] == 2


def test_trashed_entry_leaves_the_dashboard_lists_at_once(app, users):
    user = users.make()
    entry = add_entry(user, at("2026-11-24 08:00"), title="Regretted words")
    run_jobs()
    assert [e["title"] for e in dashboard_for(user, now=NOW)["recent_entries"]] == ["Regretted words"]

    trash_entry(user, entry, at("2026-11-24 09:00"))  # its rebuild has not run yet
    assert dashboard_for(user, now=NOW)["recent_entries"] == []


def test_trashing_todays_only_entry_shortens_the_streak_before_the_job_runs(app, users):
    user = users.make()
    add_entry(user, at("2026-11-24 08:00"))
    today = add_entry(user, at("2026-11-25 08:00"))
    run_jobs()
    assert dashboard_for(user, now=NOW)["streak_current"] == 2

    trash_entry(user, today, at("2026-11-25 09:00"))
    assert dashboard_for(user, now=NOW)["streak_current"] == 1
    run_jobs()
    assert dashboard_for(user, now=NOW)["streak_current"] == 1


def test_nightly_run_queues_one_rebuild_per_person(app, users):
    first, second = users.make(), users.make()
    add_entry(first, at("2026-11-25 08:00"), words=4, record=False)
    add_entry(second, at("2026-11-25 08:00"), words=6, record=False)

    assert rebuild_all_analytics() == 2
    assert sorted(queue.queue.get_job_ids()) == sorted([f"analytics-{first.id}", f"analytics-{second.id}"])
    run_jobs()
    assert user_analytics.get_analytics(first.id)["totals"]["words"] == 4
    assert user_analytics.get_analytics(second.id)["totals"]["words"] == 6
    assert ("mindnotes.jobs.analytics.rebuild_all_analytics", "30 2 * * *") in SCHEDULE
