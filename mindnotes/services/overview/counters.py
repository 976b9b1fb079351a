"""Every counter MindNotes keeps, checked against the documents it counts (`flask reconcile`).

Counters are kept so that pages never count on a hot path; a write that
missed its increment (a store outage between the write and the count, an
interrupted import) leaves one drifted until it is recounted here:
- PostgreSQL, `profiles`: entries_used (entries holding a plan slot, live and
  trashed), moods_logged, focus_minutes (completed sessions, breaks not
  counted) and words_written (words of live entries and their prompt answers).
- MongoDB: each day log's totals (`daily_activity_logs`, every field of
  DAY_FIELDS; prompts_answered from each day's prompt set) and the analytics
  document's totals and days_journaled (`user_analytics`).
`counter_drift` only reads; `correct_counters` writes what it found: the
profile's columns, the day logs' prompts_answered, then the full analytics
rebuild (which corrects the other day totals and the analytics document).
Documents stored without a local day count toward the profile, not toward any day.
"""

from dataclasses import dataclass

from sqlalchemy import update

from mindnotes.documents import daily_activity_logs, history, journal_entries, user_analytics
from mindnotes.documents.daily_activity_logs import DAY_FIELDS
from mindnotes.extensions import db
from mindnotes.models import Profile, User
from mindnotes.services.overview.analytics import rebuild_figures

PROFILE_COUNTERS = {  # profile column -> the day total it sums
    "entries_used": None,
    "moods_logged": "moods",
    "focus_minutes": "focus_minutes",
    "words_written": "words",
}
DAY_LOGS = "day logs"
ANALYTICS = "analytics"


@dataclass(frozen=True)
class Drift:
    """One counter that disagrees with its documents."""

    counter: str  # "moods_logged", "day logs moods", "analytics totals.moods"
    stored: int | float
    counted: int | float
    days_off: int = 0  # day logs: how many days disagree (their sums may agree)

    def describe(self) -> str:
        days = f" ({self.days_off} day(s) differ)" if self.days_off else ""
        return f"{self.counter} {self.stored} -> {self.counted}{days}"


def _counted_days(user_id: int) -> dict[str | None, dict]:
    """Every local day's totals counted from the documents (None: documents without a day)."""
    days: dict[str | None, dict] = {}
    for per_day in (history.journal_days, history.mood_days, history.focus_days, history.prompt_days):
        for day, figures in per_day(user_id).items():
            # A `$sum` over documents missing the field is 0 on MongoDB and None on nx-27017.
            days.setdefault(day, dict.fromkeys(DAY_FIELDS, 0)).update({k: v or 0 for k, v in figures.items()})
    return days


def _stored_days(user_id: int) -> dict[str, dict]:
    """The day logs' totals per local day (two documents of one day are added up, as readers see them)."""
    days: dict[str, dict] = {}
    for log in daily_activity_logs.all_days(user_id):
        if log.get("local_date") is None:
            continue
        kept = days.setdefault(log["local_date"], dict.fromkeys(DAY_FIELDS, 0))
        for name in DAY_FIELDS:
            kept[name] += log.get(name) or 0
    return days


def _profile_drift(profile: Profile, counted: dict[str | None, dict]) -> list[Drift]:
    drifts = []
    for column, day_field in PROFILE_COUNTERS.items():
        if day_field is None:
            should_be = journal_entries.count_slot_holders(profile.user_id)
        else:
            should_be = sum(figures[day_field] for figures in counted.values())
        if getattr(profile, column) != should_be:
            drifts.append(Drift(column, getattr(profile, column), should_be))
    return drifts


def _day_log_drift(stored: dict[str, dict], counted: dict[str, dict]) -> list[Drift]:
    zero = dict.fromkeys(DAY_FIELDS, 0)
    drifts = []
    for name in DAY_FIELDS:
        days = stored.keys() | counted.keys()
        days_off = sum(1 for day in days if stored.get(day, zero)[name] != counted.get(day, zero)[name])
        if days_off:
            total_stored = sum(figures[name] for figures in stored.values())
            total_counted = sum(figures[name] for figures in counted.values())
            drifts.append(Drift(f"{DAY_LOGS} {name}", total_stored, total_counted, days_off))
    return drifts


def _analytics_drift(user_id: int, counted: dict[str, dict]) -> list[Drift]:
    figures = user_analytics.get_analytics(user_id) or {}
    totals = figures.get("totals") or {}
    drifts = []
    for name in DAY_FIELDS:
        should_be = sum(day[name] for day in counted.values())
        if (totals.get(name) or 0) != should_be:
            drifts.append(Drift(f"{ANALYTICS} totals.{name}", totals.get(name) or 0, should_be))
    days_journaled = sum(1 for day in counted.values() if day["entries"] > 0)
    if (figures.get("days_journaled") or 0) != days_journaled:
        drifts.append(Drift(f"{ANALYTICS} days_journaled", figures.get("days_journaled") or 0, days_journaled))
    return drifts


def counter_drift(user_id: int) -> list[Drift]:
    """Every counter of the person that disagrees with their documents; writes nothing."""
    profile = db.session.get(Profile, user_id)
    counted = _counted_days(user_id)
    by_day = {day: figures for day, figures in counted.items() if day is not None}
    drifts = _profile_drift(profile, counted) if profile is not None else []
    return drifts + _day_log_drift(_stored_days(user_id), by_day) + _analytics_drift(user_id, by_day)


def correct_counters(user: User, drifts: list[Drift]) -> None:
    """Set every drifted counter of `counter_drift(user.id)` to what the documents hold."""
    columns = {drift.counter: drift.counted for drift in drifts if drift.counter in PROFILE_COUNTERS}
    if columns:
        db.session.execute(update(Profile).where(Profile.user_id == user.id).values(**columns))
        db.session.commit()
    if any(drift.counter.startswith((DAY_LOGS, ANALYTICS)) for drift in drifts):
        # prompts_answered is the one day total the rebuild keeps as logged: set it from the sets first.
        answered = {day: figures for day, figures in history.prompt_days(user.id).items() if day is not None}
        stored = _stored_days(user.id)
        wrong = {
            day: {"prompts_answered": figures["prompts_answered"]}
            for day, figures in answered.items()
            if stored.get(day, {}).get("prompts_answered", 0) != figures["prompts_answered"]
        }
        wrong.update(
            (day, {"prompts_answered": 0})
            for day, figures in stored.items()
            if day not in answered and figures["prompts_answered"]
        )
        daily_activity_logs.set_days(user.id, wrong)
        rebuild_figures(user.id, user.timezone)
