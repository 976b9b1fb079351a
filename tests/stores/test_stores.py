"""Migrations, MongoDB indexes, seeding, counters and the job path."""

import secrets
from concurrent.futures import ThreadPoolExecutor

import pytest
from bson import ObjectId
from flask_migrate import upgrade
from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError, OperationFailure
from rq import SimpleWorker
from sqlalchemy import create_engine, inspect

from mindnotes import create_app
from mindnotes.documents import collection
from mindnotes.documents.indexes import (
    INDEXES,
    RETIRED,
    IndexConflict,
    create_indexes,
    shape_of_listed,
    shape_of_model,
)
from mindnotes.documents.journal_entries import search_terms
from mindnotes.extensions import db, mongo, queue
from mindnotes.models import DailyPrompt, MoodCategory, Plan, Profile
from mindnotes.services.billing.plans import plan_for, release_entry_slots, reserve_entry_slot
from tests._mongo_lane import not_on_mongomock
from tests.conftest import MIGRATIONS
from tests.factories import make_entry

EXPECTED_TABLES = {
    "users",
    "profiles",
    "plans",
    "subscriptions",
    "payments",
    "provider_events",
    "tags",
    "mood_categories",
    "mood_factors",
    "prompt_categories",
    "daily_prompts",
    "focus_programs",
    "program_days",
    "program_enrollments",
    "export_requests",
}


