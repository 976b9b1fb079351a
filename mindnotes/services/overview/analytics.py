"""A person's figures (one `user_analytics` document): kept up to date after each write, recounted nightly.

The figures are totals, days journaled, streaks (the latest run of days with
an entry and the longest one, each with its first and last day), weekly series,
the hours focus sessions end, and which entries the dashboard lists.

After a write (`refresh_figures`, the job every write queues) the cost does
not grow with the person's history. Each write notes what it added to which
day in the day logs' changes document, in the same command as the day
(`daily_activity_logs.record_activity`); the job takes those changes and folds
them into the stored figures:
- totals, days journaled and the weekly series move by the noted amounts (a
  day gains or loses "journaled" when its entries cross zero, read from the
  changed days' logs); weeks that came into the series since are counted from
  their day logs;
- when a day gains or loses "journaled", the streaks are counted again from
  the day logs alone (one small document per day, never the entries): joining
  runs piece by piece went wrong when a write landed between taking the
  changes and reading the logs (seen in the week-in-the-life scenario); writes
  on a day already journaled, the usual case, read no other day;
- focus sessions completed on a day add the end hours of that day's newest
  completed sessions (one person runs one session at a time, so the newest are
  the ones just completed); a session taken back recounts the hours;
- the newest entries are re-read (an indexed `$limit` of 5); "on this day"
  only when today's list is missing or a write landed on that calendar day in
  an earlier year.
The figures are stored whole under a revision guard; if the fold fails after
taking the changes, a recount is asked for, so nothing is lost.

The full recount (`rebuild_figures`: the nightly job, `flask analytics
rebuild`, a person's first figures, a changed time zone, an import, or a
failed fold) counts every local day from the journal, mood and focus documents,
corrects the day logs that drifted and stores the figures afresh.
"""

from datetime import UTC, date, datetime, timedelta

from mindnotes import timeutil
from mindnotes.documents import compare_and_swap, daily_activity_logs, history, user_analytics
from mindnotes.documents.daily_activity_logs import DAY_FIELDS, RECOUNTED_FIELDS
from mindnotes.services.overview.patterns import store_patterns
from mindnotes.timeutil import local_date, zone

WEEKS_KEPT = 26
ONE_DAY = timedelta(days=1)


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
    """Longest run of consecutive local days with an entry, and the latest run (first and last day of each).

    Days are calendar dates, so a 23- or 25-hour day (DST) is still one day.
    Of runs as long as the longest, the latest is kept.
    """
    longest = 0
    longest_start = longest_end = latest_start = latest_end = None
    run = 0
    previous: date | None = None
    for text in sorted(days_written):
        day = date.fromisoformat(text)
        run = run + 1 if previous is not None and day - previous == ONE_DAY else 1
        if run == 1:
            latest_start = text
        latest_end = text
        if run >= longest:
            longest, longest_start, longest_end = run, latest_start, text
        previous = day
    return {
        "longest": longest,
        "longest_start": longest_start,
        "longest_end": longest_end,
        "latest_start": latest_start,
        "latest_end": latest_end,
        "latest_length": run,
    }


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
    """Recount the person's days, correct the day logs and store their analytics document.

    The changes noted so far are dropped first: the recount covers them.
    """
    moment = now or timeutil.utcnow()
    today = date.fromisoformat(local_date(moment, timezone))
    daily_activity_logs.take_changes(user_id)
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
    store_patterns(user_id, moment)
    return figures


def ask_for_recount(user_id: int) -> None:
    """Have the person's next analytics run recount their figures from the documents (the nightly run asks)."""
    daily_activity_logs.ask_for_recount(user_id)


def refresh_figures(user_id: int, timezone: str, now: datetime | None = None) -> dict:
    """Fold the changes noted since the last run into the person's stored figures; returns them.

    Recounts instead when the person has no figures yet, moved to another time
    zone, or a recount was asked for. If the fold fails once the changes are
    taken, a recount is asked for and the error raised.
    """
    stored = user_analytics.get_analytics(user_id)
    if stored is None or stored.get("timezone") != timezone:
        return rebuild_figures(user_id, timezone, now)
    changes, recount = daily_activity_logs.take_changes(user_id)
    if recount:
        return rebuild_figures(user_id, timezone, now)
    today = date.fromisoformat(local_date(now or timeutil.utcnow(), timezone))

    def read() -> dict:
        figures = user_analytics.get_analytics(user_id)
        if figures is None:
            raise LookupError(f"the figures of user {user_id} went while they were updated")
        return figures

    try:
        swapped = compare_and_swap(user_analytics.NAME, user_id, read, lambda got: folded(user_id, got, changes, today))
        if swapped is None:
            raise RuntimeError(f"the figures of user {user_id} changed under every attempt to update them")
    except Exception:
        daily_activity_logs.ask_for_recount(user_id)
        raise
    return swapped[1]


