"""A person's figures: the analytics rebuild and the dashboard built from it.

The rebuild (run by `mindnotes.jobs.analytics`) recounts every local day from
the feature documents, corrects the day logs that drifted, and stores one
`user_analytics` document: totals, streaks, weekly series and the hours focus
sessions end. The dashboard reads only that document, the day logs of the last
30 days (by day id) and a few documents by `_id`, so it costs the same at any
history size.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from mindnotes import timeutil
from mindnotes.documents import daily_activity_logs, history, user_analytics
from mindnotes.documents.daily_activity_logs import DAY_FIELDS, RECOUNTED_FIELDS
from mindnotes.timeutil import local_date, zone

WEEKS_KEPT = 26


# ---------------------------------------------------------------- the rebuild


def recount_days(user_id: int) -> dict[str, dict]:
    """Every local day's journal, mood and focus totals, counted from the documents."""
    days: dict[str, dict] = {}
    for per_day in (history.journal_days(user_id), history.mood_days(user_id), history.focus_days(user_id)):
        for day, figures in per_day.items():
            days.setdefault(day, dict.fromkeys(RECOUNTED_FIELDS, 0)).update(figures)
    return days


def correct_day_logs(user_id: int, counted: dict[str, dict]) -> dict[str, dict]:
    """Make the day logs agree with the recount; returns every day's totals as now stored.

    Only the recounted totals are overwritten (prompts_answered stays as the
    prompts feature keeps it). A day stored without its day id (by an older
    version, or inserted directly) is rewritten under it, so readers find it.
    """
    zero = dict.fromkeys(DAY_FIELDS, 0)
    logged: dict[str, dict] = {}
    stray_ids, stray_days = [], set()
    for day in daily_activity_logs.all_days(user_id):
        local = day["local_date"]
        if day["_id"] != daily_activity_logs.day_id(user_id, local):
            stray_ids.append(day["_id"])
            stray_days.add(local)
        kept = logged.setdefault(local, dict(zero))
        for name in DAY_FIELDS:
            kept[name] += day.get(name) or 0
    stored = {
        day: {**zero, **counted.get(day, {}), "prompts_answered": logged.get(day, zero)["prompts_answered"]}
        for day in logged.keys() | counted.keys()
    }
    changes = {}
    for day, figures in stored.items():
        if day in stray_days:
            changes[day] = figures
        elif any(logged.get(day, zero)[name] != figures[name] for name in RECOUNTED_FIELDS):
            changes[day] = {name: figures[name] for name in RECOUNTED_FIELDS}
    daily_activity_logs.forget_days(user_id, stray_ids)
    daily_activity_logs.set_days(user_id, changes)
    return stored


def journaling_streaks(days_written: list[str]) -> dict:
    """Longest run of consecutive local days with an entry, and the latest run.

    Days are calendar dates, so a 23- or 25-hour day (DST) is still one day.
    """
    longest = 0
    latest_start = latest_end = None
    run = 0
    previous: date | None = None
    for text in sorted(days_written):
        day = date.fromisoformat(text)
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        if run == 1:
            latest_start = text
        latest_end = text
        longest = max(longest, run)
        previous = day
    return {"longest": longest, "latest_start": latest_start, "latest_end": latest_end, "latest_length": run}


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_series(days: dict[str, dict], today: date, weeks: int = WEEKS_KEPT) -> list[dict]:
    """Totals per week (Monday to Sunday) for the last `weeks` weeks, oldest first."""
    first_monday = monday_of(today) - timedelta(weeks=weeks - 1)
    series = [
        {"start": (first_monday + timedelta(weeks=n)).isoformat(), **dict.fromkeys(DAY_FIELDS, 0)} for n in range(weeks)
    ]
    for text, figures in days.items():
        index = (date.fromisoformat(text) - first_monday).days // 7
        if 0 <= index < weeks:
            for name in DAY_FIELDS:
                series[index][name] += figures.get(name, 0)
    return series


def focus_hours(sessions_by_utc_hour: dict[str, int], timezone: str) -> list[int]:
    """Completed sessions per local hour of the day (0-23) in the person's zone.

    Each UTC hour is placed by its middle, so zones with a half-hour offset land
    in the nearer local hour.
    """
    hours = [0] * 24
    tz = zone(timezone)
    for utc_hour, sessions in sessions_by_utc_hour.items():
        middle = datetime.fromisoformat(f"{utc_hour}:30").replace(tzinfo=UTC)
        hours[middle.astimezone(tz).hour] += sessions
    return hours


def entries_to_show(user_id: int, today: date) -> dict:
    """Which entries the dashboard lists: the newest, and "on this day" for today and tomorrow.

    Tomorrow is kept too, so the list is ready when the person's day turns
    before the next rebuild.
    """
    on_this_day = {}
    for day in (today, today + timedelta(days=1)):
        on_this_day[day.strftime("%m-%d")] = history.on_this_day_ids(user_id, day.strftime("%m-%d"), day.isoformat())
    return {"recent_entry_ids": history.newest_entry_ids(user_id), "on_this_day_ids": on_this_day}


def rebuild_figures(user_id: int, timezone: str, now: datetime | None = None) -> dict:
    """Recount the person's days, correct the day logs and store their analytics document."""
    moment = now or timeutil.utcnow()
    today = date.fromisoformat(local_date(moment, timezone))
    days = correct_day_logs(user_id, recount_days(user_id))
    figures = {
        "timezone": timezone,
        "totals": {name: sum(day[name] for day in days.values()) for name in DAY_FIELDS},
        "days_journaled": sum(1 for day in days.values() if day["entries"] > 0),
        "streak": journaling_streaks([text for text, day in days.items() if day["entries"] > 0]),
        "weeks": weekly_series(days, today),
        "focus_hours": focus_hours(history.focus_completions_by_utc_hour(user_id), timezone),
        **entries_to_show(user_id, today),
    }
    user_analytics.save_analytics(user_id, figures)
    return figures


# ---------------------------------------------------------------- the dashboard


@dataclass
class Period:
    """Totals over a run of local days."""

    entries: int = 0
    words: int = 0
    focus_minutes: int = 0
    focus_sessions: int = 0
    moods: int = 0
    mood_intensity_sum: float = 0
    prompts_answered: int = 0

    @classmethod
    def of(cls, days: list[dict]) -> "Period":
        return cls(**{name: sum(day.get(name) or 0 for day in days) for name in DAY_FIELDS})

    @property
    def mood_average(self) -> float | None:
        return round(self.mood_intensity_sum / self.moods, 1) if self.moods else None


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


def greeting_for(hour: int) -> str:
    if 5 <= hour < 12:
        return "Good morning"
    if 12 <= hour < 18:
        return "Good afternoon"
    if 18 <= hour < 23:
        return "Good evening"
    return "Good night"


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
