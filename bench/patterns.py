"""Patterns for a person with three years of history, and the page that shows them.

Three moods a day (with a score and two factors), a focus session most days
(one in five abandoned), an entry every other day and the day logs that go
with them, inserted in bulk in the shapes the services write, next to a
second person with a month of the same. The nightly count (`store_patterns`)
reads every mood, ended session and day log of the person once; the Patterns
page reads only the stored figures. The headline is the ratio of the page's
median for three years to its median for a month (aim: about 1, i.e. nothing
is counted on page view).
"""

import time
from datetime import timedelta

from _stores import bench_app, median, percentile

from mindnotes.documents import collection, daily_activity_logs
from mindnotes.services.account import register_user
from mindnotes.services.overview.patterns import store_patterns
from mindnotes.timeutil import local_date, part_of_day, utcnow, zone

PASSWORD = "bench password 123"
TIMEZONE = "Europe/Berlin"
YEARS_DAYS = 3 * 365
MONTH_DAYS = 30
MOODS_A_DAY = 3
COUNTS = 7
REQUESTS = 60
WARM_UP = 3


def seed(user_id: int, days: int) -> int:
    """`days` of moods, focus sessions, entries' day totals, ending today; returns the documents inserted."""
    now = utcnow()
    moods, sessions, logs = [], [], []
    for day in range(days):
        start = now - timedelta(days=day)
        local = local_date(start, TIMEZONE)
        scores = []
        for slot in range(MOODS_A_DAY):
            moment = start - timedelta(hours=4 * slot + 1)
            score = 1 + (day * 7 + slot * 3) % 5
            scores.append(score)
            noted = [
                {"factor_id": 1, "name": "sleep", "value": ("good", "poor")[(day + slot) % 2]},
                {"factor_id": 2, "name": "exercise", "value": ("yes", "no")[day % 2]},
            ]
            moods.append(
                {
                    "user_id": user_id,
                    "score": score,
                    "intensity": 5,
                    "factors": noted,
                    "factor_values": {str(f["factor_id"]): f["value"] for f in noted},
                    "felt_at": moment,
                    "local_date": local_date(moment, TIMEZONE),
                    "time_of_day": part_of_day(moment.astimezone(zone(TIMEZONE)).hour),
                }
            )
        completed = day % 5 != 0
        if day % 7 != 6:
            sessions.append(
                {
                    "user_id": user_id,
                    "session_type": "pomodoro",
                    "status": "completed" if completed else "abandoned",
                    "started_at": start - timedelta(minutes=30),
                    "local_date": local,
                    "active_key": f"bench-{user_id}-{day}",
                    "checkin": {"intention": "", "before_score": scores[0]} if day % 3 == 0 else None,
                }
            )
        logs.append(
            {
                "_id": daily_activity_logs.day_id(user_id, local),
                "user_id": user_id,
                "local_date": local,
                "entries": day % 2,
                "words": 250 * (day % 2),
                "moods": MOODS_A_DAY,
                "focus_minutes": 25 if completed and day % 7 != 6 else 0,
                "focus_sessions": 1 if completed and day % 7 != 6 else 0,
            }
        )
    for name, documents in (("mood_entries", moods), ("focus_sessions", sessions), ("daily_activity_logs", logs)):
        collection(name).insert_many(documents)
    return len(moods) + len(sessions) + len(logs)


def page_timings(client) -> list[float]:
    timings = []
    for round_number in range(WARM_UP + REQUESTS):
        started = time.perf_counter()
        response = client.get("/insights/patterns")
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200
        if round_number >= WARM_UP:
            timings.append(elapsed)
    return timings


def main() -> None:
    with bench_app(WTF_CSRF_ENABLED=False, AUTH_RATE_LIMIT="1000 per minute") as app:
        person = register_user("years@example.com", PASSWORD, "", TIMEZONE)
        newcomer = register_user("month@example.com", PASSWORD, "", TIMEZONE)
        print(f"documents_inserted: {seed(person.id, YEARS_DAYS) + seed(newcomer.id, MONTH_DAYS)}")
        counts = []
        for _ in range(COUNTS):
            started = time.perf_counter()
            store_patterns(person.id)
            counts.append((time.perf_counter() - started) * 1000)
        store_patterns(newcomer.id)
        print(f"count_three_years_median_ms: {median(counts):.1f}")
        medians = {}
        for email, name in (("years@example.com", "three_years"), ("month@example.com", "one_month")):
            client = app.test_client()
            assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
            timings = page_timings(client)
            medians[name] = median(timings)
            print(f"page_{name}_median_ms: {medians[name]:.2f}")
            print(f"page_{name}_p95_ms: {percentile(timings, 0.95):.2f}")
        print(f"ratio_page_three_years_to_one_month: {medians['three_years'] / medians['one_month']:.2f}")


if __name__ == "__main__":
    main()
