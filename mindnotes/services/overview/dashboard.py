"""The dashboard: what a person sees first, in a fixed number of small reads.

It reads only their `user_analytics` document (kept up to date by the
analytics job each write queues, see `services.overview.analytics`), the day
logs of the last 30 days (by day id), today's prompt set, the running focus
session and the listed entries by `_id`, so it costs the same at any history
size. Today's day log corrects the stored streak before the job has run.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from mindnotes import timeutil
from mindnotes.documents import daily_activity_logs, history, user_analytics
from mindnotes.documents.daily_activity_logs import DAY_FIELDS
from mindnotes.services.overview.analytics import monday_of
from mindnotes.services.overview.weekly import latest_review
from mindnotes.timeutil import zone


@dataclass
class Period:
    """Totals over a run of local days."""

    entries: int = 0
    words: int = 0
    focus_minutes: int = 0
    focus_sessions: int = 0
    moods: int = 0
    mood_score_sum: float = 0
    prompts_answered: int = 0

    @classmethod
    def of(cls, days: list[dict]) -> "Period":
        return cls(**{name: sum(day.get(name) or 0 for day in days) for name in DAY_FIELDS})

    @property
    def mood_average(self) -> float | None:
        return round(self.mood_score_sum / self.moods, 1) if self.moods > 0 else None


@dataclass
class Dashboard:
    greeting: str
    local_now: datetime
    today: str
    streak_current: int
    streak_longest: int
    totals: dict
    this_week: Period
    last_week: Period
    mood_average_7: float | None
    mood_average_30: float | None
    today_figures: Period
    prompt_set: dict | None
    running_session: dict | None
    recent_entries: list[dict] = field(default_factory=list)
    on_this_day: list[dict] = field(default_factory=list)
    rebuilt_at: datetime | None = None
    weekly_review: dict | None = None


def greeting_for(hour: int) -> str:
    """Good morning/afternoon/evening/night, by the same parts of the day a mood is filed under."""
    return f"Good {timeutil.part_of_day(hour)}"


def current_streak(streak: dict, today: date, wrote_today: bool) -> int:
    """Days in a row up to today, from the stored latest run and today's day log.

    The latest run may end yesterday (still alive: today is not over), or today;
    after a move west it may even end "tomorrow". Today's day log decides about
    today before the rebuild has run.
    """
    end = streak.get("latest_end")
    if end is None:
        return 1 if wrote_today else 0
    end_day = date.fromisoformat(end)
    if end_day == today and not wrote_today:
        # Today's entries went (to the trash) after the rebuild: the run ends yesterday.
        return streak["latest_length"] - 1
    if end_day >= today:
        return streak["latest_length"]
    if end_day == today - timedelta(days=1):
        return streak["latest_length"] + (1 if wrote_today else 0)
    return 1 if wrote_today else 0


def dashboard_for(user, now: datetime | None = None) -> Dashboard:
    """Everything the dashboard shows, in a fixed number of small, indexed reads."""
    moment = now or timeutil.utcnow()
    local = moment.astimezone(zone(user.timezone))
    today = local.date()
    monday = monday_of(today)
    first = min(today - timedelta(days=29), monday - timedelta(days=7))
    recent_days = daily_activity_logs.days_between(user.id, first.isoformat(), today.isoformat())

    def period(start: date, end: date) -> Period:
        return Period.of([day for day in recent_days if start.isoformat() <= day["local_date"] <= end.isoformat()])

    today_figures = period(today, today)
    analytics = user_analytics.get_analytics(user.id) or {}
    streak = analytics.get("streak", {})
    current = current_streak(streak, today, today_figures.entries > 0)
    prompt_set = history.prompt_set_of_day(user.id, today.isoformat())
    return Dashboard(
        greeting=greeting_for(local.hour),
        local_now=local,
        today=today.isoformat(),
        streak_current=current,
        streak_longest=max(streak.get("longest", 0), current),
        totals={name: analytics.get("totals", {}).get(name, 0) for name in DAY_FIELDS},
        this_week=period(monday, today),
        last_week=period(monday - timedelta(days=7), monday - timedelta(days=1)),
        mood_average_7=period(today - timedelta(days=6), today).mood_average,
        mood_average_30=period(today - timedelta(days=29), today).mood_average,
        today_figures=today_figures,
        prompt_set=prompt_set_summary(prompt_set),
        running_session=history.running_focus_session(user.id),
        recent_entries=history.entries_by_ids(user.id, analytics.get("recent_entry_ids", [])),
        on_this_day=history.entries_by_ids(
            user.id, analytics.get("on_this_day_ids", {}).get(today.strftime("%m-%d"), [])
        ),
        rebuilt_at=analytics.get("rebuilt_at"),
        weekly_review=latest_review(user),
    )


def prompt_set_summary(prompt_set: dict | None) -> dict | None:
    if prompt_set is None:
        return None
    prompts = prompt_set.get("prompts", [])
    answered = sum(1 for prompt in prompts if prompt.get("answered"))
    return {
        "prompts": prompts,
        "answered": answered,
        "total": len(prompts),
        "completed": bool(prompt_set.get("completed")) or (bool(prompts) and answered == len(prompts)),
    }
