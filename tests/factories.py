"""Test factories: people, and each kind of document they own, shaped as the features store them.

`users.make(**overrides)` registers a person through the same service as sign-up.
The `make_*(user, **overrides)` functions store one document and return it:
journal entries and prompt sets come from the services' own builders
(`new_entry_document`, `new_prompt_set`); the other kinds copy the shape their
service writes. Keyword overrides replace top-level fields of the stored document.
They only store: keeping the day totals (record_activity) is the caller's choice.
"""

from datetime import UTC, datetime, timedelta
from itertools import count

from bson import ObjectId

from mindnotes import timeutil
from mindnotes.documents import collection, user_analytics
from mindnotes.documents.daily_activity_logs import DAY_FIELDS, day_id
from mindnotes.models import User
from mindnotes.services.account import register_user
from mindnotes.services.billing.plans import grant_plan
from mindnotes.services.journal.drafts import DRAFT_FIELDS
from mindnotes.services.journal.fields import new_entry_document, plain_entry_fields
from mindnotes.services.mood.fields import score_from
from mindnotes.services.prompts import new_prompt_set
from mindnotes.services.prompts.selection import PromptChoice

PASSWORD = "correct horse battery"
_numbers = count(1)


class UserFactory:
    """`users.make(**overrides)` registers a person and returns the User."""

    def make(
        self,
        email: str | None = None,
        password: str = PASSWORD,
        timezone: str = "UTC",
        display_name: str = "",
        plan: str = "free",
    ) -> User:
        email = email or f"person{next(_numbers)}@example.com"
        user = register_user(email, password, display_name, timezone)
        if plan != "free":
            grant_plan(user, plan)
        return user


def _moment(moment: datetime | None) -> datetime:
    return moment or timeutil.utcnow()


def _store(name: str, document: dict) -> dict:
    collection(name).insert_one(document)
    return document


def make_entry(user, moment: datetime | None = None, **overrides) -> dict:
    """A live text entry written at `moment`, built by the journal's `new_entry_document`."""
    moment = _moment(moment)
    title = overrides.get("title", "An entry")
    content = overrides.get("content", "The water was high and the herons were back.")
    own_fields = plain_entry_fields(title, content, moment, user.timezone)
    own_fields.update(overrides)
    document = {**new_entry_document(ObjectId(), own_fields, moment), "user_id": user.id, **overrides}
    return _store("journal_entries", document)


def make_draft(user, entry_id: ObjectId | None = None, moment: datetime | None = None, **fields) -> dict:
    """The editor's autosaved text for a new entry (or for `entry_id`); `fields` are the typed values."""
    typed = {name: "" for name in DRAFT_FIELDS}
    typed.update(title="A draft", content="Half a thought", entry_type="text", privacy="private")
    typed.update(fields)
    document = {
        "_id": ObjectId(),
        "user_id": user.id,
        "entry_key": str(entry_id) if entry_id is not None else "new",
        "entry_id": entry_id,
        "fields": {**typed, "tag_ids": typed.get("tag_ids", [])},
        "saved_at": _moment(moment),
    }
    return _store("journal_drafts", document)


def make_mood(user, moment: datetime | None = None, intensity: int = 6, **overrides) -> dict:
    """A mood felt at `moment`, as the mood service stores it (category Calm, id 1, by default)."""
    moment = _moment(moment)
    document = {
        "_id": ObjectId(),
        "user_id": user.id,
        "category_id": 1,
        "category_name": "Calm",
        "emoji": "😌",
        "valence": overrides.get("valence", 1),
        "score": score_from(overrides.get("valence", 1), intensity),
        "intensity": intensity,
        "factors": [],
        "factor_values": {},
        "note": "",
        "felt_at": moment,
        "local_date": timeutil.local_date(moment, user.timezone),
        "time_of_day": "morning",  # the part of the local day; override for a moment outside it
        "context": {"place": None},
        "journal_entry_id": None,
        "created_at": moment,
        "updated_at": moment,
        **overrides,
    }
    return _store("mood_entries", document)


def make_focus_session(
    user, started: datetime | None = None, minutes: int = 25, status: str = "completed", **overrides
) -> dict:
    """A focus session started at `started`; ended (all `minutes` long) unless its status is active or paused.

    Like the focus feature, only a completed session that is not a break counts its focus minutes.
    """
    started = _moment(started)
    session_id = overrides.pop("_id", ObjectId())
    kind = overrides.get("session_type", "pomodoro")
    running = status in {"active", "paused"}
    counted = status == "completed" and not kind.endswith("_break")
    document = {
        "_id": session_id,
        "user_id": user.id,
        "session_type": kind,
        "planned_minutes": minutes,
        "task": "Deep work",
        "tag_ids": [],
        "program_id": None,
        "program_day": None,
        "started_at": started,
        "planned_end_at": started + timedelta(minutes=minutes),
        "pauses": [],
        "status": status,
        "active_key": f"user:{user.id}" if running else str(session_id),
        "revision": 0,
        "elapsed_seconds": 0 if running else minutes * 60,
        "ended_at": None if running else started + timedelta(minutes=minutes),
        "focus_minutes": minutes if counted else (None if running else 0),
        "productivity_rating": None,
        "notes": "",
        "distractions": {"count": 0, "notes": []},
        "timezone": user.timezone,
        "local_date": timeutil.local_date(started, user.timezone),
        "created_at": started,
        "updated_at": started,
        **overrides,
    }
    return _store("focus_sessions", document)


def prompt_choices(total: int = 3) -> list[PromptChoice]:
    """`total` made-up prompts of the Gratitude category (id 1)."""
    return [
        PromptChoice(prompt_id=n + 1, question=f"Question number {n + 1}?", category_id=1, category_name="Gratitude")
        for n in range(total)
    ]


def make_prompt_set(
    user, day: str, answered: int = 0, total: int = 3, moment: datetime | None = None, **overrides
) -> dict:
    """A day's prompt set built by the prompts service's `new_prompt_set`, its first `answered` prompts answered."""
    moment = moment or datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC)
    document = new_prompt_set(day, prompt_choices(total), moment)
    for prompt in document["prompts"][:answered]:
        prompt.update(answered=True, answered_at=moment)
    completed = answered == total
    document.update(answered_count=answered, completed=completed, completed_at=moment if completed else None)
    document.update(user_id=user.id, **overrides)
    return _store("daily_prompt_sets", document)


def make_activity_log(user, local_date: str, moment: datetime | None = None, **totals) -> dict:
    """A person's day totals (entries, words, moods, ...: 0 unless given), as record_activity keeps them."""
    moment = _moment(moment)
    document = {
        "_id": day_id(user.id, local_date),
        "user_id": user.id,
        "local_date": local_date,
        **{name: 0 for name in DAY_FIELDS},
        **totals,
        "created_at": moment,
        "updated_at": moment,
    }
    return _store("daily_activity_logs", document)


def make_analytics(user, **figures) -> dict:
    """A person's pre-aggregated figures (all zero unless given), stored by `user_analytics.save_analytics`
    as the rebuild job stores them."""
    document = {
        "timezone": user.timezone,
        "totals": {name: 0 for name in DAY_FIELDS},
        "days_journaled": 0,
        "streak": {"longest": 0, "latest_start": None, "latest_end": None, "latest_length": 0},
        "weeks": [],
        "focus_hours": [0] * 24,
        "recent_entry_ids": [],
        "on_this_day_ids": {},
        **figures,
    }
    user_analytics.save_analytics(user.id, document)
    return user_analytics.get_analytics(user.id)
