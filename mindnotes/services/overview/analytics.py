"""The analytics rebuild: a person's figures, recounted from their documents.

The rebuild (run by `mindnotes.jobs.analytics`) recounts every local day from
the journal, mood and focus documents, corrects the day logs that drifted, and
stores one `user_analytics` document: totals, streaks, weekly series, the hours
focus sessions end, and which entries the dashboard lists.
"""

from datetime import UTC, date, datetime, timedelta

from mindnotes import timeutil
from mindnotes.documents import daily_activity_logs, history, user_analytics
from mindnotes.documents.daily_activity_logs import DAY_FIELDS, RECOUNTED_FIELDS
from mindnotes.timeutil import local_date, zone

WEEKS_KEPT = 26


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
