"""Contract-shaped journal, mood, focus and prompt documents for the analytics tests.

Each helper stores the document the feature would write (tests/factories.py)
and records the day's activity the way the feature does, so these tests do
not depend on the features' own write paths.
"""

from datetime import UTC, datetime

from mindnotes.documents import collection
from mindnotes.services.overview.activity import record_activity
from tests.factories import make_entry, make_focus_session, make_mood, make_prompt_set


def at(text: str, tz: str = "UTC") -> datetime:
    """The UTC moment of a local wall-clock time, e.g. at("2026-03-29 23:30", "Europe/Berlin")."""
    from mindnotes.timeutil import zone

    return datetime.fromisoformat(text).replace(tzinfo=zone(tz)).astimezone(UTC)


def add_entry(user, moment: datetime, words: int = 100, title: str = "An entry", record: bool = True) -> dict:
    entry = make_entry(
        user,
        moment,
        title=title,
        content="word " * words,
        excerpt="word " * min(words, 20),
        word_count=words,
        search_text=title,
    )
    if record:
        record_activity(user.id, moment, user.timezone, entries=1, words=words)
    return entry


def trash_entry(user, entry: dict, moment: datetime) -> None:
    collection("journal_entries").update_one(
        {"_id": entry["_id"], "user_id": user.id}, {"$set": {"deleted_at": moment}}
    )
    record_activity(user.id, entry["entry_date"], user.timezone, entries=-1, words=-entry["word_count"])


def add_mood(user, moment: datetime, intensity: int, name: str = "Calm", emoji: str = "😌") -> dict:
    mood = make_mood(
        user, moment, intensity, category_name=name, emoji=emoji, time_of_day="morning", context={"place": ""}
    )
    record_activity(user.id, moment, user.timezone, moods=1, mood_score_sum=mood["score"])
    return mood


def add_session(
    user, started: datetime, minutes: int, status: str = "completed", task: str = "Deep work", kind: str = "pomodoro"
) -> dict:
    """A focus session; like the focus feature, only a completed non-break session counts in the day."""
    session = make_focus_session(user, started, minutes, status, task=task, session_type=kind)
    if status == "completed" and not kind.endswith("_break"):
        record_activity(user.id, started, user.timezone, focus_minutes=minutes, focus_sessions=1)
    return session


def add_prompt_set(user, day: str, answered: int, total: int = 3) -> dict:
    prompt_set = make_prompt_set(user, day, answered, total)
    if answered:
        # The prompts feature adds one per answer, on the day of the answer.
        record_activity(user.id, at(f"{day} 12:00", user.timezone), user.timezone, prompts_answered=answered)
    return prompt_set
