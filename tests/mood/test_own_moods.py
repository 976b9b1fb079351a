"""Your own moods: each person adds, renames, re-emojis, reorders and hides categories and factors."""

import csv
import io
import zipfile

import pytest

from mindnotes.documents import mood_entries
from mindnotes.models.mood import OWN_ID_START
from mindnotes.services.mood import mood_categories, mood_factors, own
from tests.exports.helpers import export_file, latest_export
from tests.jobs import run_jobs
from tests.mood.helpers import category_id, factor_id, log, picker_data


@pytest.fixture(autouse=True)
def file_folders(app, tmp_path):
    app.config.update(UPLOAD_DIR=str(tmp_path / "uploads"), EXPORT_DIR=str(tmp_path / "exports"))


def names(user) -> list[str]:
    return [category.name for category in mood_categories(user.id)]


def history_names(user) -> list[str]:
    return [mood["category_name"] for mood in mood_entries.page_of_moods(user.id, None, None, None, None, 50)]


def test_a_renamed_default_changes_the_picker_and_not_the_moods_logged_before(client, amy, users):
    ben = users.make(email="ben@example.com")
    calm = category_id("Calm")
    log(amy, "Calm", 6, felt_at="2026-03-09T09:00")
    response = client.post(f"/mood/choices/categories/{calm}", data={"name": "Peaceful", "emoji": "🕊", "valence": "1"})
    assert response.status_code == 302
    assert "Peaceful" in names(amy) and "Calm" not in names(amy)
    assert "Calm" in names(ben) and "Peaceful" not in names(ben)

    picker = client.get("/mood/").get_data(as_text=True)
    assert "🕊</span> Peaceful</label>" in picker
    assert client.post("/mood/", data=picker_data("Calm", 5)).status_code == 302  # the same id, its new name
    assert history_names(amy) == ["Peaceful", "Calm"]
    history = client.get("/mood/history").get_data(as_text=True)
    assert "<strong>Calm</strong>" in history and "<strong>Peaceful</strong>" in history
    # One mood in the trends: the renamed default keeps its id, so both moods count under it.
    shares = client.get("/mood/trends/categories?days=7").get_data(as_text=True)
    assert "Peaceful 100.0% (2)" in shares


def test_an_own_mood_is_offered_logged_scored_and_exported(client, amy, users):
    added = client.post("/mood/choices/categories", data={"name": "Hopeful", "emoji": "🌱", "valence": "1"})
    assert added.status_code == 302
    (hopeful,) = [category for category in mood_categories(amy.id) if category.name == "Hopeful"]
    assert hopeful.id >= OWN_ID_START and names(amy)[-1] == "Hopeful"
    assert "Hopeful" not in names(users.make(email="ben@example.com"))

    logged = client.post("/mood/", data={"category": str(hopeful.id), "intensity": "6", "note": "Seedlings"})
    assert logged.status_code == 302
    (mood,) = mood_entries.page_of_moods(amy.id, None, None, None, None, 5)
    assert (mood["category_name"], mood["emoji"], mood["score"]) == ("Hopeful", "🌱", 4)

    assert client.post("/account/exports/", data={"format": "csv", "scope": "moods"}).status_code == 302
    run_jobs()
    with zipfile.ZipFile(export_file(latest_export(amy).id)) as archive:
        rows = list(csv.DictReader(io.TextIOWrapper(archive.open("moods.csv"), "utf-8")))
    assert [(row["category"], row["emoji"], row["score"], row["note"]) for row in rows] == [
        ("Hopeful", "🌱", "4", "Seedlings")
    ]


def test_a_hidden_mood_is_not_offered_but_its_moods_stay_editable(client, amy):
    sad = category_id("Sad")
    earlier = log(amy, "Sad", 4, felt_at="2026-03-09T09:00")
    # Offered before (the picker's lists are kept in the process from here on), not once hidden, again once shown.
    assert f'value="{sad}"' in client.get("/home").get_data(as_text=True)
    assert client.post(f"/mood/choices/categories/{sad}/hide", data={"hidden": "1"}).status_code == 302
    assert "Sad" not in names(amy)
    assert f'value="{sad}"' not in client.get("/mood/").get_data(as_text=True)
    refused = client.post("/mood/", data=picker_data("Sad", 3))
    assert refused.status_code == 422 and "Choose one of the listed moods." in refused.get_data(as_text=True)
    # The mood logged before keeps its category through an edit.
    edited = client.post(f"/mood/{earlier['_id']}", data=picker_data("Sad", 5, felt_at="2026-03-09T09:00"))
    assert edited.status_code == 302 and mood_entries.get_mood(amy.id, earlier["_id"])["intensity"] == 5

    client.post(f"/mood/choices/categories/{sad}/hide", data={"hidden": "0"})
    assert "Sad" in names(amy)
    assert f'value="{sad}"' in client.get("/home").get_data(as_text=True)


