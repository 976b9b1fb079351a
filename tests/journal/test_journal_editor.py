"""The writing surface: text first, details behind one disclosure, several tags at once in their colours,
photos and voice notes sent with the first save, the entry's type from what it holds."""

import io
import os
from pathlib import Path

import pytest
from sqlalchemy import select

from mindnotes.documents import collection, journal_entries
from mindnotes.extensions import db
from mindnotes.models import Tag
from mindnotes.services import journal
from mindnotes.services.journal import media as journal_media
from mindnotes.services.journal.tags import PALETTE
from tests.journal.helpers import entries_used, write
from tests.journal.test_journal_media import image_bytes, wav_bytes


@pytest.fixture(autouse=True)
def own_upload_dir(app, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")


def files_of(app, user) -> list[str]:
    folder = Path(app.config["UPLOAD_DIR"]) / str(user.id)
    return sorted(os.listdir(folder)) if folder.exists() else []


def form(**overrides):
    return {"title": "A quiet day", "content": "Slept well.", "privacy": "private", **overrides}


def tag_rows(user) -> dict[str, str]:
    return dict(db.session.execute(select(Tag.name, Tag.colour).where(Tag.user_id == user.id)).all())


def stored(user) -> list[dict]:
    return list(collection("journal_entries").find({"user_id": user.id}))


def test_editor_puts_title_and_text_first_and_the_rest_behind_details(client, users, login):
    user = users.make()
    login(user)
    page = client.get("/journal/new").get_data(as_text=True)
    details = page.split('<details class="entry-details"', 1)[1].split("</details>", 1)[0]
    before = page.split('<details class="entry-details"', 1)[0]
    assert 'name="title"' in before and 'name="content"' in before
    for name in ("entry_date", "mood_score", "new_tag", "location_name", "weather", "privacy"):
        assert f'name="{name}"' in details and f'name="{name}"' not in before, name
    assert "open" not in details.split(">", 1)[0]
    assert 'name="entry_type"' not in page
    assert '<input id="latitude" name="latitude" type="hidden" value="">' in page
    assert 'id="photo" name="photo"' in before and 'enctype="multipart/form-data"' in before


def test_a_problem_in_the_details_opens_them(client, users, login):
    user = users.make()
    login(user)
    response = client.post("/journal/new", data=form(mood_score="9"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert '<details class="entry-details" open>' in page
    assert "1 (awful) to 5 (great), or no mood." in page and "Slept well.</textarea>" in page


def test_several_tags_typed_at_once_are_found_or_made_each_once(client, users, login):
    user = users.make()
    login(user)
    write(user, new_tag="Sea")
    response = client.post("/journal/new", data=form(new_tag="walks, sea ,  Walks, , Family time"))
    assert response.status_code == 302
    colours = tag_rows(user)
    assert sorted(colours) == ["Family time", "Sea", "walks"]
    assert len(set(colours.values())) == 3 and set(colours.values()) <= set(PALETTE)
    newest = max(stored(user), key=lambda entry: entry["created_at"])
    assert sorted(newest["tag_ids"]) == sorted(db.session.scalars(select(Tag.id).where(Tag.user_id == user.id)))


def test_one_bad_tag_name_refuses_the_entry_and_makes_no_tag(client, users, login):
    user = users.make()
    login(user)
    response = client.post("/journal/new", data=form(new_tag="walks, " + "x" * 41))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "A tag name is at most 40 characters." in page and "walks, xxx" in page
    assert tag_rows(user) == {} and stored(user) == []


def test_tags_show_in_their_colours_in_the_list_and_on_the_entry(client, users, login):
    user = users.make()
    login(user)
    entry = write(user, new_tag="walks, sea")
    colours = tag_rows(user)
    for page in (client.get("/journal/"), client.get(f"/journal/{entry['_id']}")):
        html = page.get_data(as_text=True)
        for name, colour in colours.items():
            assert f'fill="{colour}"/></svg>{name}' in html


def test_photos_and_a_voice_note_go_with_the_first_save(app, client, users, login):
    user = users.make()
    login(user)
    data = form(
        photo=[(io.BytesIO(image_bytes()), "one.png"), (io.BytesIO(image_bytes("JPEG")), "two.jpg")],
        voice_note=(io.BytesIO(wav_bytes()), "hello.wav"),
    )
    response = client.post("/journal/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    [entry] = stored(user)
    assert (entry["photo_count"], entry["voice_note_count"], entry["entry_type"]) == (2, 1, "mixed")
    assert len(files_of(app, user)) == 3
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert page.count("<img ") >= 2 and "<audio" in page


def test_a_file_that_is_not_what_it_claims_refuses_the_save_and_keeps_nothing(app, client, users, login):
    user = users.make()
    login(user)
    data = form(photo=(io.BytesIO(b"not an image at all"), "fake.png"))
    response = client.post("/journal/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "not a JPEG, PNG or WebP image" in page and "Choose the files again." in page
    assert "Slept well.</textarea>" in page
    assert stored(user) == [] and files_of(app, user) == [] and entries_used(user) == 0


def test_photos_added_while_editing_join_the_entry(app, client, users, login):
    user = users.make()
    login(user)
    entry = write(user, content="")
    data = form(content="", revision="0", photo=(io.BytesIO(image_bytes()), "a.png"))
    response = client.post(f"/journal/{entry['_id']}/edit", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    saved = journal_entries.get_entry(user.id, entry["_id"])
    assert (saved["photo_count"], saved["entry_type"]) == (1, "photo")


def test_the_entry_type_follows_what_the_entry_holds(app, users):
    user = users.make()
    entry = write(user, content="")
    assert entry["entry_type"] == "text"
    with_photo = journal_media.add_photo(user, entry["_id"], journal_media.Upload(image_bytes()))
    assert with_photo["entry_type"] == "photo"
    with_voice = journal_media.add_voice_note(user, entry["_id"], journal_media.Upload(wav_bytes()))
    assert with_voice["entry_type"] == "mixed"
    written = journal.update_entry(user, entry["_id"], {"title": "An entry", "content": "Words", "entry_type": "text"})
    assert written["entry_type"] == "mixed"
    photo_id = written["photos"][0]["id"]
    after = journal_media.remove_media(user, entry["_id"], "photos", photo_id)
    assert after["entry_type"] == "mixed"  # words and a voice note
    note_id = after["voice_notes"][0]["id"]
    assert journal_media.remove_media(user, entry["_id"], "voice_notes", note_id)["entry_type"] == "text"


def test_more_photos_than_an_entry_holds_are_refused_before_saving(app, client, users, login):
    user = users.make()
    login(user)
    photos = [(io.BytesIO(image_bytes()), f"{n}.png") for n in range(journal_media.PHOTOS_PER_ENTRY + 1)]
    response = client.post("/journal/new", data=form(photo=photos), content_type="multipart/form-data")
    assert response.status_code == 422
    assert "at most 30 photos" in response.get_data(as_text=True)
    assert stored(user) == [] and files_of(app, user) == []


def draft_files(app, user, key: str = "new") -> list[str]:
    folder = Path(app.config["UPLOAD_DIR"]) / str(user.id) / "drafts" / key
    return sorted(os.listdir(folder)) if folder.exists() else []


def test_files_kept_with_a_draft_join_the_entry_at_its_first_save(app, client, users, login):
    user = users.make()
    login(user)
    data = form(photo=(io.BytesIO(image_bytes()), "a.png"), voice_note=(io.BytesIO(wav_bytes()), "b.wav"))
    response = client.post("/journal/new/draft", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    assert len(draft_files(app, user)) == 2 and stored(user) == []
    editor = client.get("/journal/new").get_data(as_text=True)
    assert "Kept with your draft" in editor and "Slept well.</textarea>" in editor
    [photo_name] = [name for name in draft_files(app, user) if name.endswith(".png")]
    assert client.get(f"/journal/new/draft-media/{photo_name}").data == image_bytes()

    response = client.post("/journal/new", data=form())
    assert response.status_code == 302
    [entry] = stored(user)
    assert (entry["photo_count"], entry["voice_note_count"], entry["entry_type"]) == (1, 1, "mixed")
    assert draft_files(app, user) == [] and len(files_of(app, user)) == 3  # two files and the drafts folder
    assert "Kept with your draft" not in client.get("/journal/new").get_data(as_text=True)


def test_removing_a_draft_file_keeps_the_typed_text(app, client, users, login):
    user = users.make()
    login(user)
    client.post(
        "/journal/new/draft",
        data=form(photo=(io.BytesIO(image_bytes()), "a.png")),
        content_type="multipart/form-data",
    )
    [name] = draft_files(app, user)
    response = client.post(f"/journal/new/draft-media/{name}/remove", data=form(content="Changed my mind"))
    assert response.status_code == 302 and draft_files(app, user) == []
    assert "Changed my mind</textarea>" in client.get("/journal/new").get_data(as_text=True)


def test_discarding_the_draft_deletes_its_files(app, client, users, login):
    user = users.make()
    login(user)
    entry = write(user, content="Old words")
    client.post(
        f"/journal/{entry['_id']}/draft",
        data=form(content="New words", photo=(io.BytesIO(image_bytes()), "a.png")),
        content_type="multipart/form-data",
    )
    assert len(draft_files(app, user, str(entry["_id"]))) == 1
    draft = collection("journal_drafts").find_one({"user_id": user.id})
    client.post(f"/journal/drafts/{draft['_id']}/discard")
    assert draft_files(app, user, str(entry["_id"])) == []
    assert journal_entries.get_entry(user.id, entry["_id"])["photo_count"] == 0


def test_a_bad_file_with_save_draft_is_refused_and_nothing_is_kept(app, client, users, login):
    user = users.make()
    login(user)
    data = form(voice_note=(io.BytesIO(b"just text"), "note.mp3"))
    response = client.post("/journal/new/draft", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Voice notes must be audio" in response.get_data(as_text=True)
    assert draft_files(app, user) == []


def test_another_persons_draft_files_are_not_found(app, client, users, login):
    owner = users.make()
    login(owner)
    client.post(
        "/journal/new/draft", data=form(photo=(io.BytesIO(image_bytes()), "a.png")), content_type="multipart/form-data"
    )
    [name] = draft_files(app, owner)
    login(users.make())
    assert client.get(f"/journal/new/draft-media/{name}").status_code == 404
    assert client.post(f"/journal/new/draft-media/{name}/remove", data=form()).status_code == 404
    assert client.get("/journal/new/draft-media/..%2F..%2Fsecret").status_code == 404
    assert draft_files(app, owner) == [name]


def test_an_unreadable_position_is_refused_beside_the_place(client, users, login):
    user = users.make()
    login(user)
    response = client.post("/journal/new", data=form(latitude="45", longitude="²"))
    assert response.status_code == 422
    place = response.get_data(as_text=True).split('<fieldset class="place-picker">', 1)[1].split("</fieldset>", 1)[0]
    assert "Give the longitude as a number from -180 to 180." in place
    assert stored(user) == []
