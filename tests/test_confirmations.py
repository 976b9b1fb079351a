"""What cannot be undone asks first: deleting a mood, abandoning a focus session, deleting a trashed entry
for good, deleting the account. The question is a page of its own (GET, without JavaScript) or, for htmx,
the content of the page's dialog; only its form's POST does the thing."""

from datetime import timedelta

import pytest

from mindnotes import timeutil
from mindnotes.documents import collection
from tests.factories import make_entry, make_focus_session, make_mood


def _mood(user):
    return make_mood(user), "mood_entries"


def _running_session(user):
    return make_focus_session(user, status="active"), "focus_sessions"


def _trashed_entry(user):
    now = timeutil.utcnow()
    return make_entry(user, now - timedelta(days=2), title="Old draft", deleted_at=now - timedelta(days=1)), (
        "journal_entries"
    )


# (what, its page with the link, the confirmation URL, the action, the question, what is still true before)
CASES = {
    "mood": (_mood, "/mood/{id}/edit", "/mood/{id}/delete", "/mood/{id}/delete", "Delete this mood?"),
    "focus": (
        _running_session,
        "/focus/sessions/{id}",
        "/focus/sessions/{id}/abandon",
        "/focus/sessions/{id}/abandon",
        "Abandon this session?",
    ),
    "trash": (_trashed_entry, "/journal/trash", "/journal/{id}/purge", "/journal/{id}/purge", "for good?"),
}


def _stored(user, kind: str, document: dict) -> dict | None:
    return collection(kind).find_one({"user_id": {"$eq": user.id}, "_id": document["_id"]})


@pytest.mark.parametrize("case", CASES)
def test_the_page_links_to_a_question_and_nothing_happens_until_it_is_answered(client, users, login, case):
    make, page, confirm, action, question = CASES[case]
    user = users.make()
    document, kind = make(user)
    before = _stored(user, kind, document)
    assert before is not None
    login(user)
    key = str(document["_id"])

    listing = client.get(page.format(id=key)).get_data(as_text=True)
    assert f'href="{confirm.format(id=key)}"' in listing
    assert f'<form action="{action.format(id=key)}" method="post"' not in listing

    response = client.get(confirm.format(id=key))
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and question in body and "cannot be undone" in body
    assert f'<form action="{action.format(id=key)}" method="post"' in body
    assert _stored(user, kind, document) == before

    dialog = client.get(confirm.format(id=key), headers={"HX-Request": "true"}).get_data(as_text=True)
    assert question in dialog and "<html" not in dialog

    assert client.post(action.format(id=key)).status_code == 302
    assert _stored(user, kind, document) != before


@pytest.mark.parametrize("case", CASES)
def test_another_persons_question_is_404_and_changes_nothing(client, users, login, case):
    make, _page, confirm, _action, _question = CASES[case]
    owner, stranger = users.make(), users.make()
    document, kind = make(owner)
    before = _stored(owner, kind, document)
    login(stranger)
    assert client.get(confirm.format(id=str(document["_id"]))).status_code == 404
    assert _stored(owner, kind, document) == before


def test_a_finished_session_has_nothing_to_abandon(client, users, login):
    user = users.make()
    done = make_focus_session(user)
    login(user)
    response = client.get(f"/focus/sessions/{done['_id']}/abandon")
    assert response.status_code == 302 and response.headers["Location"] == f"/focus/sessions/{done['_id']}"


def test_an_entry_still_in_the_journal_cannot_be_deleted_for_good_from_here(client, users, login):
    user = users.make()
    entry = make_entry(user)
    login(user)
    assert client.get(f"/journal/{entry['_id']}/purge").status_code == 404


def test_account_deletion_is_a_page_that_asks_for_the_password_first(client, users, login):
    user = users.make()
    login(user)
    body = client.get("/account/security/delete").get_data(as_text=True)
    assert "It cannot be undone" in body and 'name="password"' in body
    assert user.is_active and client.get("/home").status_code == 200