def folded(user_id: int, figures: dict, changes: dict[str, dict], today: date) -> dict:
    """The figures with `changes` ({day: {field: added}}) folded in; reads only around the changed days."""
    logs = daily_activity_logs.days_of(user_id, sorted(changes))
    totals = dict(figures.get("totals") or {})
    for name in DAY_FIELDS:
        totals[name] = totals.get(name, 0) + sum(added.get(name, 0) for added in changes.values())
    days_journaled = figures.get("days_journaled", 0)
    streak = dict(figures.get("streak") or {})
    journaled_days_changed = False
    for day in sorted(changes):
        entries = (logs.get(day) or {}).get("entries") or 0
        before = entries - changes[day].get("entries", 0)
        if (before > 0) != (entries > 0):
            days_journaled += 1 if entries > 0 else -1
            journaled_days_changed = True
    if journaled_days_changed:
        # Streaks are counted from the day logs alone (one small document a day, never the
        # entries): joining runs piece by piece went wrong when a write landed between
        # taking the changes and reading the logs.
        streak = recounted_streaks(user_id)
    kept = {name: value for name, value in figures.items() if name not in ("_id", "revision")}
    return {
        **kept,
        "totals": totals,
        "days_journaled": days_journaled,
        "streak": streak,
        "weeks": weeks_after(user_id, figures.get("weeks") or [], changes, today),
        "focus_hours": hours_after(user_id, figures.get("focus_hours") or [0] * 24, changes, figures["timezone"]),
        **lists_after(user_id, figures, changes, today),
        "rebuilt_at": timeutil.utcnow(),
    }


def recounted_streaks(user_id: int) -> dict:
    """The streaks counted from every day log of the person (one read of all their days)."""
    days = daily_activity_logs.all_days(user_id)
    return journaling_streaks([day["local_date"] for day in days if day.get("entries")])


def weeks_after(user_id: int, weeks: list[dict], changes: dict[str, dict], today: date) -> list[dict]:
    """The weekly series ending this week: stored weeks moved by the changes, new weeks counted from their days."""
    first_monday = monday_of(today) - timedelta(weeks=WEEKS_KEPT - 1)
    starts = [(first_monday + timedelta(weeks=n)).isoformat() for n in range(WEEKS_KEPT)]
    kept = {week["start"]: dict(week) for week in weeks if week["start"] in starts}
    for day, added in changes.items():
        week = kept.get(monday_of(date.fromisoformat(day)).isoformat())
        if week is not None:
            for name in DAY_FIELDS:
                week[name] = week.get(name, 0) + added.get(name, 0)
    missing = [start for start in starts if start not in kept]
    if missing:
        last = (date.fromisoformat(missing[-1]) + timedelta(days=6)).isoformat()
        logs = daily_activity_logs.days_between(user_id, missing[0], last)
        counted = {week["start"]: week for week in weekly_series({log["local_date"]: log for log in logs}, today)}
        kept.update({start: counted[start] for start in missing})
    return [kept[start] for start in starts]


def hours_after(user_id: int, hours: list[int], changes: dict[str, dict], timezone: str) -> list[int]:
    """Focus hours with the sessions completed since: the newest completed sessions of each changed day.

    A session taken back (a negative change) recounts the hours from every session.
    """
    completed = {day: added["focus_sessions"] for day, added in changes.items() if added.get("focus_sessions")}
    if any(count < 0 for count in completed.values()):
        return focus_hours(history.focus_completions_by_utc_hour(user_id), timezone)
    by_utc_hour: dict[str, int] = {}
    for day, count in completed.items():
        sessions = [
            session
            for session in history.focus_sessions_of_day(user_id, day)
            if session.get("status") == "completed" and session.get("session_type") not in history.BREAK_TYPES
        ]
        for session in sessions[-count:]:
            hour = session["ended_at"].strftime("%Y-%m-%dT%H")
            by_utc_hour[hour] = by_utc_hour.get(hour, 0) + 1
    return [stored + added for stored, added in zip(hours, focus_hours(by_utc_hour, timezone), strict=True)]


def lists_after(user_id: int, figures: dict, changes: dict[str, dict], today: date) -> dict:
    """The dashboard's entry lists: newest entries re-read after a journal change; "on this day" when
    today's list is missing or a change landed on that calendar day of an earlier year."""
    journal_days = {day for day, added in changes.items() if added.get("entries") or added.get("words")}
    recent = history.newest_entry_ids(user_id) if journal_days else figures.get("recent_entry_ids", [])
    on_this_day = dict(figures.get("on_this_day_ids") or {})
    for day in (today, today + ONE_DAY):
        key = day.strftime("%m-%d")
        earlier_year = any(changed[5:] == key and changed < day.isoformat() for changed in journal_days)
        if earlier_year or (day == today and key not in on_this_day):
            on_this_day[key] = history.on_this_day_ids(user_id, key, day.isoformat())
    kept = {today.strftime("%m-%d"), (today + ONE_DAY).strftime("%m-%d")}
    return {"recent_entry_ids": recent, "on_this_day_ids": {k: v for k, v in on_this_day.items() if k in kept}}
