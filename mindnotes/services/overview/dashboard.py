"""The dashboard: what a person sees first, as fast as a cache hit.

Its figures are prepared once per change and kept in Redis: from the
`user_analytics` document (kept up to date by the analytics job each write
queues, see `services.overview.analytics`), the day logs of the last 30 days
(by day id) and today's prompt set, so they cost the same at any history size.
The analytics job prepares them after each fold; a view prepares them when
they are missing or stale. Stale means: made for another local day or zone, or
the person's changes document (see `documents.daily_activity_logs`) carries a
`write` mark other than the one they were made under: every write sets a new
mark in the same command as its day totals, so a view never shows figures from
before a write. Until the job folds a write, the totals add the pending changes
and today's day log corrects the stored streak.

The listed entries (recent, "on this day") are kept as their summaries: an edit
that changes no day total still sets a new `write` mark (services.journal), so a
kept title or excerpt is never older than the entry. The running focus session
is kept too: starting, pausing, resuming and ending one marks a change
(services.focus). A view then reads the changes document and the kept figures
(one MongoDB command, one Redis GET), and renders. The parts of the page that
rest on the kept figures alone are rendered once per change (by the first view)
and kept beside them (`keep_rendered`): a view renders only the greeting, the
running session and the mood picker around them. The view model is a plain
dict: `prepare_dashboard` builds the kept part in one place; add a key there.
"""

import json
from contextlib import suppress
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from redis.exceptions import RedisError

from mindnotes import timeutil
from mindnotes.documents import daily_activity_logs, history, user_analytics, weekly_reviews
from mindnotes.documents.daily_activity_logs import DAY_FIELDS
from mindnotes.extensions import queue
from mindnotes.services.overview.analytics import monday_of
from mindnotes.timeutil import zone

# Kept figures of another shape (an older release's) are prepared again.
PREPARED_VERSION = 3
# A person away for this long gets their figures prepared on their next visit.
KEPT_SECONDS = 3 * 24 * 3600


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

    def as_dict(self) -> dict:
        return asdict(self)


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


def dashboard_for(user, now: datetime | None = None) -> dict:
    """The dashboard's view model (a plain dict): the prepared figures, kept in Redis until the person's
    next change, with the clock and the parts that change without one read live.

    One MongoDB read: the person's pending changes, whose `write` token says whether the prepared
    figures (the running focus session among them) are current.
    """
    moment = now or timeutil.utcnow()
    local = moment.astimezone(zone(user.timezone))
    changes = daily_activity_logs.get_changes(user.id)
    kept = kept_dashboard(user.id)
    if kept is not None and is_current(kept, changes, user.timezone, local.date()):
        prepared = kept
    else:
        prepared = prepare_dashboard(user.id, user.timezone, moment, changes)
    listed = {entry["_id"]: {**entry, "entry_date": _moment_of(entry["entry_date"])} for entry in prepared["listed"]}
    return {
        **prepared,
        "prepared": prepared,
        "greeting": greeting_for(local.hour),
        "local_now": local,
        "rebuilt_at": _moment_of(prepared["rebuilt_at"]),
        "recent_entries": [listed[entry_id] for entry_id in prepared["recent_ids"] if entry_id in listed],
        "on_this_day": [listed[entry_id] for entry_id in prepared["on_this_day_ids"] if entry_id in listed],
        "running_session": _running_session_of(prepared["running_session"]),
    }


def is_current(prepared: dict, changes: dict | None, timezone: str, today: date) -> bool:
    """Whether prepared figures still hold: made for this day and zone, with no change noted since."""
    return (
        prepared.get("version") == PREPARED_VERSION
        and prepared["today"] == today.isoformat()
        and prepared["timezone"] == timezone
        and prepared["write"] == (changes or {}).get("write")
    )


def prepare_dashboard(user_id: int, timezone: str, now: datetime, changes: dict | None) -> dict:
    """Build the dashboard's figures from the stored analytics, the recent day logs and today's prompts,
    and keep them (the analytics job calls this after each fold, a view after a change).

    `changes` is the person's pending changes document, read before anything else: a write that lands
    while this builds gives that document a new `write` token, so these figures are not taken for current.
    Totals add the changes the job has not folded yet.
    """
    today = now.astimezone(zone(timezone)).date()
    monday = monday_of(today)
    first = min(today - timedelta(days=29), monday - timedelta(days=7))
    recent_days = daily_activity_logs.days_between(user_id, first.isoformat(), today.isoformat())

    def period(start: date, end: date) -> Period:
        return Period.of([day for day in recent_days if start.isoformat() <= day["local_date"] <= end.isoformat()])

    today_figures = period(today, today)
    analytics = user_analytics.get_analytics(user_id) or {}
    streak = analytics.get("streak", {})
    current = current_streak(streak, today, today_figures.entries > 0)
    pending = daily_activity_logs.changed_totals(changes)
    stored_totals = analytics.get("totals", {})
    recent_ids, on_this_day_ids = listed_entry_ids(user_id, analytics, changes, today)
    rebuilt_at = analytics.get("rebuilt_at")
    prepared = {
        "version": PREPARED_VERSION,
        "today": today.isoformat(),
        "timezone": timezone,
        "write": (changes or {}).get("write"),
        "streak_current": current,
        "streak_longest": max(streak.get("longest", 0), current),
        "totals": {name: stored_totals.get(name, 0) + pending.get(name, 0) for name in DAY_FIELDS},
        "this_week": period(monday, today).as_dict(),
        "last_week": period(monday - timedelta(days=7), monday - timedelta(days=1)).as_dict(),
        "mood_average_7": period(today - timedelta(days=6), today).mood_average,
        "mood_average_30": period(today - timedelta(days=29), today).mood_average,
        "today_figures": today_figures.as_dict(),
        "prompt_set": prompt_set_summary(history.prompt_set_of_day(user_id, today.isoformat())),
        "recent_ids": [str(entry_id) for entry_id in recent_ids],
        "on_this_day_ids": [str(entry_id) for entry_id in on_this_day_ids],
        "listed": [
            {**entry, "_id": str(entry["_id"]), "entry_date": entry["entry_date"].isoformat()}
            for entry in history.entries_by_ids(user_id, [*recent_ids, *on_this_day_ids])
        ],
        "rebuilt_at": rebuilt_at.isoformat() if isinstance(rebuilt_at, datetime) else None,
        "weekly_review": next(iter(weekly_reviews.newest_reviews(user_id, 1)), None),
        "running_session": _kept_running_session(history.running_focus_session(user_id)),
    }
    keep_dashboard(user_id, prepared)
    return prepared