def test_moving_a_mood_changes_the_pickers_order(client, amy):
    before = names(amy)
    assert before[:3] == ["Joyful", "Grateful", "Calm"]
    client.post(f"/mood/choices/categories/{category_id('Calm')}/move", data={"direction": "up"})
    client.post(f"/mood/choices/categories/{category_id('Calm')}/move", data={"direction": "up"})
    assert names(amy)[:3] == ["Calm", "Joyful", "Grateful"]
    client.post(f"/mood/choices/categories/{category_id('Joyful')}/move", data={"direction": "down"})
    assert names(amy)[:3] == ["Calm", "Grateful", "Joyful"] and len(names(amy)) == len(before)
    picker = client.get("/mood/").get_data(as_text=True)
    assert picker.index("> Calm</label>") < picker.index("> Grateful</label>") < picker.index("> Joyful</label>")


def test_own_and_changed_factors_are_offered_and_logged(client, amy):
    added = client.post(
        "/mood/choices/factors", data={"name": "meditation", "valence": "1", "allowed_values": "none, short, long"}
    )
    assert added.status_code == 302
    (meditation,) = [factor for factor in mood_factors(amy.id) if factor.name == "meditation"]
    assert (meditation.allowed_values, meditation.valence) == (["none", "short", "long"], 1)
    sleep = factor_id("sleep")
    client.post(f"/mood/choices/factors/{sleep}", data={"name": "rest", "valence": "1", "allowed_values": "bad, fine"})
    client.post(f"/mood/choices/factors/{factor_id('caffeine')}/hide", data={"hidden": "1"})
    picker = client.get("/mood/").get_data(as_text=True)
    assert ">Meditation</label>" in picker and ">Rest</label>" in picker and "Caffeine" not in picker

    data = {**picker_data("Calm", 6), f"factor-{meditation.id}": "long", f"factor-{sleep}": "fine"}
    assert client.post("/mood/", data=data).status_code == 302
    (mood,) = mood_entries.page_of_moods(amy.id, None, None, None, None, 5)
    assert sorted((f["name"], f["value"]) for f in mood["factors"]) == [("meditation", "long"), ("rest", "fine")]
    refused = client.post("/mood/", data={**picker_data("Calm", 6), f"factor-{sleep}": "good"})
    assert refused.status_code == 422 and "Rest is one of: bad, fine." in refused.get_data(as_text=True)


