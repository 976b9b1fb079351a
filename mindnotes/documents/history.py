"""Read-only looks into a person's journal, mood, focus and prompt documents.

The dashboard, calendar and analytics rebuild read the feature collections
here (the features' own modules own their writes). The dashboard reads entries
only by `_id` (the rebuild job stores which ones); sorted and per-day queries
are for the job and the calendar. Every pipeline starts with a `$match` on
`user_id` and groups on the stored `local_date`.
"""

from pymongo.cursor import Cursor

from mindnotes.documents import collection

# Breaks are not focus time: the focus feature counts only the other sessions.
BREAK_TYPES = ["short_break", "long_break"]
ENTRY_SUMMARY = {
    "title": 1,
    "excerpt": 1,
    "entry_date": 1,
    "local_date": 1,
    "word_count": 1,
    "mood": 1,
    "entry_type": 1,
}
DAY_LIMIT = 50


def _newest_ids(match: dict, limit: int) -> list:
    # An aggregation: nx-27017 answers `$sort` + `$limit` there far faster than find().sort().limit().
    pipeline = [{"$match": match}, {"$sort": {"entry_date": -1}}, {"$limit": limit}, {"$project": {"_id": 1}}]
    return [row["_id"] for row in collection("journal_entries").aggregate(pipeline)]


def newest_entry_ids(user_id: int, limit: int = 5) -> list:
    """The ids of the person's newest live entries (for the rebuild job)."""
    return _newest_ids({"user_id": user_id, "deleted_at": None}, limit)


def on_this_day_ids(user_id: int, month_day: str, before: str, limit: int = 5) -> list:
    """The ids of live entries written on `month_day` ("MM-DD") before `before`, newest first (for the job)."""
    return _newest_ids(
        {"user_id": user_id, "month_day": month_day, "local_date": {"$lt": before}, "deleted_at": None}, limit
    )


def entries_by_ids(user_id: int, ids: list) -> list[dict]:
    """The person's live entries among `ids`, newest first: an `_id` lookup, fast on every server.

    Trashed ones are dropped here, not in the filter: with `deleted_at` in it, nx-27017 walks the
    person's whole `{user_id, deleted_at}` index instead of looking up a few `_id`s (25 ms, not 1,
    at 1,000 entries)."""
    if not ids:
        return []
    query = {"_id": {"$in": ids}, "user_id": user_id}
    found = collection("journal_entries").find(query, {**ENTRY_SUMMARY, "deleted_at": 1})
    live = [entry for entry in found if entry.pop("deleted_at", None) is None]
    return sorted(live, key=lambda entry: entry["entry_date"], reverse=True)


def prompt_set_of_day(user_id: int, local_date: str) -> dict | None:
    """The day's prompts (question, answered) and whether the set is complete.

    An aggregation: where no single-field index applies, nx-27017 runs its
    `$match` several times faster than find_one's filter (measured 0.3 ms
    against 1.8 ms over a three-year history).
    """
    pipeline = [
        {"$match": {"user_id": user_id, "local_date": local_date}},
        {"$limit": 1},
        {"$project": {"prompts": 1, "completed": 1}},
    ]
    return next(collection("daily_prompt_sets").aggregate(pipeline), None)


def running_focus_session(user_id: int) -> dict | None:
    """The person's active or paused session (the one holding `active_key` "user:<id>")."""
    return collection("focus_sessions").find_one({"user_id": user_id, "active_key": f"user:{user_id}"})


# The day's documents come from find(): nx-27017 returns datetimes as strings from an aggregation's `$project`.
def entries_of_day(user_id: int, local_date: str) -> list[dict]:
    query = {"user_id": user_id, "local_date": local_date, "deleted_at": None}
    return list(collection("journal_entries").find(query, ENTRY_SUMMARY).sort("entry_date", 1).limit(DAY_LIMIT))


def moods_of_day(user_id: int, local_date: str) -> list[dict]:
    projection = {"category_name": 1, "emoji": 1, "score": 1, "intensity": 1, "felt_at": 1, "time_of_day": 1, "note": 1}
    query = {"user_id": user_id, "local_date": local_date}
    return list(collection("mood_entries").find(query, projection).sort("felt_at", 1).limit(DAY_LIMIT))


def focus_sessions_of_day(user_id: int, local_date: str) -> list[dict]:
    projection = {"session_type": 1, "task": 1, "status": 1, "started_at": 1, "ended_at": 1}
    projection.update(focus_minutes=1, planned_minutes=1)
    query = {"user_id": user_id, "local_date": local_date}
    return list(collection("focus_sessions").find(query, projection).sort("started_at", 1).limit(DAY_LIMIT))


def entries_between(user_id: int, first: str, last: str) -> list[dict]:
    """The person's live entries written from `first` to `last` (local dates), oldest first."""
    query = {"user_id": user_id, "local_date": {"$gte": first, "$lte": last}, "deleted_at": None}
    return list(collection("journal_entries").find(query, ENTRY_SUMMARY).sort("entry_date", 1).limit(DAY_LIMIT * 7))


def focus_sessions_between(user_id: int, first: str, last: str) -> list[dict]:
    """The person's focus sessions started from `first` to `last` (local dates): type and status."""
    query = {"user_id": user_id, "local_date": {"$gte": first, "$lte": last}}
    return list(collection("focus_sessions").find(query, {"session_type": 1, "status": 1, "local_date": 1}))


