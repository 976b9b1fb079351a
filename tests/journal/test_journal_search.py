"""Full-text search: every word must match, best first, highlighted safely, with the filters."""

from datetime import UTC, datetime, timedelta

from bson import ObjectId

from mindnotes.documents import journal_entries
from mindnotes.services.journal import search as journal_search
from tests._mongo_lane import not_on_mongomock
from tests.journal.helpers import write

NEEDS_TEXT_SEARCH = not_on_mongomock("no $text operator")


def search(client, query: str) -> str:
    return client.get("/journal/", query_string={"q": query}).get_data(as_text=True)


@NEEDS_TEXT_SEARCH
def test_several_words_find_only_entries_holding_all_of_them(client, users, login):
    user = users.make()
    login(user)
    write(user, title="Both", content="The cat sat with the dog")
    write(user, title="Cat only", content="The cat and a dogma")
    write(user, title="Dog only", content="Walked the dog")
    page = search(client, "dog cat")
    assert "Both" in page
    assert "Cat only" not in page and "Dog only" not in page
    assert "1 entry matches" in page


@NEEDS_TEXT_SEARCH
def test_words_match_in_title_and_content_together_and_ignore_case(client, users, login):
    user = users.make()
    login(user)
    write(user, title="Seaside", content="We swam at dawn")
    assert "<mark>Seaside</mark>" in search(client, "SEASIDE swam")


@NEEDS_TEXT_SEARCH
def test_matched_words_are_highlighted_and_the_rest_escaped(client, users, login):
    user = users.make()
    login(user)
    write(user, title="<b>Lake</b> day", content="Rowing on the lake <script>alert(1)</script>")
    page = search(client, "lake")
    assert "&lt;b&gt;<mark>Lake</mark>&lt;/b&gt; day" in page
    assert "<mark>lake</mark> &lt;script&gt;" in page
    assert "<script>alert" not in page


@NEEDS_TEXT_SEARCH
def test_search_combines_with_filters_and_skips_the_trash(client, users, login):
    user = users.make()
    login(user)
    write(user, title="Loved garden", content="garden", is_favorite=True)
    write(user, title="Plain garden", content="garden")
    trashed = write(user, title="Gone garden", content="garden")
    client.post(f"/journal/{trashed['_id']}/delete")
    page = client.get("/journal/", query_string={"q": "garden", "favorites": "1"}).get_data(as_text=True)
    assert "Loved <mark>garden</mark>" in page and "Plain <mark>garden</mark>" not in page
    assert "Gone <mark>garden</mark>" not in search(client, "garden")


@NEEDS_TEXT_SEARCH
def test_another_persons_entries_are_never_found(client, users, login):
    user, other = users.make(), users.make()
    write(other, title="Their secret", content="secret")
    login(user)
    assert "Their secret" not in search(client, "secret")


@NEEDS_TEXT_SEARCH
def test_a_word_in_one_entry_out_of_five_thousand_finds_that_entry(client, users, login):
    user = users.make()
    login(user)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    filler = [
        {
            "_id": ObjectId(),
            "title": f"Day {number}",
            "content": "ordinary day at work",
            "search_text": f"Day {number}\nordinary day at work",
            "entry_type": "text",
            "entry_date": start + timedelta(hours=number),
            "local_date": (start + timedelta(hours=number)).date().isoformat(),
            "deleted_at": None,
            "word_count": 4,
        }
        for number in range(4999)
    ]
    journal_entries.insert_entries(user.id, filler)
    write(user, title="The rare one", content="I saw a kingfisher today")
    page = search(client, "kingfisher")
    assert "The rare one" in page and "1 entry matches" in page


def test_search_words_are_deduplicated_and_punctuation_ignored():
    assert journal_search.search_words('cat, Cat "dog"!') == ["cat", "dog"]
    assert journal_search.search_words("<>") == []
