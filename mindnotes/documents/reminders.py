"""reminder_plans and push_subscriptions: what reminds a person, when, and on which devices.

`reminder_plans` holds one document per person: the reminders they turned on, their channels,
`paused`, and the next reminder's slot with its moment in UTC (`next_due_at`, indexed): the
minute job reads only the plans due (`due_plans`, the one sweep across people) instead of
scanning everyone. A plan changes by whole replacement under its revision (nx-27017 keeps a
replaced datetime's type), which is also how a slot is claimed: only one worker moves a plan
past a slot, and only that worker sends it.

`push_subscriptions` holds one document per person and browser (its push `endpoint` and keys),
removed when the push service answers that the subscription is gone.
"""

from datetime import datetime

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from mindnotes.documents import collection, replace_if_revision

PLANS = "reminder_plans"
SUBSCRIPTIONS = "push_subscriptions"


def get_plan(user_id: int) -> dict | None:
    return collection(PLANS).find_one({"user_id": {"$eq": user_id}})


def save_plan(user_id: int, plan: dict) -> dict | None:
    """Store the person's plan whole: a first one is inserted, a later one replaces the stored one if it is
    still at the plan's `revision`. The plan as stored, or None when another write got there first."""
    if "_id" not in plan:
        stored = {**plan, "user_id": user_id, "revision": 1}
        try:
            collection(PLANS).insert_one(stored)
        except DuplicateKeyError:
            return None
        return stored
    new_plan = {name: value for name, value in plan.items() if name not in {"_id", "revision"}}
    return replace_if_revision(PLANS, user_id, plan["_id"], plan.get("revision"), new_plan)


def due_plans(until: datetime, limit: int) -> list[dict]:
    """Everyone's plans with a reminder due by `until`, the most overdue first (the minute job's sweep)."""
    query = {"next_due_at": {"$lte": until}}
    return list(collection(PLANS).find(query).sort("next_due_at", ASCENDING).limit(limit))


def add_subscription(user_id: int, endpoint: str, p256dh: str, auth: str, now: datetime) -> None:
    """Keep (or renew) the person's subscription for one browser, known by its endpoint."""
    subscription = {
        "user_id": user_id,
        "endpoint": endpoint,
        "keys": {"p256dh": p256dh, "auth": auth},
        "created_at": now,
    }
    collection(SUBSCRIPTIONS).replace_one({"user_id": user_id, "endpoint": endpoint}, subscription, upsert=True)


def subscriptions_of(user_id: int) -> list[dict]:
    return list(collection(SUBSCRIPTIONS).find({"user_id": {"$eq": user_id}}))


def remove_subscription(user_id: int, endpoint: str) -> bool:
    return collection(SUBSCRIPTIONS).delete_one({"user_id": user_id, "endpoint": endpoint}).deleted_count == 1
