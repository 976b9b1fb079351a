"""Mood trend views for a person with three years of moods (3 a day, about 3,300 documents).

The moods are bulk-inserted in the shape `services/mood.py` writes (with
factors and their `factor_values`), next to a second person with the same
history so every pipeline has to filter on user_id. Each trend view is
requested through the Flask test client as htmx does (the chart partial only),
in turn, after a warm-up. The headline is the ratio of the 90-day to the 7-day daily
chart's median (aim: at most 3, i.e. the pipeline reads only the days asked for).
"""

import time
from datetime import timedelta

from _stores import bench_app, median, percentile
from sqlalchemy import select

from mindnotes.documents import collection, mood_entries
from mindnotes.extensions import db
from mindnotes.models import MoodCategory, MoodFactor
from mindnotes.services.account import register_user
from mindnotes.timeutil import local_date, part_of_day, utcnow, zone

PASSWORD = "bench password 123"
TIMEZONE = "Europe/Berlin"
DAYS = 3 * 365
MOODS_A_DAY = 3
REQUESTS = 60
WARM_UP = 3
VIEWS = [
    ("daily_7_days", "/mood/trends/daily?days=7"),
    ("daily_30_days", "/mood/trends/daily?days=30"),
    ("daily_90_days", "/mood/trends/daily?days=90"),
    ("categories_90_days", "/mood/trends/categories?days=90"),
    ("factors_90_days", "/mood/trends/factors?days=90"),
    ("year_in_pixels", "/mood/year"),
]


def seed_moods(user_id: int) -> int:
    """Three moods a day for three years, ending today; returns how many were inserted."""
    categories = list(db.session.scalars(select(MoodCategory)))
    factors = list(db.session.scalars(select(MoodFactor)))
    now = utcnow()
    batch = []
    for day in range(DAYS):
        for slot in range(MOODS_A_DAY):
            moment = now - timedelta(days=day, hours=4 * slot + 1)
            number = day * MOODS_A_DAY + slot
            category = categories[number % len(categories)]
            chosen = [factors[number % len(factors)], factors[(number + 3) % len(factors)]]
            noted = [
                {"factor_id": f.id, "name": f.name, "value": f.allowed_values[(number + day) % len(f.allowed_values)]}
                for f in chosen
            ]
            batch.append(
                {
                    "user_id": user_id,
                    "category_id": category.id,
                    "category_name": category.name,
                    "emoji": category.emoji,
                    "valence": category.valence,
                    "intensity": 1 + (number * 7 + day) % 10,
                    "factors": noted,
                    "factor_values": mood_entries.factor_values_of(noted),
                    "note": "A short note about the moment." if slot == 0 else "",
                    "felt_at": moment,
                    "local_date": local_date(moment, TIMEZONE),
                    "time_of_day": part_of_day(moment.astimezone(zone(TIMEZONE)).hour),
                    "context": {"place": None},
                    "journal_entry_id": None,
                    "created_at": moment,
                    "updated_at": moment,
                }
            )
    collection("mood_entries").insert_many(batch)
    return len(batch)


def time_views(client) -> dict[str, list[float]]:
    """Every view requested in turn, round after round, so load on the machine hits them all alike."""
    headers = {"HX-Request": "true"}
    timings: dict[str, list[float]] = {name: [] for name, _ in VIEWS}
    for round_number in range(WARM_UP + REQUESTS):
        for name, url in VIEWS:
            started = time.perf_counter()
            response = client.get(url, headers=headers)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (url, response.status_code)
            if round_number >= WARM_UP:
                timings[name].append(elapsed)
    return timings


def main() -> None:
    with bench_app(WTF_CSRF_ENABLED=False, AUTH_RATE_LIMIT="1000 per minute") as app:
        person = register_user("moods@example.com", PASSWORD, "", TIMEZONE)
        neighbour = register_user("neighbour@example.com", PASSWORD, "", TIMEZONE)
        started = time.perf_counter()
        inserted = seed_moods(person.id) + seed_moods(neighbour.id)
        print(f"moods_inserted: {inserted}")
        print(f"insert_seconds: {time.perf_counter() - started:.2f}")
        client = app.test_client()
        assert client.post("/login", data={"email": "moods@example.com", "password": PASSWORD}).status_code == 302
        medians = {}
        for name, timings in time_views(client).items():
            medians[name] = median(timings)
            print(f"{name}_median_ms: {medians[name]:.2f}")
            print(f"{name}_p95_ms: {percentile(timings, 0.95):.2f}")
        print(f"ratio_90_day_to_7_day: {medians['daily_90_days'] / medians['daily_7_days']:.2f}")


if __name__ == "__main__":
    main()
