"""The weekly review: each Monday in the person's time zone, a look back at the week that ended.

A review holds entries and words, each day's mood score with the best and the
hardest day, focus minutes and completion, the factors that went with good
days, prompts answered and one entry to reread. It is made once per week
(`make_review`, queued by the hourly job for people whose Monday it is), kept
in `weekly_reviews` as a history of weeks, shown on the dashboard and mailed
to people who turned that on.
"""

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

from mindnotes import timeutil
from mindnotes.documents import daily_activity_logs, history, mood_entries, weekly_reviews
from mindnotes.models import User
from mindnotes.services.account.mail import external_url, send_mail
from mindnotes.services.overview import dashboard
from mindnotes.services.overview.insights import Chart, bar_chart

# A day whose average mood score is at least this counts as a good day.
GOOD_DAY = 4
FACTORS_SHOWN = 3


def local_today(timezone: str, now: datetime | None = None) -> date:
    return date.fromisoformat(timeutil.local_date(now or timeutil.utcnow(), timezone))


def week_to_review(timezone: str, now: datetime | None = None) -> date:
    """The Monday of the last week that has ended in the person's zone."""
    today = local_today(timezone, now)
    return today - timedelta(days=today.weekday() + 7)


def is_review_day(timezone: str, now: datetime | None = None) -> bool:
    """Whether it is Monday where the person lives (the day their review is made)."""
    return local_today(timezone, now).weekday() == 0


def _mood_days(moods: list[dict], days: list[str]) -> list[dict]:
    scores: dict[str, list[int]] = defaultdict(list)
    for mood in moods:
        if mood.get("score") is not None:
            scores[mood["local_date"]].append(mood["score"])
    return [
        {
            "day": day,
            "weekday": date.fromisoformat(day).strftime("%A"),
            "average": round(sum(scores[day]) / len(scores[day]), 2) if scores[day] else None,
            "moods": len(scores[day]),
        }
        for day in days
    ]


def week_average(mood_days: list[dict]) -> float | None:
    """The average of the days' averages (each day with a mood counts once)."""
    logged = [day["average"] for day in mood_days if day["average"] is not None]
    return round(sum(logged) / len(logged), 2) if logged else None


def trend(review: dict) -> str:
    """ "up from 3.1 the week before", "down from ...", "as the week before", or "" without both weeks."""
    now, before = review["mood_average"], review.get("mood_average_before")
    if now is None or before is None:
        return ""
    if round(now, 1) == round(before, 1):
        return "as the week before"
    return f"{'up' if now > before else 'down'} from {before:.1f} the week before"


def best_and_hardest(mood_days: list[dict]) -> tuple[dict | None, dict | None]:
    """The days with the highest and the lowest average (the earlier one on a tie); none unless they differ."""
    logged = [day for day in mood_days if day["average"] is not None]
    if not logged:
        return None, None
    best = max(logged, key=lambda day: day["average"])
    hardest = min(logged, key=lambda day: day["average"])
    if best["average"] == hardest["average"]:
        return None, None
    return best, hardest


def good_day_factors(moods: list[dict], good_days: set[str]) -> list[dict]:
    """The factor values noted on most good days: [{label, days}], up to FACTORS_SHOWN."""
    noted: dict[str, set[str]] = defaultdict(set)
    for mood in moods:
        if mood["local_date"] in good_days:
            for factor in mood.get("factors") or []:
                if factor.get("value"):
                    noted[f"{factor['name'].capitalize()}: {factor['value']}"].add(mood["local_date"])
    counted = Counter({label: len(days) for label, days in noted.items()})
    ranked = sorted(counted.items(), key=lambda item: (-item[1], item[0]))
    return [{"label": label, "days": days} for label, days in ranked[:FACTORS_SHOWN]]


def entry_to_reread(entries: list[dict], best_day: str | None) -> dict | None:
    """The longest entry of the best day, else of the week."""
    chosen = [entry for entry in entries if entry["local_date"] == best_day] or entries
    if not chosen:
        return None
    entry = max(chosen, key=lambda each: each.get("word_count") or 0)
    return {
        "id": str(entry["_id"]),
        "title": entry.get("title") or "Untitled",
        "excerpt": entry.get("excerpt") or "",
        "local_date": entry["local_date"],
        "weekday": date.fromisoformat(entry["local_date"]).strftime("%A"),
    }


def focus_figures(sessions: list[dict], logs: list[dict]) -> dict:
    ended = [
        session
        for session in sessions
        if session.get("session_type") not in history.BREAK_TYPES and session["status"] in ("completed", "abandoned")
    ]
    completed = sum(1 for session in ended if session["status"] == "completed")
    return {
        "minutes": sum(log.get("focus_minutes") or 0 for log in logs),
        "completed": completed,
        "ended": len(ended),
        "completion": round(100 * completed / len(ended)) if ended else None,
    }


