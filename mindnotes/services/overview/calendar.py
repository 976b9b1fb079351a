"""The month calendar: one cell per local day from the day logs, and a day's own documents."""

import calendar as month_math
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from mindnotes import inputs, timeutil
from mindnotes.documents import daily_activity_logs, history
from mindnotes.timeutil import zone

MOOD_BANDS = 5


@dataclass
class CalendarDay:
    day: date
    entries: int = 0
    words: int = 0
    moods: int = 0
    mood_average: float | None = None
    focus_minutes: int = 0
    is_today: bool = False

    @property
    def iso(self) -> str:
        return self.day.isoformat()

    @property
    def mood_band(self) -> int | None:
        """1 (awful) .. 5 (great): the day's average mood score, rounded half up."""
        if self.mood_average is None:
            return None
        return min(MOOD_BANDS, max(1, math.floor(self.mood_average + 0.5)))

    @property
    def summary(self) -> str:
        """What the cell says, for screen readers and as the link's name."""
        parts = [self.day.strftime("%A %-d %B")]
        parts.append(f"{self.entries} entr{'y' if self.entries == 1 else 'ies'}" if self.entries else "no entry")
        if self.mood_average is not None:
            parts.append(f"mood {self.mood_average:g} of 5 ({self.moods} logged)")
        if self.focus_minutes:
            parts.append(f"{self.focus_minutes} focus minutes")
        return ", ".join(parts)


@dataclass
class Month:
    first: date
    weeks: list[list[CalendarDay | None]]
    previous: str
    next: str
    today: str

    @property
    def key(self) -> str:
        return self.first.strftime("%Y-%m")

    @property
    def label(self) -> str:
        return self.first.strftime("%B %Y")


def parse_month(text: str) -> date | None:
    """The first day of "YYYY-MM", or None for anything else (answered as a 404).

    The years `inputs` reads (1900 to 2200) leave room for the previous and next months' links.
    """
    return inputs.parse_month(text)


def parse_day(text: str) -> date | None:
    return inputs.parse_day(text)


def local_today(user, now: datetime | None = None) -> date:
    return (now or timeutil.utcnow()).astimezone(zone(user.timezone)).date()


def month_of(user, first: date, now: datetime | None = None) -> Month:
    """The month grid (weeks from Monday) with each day's entries, mood and focus minutes."""
    days_in_month = month_math.monthrange(first.year, first.month)[1]
    last = first.replace(day=days_in_month)
    today = local_today(user, now)
    logs = {
        log["local_date"]: log for log in daily_activity_logs.days_between(user.id, first.isoformat(), last.isoformat())
    }
    cells: list[CalendarDay | None] = [None] * first.weekday()
    for number in range(1, days_in_month + 1):
        day = first.replace(day=number)
        log = logs.get(day.isoformat(), {})
        moods = log.get("moods", 0)
        cells.append(
            CalendarDay(
                day=day,
                entries=max(0, log.get("entries", 0)),
                words=max(0, log.get("words", 0)),
                moods=moods,
                mood_average=round(log.get("mood_score_sum", 0) / moods, 1) if moods > 0 else None,
                focus_minutes=max(0, log.get("focus_minutes", 0)),
                is_today=day == today,
            )
        )
    cells += [None] * (-len(cells) % 7)
    previous = first - timedelta(days=1)
    following = last + timedelta(days=1)
    return Month(
        first=first,
        weeks=[cells[start : start + 7] for start in range(0, len(cells), 7)],
        previous=previous.strftime("%Y-%m"),
        next=following.strftime("%Y-%m"),
        today=today.isoformat(),
    )


def day_of(user, day: date) -> dict:
    """The day's entries, moods and focus sessions (the person's own only)."""
    text = day.isoformat()
    log = daily_activity_logs.get_day(user.id, text) or {}
    return {
        "day": day,
        "entries": history.entries_of_day(user.id, text),
        "moods": history.moods_of_day(user.id, text),
        "sessions": history.focus_sessions_of_day(user.id, text),
        "focus_minutes": max(0, log.get("focus_minutes", 0)),
    }
