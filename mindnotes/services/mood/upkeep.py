"""Bringing moods stored before issue 17 up to date, one person at a time; each step safe to run twice.

- `backfill_scores`: a mood stored before scores gets the score its valence and
  intensity give (`fields.score_from`); one that has a score keeps it.
- `link_entry_moods`: an entry's old 1-10 `mood` field becomes a mood log
  linked to the entry (`entries.link_old_entry_mood`), and the field goes away.

Each asks for a recount of the person's day totals when it changed a mood
(the days' `mood_score_sum` is then counted again from the moods).
"""

from sqlalchemy import select

from mindnotes.documents import journal_entries, mood_entries
from mindnotes.extensions import db
from mindnotes.models import MoodCategory, User
from mindnotes.services.mood.entries import link_old_entry_mood
from mindnotes.services.mood.fields import score_from
from mindnotes.services.overview.activity import refresh_analytics
from mindnotes.services.overview.analytics import ask_for_recount


def _valence_of(mood: dict, valences: dict[int, int]) -> int:
    """The valence the mood was logged with, else its category's today, else neutral."""
    valence = mood.get("valence")
    if type(valence) is int:
        return valence
    return valences.get(mood.get("category_id", 0), 0)


def recount_days(user_id: int) -> None:
    """Have the person's day totals counted again from their documents, by their next analytics run."""
    ask_for_recount(user_id)
    refresh_analytics(user_id)


def backfill_scores(user_id: int) -> int:
    """Give each of the person's moods without a score the one its valence and intensity give; how many."""
    valences = {row.id: row.valence for row in db.session.execute(select(MoodCategory.id, MoodCategory.valence))}
    changed = 0
    for mood in mood_entries.moods_without_score(user_id):
        intensity = mood.get("intensity")
        if type(intensity) is not int:
            intensity = 5
        score = score_from(_valence_of(mood, valences), intensity)
        if mood_entries.set_score_if_missing(user_id, mood["_id"], score):
            changed += 1
    if changed:
        recount_days(user_id)
    return changed


def link_entry_moods(user: User) -> int:
    """Turn each of the person's entries' old 1-10 mood into a linked mood log; how many entries had one."""
    return sum(link_old_entry_mood(user, entry) for entry in journal_entries.with_old_mood(user.id))
