"""Every MongoDB index, declared once; `flask init-mongodb` creates them.

nx-27017 ignores `partialFilterExpression`, so uniqueness rules are written as
plain unique indexes over fields that mean the same on any server (see
`focus_sessions.active_key`). Text search uses one stored field, `search_text`.
nx-27017 refuses writes to a collection with `_id` inside a compound index, so
keyset pages tie-break on `_id` without it being indexed.
"""

from pymongo import ASCENDING, DESCENDING, TEXT, IndexModel
from pymongo.database import Database
from pymongo.errors import OperationFailure

INDEXES: dict[str, list[IndexModel]] = {
    "journal_entries": [
        IndexModel(
            [("user_id", ASCENDING), ("deleted_at", ASCENDING), ("entry_date", DESCENDING)], name="user_live_newest"
        ),
        # The journal list's keyset: newest first, one string, no ties (services/journal.py list_key).
        IndexModel(
            [("user_id", ASCENDING), ("deleted_at", ASCENDING), ("list_key", DESCENDING)], name="user_live_list_key"
        ),
        IndexModel(
            [("user_id", ASCENDING), ("deleted_at", ASCENDING), ("is_favorite", ASCENDING), ("list_key", DESCENDING)],
            name="user_live_favorites",
        ),
        IndexModel([("user_id", ASCENDING), ("local_date", ASCENDING)], name="user_local_date"),
        IndexModel([("user_id", ASCENDING), ("month_day", ASCENDING)], name="user_month_day"),
        IndexModel([("search_text", TEXT)], name="search_text", default_language="none"),
    ],
    "journal_drafts": [
        IndexModel([("user_id", ASCENDING), ("entry_key", ASCENDING)], name="user_entry_key_draft", unique=True),
    ],
    "mood_entries": [
        IndexModel([("user_id", ASCENDING), ("felt_at", DESCENDING)], name="user_felt_at"),
        IndexModel([("user_id", ASCENDING), ("local_date", ASCENDING)], name="user_local_date"),
    ],
    "focus_sessions": [
        IndexModel([("user_id", ASCENDING), ("started_at", DESCENDING)], name="user_started_at"),
        IndexModel([("user_id", ASCENDING), ("local_date", ASCENDING)], name="user_local_date"),
        IndexModel([("status", ASCENDING), ("planned_end_at", ASCENDING)], name="status_planned_end"),
        # The user's id while a session is active or paused, the session's own
        # id once it ends: at most one running session per person.
        IndexModel([("active_key", ASCENDING)], name="one_running_session", unique=True),
    ],
    "daily_prompt_sets": [
        IndexModel([("user_id", ASCENDING), ("local_date", ASCENDING)], name="user_local_date", unique=True),
        # The cleanup job's filter: sets with no answer, older than a date.
        IndexModel([("answered_count", ASCENDING), ("local_date", ASCENDING)], name="unanswered_local_date"),
    ],
    "user_analytics": [
        IndexModel([("user_id", ASCENDING)], name="user", unique=True),
    ],
    "daily_activity_logs": [
        IndexModel([("user_id", ASCENDING), ("local_date", ASCENDING)], name="user_local_date", unique=True),
    ],
}


def _existing_index_keys(db: Database, name: str) -> set[tuple[str, ...]]:
    """The field lists of the collection's indexes.

    Compared by fields, not by name or direction: nx-27017 renames indexes and
    reads every direction as ascending. It also leaves text indexes out of
    index_information(), so a second run tries to create one again; that
    raises "already exists" there and is harmless.
    """
    return {tuple(field for field, _ in info["key"]) for info in db[name].index_information().values()}


def create_indexes(db: Database) -> list[str]:
    """Create every declared index that is missing; safe to run any number of times."""
    created = []
    for name, models in INDEXES.items():
        existing = _existing_index_keys(db, name)
        for model in models:
            index_name = model.document["name"]
            if tuple(model.document["key"]) in existing:
                continue
            try:
                db[name].create_indexes([model])
            except OperationFailure as error:
                if "already exists" not in str(error).lower():
                    raise
                continue
            created.append(f"{name}.{index_name}")
    return created


def get_mongo_stats(db: Database) -> list[dict]:
    """Per collection: document count, data size in bytes and number of indexes."""
    stats = []
    for name in INDEXES:
        raw = db.command("collstats", name)
        stats.append(
            {
                "collection": name,
                "count": int(raw.get("count", 0)),
                "size": int(raw.get("size", 0)),
                "indexes": len(_existing_index_keys(db, name)),
            }
        )
    return stats