def build_review(user_id: int, week_start: date) -> dict:
    """The review of the week starting on Monday `week_start` (local days), from the person's documents."""
    days = [(week_start + timedelta(days=n)).isoformat() for n in range(7)]
    first, last = days[0], days[-1]
    week_before = [(week_start - timedelta(days=7 - n)).isoformat() for n in range(7)]
    logs = daily_activity_logs.days_between(user_id, first, last)
    # The week before too, in the same read: the trend compares the two weeks' averages.
    two_weeks = mood_entries.moods_between(user_id, week_before[0], last)
    moods = [mood for mood in two_weeks if mood["local_date"] >= first]
    mood_days = _mood_days(moods, days)
    best, hardest = best_and_hardest(mood_days)
    good_days = {day["day"] for day in mood_days if day["average"] is not None and day["average"] >= GOOD_DAY}
    return {
        "week_start": first,
        "week_end": last,
        "label": week_span(first, last),
        "entries": sum(log.get("entries") or 0 for log in logs),
        "words": sum(log.get("words") or 0 for log in logs),
        "prompts_answered": sum(log.get("prompts_answered") or 0 for log in logs),
        "mood_days": mood_days,
        "mood_average": week_average(mood_days),
        "mood_average_before": week_average(_mood_days(two_weeks, week_before)),
        "best_day": best,
        "hardest_day": hardest,
        "good_day_factors": good_day_factors(moods, good_days),
        "focus": focus_figures(history.focus_sessions_between(user_id, first, last), logs),
        "reread": entry_to_reread(history.entries_between(user_id, first, last), best["day"] if best else None),
    }


def make_review(user: User, now: datetime | None = None) -> dict | None:
    """Make the review of the person's last ended week, once; mail it if they asked. None if it was made before."""
    now = now or timeutil.utcnow()
    week_start = week_to_review(user.timezone, now)
    if weekly_reviews.get_review(user.id, week_start.isoformat()) is not None:
        return None
    review = {**build_review(user.id, week_start), "created_at": now}
    if not weekly_reviews.insert_review(user.id, review):
        return None
    # The dashboard keeps its figures until the person's next write: make them again with the review.
    dashboard.prepare_after_update(user.id, user.timezone, now)
    if weekly_reviews.mails_reviews(user.id):
        mail_review(user, review)
    return review


def latest_review(user: User) -> dict | None:
    """The person's newest weekly review (the dashboard shows it; reminders say it is ready)."""
    newest = weekly_reviews.newest_reviews(user.id, 1)
    return newest[0] if newest else None


def reviews_of(user: User, limit: int = 52) -> list[dict]:
    """The person's reviews, newest week first (the history of weeks)."""
    return weekly_reviews.newest_reviews(user.id, limit)


def review_of_week(user: User, week_start: str) -> dict | None:
    return weekly_reviews.get_review(user.id, week_start)


def mails_reviews(user: User) -> bool:
    return weekly_reviews.mails_reviews(user.id)


def set_mail_reviews(user: User, mail: bool) -> None:
    weekly_reviews.set_mail_reviews(user.id, mail)


def week_span(first: str, last: str) -> str:
    """ "16 Nov – 22 Nov 2026"."""
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return f"{start.strftime('%-d %b')} – {end.strftime('%-d %b %Y')}"


def review_text(review: dict) -> str:
    """The review as plain text (the mail's body)."""
    lines = [
        f"Your week, {review['label']}",
        "",
        f"Entries: {review['entries']} ({review['words']:,} words); prompts answered: {review['prompts_answered']}.",
    ]
    if review["mood_average"] is not None:
        change = trend(review)
        lines.append(f"Mood: {review['mood_average']:.1f} of 5 on average{f' ({change})' if change else ''}.")
    if review["best_day"]:
        best, hardest = review["best_day"], review["hardest_day"]
        lines.append(
            f"Best day: {best['weekday']} ({best['average']:.1f}); "
            f"hardest: {hardest['weekday']} ({hardest['average']:.1f})."
        )
    focus = review["focus"]
    completion = f", {focus['completion']}% of sessions completed" if focus["completion"] is not None else ""
    lines.append(f"Focus: {focus['minutes']} minutes{completion}.")
    if review["good_day_factors"]:
        lines.append("Went with good days: " + ", ".join(each["label"] for each in review["good_day_factors"]) + ".")
    if review["reread"]:
        lines.append(f"To reread: {review['reread']['title']} ({review['reread']['weekday']}).")
    return "\n".join(lines)


def mood_chart(review: dict) -> Chart:
    """Each day's average mood score as bars (a day without a mood has none)."""
    days = review["mood_days"]
    return bar_chart(
        "Mood score each day",
        "average score of 5",
        [day["weekday"][:3] for day in days],
        [day["average"] or 0 for day in days],
        top=5,
    )


def mail_review(user: User, review: dict) -> None:
    link = external_url("insights.weekly_review", week_start=review["week_start"])
    send_mail(user.email, f"Your MindNotes week, {review['label']}", f"{review_text(review)}\n\n{link}\n", link)
