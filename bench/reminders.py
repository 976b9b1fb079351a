"""The reminders' minute job finds who is due without reading everyone's plan.

Prepares the bench stores (the embedded default, or DATABASE_URL / MONGO_URI / REDIS_URL),
stores reminder plans for many people whose next reminders are spread over the coming week,
and 20 people whose reminder is due now. Times the due sweep (`reminder_plans.due_plans`, the
indexed `due_minute`) and one whole run of the job (claiming and sending the 20, by push to
no device) with SMALL and then LARGE plans stored.

Headline: sweep time with LARGE plans over sweep time with SMALL (about 1 when the sweep
reads only the due plans; about LARGE / SMALL if it scanned them).
"""

import time
from datetime import UTC, datetime, timedelta

from _stores import bench_app, median

from mindnotes.documents import reminders as plans
from mindnotes.extensions import mongo
from mindnotes.jobs.reminders import send_due_reminders
from mindnotes.services.account import register_user
from mindnotes.services.reminders import DEFAULT_PLAN, save_reminders

SMALL, LARGE = 1_000, 10_000
DUE = 20
RUNS = 15
NOW = datetime(2027, 3, 29, 8, 0, tzinfo=UTC)


def later_plans(first_id: int, count: int) -> list[dict]:
    """Plans of people whose next reminder falls in the coming week (never due in this bench)."""
    return [
        {
            **DEFAULT_PLAN,
            "user_id": first_id + number,
            "revision": 1,
            "journal": {"on": True, "time": "21:00"},
            "timezone": "UTC",
            "next_due_at": NOW + timedelta(minutes=5 + number % (7 * 24 * 60)),
            "due_minute": int(NOW.timestamp()) // 60 + 5 + number % (7 * 24 * 60),
            "next_slot": {"kind": "journal", "local": "2027-03-29T21:00:00", "number": 1},
        }
        for number in range(count)
    ]


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


def measure(label: str, due_people: list) -> float:
    sweep = median([timed(lambda: plans.due_plans(NOW, 500)) for _ in range(RUNS)])
    for person in due_people:
        save_reminders(
            person, {"journal_on": "y", "journal_time": "07:59", "by_push": "y"}, now=NOW - timedelta(hours=1)
        )
    job = timed(lambda: send_due_reminders(NOW))
    print(f"due_sweep_ms_{label}: {sweep:.2f}")
    print(f"job_run_ms_{label}_{DUE}_due: {job:.1f}")
    return sweep


def main() -> None:
    with bench_app() as app, app.test_request_context("/"):
        due_people = [
            register_user(f"due{number}@example.com", "bench password 123", "", "UTC") for number in range(DUE)
        ]
        mongo.db[plans.PLANS].insert_many(later_plans(1_000_000, SMALL))
        small = measure(f"{SMALL}_plans", due_people)
        mongo.db[plans.PLANS].insert_many(later_plans(1_000_000 + SMALL, LARGE - SMALL))
        large = measure(f"{LARGE}_plans", due_people)
        print(f"due_sweep_ratio_{LARGE}_vs_{SMALL}_plans: {large / small:.2f}")


if __name__ == "__main__":
    main()
