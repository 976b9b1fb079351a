"""Contract-shaped journal, mood, focus and prompt documents for the analytics tests.

Each helper inserts the document the feature would write and records the day's
activity the way the feature does, so these tests do not depend on the
features' own services.
"""

from datetime import UTC, datetime, timedelta

import rq
from bson import ObjectId

from mindnotes.documents import collection
from mindnotes.extensions import queue
from mindnotes.services.journal.fields import new_entry_document
from mindnotes.services.overview.activity import record_activity
from mindnotes.timeutil import local_date


def at(text: str, tz: str = "UTC") -> datetime:
    """The UTC moment of a local wall-clock time, e.g. at("2026-03-29 23:30", "Europe/Berlin")."""
    from mindnotes.timeutil import zone

    return datetime.fromisoformat(text).replace(tzinfo=zone(tz)).astimezone(UTC)


def add_entry(user, moment: datetime, words: int = 100, title: str = "An entry", record: bool = True) -> dict:
    day = local_date(moment, user.timezone)
    own_fields = {
        "title": title,
        "content": "word " * words,
        "excerpt": "word " * min(words, 20),
        "entry_type": "text",
        "entry_date": moment,
        "local_date": day,
        "month_day": day[5:],
        "privacy": "private",
        "is_favorite": False,
        "tag_ids": [],
        "mood": None,
        "word_count": words,
        "search_text": title,
    }
    entry = {**new_entry_document(ObjectId(), own_fields, moment), "user_id": user.id}
    collection("journal_entries").insert_one(entry)
    if record:
        record_activity(user.id, moment, user.timezone, entries=1, words=words)
    return entry


def trash_entry(user, entry: dict, moment: datetime) -> None:
    collection("journal_entries").update_one(
        {"_id": entry["_id"], "user_id": user.id}, {"$set": {"deleted_at": moment}}
    )
    record_activity(user.id, entry["entry_date"], user.timezone, entries=-1, words=-entry["word_count"])


def add_mood(user, moment: datetime, intensity: int, name: str = "Calm", emoji: str = "😌") -> dict:
    mood = {
        "_id": ObjectId(),
        "user_id": user.id,
        "category_id": 1,
        "category_name": name,
        "emoji": emoji,
        "valence": 1,
        "intensity": intensity,
        "factors": [],
        "note": "",
        "felt_at": moment,
        "local_date": local_date(moment, user.timezone),
        "time_of_day": "morning",
        "context": {"place": ""},
        "journal_entry_id": None,
        "created_at": moment,
        "updated_at": moment,
    }
    collection("mood_entries").insert_one(mood)
    record_activity(user.id, moment, user.timezone, moods=1, mood_intensity_sum=intensity)
    return mood


def add_session(
    user, started: datetime, minutes: int, status: str = "completed", task: str = "Deep work", kind: str = "pomodoro"
) -> dict:
    """A focus session; like the focus feature, only a completed non-break session counts in the day."""
    session_id = ObjectId()
    running = status in {"active", "paused"}
    counted = status == "completed" and not kind.endswith("_break")
    session = {
        "_id": session_id,
        "user_id": user.id,
        "session_type": kind,
        "planned_minutes": minutes,
        "task": task,
        "tag_ids": [],
        "program_id": None,
        "program_day": None,
        "started_at": started,
        "planned_end_at": started + timedelta(minutes=minutes),
        "pauses": [],
        "status": status,
        "active_key": f"user:{user.id}" if running else str(session_id),
        "elapsed_seconds": 0 if running else minutes * 60,
        "ended_at": None if running else started + timedelta(minutes=minutes),
        "focus_minutes": minutes if counted else 0,
        "local_date": local_date(started, user.timezone),
        "created_at": started,
        "updated_at": started,
    }
    collection("focus_sessions").insert_one(session)
    if counted:
        record_activity(user.id, started, user.timezone, focus_minutes=minutes, focus_sessions=1)
    return session


def add_prompt_set(user, day: str, answered: int, total: int = 3) -> dict:
    prompt_set = {
        "_id": ObjectId(),
        "user_id": user.id,
        "local_date": day,
        "prompts": [
            {
                "prompt_id": n + 1,
                "question": f"Question number {n + 1}?",
                "category_id": 1,
                "category_name": "Gratitude",
                "answered": n < answered,
                "answered_at": None,
            }
            for n in range(total)
        ],
        "swaps_used": 0,
        "entry_id": ObjectId(),
        "completed": answered == total,
        "completed_at": None,
        "created_at": datetime.now(UTC),
    }
    collection("daily_prompt_sets").insert_one(prompt_set)
    if answered:
        # The prompts feature adds one per answer, on the day of the answer.
        record_activity(user.id, at(f"{day} 12:00", user.timezone), user.timezone, prompts_answered=answered)
    return prompt_set


def run_jobs() -> None:
    """Run every queued job in this process with a real burst worker."""
    rq.SimpleWorker([queue.queue], connection=queue.redis).work(burst=True)
