"""Every MongoDB index, declared once; `flask init-mongodb` creates them.

nx-27017 ignores `partialFilterExpression`, so uniqueness rules are written as
plain unique indexes over fields that mean the same on any server (see
`focus_sessions.active_key`); every unique index on a per-person collection
starts with `user_id`, so it can exist on a collection sharded by person.
Search uses no text index: a multikey index over each entry's folded words
(`search_terms`) serves it on every server. nx-27017 refuses writes to a
collection with `_id` inside a compound index, so keyset pages tie-break on
`_id` without it being indexed.

`create_indexes` compares what the server lists with what is declared, by key
and options, so it is idempotent and loud on a conflict on every server. What
the listing looks like differs:
- MongoDB keeps each index's name and directions, and lists a text index as
  the key `{_fts: "text", _ftsx: 1}` (after any plain prefix fields) with its
  fields in `weights`.
- nx-27017 renames every index (`idx_<collection>_<fields>`), lists every
  direction as ascending and leaves text indexes out altogether (the retired
  one is dropped by `dropSearchIndex` there, below).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

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
        IndexModel([("user_id", ASCENDING), ("source_id", ASCENDING)], name="user_source_id"),  # imports
        # Search: one person's entries holding a word, newest first (a multikey index over
        # `search_terms`, the entry's folded words; documents/journal_entries.py).
        IndexModel(
            [("user_id", ASCENDING), ("search_terms", ASCENDING), ("list_key", DESCENDING)], name="user_search_terms"
        ),
        # The trash purge's sweep across people: entries trashed before a moment.
        IndexModel([("deleted_at", ASCENDING)], name="deleted_at"),
    ],
    "journal_drafts": [
        IndexModel([("user_id", ASCENDING), ("entry_key", ASCENDING)], name="user_entry_key_draft", unique=True),
    ],
    "mood_entries": [
        IndexModel([("user_id", ASCENDING), ("felt_at", DESCENDING)], name="user_felt_at"),
        IndexModel([("user_id", ASCENDING), ("source_id", ASCENDING)], name="user_source_id"),  # imports
        IndexModel([("user_id", ASCENDING), ("local_date", ASCENDING)], name="user_local_date"),
    ],
    "focus_sessions": [
        IndexModel([("user_id", ASCENDING), ("started_at", DESCENDING)], name="user_started_at"),
        IndexModel([("user_id", ASCENDING), ("source_id", ASCENDING)], name="user_source_id"),  # imports
        IndexModel([("user_id", ASCENDING), ("local_date", ASCENDING)], name="user_local_date"),
        IndexModel([("status", ASCENDING), ("planned_end_at", ASCENDING)], name="status_planned_end"),
        # `active_key` is "user:<id>" while a session is active or paused and the
        # session's own id once it ends: at most one running session per person.
        IndexModel([("user_id", ASCENDING), ("active_key", ASCENDING)], name="user_running_session", unique=True),
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
    "user_patterns": [
        IndexModel([("user_id", ASCENDING)], name="user", unique=True),
    ],
    "weekly_reviews": [
        IndexModel([("user_id", ASCENDING), ("week_start", ASCENDING)], name="user_week_start", unique=True),
    ],
    "review_settings": [
        IndexModel([("user_id", ASCENDING)], name="user", unique=True),
    ],
    "reminder_plans": [
        IndexModel([("user_id", ASCENDING)], name="user", unique=True),
        # The minute job's sweep across people: plans whose next reminder is due (a number of minutes).
        IndexModel([("due_minute", ASCENDING)], name="due_minute"),
    ],
    "push_subscriptions": [
        IndexModel([("user_id", ASCENDING), ("endpoint", ASCENDING)], name="user_endpoint", unique=True),
    ],
    "job_outbox": [
        # One record per person and job id: a need recorded again replaces the first.
        IndexModel([("user_id", ASCENDING), ("job_id", ASCENDING)], name="user_job_id", unique=True),
        # The follow-up sweep's query across people: the oldest records first.
        IndexModel([("created_at", ASCENDING)], name="created_at"),
    ],
}

# Indexes earlier versions made that a declared one replaces: `create_indexes`
# drops each (found by its name, or by its key where the server renamed it)
# before creating the new ones, so an existing install is not left in conflict.
RETIRED: dict[str, list[IndexModel]] = {
    # `$text` over every person's entries: search reads `user_search_terms` instead.
    "journal_entries": [IndexModel([("search_text", TEXT)], name="search_text", default_language="none")],
    # Unique {active_key} alone cannot exist on a collection sharded by user_id.
    "focus_sessions": [IndexModel([("active_key", ASCENDING)], name="one_running_session", unique=True)],
}

# MongoDB's answers when an index of that name or key exists with other options.
CONFLICT_CODES = {85, 86}  # IndexOptionsConflict, IndexKeySpecsConflict
TEXT_KEY = ("_fts", TEXT)


class IndexConflict(Exception):
    """An index of the same name or key exists with other options; a person must decide which one stays."""


@dataclass(frozen=True)
class IndexShape:
    """An index as compared: key (text fields folded into `TEXT_KEY`, as MongoDB lists them) and options."""

    key: tuple[tuple[str, object], ...]
    unique: bool = False
    weights: tuple[tuple[str, int], ...] = ()
    language: str | None = None

    @property
    def is_text(self) -> bool:
        return TEXT_KEY in self.key

    def same_key(self, other: "IndexShape", with_directions: bool) -> bool:
        if with_directions:
            return self.key == other.key
        return [name for name, _ in self.key] == [name for name, _ in other.key]

    def same_options(self, other: "IndexShape") -> bool:
        if (self.unique, self.weights) != (other.unique, other.weights):
            return False
        return self.language is None or other.language is None or self.language == other.language

    def describe(self) -> str:
        key = ", ".join(f"{name}: {direction}" for name, direction in self.key if name != "_fts")
        if self.is_text:
            key = ", ".join(filter(None, [key, f"text over {', '.join(name for name, _ in self.weights)}"]))
        return "{" + key + "}" + (" unique" if self.unique else "")


def _shape(key_items, weights: dict, unique: bool, language: str | None) -> IndexShape:
    key: list[tuple[str, object]] = []
    weights = {name: int(weight) for name, weight in weights.items()}
    for name, direction in key_items:
        if name == "_ftsx":
            continue
        if name == "_fts" or direction == TEXT:
            if name != "_fts":
                weights.setdefault(name, 1)
            if TEXT_KEY not in key:
                key.append(TEXT_KEY)
        else:
            key.append((name, int(direction) if isinstance(direction, int | float) else direction))
    return IndexShape(tuple(key), unique, tuple(sorted(weights.items())), language if weights else None)


def shape_of_model(model: IndexModel) -> IndexShape:
    document = model.document
    language = document.get("default_language", "english")
    return _shape(document["key"].items(), document.get("weights", {}), bool(document.get("unique")), language)


def shape_of_listed(info: Mapping) -> IndexShape:
    """The shape of one `list_indexes()` row (MongoDB's `_fts`/`_ftsx` pair read back as one text key)."""
    weights = info.get("weights") or {}
    return _shape(info["key"].items(), weights, bool(info.get("unique")), info.get("default_language"))


@dataclass
class IndexReport:
    """What `create_indexes` did, as "<collection>.<index>" names."""

    created: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{len(self.created)} index(es) created", f"{len(self.present)} already present"]
        if self.dropped:
            parts.append(f"{len(self.dropped)} retired index(es) dropped ({', '.join(self.dropped)})")
        return "; ".join(parts) + "."


def _server_lists_index_details(db: Database) -> bool:
    """Whether the server keeps directions and lists text indexes: MongoDB does, nx-27017 does not.

    Told apart by `buildinfo`, which MongoDB (and mongomock) answer with a
    `version` and nx-27017 0.8.1 with an empty result.
    """
    return "version" in db.client.server_info()


def _listed(db: Database, name: str) -> list[tuple[str, IndexShape]]:
    return [(info["name"], shape_of_listed(info)) for info in db[name].list_indexes() if info["name"] != "_id_"]


def _drop_retired(db: Database, name: str, details: bool, report: IndexReport) -> None:
    for model in RETIRED.get(name, []):
        retired = shape_of_model(model)
        if retired.is_text and not details:
            # nx-27017 lists no text index; it keeps one as a full-text table per field that
            # only `dropSearchIndex` of the field removes (a no-op when there is none), so
            # it is dropped on every run and never reported.
            for field_name, _weight in retired.weights:
                db[name].drop_search_index(field_name)
            continue
        for listed_name, shape in _listed(db, name):
            if listed_name == model.document["name"] or shape.same_key(retired, details):
                db[name].drop_index(listed_name)
                report.dropped.append(f"{name}.{listed_name}")


def _exists_exactly(name: str, index_name: str, wanted: IndexShape, listed, details: bool) -> bool:
    """True when the wanted index exists exactly; IndexConflict when its name or key is taken otherwise."""
    for listed_name, shape in listed:
        same_key = shape.same_key(wanted, details)
        if same_key and shape.same_options(wanted):
            return True
        if same_key or listed_name == index_name:
            raise IndexConflict(
                f"MongoDB collection {name}: index {index_name} {wanted.describe()} is wanted, but index "
                f"{listed_name} {shape.describe()} exists. Drop it (db.{name}.dropIndex({listed_name!r})) "
                "and run `flask init-mongodb` again, or list it in documents/indexes.py RETIRED."
            )
    return False


def _create(db: Database, name: str, model: IndexModel, report: IndexReport) -> None:
    try:
        db[name].create_indexes([model])
    except OperationFailure as error:
        if error.code in CONFLICT_CODES:
            raise IndexConflict(f"MongoDB collection {name}: index {model.document['name']}: {error}") from error
        raise
    report.created.append(f"{name}.{model.document['name']}")


def create_indexes(db: Database) -> IndexReport:
    """Create every declared index that is missing and drop the retired ones; safe to run any number of times.

    An index that exists with the same key and options is left alone; one with
    the same name or key but other options raises IndexConflict (nothing is
    dropped that is not listed in RETIRED).
    """
    details = _server_lists_index_details(db)
    report = IndexReport()
    for name, models in INDEXES.items():
        _drop_retired(db, name, details, report)
        listed = _listed(db, name)
        for model in models:
            index_name = model.document["name"]
            if _exists_exactly(name, index_name, shape_of_model(model), listed, details):
                report.present.append(f"{name}.{index_name}")
            else:
                _create(db, name, model, report)
    return report


def _data_size(db: Database, name: str) -> int:
    # `$collStats`, not the `collstats` command (deprecated since MongoDB 6.2).
    try:
        stats: dict = next(db[name].aggregate([{"$collStats": {"storageStats": {}}}]), {})
    except OperationFailure:
        return 0
    return int(stats.get("storageStats", {}).get("size", 0))


def get_mongo_stats(db: Database) -> list[dict]:
    """Per collection: document count, data size in bytes and number of indexes."""
    return [
        {
            "collection": name,
            "count": db[name].estimated_document_count(),
            "size": _data_size(db, name),
            "indexes": len(list(db[name].list_indexes())),
        }
        for name in INDEXES
    ]
