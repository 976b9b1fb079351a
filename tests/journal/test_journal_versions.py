"""History you can use: what each save changed, word by word, and bringing a version back."""

from mindnotes.documents import daily_activity_logs, journal_entries
from mindnotes.services import journal
from mindnotes.services.journal.versions import Piece, word_diff
from tests.journal.helpers import write


def test_word_diff_marks_taken_out_and_added_words_and_keeps_the_rest():
    assert word_diff("The cat sat on the mat.", "The dog sat on the red mat!") == [
        Piece("same", "The "),
        Piece("removed", "cat"),
        Piece("added", "dog"),
        Piece("same", " sat on the "),
        Piece("added", "red "),
        Piece("same", "mat"),
        Piece("removed", "."),
        Piece("added", "!"),
    ]


def test_word_diff_of_equal_texts_is_one_unchanged_piece():
    assert word_diff("Same words\n\nhere", "Same words\n\nhere") == [Piece("same", "Same words\n\nhere")]
    assert word_diff("", "") == []


def edited(user, entry, title, content):
    return journal.update_entry(user, entry["_id"], {"title": title, "content": content})


def test_version_page_shows_what_the_next_save_changed(client, users, login):
    user = users.make()
    login(user)
    entry = write(user, title="Walk", content="A short walk by the river.")
    edited(user, entry, "Walk", "A long walk by the river.")
    edited(user, entry, "Evening Walk", "A long walk by the <sea>.")
    first = client.get(f"/journal/{entry['_id']}/versions/1").get_data(as_text=True)
    assert "to version 2" in first
    assert "A <del>short</del><ins>long</ins> walk by the river." in first
    newest = client.get(f"/journal/{entry['_id']}/versions/2").get_data(as_text=True)
    assert "to the current text" in newest
    assert "<del>river</del><ins>&lt;sea&gt;</ins>" in newest
    assert "<ins>Evening </ins>Walk" in newest


def test_restore_brings_the_version_back_and_keeps_the_replaced_text(client, users, login):
    user = users.make()
    login(user)
    entry = write(user, title="Plan", content="one two three four")
    edited(user, entry, "Plan B", "five")
    response = client.post(f"/journal/{entry['_id']}/versions/1/restore", data={"revision": "1"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/journal/{entry['_id']}")
    stored = journal_entries.get_entry(user.id, entry["_id"])
    assert (stored["title"], stored["content"], stored["word_count"]) == ("Plan", "one two three four", 4)
    assert [(version["title"], version["content"]) for version in stored["versions"]] == [
        ("Plan", "one two three four"),
        ("Plan B", "five"),
    ]
    assert "one two three four" in stored["search_text"] and stored["revision"] == 2
    assert daily_activity_logs.get_day(user.id, stored["local_date"])["words"] == 4
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Version 1 is back" in page and "Version 2" in page


def test_restore_from_a_stale_page_is_refused_with_409_and_nothing_changes(client, users, login):
    user = users.make()
    login(user)
    entry = write(user, title="Plan", content="first")
    edited(user, entry, "Plan", "second")
    edited(user, entry, "Plan", "third")  # saved in another tab after the version page was opened
    response = client.post(f"/journal/{entry['_id']}/versions/1/restore", data={"revision": "1"})
    assert response.status_code == 409
    assert "changed elsewhere" in response.get_data(as_text=True)
    assert journal_entries.get_entry(user.id, entry["_id"])["content"] == "third"


def test_restoring_a_version_that_does_not_exist_is_a_404(client, users, login):
    user = users.make()
    login(user)
    entry = write(user, content="only")
    assert client.post(f"/journal/{entry['_id']}/versions/1/restore").status_code == 404
    assert client.get(f"/journal/{entry['_id']}/versions/1").status_code == 404
    assert journal_entries.get_entry(user.id, entry["_id"])["revision"] == 0


def test_a_trashed_entrys_version_can_be_read_but_not_restored(client, users, login):
    user = users.make()
    login(user)
    entry = write(user, content="first")
    edited(user, entry, "An entry", "second")
    journal.trash_entry(user, entry["_id"])
    page = client.get(f"/journal/{entry['_id']}/versions/1").get_data(as_text=True)
    assert "first" in page and "Restore this version" not in page
    assert client.post(f"/journal/{entry['_id']}/versions/1/restore").status_code == 404
    assert journal_entries.get_entry(user.id, entry["_id"])["content"] == "second"
