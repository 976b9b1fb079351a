"""One mood system: an entry's mood is a mood log linked to the entry.

The journal editor's mood control (`mood_score`: how good it felt, 1 to 5, or
empty for no mood) owns one linked mood per entry: the one whose `_id` is the
entry's own `_id`. Saving the entry creates, changes or deletes that mood
through the mood service, so it counts in the day totals like any other. A
new one takes the person's first listed mood whose valence matches the score
(the entry page links to the mood to choose another, add factors or a note);
changing the score keeps the mood's category and details. The control reads
no category list, so the editor costs no SQL statement more.

More moods can be linked from the entry page ("add how you felt"); those are
the mood tracker's, and the editor leaves them alone.

An entry written before this (with the old 1-10 `mood` field) gets its mood
log from `link_old_entry_mood`, once: the field's 1-10 becomes a 1-5 score.
"""

from contextlib import suppress
from dataclasses import replace
from datetime import datetime

from bson import ObjectId

from mindnotes import timeutil
from mindnotes.documents import compare_and_swap, journal_entries, mood_entries
from mindnotes.inputs import parse_int
from mindnotes.models import User
from mindnotes.services.mood import (
    EARLIEST,
    LOCAL_MINUTE,
    MoodForm,
    category_for_score,
    change_mood,
    delete_mood,
    log_mood,
)
from mindnotes.services.mood.fields import SCORE_MAX, SCORE_MIN

NO_MOOD = 0


def entry_mood_choice(fields: dict) -> tuple[int | None, dict[str, str]]:
    """The control's score (NO_MOOD: none) and its problems; (None, {}) when the form had no control."""
    if "mood_score" not in fields:
        return None, {}
    text = (fields.get("mood_score") or "").strip()
    if not text:
        return NO_MOOD, {}
    score = parse_int(text)
    if score is None or not SCORE_MIN <= score <= SCORE_MAX:
        return None, {"mood_score": "Choose how good it felt: 1 (awful) to 5 (great), or no mood."}
    return score, {}


def editor_mood(user: User, entry_id: ObjectId | str) -> dict | None:
    """The mood the editor's control owns for this entry, if it has one."""
    return mood_entries.get_mood(user.id, entry_id)


def control_score(user: User, entry_id: ObjectId | str) -> str:
    """The editor form's `mood_score` for a stored entry: its own mood's score, or "" for none."""
    mood = editor_mood(user, entry_id)
    return str(mood["score"]) if mood else ""


def _felt_at(entry: dict, timezone: str, now: datetime) -> str:
    """The entry's moment as the mood's local minute: moods start in 2000 and never lie in the future."""
    moment = min(max(entry["entry_date"], EARLIEST.replace(tzinfo=now.tzinfo)), now)
    return moment.astimezone(timeutil.zone(timezone)).strftime(LOCAL_MINUTE)


def save_entry_mood(user: User, entry: dict, score: int | None, now: datetime | None = None) -> dict | None:
    """Make the entry's own mood match the control's score: created, changed, or deleted (NO_MOOD).

    None (no control in the form) leaves it as it is, unread. The entry's mood, or None when it has none.
    """
    if score is None:
        return None
    current = editor_mood(user, entry["_id"])
    if score == NO_MOOD:
        if current is not None:
            delete_mood(user, entry["_id"])
        return None
    now = now or timeutil.utcnow()
    if current is not None:
        form = MoodForm.from_mood(current, user.timezone)
    else:
        form = MoodForm(category=str(category_for_score(user.id, score).id), mood_id=str(entry["_id"]))
    form = replace(
        form, score=str(score), felt_at=_felt_at(entry, user.timezone, now), journal_entry_id=str(entry["_id"])
    )
    if current is None:
        return log_mood(user, form, now)
    return change_mood(user, str(entry["_id"]), form, now)


def linked_moods(user: User, entry_id: ObjectId | str) -> list[dict]:
    """Every mood linked to the person's entry, earliest felt first."""
    return mood_entries.moods_for_entry(user.id, entry_id)


def old_mood_score(old_mood: int) -> int:
    """The 1-10 an entry's old mood field held, as a 1-5 score: 1-2 awful ... 9-10 great."""
    return (min(10, max(1, old_mood)) + 1) // 2


class _NoOldMood(LookupError):
    """The entry has no old mood field any more (done already)."""


def link_old_entry_mood(user: User, entry: dict, now: datetime | None = None) -> bool:
    """Turn the entry's old `mood` field (1-10, or None) into its linked mood log, then drop the field.

    False when no mood was linked: no old mood (an empty field, which real MongoDB
    finds and nx-27017 does not, is dropped all the same), or the entry is in the
    trash (a linked mood needs a live entry: it is done once the entry is restored
    and this runs again). The mood's `_id` is the entry's, so a run that stopped between
    the two steps makes no second mood when it runs again.
    """
    if "mood" not in entry or entry.get("deleted_at"):
        return False
    old = entry["mood"]
    if type(old) is int and editor_mood(user, entry["_id"]) is None:
        save_entry_mood(user, entry, old_mood_score(old), now)

    def read() -> dict:
        stored = journal_entries.get_entry(user.id, entry["_id"])
        if stored is None or "mood" not in stored:
            raise _NoOldMood
        return stored

    # Gone meanwhile, or another run dropped the field first: either way it is done.
    with suppress(_NoOldMood):
        compare_and_swap(
            journal_entries.NAME,
            user.id,
            read,
            lambda stored: {key: value for key, value in stored.items() if key != "mood"},
        )
    return type(old) is int
