"""Plans and the entry limit, enforced atomically in PostgreSQL.

A new entry first reserves a slot with one conditional UPDATE (no row updated
means the limit is reached), then writes to MongoDB, and gives the slot back if
that write fails. Two requests at the limit can never both get a slot.
"""

from sqlalchemy import case, select, text, update

from mindnotes.errors import NotFound
from mindnotes.extensions import db
from mindnotes.models import Plan, Profile, User

_RESERVE_SLOT = text(
    """
    UPDATE profiles SET entries_used = entries_used + 1
    WHERE user_id = :user_id
      AND entries_used < COALESCE(
        (SELECT plans.entry_limit FROM subscriptions
         JOIN plans ON plans.id = subscriptions.plan_id
         WHERE subscriptions.user_id = :user_id),
        2147483647)
    """
)


class UnknownPlan(NotFound):
    """No plan has this code."""


def plan_by_code(code: str) -> Plan | None:
    return db.session.scalar(select(Plan).where(Plan.code == code))


def plans_by_price() -> list[Plan]:
    """Every plan, cheapest first (the plans page)."""
    return list(db.session.scalars(select(Plan).order_by(Plan.price_minor)))


def plan_for(user_id: int) -> Plan:
    # The signed-in person comes with their subscription and plan (login_sessions): no statement then.
    user = db.session.get(User, user_id)
    return user.subscription.plan if user is not None and user.subscription is not None else None


def reserve_entry_slot(user_id: int) -> bool:
    """Take one entry slot of the person's plan; False when the limit is reached."""
    reserved = db.session.execute(_RESERVE_SLOT, {"user_id": user_id}).rowcount == 1
    db.session.commit()
    return reserved


def release_entry_slots(user_id: int, count: int = 1) -> None:
    """Give back slots: a failed write, or entries purged from the trash."""
    db.session.execute(
        update(Profile)
        .where(Profile.user_id == user_id)
        .values(entries_used=case((Profile.entries_used > count, Profile.entries_used - count), else_=0))
    )
    db.session.commit()


def grant_plan(user: User, plan_code: str) -> Plan:
    """Put the person on `plan_code` (an administrator's action)."""
    plan = plan_by_code(plan_code)
    if plan is None:
        raise UnknownPlan(plan_code)
    user.subscription.plan = plan
    user.subscription.status = "active"
    user.subscription.cancel_at_period_end = False
    db.session.commit()
    return plan
