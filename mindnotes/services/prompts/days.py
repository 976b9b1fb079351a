"""Past prompt days: the answers a set gathered, history pages grouped by day, the streak.

Answers are read from the day's journal entry (a set only records which
prompts were answered); an entry that was deleted or sits in the trash shows
no answers.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bson import ObjectId

from mindnotes import timeutil
from mindnotes.documents import daily_prompt_sets, journal_entries

HISTORY_PAGE_DAYS = 14


@dataclass
class HistoryDay:
    local_date: str
    completed: bool
    # [{question, category_name, answer, mood, word_count}]; answer None when the entry is gone
    answers: list[dict]
    # False when the day's journal entry was deleted or is in the trash
    entry_available: bool
    entry_id: ObjectId


def day_label(local_day: str) -> str:
    """ "Wednesday 25 November 2026" for "2026-11-25"."""
    return date.fromisoformat(local_day).strftime("%A %-d %B %Y")


def answers_of(user, prompt_set: dict) -> dict[int, dict]:
    """The set's answers, by prompt id, from its journal entry (none if it is gone or in the trash)."""
    if not prompt_set.get("answered_count"):
        return {}
    entry = journal_entries.get_entry(user.id, prompt_set["entry_id"])
    if entry is None or entry.get("deleted_at"):
        return {}
    return {response["prompt_id"]: response for response in entry.get("prompt_responses", [])}


def prompt_history(
    user, before: str | None = None, days: int = HISTORY_PAGE_DAYS
) -> tuple[list[HistoryDay], str | None]:
    """Days with answers, newest first, and the `before` of the next (older) page or None."""
    sets = daily_prompt_sets.answered_sets_before(user.id, before, days + 1)
    older = sets[days - 1]["local_date"] if len(sets) > days else None
    history = []
    for prompt_set in sets[:days]:
        responses = answers_of(user, prompt_set)
        answers = []
        for prompt in prompt_set["prompts"]:
            if not prompt.get("answered"):
                continue
            response = responses.get(prompt["prompt_id"], {})
            answers.append(
                {
                    "question": prompt["question"],
                    "category_name": prompt["category_name"],
                    "answer": response.get("answer"),
                    "mood": response.get("mood"),
                    "word_count": response.get("word_count"),
                }
            )
        history.append(
            HistoryDay(
                prompt_set["local_date"],
                bool(prompt_set.get("completed")),
                answers,
                bool(responses),
                prompt_set["entry_id"],
            )
        )
    return history, older


def prompt_streak(user, now: datetime | None = None) -> int:
    """Local days in a row on which the whole set was answered, ending today or yesterday.

    Each set stores the streak it completed (see `answer_prompt`), so this reads two days, never the history.
    """
    today = date.fromisoformat(timeutil.local_date(now or timeutil.utcnow(), user.timezone))
    for day in (today, today - timedelta(days=1)):
        prompt_set = daily_prompt_sets.get_for_day(user.id, day.isoformat())
        if prompt_set and prompt_set.get("completed"):
            return prompt_set.get("streak", 1)
    return 0
