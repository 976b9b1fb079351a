"""Billing costs: a signed Stripe webhook, its replay, and the monthly report as payments grow.

1. WEBHOOKS correctly signed `invoice.paid` events for as many people, posted
   through the Flask test client: each verifies the signature, inserts the event
   row, locks the subscription, extends it and books the payment in one
   transaction. Then the same events again: each is refused by the unique event row.
2. `monthly_report` (SQL aggregations with window functions) over PEOPLE people
   paying every month for a year, then over twice as many.
The headline is the report's time at twice the payments over its time at the
first size: about 2 means the database's work grows with the payments and
nothing else (no per-row Python).
Run it on PostgreSQL (`DATABASE_URL=...`) for the figures that matter.
"""

import hashlib
import hmac
import json
import time
from datetime import UTC, datetime

from _stores import bench_app, median, percentile

from mindnotes.extensions import db
from mindnotes.models import Payment, Profile, Subscription, User
from mindnotes.services.billing import add_months, plan_by_code
from mindnotes.services.billing.report import monthly_report, parse_month

SECRET = "whsec_bench"
WEBHOOKS = 300
PEOPLE = 2000
MONTHS = 12
START = datetime(2025, 1, 1, tzinfo=UTC)


def signed(payload: str) -> str:
    timestamp = int(time.time())
    digest = hmac.new(SECRET.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def add_people(count: int, offset: int) -> list[int]:
    """People on the free plan, written in one transaction (no password hashing: nobody signs in)."""
    free = plan_by_code("free")
    people = [
        User(
            email=f"bench{offset + n}@example.com",
            password_hash="-",
            profile=Profile(),
            subscription=Subscription(plan=free, status="active"),
        )
        for n in range(count)
    ]
    db.session.add_all(people)
    db.session.commit()
    return [person.subscription.id for person in people]


def add_a_year_of_payments(subscription_ids: list[int], prefix: str) -> None:
    rows = []
    for subscription_id in subscription_ids:
        for month in range(MONTHS):
            start = add_months(START, month)
            rows.append(
                {
                    "subscription_id": subscription_id,
                    "amount_minor": 500,
                    "currency": "EUR",
                    "status": "succeeded",
                    "provider": "manual",
                    "provider_reference": f"{prefix}-{subscription_id}-{month}",
                    "period_start": start,
                    "period_end": add_months(start, 1),
                    "created_at": start,
                }
            )
    db.session.execute(db.insert(Payment), rows)
    db.session.commit()
    # What autovacuum would do after a bulk load: fresh statistics for the planner.
    db.session.execute(db.text("ANALYZE payments"))
    db.session.commit()


def time_report(runs: int = 7) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        monthly_report(parse_month("2025-06"))
        timings.append((time.perf_counter() - started) * 1000)
    return median(timings)


def post_all(client, bodies: list[str]) -> list[float]:
    timings = []
    for body in bodies:
        started = time.perf_counter()
        response = client.post("/billing/webhooks/stripe", data=body, headers={"Stripe-Signature": signed(body)})
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.get_data(as_text=True)
    return timings


def main() -> None:
    with bench_app(STRIPE_WEBHOOK_SECRET=SECRET) as app:
        client = app.test_client()
        subscription_ids = add_people(WEBHOOKS, offset=0)
        users = db.session.scalars(db.select(Subscription.user_id).where(Subscription.id.in_(subscription_ids)))
        now = int(time.time())
        bodies = [
            json.dumps(
                {
                    "id": f"evt_bench_{user_id}",
                    "object": "event",
                    "type": "invoice.paid",
                    "created": now,
                    "data": {
                        "object": {
                            "id": f"in_bench_{user_id}",
                            "object": "invoice",
                            "customer": f"cus_{user_id}",
                            "amount_paid": 500,
                            "currency": "eur",
                            "created": now,
                            "parent": {
                                "subscription_details": {
                                    "subscription": f"sub_{user_id}",
                                    "metadata": {"user_id": str(user_id)},
                                }
                            },
                            "lines": {"data": [{"period": {"start": now, "end": now + 30 * 86400}}]},
                        }
                    },
                }
            )
            for user_id in users
        ]
        applied = post_all(client, bodies)
        replayed = post_all(client, bodies)
        print(f"webhook_applied_median_ms: {median(applied):.2f}")
        print(f"webhook_applied_p95_ms: {percentile(applied, 0.95):.2f}")
        print(f"webhook_replay_median_ms: {median(replayed):.2f}")

        add_a_year_of_payments(add_people(PEOPLE, offset=WEBHOOKS), "a")
        first = time_report()
        count = db.session.scalar(db.select(db.func.count(Payment.id)))
        print(f"report_payments_first: {count}")
        print(f"report_median_ms_first: {first:.2f}")
        add_a_year_of_payments(add_people(PEOPLE, offset=WEBHOOKS + PEOPLE), "b")
        second = time_report()
        count = db.session.scalar(db.select(db.func.count(Payment.id)))
        print(f"report_payments_second: {count}")
        print(f"report_median_ms_second: {second:.2f}")
        print(f"report_time_ratio_at_2x_payments: {second / first:.2f}")


if __name__ == "__main__":
    main()
