"""Helpers for the daily prompt tests: moments, and past sets written as the service writes them."""

from datetime import UTC, date, datetime, timedelta

from mindnotes.documents import collection, daily_prompt_sets
from mindnotes.services.prompts import new_prompt_set
from mindnotes.services.prompts.selection import PromptChoice

TODAY = date(2026, 6, 15)
NOON = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


def days_ago(count: int) -> str:
    return (TODAY - timedelta(days=count)).isoformat()


def past_set(
    user_id: int, local_date: str, choices: list[PromptChoice], answered: bool = True, completed: bool | None = None
) -> dict:
    """Store a set of `choices` on `local_date`, all answered (or none), as the service would leave it.

    Store a run of days oldest first: a completed set's streak follows the day before, as in the service.
    """
    moment = datetime.fromisoformat(local_date).replace(hour=12, tzinfo=UTC)
    completed = answered if completed is None else completed
    day_before = daily_prompt_sets.get_for_day(
        user_id, (date.fromisoformat(local_date) - timedelta(days=1)).isoformat()
    )
    streak_before = day_before["streak"] if day_before and day_before["completed"] else 0
    document = new_prompt_set(local_date, choices, moment)
    if answered:
        for prompt in document["prompts"]:
            prompt.update(answered=True, answered_at=moment)
        document["answered_count"] = len(choices)
    if completed:
        document.update(completed=True, completed_at=moment, streak=streak_before + 1)
    daily_prompt_sets.insert_set(user_id, document)
    return document


def stored_sets(user_id: int) -> list[dict]:
    return list(collection("daily_prompt_sets").find({"user_id": user_id}).sort("local_date", 1))
