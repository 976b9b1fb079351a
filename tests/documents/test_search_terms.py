"""Each entry's `search_terms` (what search reads): made in one place, filled in for entries written
before search read them (`flask repair-documents`), and an old install's `$text` index retired.

Also on mongomock (`make test-mongomock`).
"""

import secrets

import pytest
from pymongo import TEXT, IndexModel
from pymongo.errors import OperationFailure

from mindnotes.documents import collection, journal_entries
from mindnotes.documents.indexes import create_indexes
from mindnotes.documents.repair import repair_person
from mindnotes.extensions import mongo
from mindnotes.services.journal import search as journal_search
from tests.factories import make_entry

OLD_TEXT_INDEX = IndexModel([("search_text", TEXT)], name="search_text", default_language="none")


def found_titles(user, query: str) -> list[str]:
    filters = journal_search.Filters(text=query)
    return sorted(entry["title"] for entry in journal_search.search_entries(user.id, user.timezone, filters))


def test_search_terms_are_the_distinct_words_folded_and_sorted():
    text = "Café, café! CAFE_bar — the 2nd **walk**\nCrème"
    assert journal_entries.search_terms(text) == ["2nd", "bar", "cafe", "creme", "the", "walk"]


def written_before_search_terms(user, title: str, content: str) -> dict:
    """An entry as earlier versions stored it: `search_text`, no `search_terms`."""
    entry = make_entry(user, title=title, content=content)
    collection("journal_entries").update_one(
        {"_id": entry["_id"], "user_id": user.id}, {"$unset": {"search_terms": ""}}
    )
    return entry


def test_repair_gives_old_entries_their_search_terms_once_and_only_the_persons_own(runner, users):
    amy, ben = users.make(), users.make()
    written_before_search_terms(amy, "Heron", "a grey heron by the weir")
    stale = make_entry(amy, title="Edited elsewhere", content="now about otters")
    collection("journal_entries").update_one(
        {"_id": stale["_id"], "user_id": amy.id}, {"$set": {"search_terms": ["kingfisher"]}}
    )
    make_entry(amy, title="Current", content="a heron again")
    written_before_search_terms(ben, "Ben's heron", "heron")
    assert found_titles(amy, "heron") == ["Current"]

    assert repair_person(amy.id, dry_run=True) == {"journal_entries": 2}
    assert found_titles(amy, "heron") == ["Current"]
    assert repair_person(amy.id) == {"journal_entries": 2}
    assert found_titles(amy, "heron") == ["Current", "Heron"]
    assert found_titles(amy, "otters") == ["Edited elsewhere"] and found_titles(amy, "kingfisher") == []
    assert repair_person(amy.id) == {}
    assert found_titles(ben, "heron") == []  # Ben's turn comes with his own run

    result = runner.invoke(args=["repair-documents"])
    assert result.exit_code == 0, result.output
    assert "1 document(s) of 1 person(s) repaired" in result.output
    assert found_titles(ben, "heron") == ["Ben's heron"]


@pytest.fixture
def old_install(app):
    """A database as an earlier version left it: the `$text` index over entries that exist."""
    database = mongo.cx[f"mindnotes_old_{secrets.token_hex(4)}"]
    database.journal_entries.create_indexes([OLD_TEXT_INDEX])
    database.journal_entries.insert_one({"user_id": 1, "search_text": "herons", "deleted_at": None})
    yield database
    mongo.cx.drop_database(database.name)


def listed_names(database) -> list[str]:
    return [index["name"] for index in database.journal_entries.list_indexes()]


def test_an_old_install_loses_its_text_index_and_starts_again_cleanly(old_install):
    listed_before = listed_names(old_install)
    first = create_indexes(old_install)
    assert "journal_entries.user_search_terms" in first.created
    again = create_indexes(old_install)
    assert again.created == [] and again.dropped == []
    assert "search_text" not in listed_names(old_install)
    if "search_text" in listed_before:  # a server that lists text indexes (MongoDB, mongomock)
        assert first.dropped == ["journal_entries.search_text"]
    # nx-27017 lists none; with documents present it refuses to make one it has ("constraint
    # failed"), so making it again shows the old one is gone.
    try:
        old_install.journal_entries.create_indexes([OLD_TEXT_INDEX])
    except OperationFailure as error:
        pytest.fail(f"the old text index is still there: {error}")
