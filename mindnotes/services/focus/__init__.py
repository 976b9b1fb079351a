"""Focus sessions: start, pause, resume, note distractions, heartbeat, complete, abandon.

The server holds the truth: a session stores when it started and its pauses;
elapsed time is wall-clock time minus paused time at a given moment, never a
count of ticks. Every change of state is an update conditional on the state it
was read in (see `documents.focus_sessions`), so a transition that makes no
sense, or that lost a race, changes nothing and is refused; one that lands
marks a change for the dashboard, which shows the running session.

A new session's `_id` is made when the start form is shown
(`SessionRequest.session_id`): the same form sent twice starts one session,
and the second answer is that session.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bson import ObjectId
from pymongo.errors import DuplicateKeyError
from sqlalchemy import select, update

from mindnotes import timeutil
from mindnotes.documents import compare_and_swap, daily_activity_logs, focus_sessions, parse_object_id
from mindnotes.errors import Conflict, NotFound, UserError
from mindnotes.extensions import db
from mindnotes.models import Profile, Tag, User
from mindnotes.services.focus import programs as focus_programs
from mindnotes.services.journal import tags as journal_tags
from mindnotes.services.overview.activity import record_activity


@dataclass(frozen=True)
class SessionType:
    label: str
    minutes: int | None
    counts_as_focus: bool = True


SESSION_TYPES = {
    "pomodoro": SessionType("Pomodoro", 25),
    "short_break": SessionType("Short break", 5, counts_as_focus=False),
    "long_break": SessionType("Long break", 15, counts_as_focus=False),
    "deep_work": SessionType("Deep work", 50),
    "custom": SessionType("Custom", None),
}
CUSTOM_MINUTES_MIN, CUSTOM_MINUTES_MAX = 1, 180
TASK_MAX, NOTES_MAX, DISTRACTION_NOTE_MAX = 200, 2000, 200
HEARTBEAT_SECONDS = 45  # the page syncs this often; between syncs it counts down by itself
OVERDUE_AFTER = timedelta(minutes=60)  # a session still running this long after its planned end is closed by a job
_RACE_RETRIES = 5


class FocusError(UserError):
    """Something about a focus session the person should know (422 unless a subclass says otherwise)."""


class SessionNotFound(FocusError, NotFound):
    """No such session, or not this person's (404)."""


class SessionInvalid(FocusError):
    """The request breaks a rule; `errors` maps each form field to its message (422)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors=errors)


class SessionAlreadyRunning(FocusError, Conflict):
    """Another session is active or paused (409); `running` is that session, None if it ended meanwhile."""

    def __init__(self, running: dict | None) -> None:
        super().__init__("You already have a focus session running. Finish or abandon it before starting another.")
        self.running = running


class TransitionRefused(FocusError, Conflict):
    """A change that makes no sense for the session's state (409)."""


@dataclass(frozen=True)
class SessionRequest:
    session_type: str
    custom_minutes: int | None = None
    task: str = ""
    tag_ids: list[int] = field(default_factory=list)
    enrollment_id: int | None = None
    # The new session's id, made when the start form was shown ("" for none).
    session_id: str = ""
    # The optional check-in before starting (services.focus.checkin.before_checkin), None when skipped.
    checkin: dict | None = None


@dataclass(frozen=True)
class Clock:
    """Where a session stands at one moment."""

    planned_seconds: int
    elapsed_seconds: int

    @property
    def remaining_seconds(self) -> int:
        return max(0, self.planned_seconds - self.elapsed_seconds)

    @property
    def time_up(self) -> bool:
        return self.remaining_seconds == 0


def elapsed_seconds(session: dict, now: datetime) -> int:
    """Wall-clock time since the start minus paused time, up to `now` (or the end)."""
    end = session.get("ended_at") or now
    paused = sum(
        max(0.0, (min(pause.get("ended_at") or end, end) - pause["started_at"]).total_seconds())
        for pause in session["pauses"]
    )
    return max(0, int((end - session["started_at"]).total_seconds() - paused))


