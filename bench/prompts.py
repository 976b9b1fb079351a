"""Daily prompts: today's page for a new person and for one with three years of answered sets.

The long history (1,095 completed sets, one per day) is bulk-inserted as the
service would leave it. Each person's page is requested 50 times through the
Flask test client after a warm-up; the first view of a day (choosing the set
over the last 90 days of answers) is measured by removing the day's set before
each request. Also timed: answering a prompt (set + journal entry + day log;
the analytics rebuild it queues waits in Redis, as it would for the worker) and the
cleanup job over 20,000 sets. Headline: ratio of the page medians, long
history over new (aim: at most 1.5, i.e. the page does not grow with history).
"""

import random
import time
from datetime import timedelta

from _stores import bench_app, median, percentile

from mindnotes.documents import collection
from mindnotes.jobs.prompts import cleanup_prompt_sets
from mindnotes.services import prompts
from mindnotes.services.account import register_user
from mindnotes.services.billing.plans import grant_plan
from mindnotes.services.prompts import days as prompt_days
from mindnotes.timeutil import local_date, utcnow

PASSWORD = "bench password 123"
TIMEZONE = "Europe/Berlin"
REQUESTS = 50
HISTORY_DAYS = 1095


def set_document(user_id: int, day: str, choices, answered: bool, moment, streak: int = 0) -> dict:
    document = {**prompts.new_prompt_set(day, choices, moment), "user_id": user_id}
    if answered:
        for prompt in document["prompts"]:
            prompt.update(answered=True, answered_at=moment)
        document.update(answered_count=len(choices), completed=True, completed_at=moment, streak=streak)
    return document


def seed_history(user_id: int, catalogue) -> None:
    now = utcnow()
    rng = random.Random(7)
    documents = []
    for days_back in range(1, HISTORY_DAYS + 1):
        moment = now - timedelta(days=days_back)
        day = local_date(moment, TIMEZONE)
        streak = HISTORY_DAYS - days_back + 1
        documents.append(set_document(user_id, day, rng.sample(catalogue, 3), True, moment, streak))
    collection("daily_prompt_sets").insert_many(documents)


def page_times(client) -> list[float]:
    for _ in range(5):
        client.get("/prompts/")
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        assert client.get("/prompts/").status_code == 200
        times.append((time.perf_counter() - started) * 1000)
    return times


def signed_in_client(app, user):
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def main() -> None:
    with bench_app(WTF_CSRF_ENABLED=False) as app:
        catalogue = prompts.prompt_catalogue()
        new_person = register_user("new@example.com", PASSWORD, "", TIMEZONE)
        veteran = register_user("veteran@example.com", PASSWORD, "", TIMEZONE)
        grant_plan(veteran, "premium")
        seed_history(veteran.id, catalogue)

        new_times = page_times(signed_in_client(app, new_person))
        veteran_client = signed_in_client(app, veteran)
        veteran_times = page_times(veteran_client)

        today = local_date(utcnow(), TIMEZONE)
        first_views = []
        for _ in range(20):
            collection("daily_prompt_sets").delete_one({"user_id": veteran.id, "local_date": today})
            started = time.perf_counter()
            assert veteran_client.get("/prompts/").status_code == 200
            first_views.append((time.perf_counter() - started) * 1000)

        answers = []
        for days_back in range(HISTORY_DAYS + 1, HISTORY_DAYS + 31):
            moment = utcnow() - timedelta(days=days_back)
            prompt_set = prompts.todays_set(veteran, moment, random.Random(days_back))
            started = time.perf_counter()
            prompts.answer_prompt(
                veteran, prompt_set["_id"], prompt_set["prompts"][0]["prompt_id"], "A few words.", now=moment
            )
            answers.append((time.perf_counter() - started) * 1000)

        streak = prompt_days.prompt_streak(veteran)
        stale = []
        now = utcnow()
        for number in range(20_000):
            moment = now - timedelta(days=40 + number % 300)
            stale.append(
                set_document(10_000 + number // 300, local_date(moment, TIMEZONE), catalogue[:3], False, moment)
            )
        collection("daily_prompt_sets").insert_many(stale)
        started = time.perf_counter()
        deleted = cleanup_prompt_sets()
        cleanup_seconds = time.perf_counter() - started

        print(f"veteran_streak_days: {streak}")
        print(f"today_page_new_person_median_ms: {median(new_times):.1f}")
        print(f"today_page_new_person_p95_ms: {percentile(new_times, 0.95):.1f}")
        print(f"today_page_3_years_median_ms: {median(veteran_times):.1f}")
        print(f"today_page_3_years_p95_ms: {percentile(veteran_times, 0.95):.1f}")
        print(f"first_view_with_selection_3_years_median_ms: {median(first_views):.1f}")
        print(f"answer_prompt_median_ms: {median(answers):.1f}")
        print(f"cleanup_deleted_sets: {deleted}")
        print(f"cleanup_20000_sets_seconds: {cleanup_seconds:.2f}")
        print(f"today_page_ratio_3_years_over_new: {median(veteran_times) / median(new_times):.2f}")


if __name__ == "__main__":
    main()
