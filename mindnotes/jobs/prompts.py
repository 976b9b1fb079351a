"""Prompt jobs: clearing away prompt sets nobody answered."""

from datetime import datetime, timedelta

from mindnotes import timeutil
from mindnotes.documents import daily_prompt_sets

UNANSWERED_KEPT_DAYS = 30


def cleanup_prompt_sets(now: datetime | None = None) -> int:
    """Delete prompt sets older than 30 days in which no prompt was answered; returns how many.

    Answers live in journal entries, which this never touches; a set with any
    answer stays (history and streaks read it). Running it again deletes nothing more.
    "Today" is the UTC day of `now`.
    """
    day = (now or timeutil.utcnow()).date()
    cutoff = (day - timedelta(days=UNANSWERED_KEPT_DAYS)).isoformat()
    return daily_prompt_sets.delete_unanswered_before(cutoff)