def _upgrade_from_empty(url: str, test_config) -> set[str]:
    app = create_app({**test_config, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        db.engine.dispose()
    mongo.cx.close()
    engine = create_engine(url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    return tables


def test_migration_upgrades_empty_postgresql(make_database, prepared_stores):
    url = make_database().replace("postgresql://", "postgresql+psycopg2://", 1)
    assert _upgrade_from_empty(url, prepared_stores) >= EXPECTED_TABLES


def test_migration_upgrades_empty_sqlite(tmp_path, prepared_stores):
    assert _upgrade_from_empty(f"sqlite:///{tmp_path / 'fresh.db'}", prepared_stores) >= EXPECTED_TABLES


def test_seed_runs_twice_without_duplicates(runner, app):
    first = runner.invoke(args=["seed"])
    second = runner.invoke(args=["seed"])
    assert first.exit_code == second.exit_code == 0
    assert first.output == second.output
    assert Plan.query.count() == 2
    assert MoodCategory.query.count() >= 10
    assert DailyPrompt.query.count() >= 60
    assert Plan.query.filter_by(code="premium").one().entry_limit is None


@not_on_mongomock("no $collStats stage")
def test_init_mongodb_twice_and_stats(runner, app):
    assert runner.invoke(args=["init-mongodb"]).exit_code == 0
    collection("mood_entries").insert_one({"user_id": 1, "local_date": "2026-01-01"})
    collection("journal_entries").insert_one({"user_id": 1, "search_text": "herons on the river"})
    result = runner.invoke(args=["init-mongodb", "--stats"])
    assert result.exit_code == 0, result.output
    assert f"0 index(es) created; {DECLARED_COUNT} already present." in result.output
    mood_line = next(line for line in result.output.splitlines() if line.startswith("mood_entries"))
    assert mood_line.split()[1] == "1"
    assert "daily_activity_logs" in result.output


DECLARED = {f"{name}.{model.document['name']}" for name, models in INDEXES.items() for model in models}
DECLARED_COUNT = len(DECLARED)


@pytest.fixture
def fresh_db(app):
    """An empty database on the run's MongoDB-wire server, as a new install starts."""
    name = f"mindnotes_fresh_{secrets.token_hex(4)}"
    yield mongo.cx[name]
    mongo.cx.drop_database(name)


def test_indexes_made_twice_on_an_empty_database_are_made_once(fresh_db):
    first = create_indexes(fresh_db)
    assert set(first.created) == DECLARED
    second = create_indexes(fresh_db)
    assert second.created == [] and second.dropped == []
    assert set(second.present) == DECLARED


def test_restarting_with_a_journal_entry_present_creates_nothing_and_search_still_works(fresh_db):
    """The second `make run` after writing one entry used to stop on "constraint failed" (issue 22)."""
    create_indexes(fresh_db)
    text = "herons on the river"
    entry = {"user_id": 1, "search_text": text, "search_terms": search_terms(text), "deleted_at": None}
    fresh_db.journal_entries.insert_one(entry)
    again = create_indexes(fresh_db)
    assert again.created == [] and again.dropped == []
    assert set(again.present) == DECLARED
    found = fresh_db.journal_entries.find({"user_id": {"$eq": 1}, "search_terms": {"$all": ["river", "herons"]}})
    assert [entry["search_text"] for entry in found] == ["herons on the river"]


def test_an_index_with_the_same_key_but_not_unique_is_a_clear_error(app_factory, fresh_db):
    fresh_db.daily_activity_logs.create_index([("user_id", 1), ("local_date", 1)], name="user_local_date")
    with pytest.raises(IndexConflict, match="daily_activity_logs: index user_local_date .* unique is wanted"):
        create_indexes(fresh_db)

    base = app_factory().config["MONGO_URI"].rsplit("/", 1)[0]
    result = app_factory(MONGO_URI=f"{base}/{fresh_db.name}").test_cli_runner().invoke(args=["init-mongodb"])
    assert result.exit_code != 0
    assert "daily_activity_logs" in result.output and "Cannot reach" not in result.output


@not_on_mongomock("its collections are not pymongo's, which this test makes refuse")
def test_a_conflict_answered_by_mongodb_is_not_swallowed(fresh_db, monkeypatch):
    """MongoDB answers IndexOptionsConflict (85) "Index already exists with a different name"."""

    def refuse(collection, indexes, *args, **kwargs):
        raise OperationFailure("Index already exists with a different name: other_name", code=85)

    monkeypatch.setattr(Collection, "create_indexes", refuse)
    with pytest.raises(IndexConflict, match="journal_entries: index user_live_newest"):
        create_indexes(fresh_db)


def test_an_old_install_loses_its_retired_index_and_keeps_one_running_session_per_person(fresh_db):
    sessions = fresh_db.focus_sessions
    sessions.create_index([("active_key", 1)], name="one_running_session", unique=True)
    sessions.insert_one({"user_id": 1, "active_key": "user:1", "status": "active"})
    report = create_indexes(fresh_db)
    assert len(report.dropped) == 1 and report.dropped[0].startswith("focus_sessions.")
    assert [("active_key", 1)] not in [list(index["key"].items()) for index in sessions.list_indexes()]
    with pytest.raises(DuplicateKeyError):
        sessions.insert_one({"user_id": 1, "active_key": "user:1", "status": "active"})
    sessions.insert_one({"user_id": 2, "active_key": "user:2", "status": "active"})
    assert create_indexes(fresh_db).dropped == []


def test_a_text_index_as_mongodb_lists_it_matches_the_retired_one():
    """MongoDB lists a text index as {_fts: "text", _ftsx: 1} with its fields in `weights`."""
    declared = next(model for model in RETIRED["journal_entries"] if model.document["name"] == "search_text")
    listed = {"key": {"_fts": "text", "_ftsx": 1}, "name": "search_text", "weights": {"search_text": 1}}
    assert shape_of_listed({**listed, "default_language": "none"}) == shape_of_model(declared)
    older = shape_of_listed({**listed, "weights": {"title": 1, "content": 1}, "default_language": "english"})
    assert older.same_key(shape_of_model(declared), with_directions=True)
    assert not older.same_options(shape_of_model(declared))


@not_on_mongomock("in-process: never unreachable")
def test_init_mongodb_unreachable_exits_non_zero(app_factory):
    app = app_factory(MONGO_URI="mongodb://127.0.0.1:1/none", MONGO_TIMEOUT_MS=200)
    result = app.test_cli_runner().invoke(args=["init-mongodb"])
    assert result.exit_code != 0
    assert "Cannot reach MongoDB" in result.output


def test_one_active_focus_session_per_person_is_enforced_by_the_index(app):
    sessions = collection("focus_sessions")
    sessions.insert_one({"user_id": 1, "active_key": "user:1", "status": "active"})
    with pytest.raises(DuplicateKeyError):
        sessions.insert_one({"user_id": 1, "active_key": "user:1", "status": "active"})
    sessions.insert_one({"user_id": 2, "active_key": "user:2", "status": "active"})


def test_plans_grant_changes_the_plan(runner, users):
    user = users.make(email="grant@example.com")
    result = runner.invoke(args=["plans", "grant", "GRANT@example.com", "premium"])
    assert result.exit_code == 0, result.output
    assert plan_for(user.id).code == "premium"
    assert runner.invoke(args=["plans", "grant", "nobody@example.com", "premium"]).exit_code != 0
    assert runner.invoke(args=["plans", "grant", "grant@example.com", "gold"]).exit_code != 0


def test_entry_slots_stop_at_the_plan_limit(users, app):
    user = users.make()
    limit = plan_for(user.id).entry_limit
    db.session.get(Profile, user.id).entries_used = limit - 1
    db.session.commit()
    assert reserve_entry_slot(user.id) is True
    assert reserve_entry_slot(user.id) is False
    release_entry_slots(user.id)
    assert db.session.get(Profile, user.id).entries_used == limit - 1


def test_concurrent_reservations_never_pass_the_limit(users, app):
    user = users.make()
    limit = plan_for(user.id).entry_limit
    db.session.get(Profile, user.id).entries_used = limit - 5
    db.session.commit()
    user_id = user.id

    def reserve(_):
        with app.app_context():
            return reserve_entry_slot(user_id)

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(reserve, range(20)))
    assert results.count(True) == 5
    db.session.expire_all()
    assert db.session.get(Profile, user_id).entries_used == limit


def test_reconcile_recounts_entries_from_mongodb(runner, users):
    user = users.make()
    other = users.make()
    collection("journal_entries").insert_many(
        [{"_id": ObjectId(), "user_id": user.id, "title": f"t{i}"} for i in range(3)]
    )
    db.session.get(Profile, other.id).entries_used = 7
    db.session.commit()
    result = runner.invoke(args=["reconcile"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(Profile, user.id).entries_used == 3
    assert db.session.get(Profile, other.id).entries_used == 0
    assert "2 account(s) corrected" in result.output


def test_a_job_runs_end_to_end_through_redis(users, app):
    user = users.make()
    make_entry(user)
    job = queue.enqueue("mindnotes.jobs.analytics.rebuild_user_analytics", user.id)
    assert job.get_status() == "queued"
    SimpleWorker([queue.queue], connection=queue.redis).work(burst=True)
    assert job.get_status() == "finished"
    assert job.return_value()["totals"]["entries"] == 1


def test_unique_job_id_queues_at_most_one_waiting_job(app):
    first = queue.enqueue("mindnotes.jobs.analytics.rebuild_user_analytics", 1, job_id="analytics-1")
    second = queue.enqueue("mindnotes.jobs.analytics.rebuild_user_analytics", 1, job_id="analytics-1")
    assert first.id == second.id
    assert len(queue.queue) == 1
