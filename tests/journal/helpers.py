"""Helpers for the journal tests: entries written through the service, plan slots set directly."""

from types import SimpleNamespace

from sqlalchemy import update

from mindnotes.extensions import db
from mindnotes.models import Profile
from mindnotes.services import journal
from mindnotes.services.billing.plans import plan_for


def write(user, **fields):
    """An entry written through the journal service (title "An entry" unless given)."""
    fields.setdefault("title", "An entry")
    return journal.create_entry(user, fields)


def leave_slots(user, left: int) -> None:
    """Use up the person's plan so that exactly `left` entry slots remain."""
    limit = plan_for(user.id).entry_limit
    db.session.execute(update(Profile).where(Profile.user_id == user.id).values(entries_used=limit - left))
    db.session.commit()


def entries_used(user) -> int:
    return db.session.scalar(db.select(Profile.entries_used).where(Profile.user_id == user.id))


def plain(user) -> SimpleNamespace:
    """What the service reads of a person, safe to hand to other threads."""
    return SimpleNamespace(id=user.id, timezone=user.timezone)
