"""The one builder of a mood document's fields, and the mood score.

A mood keeps two numbers that mean different things:
- `score`, 1 to 5, how good the moment felt (1 awful, 2 bad, 3 okay, 4 good,
  5 great): every average, trend, colour, export and correlation uses it;
- `intensity`, 1 to 10, how strong the feeling was: shown beside the score,
  never averaged as if it said how good a day was.

When the person does not choose a score, it comes from the category's valence
and the intensity (`score_from`): a neutral mood is okay (3); a mildly
pleasant or unpleasant one (valence +1/-1) is good/bad (4/2), or great/awful
(5/1) when felt at intensity 8 or more; a very pleasant or unpleasant one
(valence +2/-2) is great/awful (5/1), or good/bad (4/2) when felt at intensity
3 or less. "Stressed, 9 of 10" is an awful moment, not a great day.

Everything that writes a mood document (the picker, the journal editor's mood
control, the focus check-in, the importers) builds it with `mood_document_fields`;
`flask mood upgrade` gives moods stored before scores theirs with `score_from`.
"""

from datetime import datetime
from typing import Protocol

from bson import ObjectId

from mindnotes import timeutil
from mindnotes.documents import mood_entries

SCORE_WORDS = {1: "awful", 2: "bad", 3: "okay", 4: "good", 5: "great"}
SCORE_MIN, SCORE_MAX = 1, 5
STRONG_INTENSITY = 8
FAINT_INTENSITY = 3


class MoodChoice(Protocol):
    """A category as a mood stores it: the person's own or a shared default (read only)."""

    @property
    def id(self) -> int: ...

    @property
    def name(self) -> str: ...

    @property
    def emoji(self) -> str: ...

    @property
    def valence(self) -> int: ...


def score_from(valence: int, intensity: int) -> int:
    """The score a mood of this valence (-2..+2) and intensity (1..10) gets when none was chosen."""
    if valence == 0:
        return 3
    direction = 1 if valence > 0 else -1
    steps = 2 if abs(valence) >= 2 else 1
    if steps == 1 and intensity >= STRONG_INTENSITY:
        steps = 2
    elif steps == 2 and intensity <= FAINT_INTENSITY:
        steps = 1
    return 3 + direction * steps


def score_word(score: int | float | None) -> str:
    """ "great", "okay"... for a score or a rounded average; "" for none."""
    if score is None:
        return ""
    return SCORE_WORDS[min(SCORE_MAX, max(SCORE_MIN, int(score + 0.5)))]


def mood_document_fields(
    category: MoodChoice,
    *,
    intensity: int,
    score: int | None,
    factors: list[dict],
    felt_at: datetime,
    timezone: str,
    updated_at: datetime,
    note: str = "",
    place: str | None = None,
    journal_entry_id: ObjectId | None = None,
) -> dict:
    """A mood document's fields from checked values (score None: from the category's valence and intensity).

    The category's name and emoji are stored on the mood, so history keeps
    them as they were when it was logged, whatever the person renames later.
    """
    return {
        "category_id": category.id,
        "category_name": category.name,
        "emoji": category.emoji,
        "valence": category.valence,
        "score": score if score is not None else score_from(category.valence, intensity),
        "intensity": intensity,
        "factors": factors,
        "factor_values": mood_entries.factor_values_of(factors),
        "note": note.strip(),
        "felt_at": felt_at,
        "local_date": timeutil.local_date(felt_at, timezone),
        "time_of_day": timeutil.part_of_day(felt_at.astimezone(timeutil.zone(timezone)).hour),
        "context": {"place": (place or "").strip() or None},
        "journal_entry_id": journal_entry_id,
        "updated_at": updated_at,
    }


def logged_summary(mood: dict) -> str:
    """ "😌 Calm, good (4/5), intensity 6/10": what a person is told when a mood is saved."""
    word = score_word(mood["score"])
    return f"{mood['emoji']} {mood['category_name']}, {word} ({mood['score']}/5), intensity {mood['intensity']}/10"
