"""The data upgrades a new version needs run by themselves, once per install (jobs/upgrades.py):
queued by `flask serve` / `flask init-mongodb` for the worker, or run now by `flask upgrade-data`."""

from datetime import UTC, datetime

import pytest

from mindnotes.documents import collection, data_upgrades
from mindnotes.extensions import queue
from mindnotes.jobs.upgrades import JOB_ID, UPGRADES, run_pending_upgrades
from tests.documents.test_search_terms import found_titles, written_before_search_terms
from tests.factories import make_entry
from tests.jobs import run_jobs
from tests.mood.test_mood_upkeep import scores_of, stored_before_scores
from tests.stores.test_outages import CLOSED_PORT

MORNING = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)
ALL_NAMES = [upgrade.name for upgrade in UPGRADES]


@pytest.fixture(autouse=True)
def fresh_install(app):
    """The record of done upgrades is about the install, not a person: the stores' cleanup leaves it."""
    collection(data_upgrades.NAME).delete_many({})
    yield
    collection(data_upgrades.NAME).delete_many({})


def old_data(user) -> None:
    """What an earlier version left: an entry without search terms, a mood without a score, an old excerpt."""
    written_before_search_terms(user, "Heron", "a grey heron by the weir")
    stored_before_scores(user, MORNING, 9, "Stressed", valence=-1)
    marked = make_entry(user, title="Marked", content="**bold** walk")
    collection("journal_entries").update_one(
        {"_id": marked["_id"], "user_id": user.id}, {"$set": {"excerpt": "**bold** walk"}}
    )


def excerpts_of(user) -> dict[str, str]:
    return {e["title"]: e["excerpt"] for e in collection("journal_entries").find({"user_id": user.id})}


def test_old_data_is_upgraded_once_and_a_second_run_skips_every_upgrade(app, users):
    amy, ben = users.make(), users.make()
    old_data(amy)
    old_data(ben)
    assert found_titles(amy, "heron") == [] and scores_of(amy) == {"Stressed": None}

    assert run_pending_upgrades() == ALL_NAMES
    for person in (amy, ben):
        assert found_titles(person, "heron") == ["Heron"]
        assert scores_of(person) == {"Stressed": 1}
        assert excerpts_of(person)["Marked"] == "bold walk"
    assert data_upgrades.done_names() == set(ALL_NAMES)

    # Recorded: the next run does nothing, even to data left old meanwhile.
    written_before_search_terms(amy, "Late heron", "heron")
    stored = sorted(collection("journal_entries").find({"user_id": amy.id}), key=lambda e: e["_id"])
    assert run_pending_upgrades() == []
    assert sorted(collection("journal_entries").find({"user_id": amy.id}), key=lambda e: e["_id"]) == stored


def test_a_new_install_records_every_upgrade_as_done_at_once(app):
    assert run_pending_upgrades() == ALL_NAMES
    assert run_pending_upgrades() == []
    assert data_upgrades.done_names() == set(ALL_NAMES)
    data_upgrades.record_done(ALL_NAMES[0], MORNING)  # two runs at once: the second record is ignored
    assert collection(data_upgrades.NAME).count_documents({}) == len(ALL_NAMES)


def test_upgrade_data_runs_the_pending_upgrades_in_the_foreground(app, users, runner):
    amy = users.make()
    old_data(amy)

    first = runner.invoke(args=["upgrade-data"])
    assert first.exit_code == 0, first.output
    assert f"Ran 3 data upgrade(s): {', '.join(ALL_NAMES)}." in first.output
    assert found_titles(amy, "heron") == ["Heron"] and scores_of(amy) == {"Stressed": 1}

    again = runner.invoke(args=["upgrade-data"])
    assert again.exit_code == 0 and "every data upgrade has already run" in again.output


def test_init_mongodb_queues_the_upgrades_for_the_worker(app, users, runner):
    amy = users.make()
    old_data(amy)

    result = runner.invoke(args=["init-mongodb"])
    assert result.exit_code == 0, result.output
    assert "Queued the data upgrades not yet run" in result.output
    assert JOB_ID in queue.queue.job_ids
    assert found_titles(amy, "heron") == []  # not in the foreground: the worker's job

    run_jobs()
    assert found_titles(amy, "heron") == ["Heron"] and scores_of(amy) == {"Stressed": 1}
    assert data_upgrades.done_names() == set(ALL_NAMES)


def test_init_mongodb_still_succeeds_when_the_upgrades_cannot_be_queued(app_factory):
    down = app_factory(REDIS_URL=f"redis://127.0.0.1:{CLOSED_PORT}/0")
    with down.app_context():
        result = down.test_cli_runner().invoke(args=["init-mongodb"])
    assert result.exit_code == 0, result.output
    assert "MongoDB reachable" in result.output
    assert "Could not queue the data upgrades (Redis unreachable): run `flask upgrade-data`." in result.output
