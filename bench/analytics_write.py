"""Worker time per write: the follow-up work one journal entry causes, for a person with 20,000 entries
and one with 10.

Both histories are bulk-inserted (entries built by the journal's own
`new_entry_document`, moods and focus sessions in the shape their services
store, and the day logs the features would have kept), then the person's
figures are counted once, as the nightly run leaves them. Each write is a real
`create_entry` through the journal service; the job it queued for the worker
is then taken from the queue and its function run here, timed, as the worker
would run it (the write itself is not timed). The two people's writes are
interleaved so both meet the same machine load; the headline is the ratio of
the medians (aim: at most 1.5).
"""

import time
from collections import defaultdict
from datetime import timedelta

from _stores import bench_app, median, percentile
from bson import ObjectId
from rq.job import Job

from mindnotes.documents import collection
from mindnotes.documents.daily_activity_logs import day_id
from mindnotes.extensions import db, queue
from mindnotes.jobs.analytics import rebuild_user_analytics
from mindnotes.services.account import register_user
from mindnotes.services.billing.plans import grant_plan
from mindnotes.services.journal import create_entry
from mindnotes.services.journal.fields import new_entry_document, plain_entry_fields
from mindnotes.services.mood.fields import score_from
from mindnotes.timeutil import local_date, utcnow

PASSWORD = "bench password 123"
TIMEZONE = "Europe/Berlin"
WARM_UP = 3
WRITES = 40


def entry_fields(number: int, moment) -> dict:
    return plain_entry_fields(f"Entry {number}", "word " * (80 + number % 400), moment, TIMEZONE)


def seed_history(user_id: int, entries: int, moods: int, sessions: int) -> None:
    """The person's entries (about 18 a day over three years when long), moods, focus sessions and day logs."""
    now = utcnow() - timedelta(minutes=5)
    spacing = timedelta(hours=1.3) if entries > 10 else timedelta(hours=5)
    days: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    batch = []
    for number in range(entries):
        moment = now - spacing * number
        fields = entry_fields(number, moment)
        batch.append({**new_entry_document(ObjectId(), fields, moment), "user_id": user_id})
        days[fields["local_date"]]["entries"] += 1
        days[fields["local_date"]]["words"] += fields["word_count"]
    collection("journal_entries").insert_many(batch)
    batch = []
    for number in range(moods):
        moment = now - spacing * 4 * number - timedelta(minutes=2)
        day, intensity = local_date(moment, TIMEZONE), 1 + number % 10
        score = score_from(1, intensity)
        batch.append(
            {
                "_id": ObjectId(),
                "user_id": user_id,
                "category_id": 1,
                "category_name": "Calm",
                "emoji": "😌",
                "valence": 1,
                "score": score,
                "intensity": intensity,
                "factors": [],
                "factor_values": {},
                "note": "",
                "felt_at": moment,
                "local_date": day,
                "time_of_day": "morning",
                "context": {"place": None},
                "journal_entry_id": None,
                "created_at": moment,
                "updated_at": moment,
            }
        )
        days[day]["moods"] += 1
        days[day]["mood_score_sum"] += score
    collection("mood_entries").insert_many(batch)
    batch = []
    for number in range(sessions):
        started = now - spacing * 4 * number - timedelta(hours=2)
        day = local_date(started, TIMEZONE)
        batch.append(
            {
                "_id": ObjectId(),
                "user_id": user_id,
                "session_type": "pomodoro",
                "planned_minutes": 25,
                "task": f"Task {number}",
                "tag_ids": [],
                "started_at": started,
                "planned_end_at": started + timedelta(minutes=25),
                "pauses": [],
                "status": "completed",
                "active_key": f"bench-{user_id}-{number}",
                "elapsed_seconds": 1500,
                "ended_at": started + timedelta(minutes=25),
                "focus_minutes": 25,
                "timezone": TIMEZONE,
                "local_date": day,
                "created_at": started,
                "updated_at": started,
            }
        )
        days[day]["focus_minutes"] += 25
        days[day]["focus_sessions"] += 1
    collection("focus_sessions").insert_many(batch)
    collection("daily_activity_logs").insert_many(
        [{"_id": day_id(user_id, day), "user_id": user_id, "local_date": day, **totals} for day, totals in days.items()]
    )
    rebuild_user_analytics(user_id)


def person(email: str, entries: int, moods: int, sessions: int):
    user = register_user(email, PASSWORD, email.split("@")[0].title(), TIMEZONE)
    grant_plan(user, "premium")  # the bulk-inserted history holds no plan slots; the writes need theirs
    db.session.commit()
    seed_history(user.id, entries, moods, sessions)
    return user


def timed_follow_up(user, number: int) -> tuple[float, str]:
    """Write one entry, then run the job it queued as the worker would; (milliseconds, job function)."""
    create_entry(user, {"title": f"Written in the benchmark {number}", "content": "word " * (50 + number)})
    job = Job.fetch(f"analytics-{user.id}", connection=queue.redis)
    queue.queue.remove(job)
    started = time.perf_counter()
    job.func(*job.args, **job.kwargs)
    elapsed = (time.perf_counter() - started) * 1000
    job.delete()
    return elapsed, job.func_name


def main() -> None:
    with bench_app() as app, app.test_request_context():
        small = person("small@example.com", entries=10, moods=5, sessions=5)
        large = person("large@example.com", entries=20_000, moods=5_000, sessions=5_000)
        small_times, large_times, jobs = [], [], set()
        for number in range(WARM_UP + WRITES):
            small_ms, small_job = timed_follow_up(small, number)
            large_ms, large_job = timed_follow_up(large, number)
            jobs.update((small_job, large_job))
            if number >= WARM_UP:
                small_times.append(small_ms)
                large_times.append(large_ms)
        small_median, large_median = median(small_times), median(large_times)
        print(f"analytics_write_job: {', '.join(sorted(jobs))}")
        print(f"analytics_write_writes_per_person: {WRITES}")
        print(f"analytics_write_10_entries_p95_ms: {percentile(small_times, 0.95):.1f}")
        print(f"analytics_write_20000_entries_p95_ms: {percentile(large_times, 0.95):.1f}")
        print(f"analytics_write_10_entries_median_ms: {small_median:.1f}")
        print(f"analytics_write_20000_entries_median_ms: {large_median:.1f}")
        print(f"analytics_write_ratio_20000_vs_10: {large_median / small_median:.2f}")


if __name__ == "__main__":
    main()