def _per_day(name: str, match: dict, sums: dict[str, object]) -> dict[str, dict]:
    """Sums per local day, gathered into one result document (cheap to send on every server).

    The second `$group` pushes `$$ROOT`: nx-27017 returns nothing when it
    pushes a made-up object after an earlier `$group`.
    """
    pipeline = [
        {"$match": match},
        {"$group": {"_id": "$local_date", **{field: {"$sum": value} for field, value in sums.items()}}},
        {"$group": {"_id": None, "days": {"$push": "$$ROOT"}}},
    ]
    result = next(collection(name).aggregate(pipeline), None)
    return {row["_id"]: {field: row[field] for field in sums} for row in result["days"]} if result else {}


def journal_days(user_id: int) -> dict[str, dict]:
    """Per local day: live (not trashed) entries and their words."""
    return _per_day("journal_entries", {"user_id": user_id, "deleted_at": None}, {"entries": 1, "words": "$word_count"})


def mood_days(user_id: int) -> dict[str, dict]:
    return _per_day("mood_entries", {"user_id": user_id}, {"moods": 1, "mood_score_sum": "$score"})


def moods_for_patterns(user_id: int) -> list[dict]:
    """Every mood of the person with what the Patterns figures read (score, day, part of day, factors)."""
    projection = {"score": 1, "local_date": 1, "felt_at": 1, "time_of_day": 1, "factors": 1}
    return list(collection("mood_entries").find({"user_id": user_id}, projection))


def ended_focus_sessions(user_id: int) -> list[dict]:
    """Every completed or abandoned focus session of the person, with its type, start, day and check-in."""
    projection = {"session_type": 1, "status": 1, "started_at": 1, "local_date": 1, "checkin": 1}
    query = {"user_id": user_id, "status": {"$in": ["completed", "abandoned"]}}
    return list(collection("focus_sessions").find(query, projection))


def prompt_days(user_id: int) -> dict[str, dict]:
    """Per local day: prompts answered (each day's set counts its answers)."""
    return _per_day("daily_prompt_sets", {"user_id": user_id}, {"prompts_answered": "$answered_count"})


def _completed_sessions_by(user_id: int, key: dict) -> list[tuple[str, str, int, int]]:
    """(key, session type, sessions, focus minutes) of completed sessions grouped on `key` and their type.

    Breaks are told apart here rather than in `$match`: nx-27017 runs a
    `$nin`/`$in` filter several times slower than grouping on a joined key.
    """
    pipeline = [
        {"$match": {"user_id": user_id, "status": "completed"}},
        {"$project": {"key": {"$concat": [key, "|", "$session_type"]}, "focus_minutes": 1}},
        {"$group": {"_id": "$key", "sessions": {"$sum": 1}, "minutes": {"$sum": "$focus_minutes"}}},
        {"$group": {"_id": None, "groups": {"$push": "$$ROOT"}}},
    ]
    result = next(collection("focus_sessions").aggregate(pipeline), None)
    rows = []
    for group in result["groups"] if result else []:
        value, _, session_type = (group["_id"] or "").rpartition("|")
        rows.append((value, session_type, group["sessions"], group["minutes"]))
    return rows


def focus_days(user_id: int) -> dict[str, dict]:
    """Per local day of the start: completed focus sessions (not breaks) and their minutes."""
    days: dict[str, dict] = {}
    for day, session_type, sessions, minutes in _completed_sessions_by(user_id, "$local_date"):
        if session_type not in BREAK_TYPES:
            figures = days.setdefault(day, {"focus_sessions": 0, "focus_minutes": 0})
            figures["focus_sessions"] += sessions
            figures["focus_minutes"] += minutes
    return days


def focus_completions_by_utc_hour(user_id: int) -> dict[str, int]:
    """Completed focus sessions (not breaks) per UTC hour of their end, keyed "YYYY-MM-DDTHH".

    Grouped in UTC (nx-27017 ignores `$dateToString`'s timezone); the caller
    moves each hour into the person's zone, DST included.
    """
    hours: dict[str, int] = {}
    end_hour = {"$dateToString": {"format": "%Y-%m-%dT%H", "date": "$ended_at"}}
    for hour, session_type, sessions, _ in _completed_sessions_by(user_id, end_hour):
        if hour and session_type not in BREAK_TYPES:
            hours[hour] = hours.get(hour, 0) + sessions
    return hours


def _export_filter(user_id: int, first_day: str | None, last_day: str | None, live_only: bool) -> dict:
    query: dict = {"user_id": user_id}
    if live_only:
        query["deleted_at"] = None
    days = {}
    if first_day:
        days["$gte"] = first_day
    if last_day:
        days["$lte"] = last_day
    if days:
        query["local_date"] = days
    return query


def find_for_export(
    name: str,
    user_id: int,
    sort_field: str,
    first_day: str | None = None,
    last_day: str | None = None,
    live_only: bool = False,
    batch_size: int = 200,
) -> Cursor:
    """The person's documents of collection `name`, oldest first by `sort_field`, `batch_size` at a time.

    Only local days `first_day`..`last_day` when given; `live_only` leaves out trashed entries.
    """
    query = _export_filter(user_id, first_day, last_day, live_only)
    return collection(name).find(query).sort(sort_field, 1).batch_size(batch_size)


def count_for_export(
    name: str, user_id: int, first_day: str | None = None, last_day: str | None = None, live_only: bool = False
) -> int:
    """How many documents `find_for_export` would give (counting is slow on nx-27017: once per export, in the job)."""
    return collection(name).count_documents(_export_filter(user_id, first_day, last_day, live_only))
