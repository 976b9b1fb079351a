"""The one shared way a write lands in the person's day totals.

Journal, mood, focus and prompt services call `record_activity` in the same
service call as their write. Field names used so far:
entries, words (journal); moods, mood_score_sum (mood: the sum of the moods' 1-5 scores);
focus_minutes, focus_sessions (focus); prompts_answered (prompts).

Each call also queues a rebuild of the person's analytics (streaks and totals
move when a day changes); a rebuild that is still waiting covers the write, so
there is at most one waiting rebuild per person. Rebuilds are queued at most
once a second (FOLD_AT_MOST_EVERY): a write within the second after one was
queued is folded by a rebuild scheduled for when the second is up, so a burst
of writes (an import, an offline queue sent at once, many tabs) costs about one
rebuild a second, not one per write. The dashboard adds what is not yet folded
(services.overview.dashboard), so it never lags. A write that changes the day
logs some other way calls `refresh_analytics` itself. Queueing never fails the
write: with Redis unreachable the rebuild waits in the outbox for the sweep
(`services.followups`).
"""

from datetime import datetime

from mindnotes.documents import daily_activity_logs
from mindnotes.services.followups import queue_followup
from mindnotes.timeutil import local_date

FOLD_AT_MOST_EVERY = 1.0  # seconds


def record_activity(user_id: int, moment: datetime, timezone: str, **increments: int | float) -> str:
    """Add `increments` to the person's local day of `moment`; returns that day."""
    day = local_date(moment, timezone)
    daily_activity_logs.record_activity(user_id, day, **increments)
    refresh_analytics(user_id)
    return day


def refresh_analytics(user_id: int) -> None:
    """Queue the update of the person's figures, unless one is already waiting (or keep it for the sweep)."""
    queue_followup(
        user_id,
        "mindnotes.jobs.analytics.refresh_user_analytics",
        user_id,
        job_id=f"analytics-{user_id}",
        at_most_every=FOLD_AT_MOST_EVERY,
    )
