"""Another person's entry, photo, voice note or draft is a 404 on every journal route."""

import io

import pytest

from mindnotes import timeutil
from mindnotes.documents import collection, journal_drafts, journal_entries
from mindnotes.services import journal
from mindnotes.services.journal import media as journal_media
from tests.journal.helpers import write
from tests.journal.test_journal_media import image_bytes, wav_bytes


@pytest.fixture
def theirs(users):
    """Someone else's entries (one live with a version, a photo and a voice note; one trashed) and draft."""
    owner = users.make()
    entry = write(owner, title="Private", content="first")
    journal.update_entry(owner, entry["_id"], {"title": "Private", "content": "second"})
    journal_media.add_photo(owner, entry["_id"], journal_media.Upload(image_bytes()))
    journal_media.add_voice_note(owner, entry["_id"], journal_media.Upload(wav_bytes()))
    trashed = write(owner, title="Trashed")
    journal.trash_entry(owner, trashed["_id"])
    draft = journal_drafts.save_draft(owner.id, entry["_id"], {"title": "draft"}, timeutil.utcnow())
    stored = journal_entries.get_entry(owner.id, entry["_id"])
    return {
        "owner": owner,
        "entry": str(entry["_id"]),
        "trashed": str(trashed["_id"]),
        "photo": stored["photos"][0]["id"],
        "voice": stored["voice_notes"][0]["id"],
        "draft": str(draft["_id"]),
    }


ROUTES = [
    ("get", "/journal/{entry}"),
    ("get", "/journal/{trashed}"),
    ("get", "/journal/{entry}/edit"),
    ("post", "/journal/{entry}/edit"),
    ("get", "/journal/{entry}/versions/1"),
    ("post", "/journal/{entry}/versions/1/restore"),
    ("get", "/journal/{entry}/draft-media/0123456789abcdef0123456789abcdef.png"),
    ("post", "/journal/{entry}/draft-media/0123456789abcdef0123456789abcdef.png/remove"),
    ("post", "/journal/{entry}/preview"),
    ("post", "/journal/{entry}/draft"),
    ("post", "/journal/drafts/{draft}/discard"),
    ("post", "/journal/{entry}/favorite"),
    ("post", "/journal/{entry}/delete"),
    ("post", "/journal/{trashed}/restore"),
    ("post", "/journal/{trashed}/purge"),
    ("post", "/journal/{entry}/photos"),
    ("get", "/journal/{entry}/photos/{photo}"),
    ("post", "/journal/{entry}/photos/{photo}/delete"),
    ("post", "/journal/{entry}/voice-notes"),
    ("get", "/journal/{entry}/voice-notes/{voice}"),
    ("post", "/journal/{entry}/voice-notes/{voice}/delete"),
]


@pytest.mark.parametrize(("method", "route"), ROUTES, ids=[f"{m} {r}" for m, r in ROUTES])
def test_another_persons_things_are_not_found_and_left_alone(client, users, login, theirs, method, route):
    login(users.make())
    before = list(collection("journal_entries").find({"user_id": theirs["owner"].id}).sort("_id"))
    data = {"title": "Hijack", "content": "x", "favorite": "1", "revision": "2", "caption": "x"}
    if route.endswith(("/photos", "/voice-notes")):
        data["photo" if route.endswith("/photos") else "voice_note"] = (io.BytesIO(image_bytes()), "a.png")
    response = getattr(client, method)(route.format(**theirs), data=data if method == "post" else None)
    assert response.status_code == 404
    assert list(collection("journal_entries").find({"user_id": theirs["owner"].id}).sort("_id")) == before
    assert journal_drafts.get_draft_by_id(theirs["owner"].id, theirs["draft"]) is not None


@pytest.mark.parametrize("entry_id", ["nope", "0" * 24, "6b07" * 6])
def test_ids_that_are_not_entries_are_not_found(client, users, login, entry_id):
    login(users.make())
    assert client.get(f"/journal/{entry_id}").status_code == 404
    assert client.post(f"/journal/{entry_id}/favorite").status_code == 404


def test_signed_out_visitors_are_sent_to_log_in(client):
    response = client.get("/journal/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