@pytest.mark.parametrize(
    ("kind", "form", "field", "message"),
    [
        ("categories", {"name": "", "emoji": "🙂", "valence": "0"}, "name", "name of 1 to 40"),
        ("categories", {"name": "joyful", "emoji": "🙂", "valence": "0"}, "name", "You have a joyful already"),
        ("categories", {"name": "Meh", "emoji": "", "valence": "0"}, "emoji", "Give one emoji"),
        ("categories", {"name": "Meh", "emoji": "🙂", "valence": "7"}, "valence", "from the list"),
        ("factors", {"name": "tea", "valence": "0", "allowed_values": "yes"}, "allowed_values", "2 to 6 values"),
        ("factors", {"name": "x" * 41, "valence": "0", "allowed_values": "a, b"}, "name", "name of 1 to 40"),
    ],
)
def test_a_bad_choice_is_refused_with_the_form_kept(client, amy, kind, form, field, message):
    before = (names(amy), [factor.name for factor in mood_factors(amy.id)])
    response = client.post(f"/mood/choices/{kind}", data=form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and 'aria-invalid="true"' in page
    assert f'value="{form["name"]}"' in page
    assert (names(amy), [factor.name for factor in mood_factors(amy.id)]) == before


def test_another_persons_own_mood_is_not_found_on_every_route(client, amy, users, login):
    ben = users.make(email="ben@example.com")
    login(ben)
    client.post("/mood/choices/categories", data={"name": "Bens mood", "emoji": "🐝", "valence": "0"})
    client.post("/mood/choices/factors", data={"name": "bens factor", "valence": "0", "allowed_values": "a, b"})
    bens_category = max(category.id for category in mood_categories(ben.id))
    bens_factor = max(factor.id for factor in mood_factors(ben.id))
    login(amy)
    for kind, item_id in (("categories", bens_category), ("factors", bens_factor)):
        assert client.get(f"/mood/choices/{kind}/{item_id}/edit").status_code == 404
        form = {"name": "Mine now", "emoji": "🙂", "valence": "0", "allowed_values": "x, y"}
        assert client.post(f"/mood/choices/{kind}/{item_id}", data=form).status_code == 404
        assert client.post(f"/mood/choices/{kind}/{item_id}/move", data={"direction": "up"}).status_code == 404
        assert client.post(f"/mood/choices/{kind}/{item_id}/hide", data={"hidden": "1"}).status_code == 404
    assert client.get("/mood/choices/nonsense/1/edit").status_code == 404
    assert client.post("/mood/", data={"category": str(bens_category), "intensity": "5"}).status_code == 422
    assert "Bens mood" in names(ben) and "bens factor" in [factor.name for factor in mood_factors(ben.id)]
    assert "Bens mood" not in client.get("/mood/choices").get_data(as_text=True)


def test_a_full_list_takes_no_more(client, amy, monkeypatch):
    monkeypatch.setattr(own, "ITEMS_MAX", len(names(amy)) + 1)
    first = client.post("/mood/choices/categories", data={"name": "Curious", "emoji": "🤔", "valence": "1"})
    again = client.post("/mood/choices/categories", data={"name": "Silly", "emoji": "🙃", "valence": "1"})
    assert (first.status_code, again.status_code) == (302, 422)
    assert "rename or hide one instead" in again.get_data(as_text=True) and "Silly" not in names(amy)


def exported_json(client, person) -> bytes:
    assert client.post("/account/exports/", data={"format": "json", "scope": "moods"}).status_code == 302
    run_jobs()
    return export_file(latest_export(person).id).read_bytes()


def imported(client, archive: bytes) -> str:
    files = {"archive": (io.BytesIO(archive), "export.zip")}
    response = client.post("/account/exports/import", data=files, content_type="multipart/form-data")
    assert response.status_code == 302
    run_jobs()
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_own_and_renamed_moods_come_back_by_their_names_in_an_import(client, amy, users, login):
    client.post(
        f"/mood/choices/categories/{category_id('Calm')}", data={"name": "Peaceful", "emoji": "🕊", "valence": "1"}
    )
    client.post("/mood/choices/categories", data={"name": "Hopeful", "emoji": "🌱", "valence": "1"})
    hopeful = next(category.id for category in mood_categories(amy.id) if category.name == "Hopeful")
    client.post("/mood/", data={"category": str(hopeful), "intensity": "6", "felt_at": "2026-03-09T08:00"})
    client.post("/mood/", data=picker_data("Calm", 5, felt_at="2026-03-09T09:00"))
    archive = exported_json(client, amy)

    # Cleo has a Hopeful of her own and a Peaceful under another default: each mood lands on hers.
    cleo = users.make(email="cleo@example.com", timezone="Europe/Paris")
    login(cleo)
    client.post("/mood/choices/categories", data={"name": "Hopeful", "emoji": "🌻", "valence": "2"})
    client.post(
        f"/mood/choices/categories/{category_id('Content')}", data={"name": "Peaceful", "emoji": "🙂", "valence": "1"}
    )
    imported(client, archive)
    copies = {mood["category_name"]: mood for mood in mood_entries.page_of_moods(cleo.id, None, None, None, None, 9)}
    cleos = {category.name: category.id for category in mood_categories(cleo.id)}
    assert {name: mood["category_id"] for name, mood in copies.items()} == {
        "Hopeful": cleos["Hopeful"],
        "Peaceful": category_id("Content"),
    }
    assert (copies["Hopeful"]["score"], copies["Hopeful"]["intensity"]) == (4, 6)

    # Dan has neither: nothing is imported, and the answer says why.
    dan = users.make(email="dan@example.com", timezone="Europe/Paris")
    login(dan)
    files = {"archive": (io.BytesIO(archive), "export.zip")}
    refused = client.post("/account/exports/import", data=files, content_type="multipart/form-data")
    assert refused.status_code == 422 and "its mood is not one of the moods" in refused.get_data(as_text=True)
    assert mood_entries.page_of_moods(dan.id, None, None, None, None, 9) == []
