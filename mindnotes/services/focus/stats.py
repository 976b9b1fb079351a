"""Focus statistics: today's and this week's minutes, sessions per day, completion and rating.

Minutes and sessions per day come from the ready-made day totals
(daily_activity_logs); completion rate and average rating from the sessions of
the last 30 days. Days are the person's local days.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from mindnotes import timeutil
from mindnotes.documents import daily_activity_logs, focus_sessions
from mindnotes.models import User

CHART_DAYS = 14
RATE_DAYS = 30


@dataclass(frozen=True)
class DayFigures:
    local_date: str
    label: str
    sessions: int
    minutes: int


@dataclass(frozen=True)
class FocusStats:
    today_minutes: int
    week_minutes: int
    days: list[DayFigures]
    completed: int
    abandoned: int
    average_rating: float | None

    @property
    def completion_percent(self) -> int | None:
        ended = self.completed + self.abandoned
        return round(100 * self.completed / ended) if ended else None

    @property
    def busiest_day_sessions(self) -> int:
        return max((day.sessions for day in self.days), default=0)


def focus_statistics(user: User, now: datetime | None = None) -> FocusStats:
    today = date.fromisoformat(timeutil.local_date(now or timeutil.utcnow(), user.timezone))
    week_start = today - timedelta(days=today.weekday())
    first = min(week_start, today - timedelta(days=CHART_DAYS - 1))
    logs = {
        log["local_date"]: log
        for log in daily_activity_logs.days_between(user.id, first.isoformat(), today.isoformat())
    }

    def figure(day: date, name: str) -> int:
        return int((logs.get(day.isoformat()) or {}).get(name, 0))

    days = [
        DayFigures(
            day.isoformat(), day.strftime("%a %d %b"), figure(day, "focus_sessions"), figure(day, "focus_minutes")
        )
        for day in (today - timedelta(days=offset) for offset in range(CHART_DAYS - 1, -1, -1))
    ]
    week = (week_start + timedelta(days=offset) for offset in range((today - week_start).days + 1))
    sessions = focus_sessions.sessions_since(user.id, (today - timedelta(days=RATE_DAYS - 1)).isoformat())
    ratings = [
        s["productivity_rating"] for s in sessions if s["status"] == "completed" and s.get("productivity_rating")
    ]
    return FocusStats(
        today_minutes=figure(today, "focus_minutes"),
        week_minutes=sum(figure(day, "focus_minutes") for day in week),
        days=days,
        completed=sum(1 for s in sessions if s["status"] == "completed"),
        abandoned=sum(1 for s in sessions if s["status"] == "abandoned"),
        average_rating=round(sum(ratings) / len(ratings), 1) if ratings else None,
    )
