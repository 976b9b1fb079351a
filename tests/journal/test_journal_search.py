"""Full-text search: every word must match, a quoted phrase word by word in order, best first,
highlighted safely, with the filters, and never another person's entries.

These run on nx-27017 and on mongomock (`make test-mongomock`): search is a plain `$all` over
the entries' stored `search_terms`, no `$text`.
"""

from datetime import UTC, datetime, timedelta

from bson import ObjectId

from mindnotes.documents import journal_entries
from mindnotes.services import journal
from mindnotes.services.journal import search as journal_search
from mindnotes.services.journal import versions as journal_versions
from mindnotes.services.journal.fields import new_entry_document, plain_entry_fields
from tests.journal.helpers import write


def search(client, query: str, **filters) -> str:
    return client.get("/journal/", query_string={"q": query, **filters}).get_data(as_text=True)


def found_titles(user, query: str) -> list[str]:
    filters = journal_search.Filters(text=query)
    return [entry["title"] for entry in journal_search.search_entries(user.id, user.timezone, filters)]


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


def test_words_match_in_title_and_content_together_and_ignore_case(client, users, login):
    user = users.make()
    login(user)
    write(user, title="Seaside", content="We swam at dawn")
    assert "<mark>Seaside</mark>" in search(client, "SEASIDE swam")


def test_accents_and_case_are_ignored_both_ways_and_the_word_as_written_is_marked(client, users, login):
    user = users.make()
    login(user)
    write(user, title="Morning at the Café", content="Crème brûlée")
    write(user, title="Cafe by the station", content="")
    page = search(client, "cafe creme")
    assert "Morning at the <mark>Café</mark>" in page and "station" not in page
    assert sorted(found_titles(user, "CAFÉ")) == ["Cafe by the station", "Morning at the Café"]


def test_whole_words_only_no_prefixes(users):
    user = users.make()
    write(user, title="Garden", content="The gardener came")
    write(user, title="Other", content="garden party")
    assert found_titles(user, "gard") == []
    assert found_titles(user, "gardener") == ["Garden"]


def test_a_quoted_phrase_needs_its_words_side_by_side_in_that_order(client, users, login):
    user = users.make()
    login(user)
    write(user, title="Along", content="We walked along the river bank at noon")
    write(user, title="Apart", content="The bank by the river was closed")
    write(user, title="Reversed", content="A bank river is not a thing")
    assert found_titles(user, '"river bank"') == ["Along"]
    assert found_titles(user, "“river bank”") == ["Along"]  # curly quotes, as phones type them
    assert sorted(found_titles(user, "river bank")) == ["Along", "Apart", "Reversed"]
    assert found_titles(user, '"river bank" noon') == ["Along"]
    assert found_titles(user, '"river bank" closed') == []
    assert "<mark>river</mark> <mark>bank</mark>" in search(client, '"river bank"')


def test_words_inside_markdown_marks_are_found(users):
    user = users.make()
    write(user, title="Marked", content="It was **very** _quiet_ and `calm`, a [walk](https://example.com/path)")
    assert found_titles(user, "quiet very calm walk") == ["Marked"]


def test_matched_words_are_highlighted_and_the_rest_escaped(client, users, login):
    user = users.make()
    login(user)
    write(user, title="<b>Lake</b> day", content="Rowing on the lake <script>alert(1)</script>")
    page = search(client, "lake")
    assert "&lt;b&gt;<mark>Lake</mark>&lt;/b&gt; day" in page
    assert "<mark>lake</mark>" in page
    assert "<script>alert" not in page


def test_search_combines_with_filters_and_skips_the_trash(client, users, login):
    user = users.make()
    login(user)
    write(user, title="Loved garden", content="garden", is_favorite=True)
    write(user, title="Plain garden", content="garden")
    trashed = write(user, title="Gone garden", content="garden")
    client.post(f"/journal/{trashed['_id']}/delete")
    page = search(client, "garden", favorites="1")
    assert "Loved <mark>garden</mark>" in page and "Plain <mark>garden</mark>" not in page
    assert "Gone <mark>garden</mark>" not in search(client, "garden")


