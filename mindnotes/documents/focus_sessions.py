"""focus_sessions: a person's focus sessions, with their pauses and distractions.

At most one session per person is running (active or paused): the unique
`active_key` is "user:<id>" while it runs and the session's own id once it ends.

nx-27017 stores a datetime given to `$set` as a string, and turns subdocuments
given to `$push` into JSON strings; both would break real MongoDB readers too.
So a change of state replaces the whole document, guarded by its `revision` (a
counter every write here increments, so a status change moves it too) through
`documents.compare_and_swap`: a replacement computed from a stale read matches
nothing and changes nothing. The small counters (distractions, heartbeat) are
plain `$inc`/`$set` of numbers and strings.
"""

from datetime import datetime

from bson import ObjectId
from pymongo import DESCENDING

from mindnotes.documents import collection, parse_object_id

NAME = "focus_sessions"
RUNNING = ["active", "paused"]


def running_key(user_id: int) -> str:
    return f"user:{user_id}"


def insert_session(user_id: int, document: dict) -> None:
    """Insert a new running session; DuplicateKeyError when one is running already."""
    collection(NAME).insert_one({**document, "user_id": user_id, "active_key": running_key(user_id)})


def insert_ended_session(user_id: int, document: dict) -> None:
    """Insert a session that has ended already (an import): its `active_key` is its own id."""
    collection(NAME).insert_one({**document, "user_id": user_id, "active_key": str(document["_id"])})


def delete_session(user_id: int, session_id: ObjectId) -> bool:
    return collection(NAME).delete_one({"_id": session_id, "user_id": user_id}).deleted_count == 1


def get_session(user_id: int, session_id: str | ObjectId) -> dict | None:
    oid = parse_object_id(session_id)
    if oid is None:
        return None
    return collection(NAME).find_one({"_id": oid, "user_id": user_id})


def get_running_session(user_id: int) -> dict | None:
    return collection(NAME).find_one({"user_id": user_id, "active_key": running_key(user_id)})


def add_distraction(user_id: int, session_id: ObjectId, note: str) -> bool:
    """Count one distraction (and keep its note) on a running session."""
    update: dict = {"$inc": {"distractions.count": 1, "revision": 1}}
    if note:
        update["$push"] = {"distractions.notes": note}
    result = collection(NAME).update_one({"_id": session_id, "user_id": user_id, "status": {"$in": RUNNING}}, update)
    return result.modified_count == 1


def record_heartbeat(user_id: int, session_id: ObjectId, elapsed_seconds: int) -> bool:
    """Move the stored `elapsed_seconds` forward to the given figure; never backward, only while active."""
    result = collection(NAME).update_one(
        {"_id": session_id, "user_id": user_id, "status": "active", "elapsed_seconds": {"$lt": elapsed_seconds}},
        {"$set": {"elapsed_seconds": elapsed_seconds}, "$inc": {"revision": 1}},
    )
    return result.modified_count == 1


def recent_sessions(user_id: int, limit: int = 10) -> list[dict]:
    return list(collection(NAME).find({"user_id": user_id}).sort("started_at", DESCENDING).limit(limit))


def sessions_since(user_id: int, first_local_date: str) -> list[dict]:
    """Status and rating of the person's sessions started on or after `first_local_date`."""
    return list(
        collection(NAME).find(
            {"user_id": user_id, "local_date": {"$gte": first_local_date}},
            {"status": 1, "productivity_rating": 1, "local_date": 1},
        )
    )


def program_day_minutes(user_id: int, program_id: int, day_number: int) -> int:
    """Focus minutes of the person's completed sessions counted towards one program day."""
    sessions = collection(NAME).find(
        {"user_id": user_id, "program_id": program_id, "program_day": day_number, "status": "completed"},
        {"focus_minutes": 1},
    )
    return sum(session.get("focus_minutes") or 0 for session in sessions)


def overdue_sessions(planned_end_before: datetime, limit: int = 500) -> list[dict]:
    """Running sessions of anyone whose planned end is before the given moment (for the closing job)."""
    return list(
        collection(NAME)
        .find({"status": {"$in": RUNNING}, "planned_end_at": {"$lt": planned_end_before}}, {"user_id": 1})
        .limit(limit)
    )