def clock(session: dict, now: datetime | None = None) -> Clock:
    return Clock(session["planned_minutes"] * 60, elapsed_seconds(session, now or timeutil.utcnow()))


def is_break(session: dict) -> bool:
    kind = SESSION_TYPES.get(session["session_type"])
    return kind is not None and not kind.counts_as_focus


def session_type_label(session: dict) -> str:
    kind = SESSION_TYPES.get(session["session_type"])
    return kind.label if kind else session["session_type"]


def tag_choices(user_id: int) -> list[tuple[int, str]]:
    return [
        (tag.id, tag.name) for tag in db.session.scalars(select(Tag).where(Tag.user_id == user_id).order_by(Tag.name))
    ]


def tag_names(user_id: int, tag_ids: list[int]) -> list[str]:
    return list(journal_tags.tag_names(user_id, tag_ids).values())


def _planned_minutes(request: SessionRequest, errors: dict[str, str]) -> int:
    kind = SESSION_TYPES.get(request.session_type)
    if kind is None:
        errors["session_type"] = "Choose a kind of session."
        return 0
    if kind.minutes is not None:
        return kind.minutes
    minutes = request.custom_minutes
    if minutes is None or not CUSTOM_MINUTES_MIN <= minutes <= CUSTOM_MINUTES_MAX:
        errors["custom_minutes"] = f"A custom session lasts {CUSTOM_MINUTES_MIN} to {CUSTOM_MINUTES_MAX} minutes."
        return 0
    return minutes


def _own_tag_ids(user_id: int, tag_ids: list[int], errors: dict[str, str]) -> list[int]:
    wanted = set(tag_ids)
    if not wanted:
        return []
    found = set(db.session.scalars(select(Tag.id).where(Tag.user_id == user_id, Tag.id.in_(wanted))))
    if found != wanted:
        errors["tag_ids"] = "Choose tags from your own list."
    return sorted(found)


def new_session_id() -> str:
    """The id a start form carries, made when it is shown (`SessionRequest.session_id`)."""
    return str(ObjectId())


def start_session(user: User, request: SessionRequest, now: datetime | None = None) -> dict:
    """Start a running session; refused (SessionAlreadyRunning) while another one runs.

    A request whose `session_id` names a session of the person's already (the
    same form sent again) answers that session and starts nothing.
    """
    now = now or timeutil.utcnow()
    errors: dict[str, str] = {}
    minutes = _planned_minutes(request, errors)
    task = " ".join(request.task.split())
    if len(task) > TASK_MAX:
        errors["task"] = f"Keep the task under {TASK_MAX} characters."
    tag_ids = _own_tag_ids(user.id, request.tag_ids, errors)
    program_id = program_day = None
    if request.enrollment_id is not None:
        try:
            program_id, program_day = focus_programs.session_program_day(user, request.enrollment_id, now)
        except focus_programs.ProgramError as error:
            errors["enrollment_id"] = str(error)
    if errors:
        raise SessionInvalid(errors)
    session_id = parse_object_id(request.session_id) or ObjectId()
    document = {
        "_id": session_id,
        "session_type": request.session_type,
        "planned_minutes": minutes,
        "task": task,
        "tag_ids": tag_ids,
        "program_id": program_id,
        "program_day": program_day,
        "started_at": now,
        "planned_end_at": now + timedelta(minutes=minutes),
        "pauses": [],
        "status": "active",
        "revision": 0,
        "elapsed_seconds": 0,
        "ended_at": None,
        "focus_minutes": None,
        "productivity_rating": None,
        "notes": "",
        "distractions": {"count": 0, "notes": []},
        "checkin": request.checkin,
        "timezone": user.timezone,
        "local_date": timeutil.local_date(now, user.timezone),
        "created_at": now,
        "updated_at": now,
    }
    try:
        focus_sessions.insert_session(user.id, document)
    except DuplicateKeyError as error:
        started = focus_sessions.get_session(user.id, session_id)
        if started is not None:
            return started
        running = focus_sessions.get_running_session(user.id)
        if running is None and request.session_id:
            # The id is not this person's (a form we did not show them): start under a new one.
            return start_session(user, replace(request, session_id=""), now)
        raise SessionAlreadyRunning(running) from error
    daily_activity_logs.note_change(user.id)
    return {**document, "user_id": user.id, "active_key": focus_sessions.running_key(user.id)}