def test_a_trashed_entry_is_found_again_once_restored(users):
    user = users.make()
    entry = write(user, title="Heron", content="a grey heron")
    journal.trash_entry(user, entry["_id"])
    assert found_titles(user, "heron") == []
    journal.restore_entry(user, entry["_id"])
    assert found_titles(user, "heron") == ["Heron"]


def test_an_edited_entry_is_found_by_its_new_words_and_not_by_its_old_ones(users):
    user = users.make()
    entry = write(user, title="Walk", content="We saw a kingfisher")
    journal.update_entry(user, entry["_id"], {"title": "Walk", "content": "We saw an otter"})
    assert found_titles(user, "otter") == ["Walk"]
    # The earlier text is kept as a version, but the entry no longer says it.
    assert found_titles(user, "kingfisher") == []


def test_a_restored_version_is_found_by_its_words_and_the_replaced_text_is_not(users):
    user = users.make()
    entry = write(user, title="Walk", content="We saw a kingfisher")
    journal.update_entry(user, entry["_id"], {"title": "Walk", "content": "We saw an otter"})
    journal_versions.restore_version(user, entry["_id"], 1)
    assert found_titles(user, "kingfisher") == ["Walk"]
    assert found_titles(user, "otter") == []


def test_an_answer_to_a_prompt_is_searchable(users):
    user = users.make()
    entry = write(user, title="Evening", content="Short day")
    journal.add_prompt_response(user, entry["_id"], {"question": "What went well?", "answer": "The long walk home"})
    assert found_titles(user, "walk home") == ["Evening"]


def test_another_persons_entries_are_never_found(client, users, login):
    user, other = users.make(), users.make()
    write(other, title="Their secret", content="secret")
    write(user, title="My secret", content="secret")
    login(user)
    page = search(client, "secret")
    assert "My <mark>secret</mark>" in page and "Their" not in page
    assert "1 entry matches" in page
    assert found_titles(other, "secret") == ["Their secret"]


def test_the_entry_mostly_about_the_words_comes_first_then_the_newest(users):
    user = users.make()
    start = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    passing = "a day of work and then rain " * 10
    write(user, title="Passing older", content=passing, entry_date=start - timedelta(days=1))
    write(user, title="All about it", content="rain rain rain", entry_date=start - timedelta(days=30))
    write(user, title="Passing newer", content=passing, entry_date=start)
    assert found_titles(user, "rain") == ["All about it", "Passing newer", "Passing older"]


def test_a_phrase_in_an_older_entry_is_found_past_a_batch_of_near_misses(users, monkeypatch):
    """Entries holding both words but not side by side fill the first batches; the search reads on."""
    monkeypatch.setattr(journal_search, "SEARCH_CANDIDATES", 4)
    user = users.make()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    write(user, title="The one", content="the old oak tree", entry_date=start)
    for day in range(1, 10):
        write(user, title=f"Near miss {day}", content="an oak by an old wall", entry_date=start + timedelta(days=day))
    assert found_titles(user, '"old oak"') == ["The one"]


def test_a_word_in_one_entry_out_of_five_thousand_finds_that_entry(client, users, login):
    user = users.make()
    login(user)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    filler = [
        new_entry_document(
            ObjectId(), plain_entry_fields(f"Day {number}", "ordinary day at work", moment, "UTC"), moment
        )
        for number in range(4999)
        for moment in [start + timedelta(hours=number)]
    ]
    journal_entries.insert_entries(user.id, filler)
    write(user, title="The rare one", content="I saw a kingfisher today")
    page = search(client, "kingfisher")
    assert "The rare one" in page and "1 entry matches" in page


def test_an_empty_or_punctuation_only_search_finds_nothing_and_answers(client, users, login):
    user = users.make()
    login(user)
    write(user, title="Anything")
    response = client.get("/journal/", query_string={"q": '"" <> !!'})
    assert response.status_code == 200
    assert "Anything" not in response.get_data(as_text=True)


def test_search_words_are_folded_deduplicated_and_punctuation_ignored():
    assert journal_search.search_words('cat, Cat "dog"!') == ["cat", "dog"]
    assert journal_search.search_words("Café cafe CAFE") == ["cafe"]
    assert journal_search.search_words("<>") == []
    assert len(journal_search.search_words(" ".join(f"w{number}" for number in range(30)))) == 10