def listed_entry_ids(user_id: int, analytics: dict, changes: dict | None, today: date) -> tuple[list, list]:
    """The ids of the newest entries and of today's "on this day": as the job stored them, read again
    where a journal write the job has not folded yet changes them."""
    key = today.strftime("%m-%d")
    recent = analytics.get("recent_entry_ids", [])
    on_this_day = analytics.get("on_this_day_ids", {}).get(key, [])
    journal_days = {
        day for day, _colon, name in (k.partition(":") for k in changes or {}) if name in ("entries", "words")
    }
    if journal_days:
        recent = history.newest_entry_ids(user_id)
    if any(day[5:] == key and day < today.isoformat() for day in journal_days):
        on_this_day = history.on_this_day_ids(user_id, key, today.isoformat())
    return recent, on_this_day


def prepare_after_update(user_id: int, timezone: str, now: datetime | None = None) -> dict:
    """The analytics job's last step: the figures it just stored, prepared for the next view."""
    changes = daily_activity_logs.get_changes(user_id)
    return prepare_dashboard(user_id, timezone, now or timeutil.utcnow(), changes)


def _key(user_id: int) -> str:
    return f"dashboard:{user_id}"


def kept_dashboard(user_id: int) -> dict | None:
    """The prepared figures kept in Redis; None when Redis is away."""
    if queue.redis is None:
        return None
    try:
        kept = queue.redis.get(_key(user_id))
    except RedisError:
        return None
    if kept is None:
        return None
    return json.loads(kept)


def keep_dashboard(user_id: int, prepared: dict) -> None:
    """Keep the prepared figures for the next views; without Redis they are only not kept."""
    if queue.redis is None:
        return
    with suppress(RedisError):
        queue.redis.set(_key(user_id), json.dumps(prepared, default=str), ex=KEPT_SECONDS)


def forget_dashboard(user_id: int) -> None:
    """Drop what is kept for the person (their entries' titles and excerpts among it), when they are erased;
    a Redis error fails the erasure, which is retried."""
    if queue.redis is not None:
        queue.redis.delete(_key(user_id))


def keep_rendered(user_id: int, prepared: dict, rendered: dict[str, str], version: str) -> None:
    """Keep the page's parts rendered from `prepared` beside it, for the views until the next change.
    `version` names the templates they came from: parts from other templates are rendered again."""
    keep_dashboard(user_id, {**prepared, "rendered": {"version": version, "parts": rendered}})


def rendered_parts(prepared: dict, version: str) -> dict[str, str] | None:
    """The parts kept with the prepared figures, when rendered by these templates."""
    rendered = prepared.get("rendered") or {}
    return rendered.get("parts") if rendered.get("version") == version else None


# What the dashboard shows of a running focus session; each change of it marks a change (services.focus).
RUNNING_SESSION_FIELDS = ("session_type", "task", "status", "planned_minutes")
RUNNING_SESSION_MOMENTS = ("started_at", "planned_end_at")


def _kept_running_session(session: dict | None) -> dict | None:
    if session is None:
        return None
    kept = {name: session.get(name) for name in RUNNING_SESSION_FIELDS}
    moments = {name: session[name].isoformat() if session.get(name) else None for name in RUNNING_SESSION_MOMENTS}
    return {"_id": str(session["_id"]), **kept, **moments}


def _running_session_of(kept: dict | None) -> dict | None:
    if kept is None:
        return None
    return {**kept, **{name: _moment_of(kept[name]) for name in RUNNING_SESSION_MOMENTS}}


def _moment_of(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def prompt_set_summary(prompt_set: dict | None) -> dict | None:
    if prompt_set is None:
        return None
    prompts = [
        {"question": prompt.get("question", ""), "answered": bool(prompt.get("answered"))}
        for prompt in prompt_set.get("prompts", [])
    ]
    answered = sum(1 for prompt in prompts if prompt["answered"])
    return {
        "prompts": prompts,
        "answered": answered,
        "total": len(prompts),
        "completed": bool(prompt_set.get("completed")) or (bool(prompts) and answered == len(prompts)),
    }