def get_session(user_id: int, session_id: str) -> dict:
    session = focus_sessions.get_session(user_id, session_id)
    if session is None:
        # No message: the 404 page says the usual "nothing here, or not yours".
        raise SessionNotFound()
    return session


def get_running_session(user_id: int) -> dict | None:
    return focus_sessions.get_running_session(user_id)


def recent_sessions(user_id: int, limit: int = 8) -> list[dict]:
    return focus_sessions.recent_sessions(user_id, limit)


_REFUSALS = {
    ("pause", "paused"): "This session is already paused.",
    ("resume", "active"): "This session is not paused, so there is nothing to resume.",
    ("complete", "completed"): "This session is already completed.",
    ("complete", "abandoned"): "This session was abandoned; it cannot be completed.",
    ("abandon", "completed"): "This session is already completed; it cannot be abandoned.",
    ("abandon", "abandoned"): "This session is already abandoned.",
}
_ALLOWED_FROM = {
    "pause": {"active"},
    "resume": {"paused"},
    "complete": {"active", "paused"},
    "abandon": {"active", "paused"},
}


def _change(user_id: int, session_id: str, action: str, now: datetime, changes_for) -> dict:
    """Apply `changes_for(session)` if `action` fits the session's state; retried if it changed meanwhile."""

    def read() -> dict:
        session = get_session(user_id, session_id)
        if session["status"] not in _ALLOWED_FROM[action]:
            raise TransitionRefused(
                _REFUSALS.get((action, session["status"]), f"This session has ended; it cannot be {action}d.")
            )
        return session

    swapped = compare_and_swap(
        focus_sessions.NAME,
        user_id,
        read,
        lambda session: {**session, **changes_for(session), "updated_at": now},
        attempts=_RACE_RETRIES,
    )
    if swapped is None:
        raise TransitionRefused("This session changed while yours was being saved. Reload and try again.")
    daily_activity_logs.note_change(user_id)
    return swapped[1]


def _close_open_pause(pauses: list[dict], at: datetime) -> list[dict]:
    return [pause if pause.get("ended_at") else {**pause, "ended_at": at} for pause in pauses]


def pause_session(user: User, session_id: str, now: datetime | None = None) -> dict:
    now = now or timeutil.utcnow()

    def changes(session: dict) -> dict:
        return {
            "status": "paused",
            "pauses": [*session["pauses"], {"started_at": now, "ended_at": None}],
            "elapsed_seconds": max(session["elapsed_seconds"], elapsed_seconds(session, now)),
        }

    return _change(user.id, session_id, "pause", now, changes)


def resume_session(user: User, session_id: str, now: datetime | None = None) -> dict:
    now = now or timeutil.utcnow()

    def changes(session: dict) -> dict:
        resumed = {**session, "pauses": _close_open_pause(session["pauses"], now)}
        remaining = clock(resumed, now).remaining_seconds
        return {"status": "active", "pauses": resumed["pauses"], "planned_end_at": now + timedelta(seconds=remaining)}

    return _change(user.id, session_id, "resume", now, changes)


def _ending(session: dict, status: str, ended_at: datetime, **extra) -> dict:
    ended = {**session, "pauses": _close_open_pause(session["pauses"], ended_at), "ended_at": ended_at}
    elapsed = elapsed_seconds(ended, ended_at)
    counted = status == "completed" and not is_break(session)
    return {
        "status": status,
        "active_key": str(session["_id"]),
        "pauses": ended["pauses"],
        "ended_at": ended_at,
        "elapsed_seconds": max(session["elapsed_seconds"], elapsed),
        # Focus time never exceeds the plan: finishing late does not add to it.
        "focus_minutes": min(elapsed, session["planned_minutes"] * 60) // 60 if counted else 0,
        **extra,
    }


