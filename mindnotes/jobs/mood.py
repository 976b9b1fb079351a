"""Mood upkeep: moods stored before issue 17 brought up to date (scores, entries' old moods); safe to run twice."""

from sqlalchemy import select

from mindnotes.extensions import db
from mindnotes.models import User
from mindnotes.services.mood import upkeep


def upgrade_person_moods(user_id: int) -> dict[str, int]:
    """Score the person's unscored moods, then link their entries' old moods; how many of each."""
    user = db.session.get(User, user_id)
    if user is None:
        return {}
    return {"scored": upkeep.backfill_scores(user_id), "linked": upkeep.link_entry_moods(user)}


def upgrade_all_moods() -> dict[str, int]:
    """`upgrade_person_moods` for everyone, one person at a time; the totals."""
    totals: dict[str, int] = {}
    for user_id in db.session.scalars(select(User.id).order_by(User.id)):
        for name, count in upgrade_person_moods(user_id).items():
            totals[name] = totals.get(name, 0) + count
    return totals
