"""Keeping counters true to the documents they count."""

from sqlalchemy import update

from mindnotes.documents.journal_entries import count_slot_holders
from mindnotes.extensions import db
from mindnotes.models import Profile


def recount_entries(user_id: int) -> tuple[int, int]:
    """Set the person's entries_used to what MongoDB holds; returns (before, after)."""
    profile = db.session.get(Profile, user_id)
    if profile is None:
        return (0, 0)
    before = profile.entries_used
    after = count_slot_holders(user_id)
    db.session.execute(update(Profile).where(Profile.user_id == user_id).values(entries_used=after))
    db.session.commit()
    return (before, after)
