"""Dashboard response time for a person with 10 entries and one with 20,000 entries.

Both histories are bulk-inserted (entries, moods, focus sessions), with their
day activity logs and a rebuilt analytics document, as the features and the
rebuild job would leave them. Both pages list the same number of entries (the
small history has five recent entries and five written on this day in earlier
years), so the ratio measures history size, not how much the page shows. Each
dashboard is requested 50 times through the Flask test client after a warm-up,
the two people's requests interleaved so both meet the same machine load; the
headline is the ratio of the medians (aim: at most 1.2).
"""

import time
from collections import defaultdict
from datetime import timedelta

from _stores import bench_app, median, percentile

from mindnotes.documents import collection
from mindnotes.documents.daily_activity_logs import day_id
from mindnotes.jobs.analytics import rebuild_user_analytics
from mindnotes.services.account import register_user
from mindnotes.timeutil import local_date, utcnow

PASSWORD = "bench password 123"
TIMEZONE = "Europe/Berlin"
REQUESTS = 50


def entry_moments(count: int) -> list:
    """About 18 entries a day over three years for a long history; a short one
    has five recent entries and five on this day of earlier years."""
    now = utcnow() - timedelta(minutes=1)
    if count > 10:
        return [now - timedelta(hours=1.3) * number for number in range(count)]
    recent = [now - timedelta(hours=5) * number for number in range(count - count // 2)]
    return recent + [now.replace(year=now.year - years) for years in range(1, count // 2 + 1)]


def seed_history(user_id: int, entries: int, moods: int, sessions: int) -> float:
    """Insert the person's documents and day logs, then rebuild; returns the rebuild's seconds."""
    now = utcnow()
    days: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    spacing = timedelta(hours=1.3)
    batch = []
    for number, moment in enumerate(entry_moments(entries)):
        day = local_date(moment, TIMEZONE)
        words = 80 + number % 400
        batch.append(
            {
                "user_id": user_id,
                "title": f"Entry {number}",
                "content": "word " * 40,
                "excerpt": "word " * 20,
                "entry_type": "text",
                "entry_date": moment,
                "local_date": day,
                "month_day": day[5:],
                "privacy": "private",
                "is_favorite": False,
                "tag_ids": [],
                "mood": None,
                "word_count": words,
                "search_text": f"Entry {number}",
                "deleted_at": None,
                "created_at": moment,
                "updated_at": moment,
            }
        )
        days[day]["entries"] += 1
        days[day]["words"] += words
    if batch:
        collection("journal_entries").insert_many(batch)
    batch = []
    for number in range(moods):
        moment = now - spacing * 4 * number - timedelta(minutes=2)
        day = local_date(moment, TIMEZONE)
        intensity = 1 + number % 10
        batch.append(
            {
                "user_id": user_id,
                "category_id": 1,
                "category_name": "Calm",
                "emoji": "😌",
                "valence": 1,
                "intensity": intensity,
                "score": 1 + number % 5,
                "factors": [],
                "note": "",
                "felt_at": moment,
                "local_date": day,
                "time_of_day": "morning",
                "context": {"place": ""},
                "journal_entry_id": None,
                "created_at": moment,
                "updated_at": moment,
            }
        )
        days[day]["moods"] += 1
        days[day]["mood_score_sum"] += 1 + number % 5
    if batch:
        collection("mood_entries").insert_many(batch)
    batch = []
    for number in range(sessions):
        started = now - spacing * 4 * number - timedelta(hours=2)
        day = local_date(started, TIMEZONE)
        batch.append(
            {
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
                "local_date": day,
                "created_at": started,
                "updated_at": started,
            }
        )
        days[day]["focus_minutes"] += 25
        days[day]["focus_sessions"] += 1
    if batch:
        collection("focus_sessions").insert_many(batch)
    collection("daily_activity_logs").insert_many(
        [
            {"_id": day_id(user_id, day), "user_id": user_id, "local_date": day, **figures}
            for day, figures in days.items()
        ]
    )
    started = time.perf_counter()
    rebuild_user_analytics(user_id)
    return time.perf_counter() - started


def signed_in_client(app, email: str):
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    for _ in range(5):
        assert client.get("/home").status_code == 200
    return client


def timed_dashboard(client) -> float:
    started = time.perf_counter()
    response = client.get("/home")
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200
    return elapsed


def main() -> None:
    with bench_app(WTF_CSRF_ENABLED=False, AUTH_RATE_LIMIT="1000 per minute") as app:
        small = register_user("small@example.com", PASSWORD, "Small", TIMEZONE)
        large = register_user("large@example.com", PASSWORD, "Large", TIMEZONE)
        seed_history(small.id, entries=10, moods=5, sessions=5)
        rebuild_seconds = seed_history(large.id, entries=20_000, moods=5_000, sessions=5_000)

        small_client = signed_in_client(app, "small@example.com")
        large_client = signed_in_client(app, "large@example.com")
        small_times, large_times = [], []
        for _ in range(REQUESTS):
            small_times.append(timed_dashboard(small_client))
            large_times.append(timed_dashboard(large_client))
        small_median, large_median = median(small_times), median(large_times)
        print(f"rebuild_20000_entries_s: {rebuild_seconds:.2f}")
        print(f"dashboard_10_entries_p95_ms: {percentile(small_times, 0.95):.1f}")
        print(f"dashboard_20000_entries_p95_ms: {percentile(large_times, 0.95):.1f}")
        print(f"dashboard_10_entries_median_ms: {small_median:.1f}")
        print(f"dashboard_20000_entries_median_ms: {large_median:.1f}")
        print(f"dashboard_ratio_20000_vs_10: {large_median / small_median:.2f}")


if __name__ == "__main__":
    main()
