"""Drafts: the editor's text is kept while typing and comes back when the editor reopens."""

from mindnotes.documents import collection
from tests.journal.helpers import write

HTMX = {"HX-Request": "true"}


def drafts(user) -> list[dict]:
    return list(collection("journal_drafts").find({"user_id": user.id}))


def test_autosaved_draft_comes_back_when_the_editor_reopens(client, users, login):
    user = users.make()
    login(user)
    response = client.post(
        "/journal/new/draft", data={"title": "Half a thought", "content": "It began when"}, headers=HTMX
    )
    assert response.status_code == 200
    assert "Draft saved" in response.get_data(as_text=True)
    page = client.get("/journal/new").get_data(as_text=True)
    assert 'value="Half a thought"' in page and "It began when</textarea>" in page
    assert "Restored your unsaved draft" in page


def test_saving_the_entry_clears_its_draft(client, users, login):
    user = users.make()
    login(user)
    client.post("/journal/new/draft", data={"title": "Draft"}, headers=HTMX)
    client.post("/journal/new", data={"title": "Draft", "content": "done"})
    assert drafts(user) == []
    assert "Restored" not in client.get("/journal/new").get_data(as_text=True)


def test_draft_of_an_edit_comes_back_over_the_saved_entry(client, users, login):
    user = users.make()
    login(user)
    entry = write(user, title="Saved title")
    client.post(f"/journal/{entry['_id']}/draft", data={"title": "Changed, not saved"}, headers=HTMX)
    page = client.get(f"/journal/{entry['_id']}/edit").get_data(as_text=True)
    assert 'value="Changed, not saved"' in page
    assert "Saved title" in client.get(f"/journal/{entry['_id']}").get_data(as_text=True)


def test_draft_without_javascript_redirects_back_to_the_editor(client, users, login):
    user = users.make()
    login(user)
    response = client.post("/journal/new/draft", data={"title": "No JS draft"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/journal/new")
    assert 'value="No JS draft"' in client.get("/journal/new").get_data(as_text=True)


def test_a_failed_draft_save_says_so_and_the_page_keeps_its_text(client, users, login):
    user = users.make()
    login(user)
    response = client.post("/journal/new/draft", data={"title": "t" * 5000}, headers=HTMX)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Draft not saved" in body and "Your text is still here" in body
    assert "<html" not in body
    assert drafts(user) == []


def test_discarding_a_draft_brings_back_the_blank_editor(client, users, login):
    user = users.make()
    login(user)
    client.post("/journal/new/draft", data={"title": "Throw away"}, headers=HTMX)
    [draft] = drafts(user)
    assert client.post(f"/journal/drafts/{draft['_id']}/discard").status_code == 302
    assert "Throw away" not in client.get("/journal/new").get_data(as_text=True)


def test_drafts_are_per_person(client, users, login):
    user, other = users.make(), users.make()
    login(other)
    client.post("/journal/new/draft", data={"title": "Their draft"}, headers=HTMX)
    [their_draft] = drafts(other)
    login(user)
    assert "Their draft" not in client.get("/journal/new").get_data(as_text=True)
    assert client.post(f"/journal/drafts/{their_draft['_id']}/discard").status_code == 404
    assert len(drafts(other)) == 1