def _count_completed(user: User, session: dict, now: datetime) -> None:
    """Add a completed session to the day it ran, the person's total and their program day."""
    if is_break(session):
        return
    minutes = session["focus_minutes"]
    record_activity(user.id, session["started_at"], session["timezone"], focus_minutes=minutes, focus_sessions=1)
    db.session.execute(
        update(Profile).where(Profile.user_id == user.id).values(focus_minutes=Profile.focus_minutes + minutes)
    )
    db.session.commit()
    if session.get("program_id"):
        focus_programs.complete_day_if_done(user, session["program_id"], session["program_day"], now)


def complete_session(
    user: User, session_id: str, rating: int | None, notes: str = "", now: datetime | None = None
) -> dict:
    """Finish the session now (early or at its end) with a productivity rating."""
    now = now or timeutil.utcnow()
    notes = notes.strip()
    errors = {}
    if rating is None or not 1 <= rating <= 5:
        errors["rating"] = "Rate how productive the session was, from 1 to 5."
    if len(notes) > NOTES_MAX:
        errors["notes"] = f"Keep the notes under {NOTES_MAX} characters."
    if errors:
        raise SessionInvalid(errors)

    def changes(session: dict) -> dict:
        return _ending(session, "completed", now, productivity_rating=rating, notes=notes)

    session = _change(user.id, session_id, "complete", now, changes)
    _count_completed(user, session, now)
    return session


def abandon_session(user: User, session_id: str, now: datetime | None = None) -> dict:
    """Stop the session without counting any focus time."""
    now = now or timeutil.utcnow()
    return _change(user.id, session_id, "abandon", now, lambda session: _ending(session, "abandoned", now))


def note_distraction(user: User, session_id: str, note: str = "", now: datetime | None = None) -> dict:
    now = now or timeutil.utcnow()
    note = " ".join(note.split())
    if len(note) > DISTRACTION_NOTE_MAX:
        raise SessionInvalid({"note": f"Keep the note under {DISTRACTION_NOTE_MAX} characters."})
    session = get_session(user.id, session_id)
    if not focus_sessions.add_distraction(user.id, session["_id"], note):
        raise TransitionRefused("This session has ended; distractions are noted while it runs.")
    return get_session(user.id, session_id)


def heartbeat(user: User, session_id: str, now: datetime | None = None) -> dict:
    """Sync a running session: `elapsed_seconds` moves forward to now, never back, never past now.

    Idempotent: a repeated or late heartbeat changes nothing.
    """
    now = now or timeutil.utcnow()
    session = get_session(user.id, session_id)
    if session["status"] == "active":
        elapsed = elapsed_seconds(session, now)
        if focus_sessions.record_heartbeat(user.id, session["_id"], elapsed):
            session = {**session, "elapsed_seconds": elapsed}
    return session


def close_overdue_session(user: User, session_id: str, now: datetime | None = None) -> bool:
    """Close a session left running past its planned end + OVERDUE_AFTER, at its planned end.

    It counts at most the planned minutes; a session left paused ends when its pause began.
    """
    now = now or timeutil.utcnow()

    def changes(session: dict) -> dict:
        if session["planned_end_at"] + OVERDUE_AFTER >= now:
            raise TransitionRefused("This session is not overdue.")
        open_pauses = [pause["started_at"] for pause in session["pauses"] if not pause.get("ended_at")]
        ended_at = min([session["planned_end_at"], *open_pauses])
        return _ending(session, "completed", ended_at, auto_closed=True)

    try:
        closed = _change(user.id, session_id, "complete", now, changes)
    except TransitionRefused:
        return False
    _count_completed(user, closed, now)
    return True
