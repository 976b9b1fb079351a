"""Every MongoDB command the app sends on a per-person collection names one person; the sweeps that
cannot are listed once (mindnotes/documents/sweeps.py) and served by an index (issue 16).

The check runs around every test of the suite (tests/_query_targeting.py, an autouse fixture);
these tests show that it reads each kind of command and sees what it should.
"""

from datetime import UTC, datetime

import pytest

from mindnotes.documents import daily_prompt_sets, focus_sessions, job_outbox, journal_entries, reminders
from mindnotes.documents.indexes import INDEXES
from mindnotes.documents.sweeps import CROSS_PERSON_SWEEPS
from mindnotes.extensions import mongo
from tests import _query_targeting as targeting
from tests._mongo_lane import not_on_mongomock

MOMENT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
NO_WIRE = "an in-process emulator sends no wire commands to listen to"

# How to run each allowed sweep once (a new sweep needs a line here, or its test fails).
RUN_SWEEP = {
    "mindnotes.documents.journal_entries.trashed_before": lambda: journal_entries.trashed_before(MOMENT),
    "mindnotes.documents.focus_sessions.overdue_sessions": lambda: focus_sessions.overdue_sessions(MOMENT),
    "mindnotes.documents.daily_prompt_sets.delete_unanswered_before": (
        lambda: daily_prompt_sets.delete_unanswered_before("2026-03-01")
    ),
    "mindnotes.documents.job_outbox.oldest_records": lambda: job_outbox.oldest_records(MOMENT, 100),
    "mindnotes.documents.reminders.due_plans": lambda: reminders.due_plans(MOMENT, 100),
}


@pytest.mark.parametrize("query", [{"user_id": 5}, {"user_id": {"$eq": 5}}, {"user_id": {"$in": [5]}, "_id": 1}])
def test_user_id_equality_names_one_person(query):
    assert targeting.has_user_id_equality(query)


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"_id": "5-2026-03-01"},  # a day id holds the person's id, but a router cannot read it
        {"user_id": {"$in": [5, 6]}},
        {"user_id": {"$gt": 4}},
        {"user_id": {"$ne": 5}},
        {"user_id": None},
        "no $match first: {'$group': {}}",
    ],
)
def test_anything_else_reaches_every_shard(query):
    assert not targeting.has_user_id_equality(query)


def test_each_kind_of_command_is_read_for_its_filters():
    assert targeting.filters_of("find", {"find": "c", "filter": {"user_id": 5}}) == [("find", {"user_id": 5})]
    updates = {"updates": [{"q": {"_id": 1}, "u": {}, "upsert": True}, {"q": {"user_id": 5}, "u": {}}]}
    assert targeting.filters_of("update", updates) == [("upsert", {"_id": 1}), ("update", {"user_id": 5})]
    assert targeting.filters_of("delete", {"deletes": [{"q": {}, "limit": 0}]}) == [("delete", {})]
    grouped = targeting.filters_of("aggregate", {"pipeline": [{"$group": {"_id": None}}]})
    assert grouped == [("aggregate $match", "no $match first: {'$group': {'_id': None}}")]
    assert targeting.filters_of("aggregate", {"pipeline": [{"$match": {"user_id": 5}}, {"$limit": 1}]}) == [
        ("aggregate $match", {"user_id": 5})
    ]
    assert targeting.filters_of("count", {"count": "c", "query": {}}) == [("count", {})]
    assert targeting.filters_of("findAndModify", {"query": {"_id": 1}}) == [("findAndModify", {"_id": 1})]
    inserted = targeting.filters_of("insert", {"documents": [{"_id": 1, "user_id": 5, "x": 1}, {"_id": 2}]})
    assert inserted == [("insert", {"_id": 1, "user_id": 5}), ("insert", {"_id": 2})]
    # About the collection, not anybody's documents: an estimated count and the stats stage.
    assert targeting.filters_of("count", {"count": "c"}) == []
    assert targeting.filters_of("aggregate", {"pipeline": [{"$collStats": {"storageStats": {}}}]}) == []


@not_on_mongomock(NO_WIRE)
def test_an_untargeted_app_query_is_caught_with_the_function_that_sent_it(app, monkeypatch):
    monkeypatch.setattr(targeting, "CROSS_PERSON_SWEEPS", {})
    first = len(targeting.RECORDER.violations)
    journal_entries.trashed_before(MOMENT)
    caught = targeting.RECORDER.violations[first:]
    del targeting.RECORDER.violations[first:]  # provoked here on purpose: not this test's failure
    assert [(c.collection, c.command, c.issuer) for c in caught] == [
        ("journal_entries", "find", "mindnotes.documents.journal_entries.trashed_before")
    ]


@not_on_mongomock(NO_WIRE)
def test_a_tests_own_query_is_not_the_apps(app):
    first = len(targeting.RECORDER.violations)
    mongo.db.journal_entries.count_documents({})
    assert targeting.RECORDER.violations[first:] == []


@not_on_mongomock(NO_WIRE)
@pytest.mark.parametrize("sweep", sorted(CROSS_PERSON_SWEEPS))
def test_each_sweep_across_people_is_served_by_its_index(app, sweep):
    name, index_name = CROSS_PERSON_SWEEPS[sweep]
    declared = {model.document["name"]: list(model.document["key"]) for model in INDEXES[name]}
    assert index_name in declared, f"{sweep}: no index {index_name} on {name} in documents/indexes.py"
    leading_field = declared[index_name][0]

    first = len(targeting.RECORDER.sweeps)
    RUN_SWEEP[sweep]()
    filters = [c.filter for c in targeting.RECORDER.sweeps[first:] if c.issuer == sweep and c.collection == name]
    assert filters, f"{sweep} sent no command on {name}"
    for query in filters:
        assert leading_field in query, f"{sweep}: {query!r} does not use {index_name}'s leading field {leading_field}"
