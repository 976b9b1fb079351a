"""Photos and voice notes: checked by content, size-limited, stored under our names, owner-only."""

import io
import os
import struct
import wave
import zlib
from pathlib import Path

import pytest
from PIL import Image

from mindnotes.documents import journal_entries
from mindnotes.services import journal
from mindnotes.services.journal import media as journal_media
from tests.journal.helpers import write


@pytest.fixture(autouse=True)
def own_upload_dir(app, tmp_path):
    """Each test its own upload folder: ids restart for every test."""
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")


def image_bytes(kind: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format=kind)
    return buffer.getvalue()


def wav_bytes(seconds: float = 1.5, rate: int = 8000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        audio.writeframes(b"\x00\x00" * int(seconds * rate))
    return buffer.getvalue()


def upload(client, entry, kind, data: bytes, filename: str, **fields):
    field = "photo" if kind == "photos" else "voice_note"
    return client.post(
        f"/journal/{entry['_id']}/{kind}",
        data={field: (io.BytesIO(data), filename), **fields},
        content_type="multipart/form-data",
    )


def uploaded_files(app, user) -> list[str]:
    folder = Path(app.config["UPLOAD_DIR"]) / str(user.id)
    return sorted(os.listdir(folder)) if folder.exists() else []


@pytest.mark.parametrize("kind", ["PNG", "JPEG", "WEBP"])
def test_photo_is_checked_by_decoding_and_its_size_recorded(client, users, login, app, kind):
    user = users.make()
    login(user)
    entry = write(user)
    response = upload(client, entry, "photos", image_bytes(kind), "../../evil.exe", caption="Sunset")
    assert response.status_code == 302
    [photo] = journal_entries.get_entry(user.id, entry["_id"])["photos"]
    assert (photo["width"], photo["height"], photo["caption"]) == (40, 30, "Sunset")
    assert photo["content_type"] == f"image/{kind.lower()}"
    assert photo["filename"] != "../../evil.exe" and uploaded_files(app, user) == [photo["filename"]]
    served = client.get(f"/journal/{entry['_id']}/photos/{photo['id']}")
    assert served.status_code == 200
    assert served.mimetype == photo["content_type"]
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.data == image_bytes(kind)


def test_text_named_like_an_image_is_refused_with_the_reason(client, users, login, app):
    user = users.make()
    login(user)
    entry = write(user)
    response = upload(client, entry, "photos", b"<html><script>alert(1)</script></html>", "cat.png")
    assert response.status_code == 422
    assert "not a JPEG, PNG or WebP" in response.get_data(as_text=True)
    assert uploaded_files(app, user) == []


def test_gif_is_refused_even_though_it_decodes(client, users, login):
    user = users.make()
    login(user)
    entry = write(user)
    response = upload(client, entry, "photos", image_bytes("GIF"), "cat.gif")
    assert response.status_code == 422
    assert "JPEG, PNG or WebP" in response.get_data(as_text=True)


def test_photo_over_10_mb_gets_a_413_page(client, users, login, app):
    user = users.make()
    login(user)
    entry = write(user)
    big = image_bytes() + b"\x00" * (journal_media.PHOTO_MAX_BYTES)
    response = upload(client, entry, "photos", big, "big.png")
    assert response.status_code == 413
    assert "larger than 10 MB" in response.get_data(as_text=True)
    assert uploaded_files(app, user) == []


def test_request_over_the_whole_upload_limit_gets_a_413_page(client, users, login):
    user = users.make()
    login(user)
    entry = write(user)
    response = upload(client, entry, "voice-notes", b"\x00" * (27 * 1024 * 1024), "huge.wav")
    assert response.status_code == 413
    assert "larger than we accept" in response.get_data(as_text=True)


def test_voice_note_is_checked_as_audio_with_its_duration(client, users, login):
    user = users.make()
    login(user)
    entry = write(user)
    response = upload(client, entry, "voice-notes", wav_bytes(1.5), "note.mp3", transcription="Hello there")
    assert response.status_code == 302
    [note] = journal_entries.get_entry(user.id, entry["_id"])["voice_notes"]
    assert (note["content_type"], note["duration_seconds"], note["transcription"]) == ("audio/wav", 1.5, "Hello there")
    assert note["filename"].endswith(".wav")
    served = client.get(f"/journal/{entry['_id']}/voice-notes/{note['id']}")
    assert served.status_code == 200 and served.mimetype == "audio/wav"
    assert "1.5 s" in client.get(f"/journal/{entry['_id']}").get_data(as_text=True)


def test_file_that_is_not_audio_is_refused_as_a_voice_note(client, users, login):
    user = users.make()
    login(user)
    entry = write(user)
    response = upload(client, entry, "voice-notes", image_bytes(), "note.mp3")
    assert response.status_code == 422
    assert "not an audio recording" in response.get_data(as_text=True) or "must be audio" in response.get_data(
        as_text=True
    )


def test_removing_a_photo_deletes_its_file(client, users, login, app):
    user = users.make()
    login(user)
    entry = write(user)
    upload(client, entry, "photos", image_bytes(), "a.png")
    [photo] = journal_entries.get_entry(user.id, entry["_id"])["photos"]
    assert client.post(f"/journal/{entry['_id']}/photos/{photo['id']}/delete").status_code == 302
    assert journal_entries.get_entry(user.id, entry["_id"])["photos"] == []
    assert uploaded_files(app, user) == []


def test_has_photos_filter_finds_entries_with_photos(client, users, login):
    user = users.make()
    login(user)
    with_photo = write(user, title="Pictured")
    write(user, title="Words only")
    upload(client, with_photo, "photos", image_bytes(), "a.png")
    page = client.get("/journal/?photos=1").get_data(as_text=True)
    assert "Pictured" in page and "Words only" not in page


def test_purging_an_entry_deletes_its_files(client, users, login, app):
    user = users.make()
    login(user)
    entry = write(user)
    upload(client, entry, "photos", image_bytes(), "a.png")
    upload(client, entry, "voice-notes", wav_bytes(), "a.wav")
    journal.trash_entry(user, entry["_id"])
    journal.purge_trashed_entry(user, entry["_id"])
    assert uploaded_files(app, user) == []


def test_browser_webm_recording_is_kept_without_a_duration(client, users, login):
    user = users.make()
    login(user)
    entry = write(user)
    webm = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + b"\x00" * 200
    assert upload(client, entry, "voice-notes", webm, "blob").status_code == 302
    [note] = journal_entries.get_entry(user.id, entry["_id"])["voice_notes"]
    assert (note["content_type"], note["duration_seconds"]) == ("audio/webm", None)


def test_caption_over_300_characters_is_refused(client, users, login, app):
    user = users.make()
    login(user)
    entry = write(user)
    response = upload(client, entry, "photos", image_bytes(), "a.png", caption="c" * 301)
    assert response.status_code == 422
    assert uploaded_files(app, user) == []


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_header(width: int, height: int) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))


def solid_png(width: int, height: int) -> bytes:
    """A valid RGBA PNG of one colour, compressed row by row (never whole in memory): a few
    hundred KB however many pixels it has."""
    row = b"\x00" + bytes((10, 20, 30, 255)) * width
    packer = zlib.compressobj(6)
    pixels = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return _png_header(width, height) + _png_chunk(b"IDAT", pixels) + _png_chunk(b"IEND", b"")


def png_header_only(width: int, height: int) -> bytes:
    """The signature and IHDR of a PNG claiming `width` × `height`: no pixels at all."""
    return _png_header(width, height) + _png_chunk(b"IEND", b"")


def test_png_of_88_megapixels_is_refused_from_its_header_and_nothing_is_stored(client, users, login, app):
    user = users.make()
    login(user)
    entry = write(user)
    data = solid_png(9400, 9400)
    assert len(data) < journal_media.PHOTO_MAX_BYTES
    response = upload(client, entry, "photos", data, "wall.png")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "9,400 × 9,400 pixels" in page and "at most 20 megapixels" in page
    assert journal_entries.get_entry(user.id, entry["_id"])["photos"] == []
    assert uploaded_files(app, user) == []


def test_photo_whose_header_claims_billions_of_pixels_gets_a_clear_413(client, users, login, app):
    user = users.make()
    login(user)
    entry = write(user)
    response = upload(client, entry, "photos", png_header_only(50_000, 50_000), "bomb.png")
    assert response.status_code == 413
    assert "at most 40 megapixels" in response.get_data(as_text=True)
    assert uploaded_files(app, user) == []


def test_photo_over_the_budget_is_refused_without_being_decoded(monkeypatch):
    data = solid_png(6000, 4000)

    def decode(image):
        raise AssertionError("decoded")

    monkeypatch.setattr(Image.Image, "load", decode)
    with pytest.raises(journal_media.MediaTooLarge):
        journal_media.describe_photo(data)


def test_a_12_megapixel_camera_photo_is_still_taken(client, users, login, app):
    user = users.make()
    login(user)
    entry = write(user)
    photo = Image.effect_noise((4000, 3000), 40).convert("RGB")
    buffer = io.BytesIO()
    photo.save(buffer, format="JPEG", quality=85)
    response = upload(client, entry, "photos", buffer.getvalue(), "IMG_0001.JPG")
    assert response.status_code == 302
    [stored] = journal_entries.get_entry(user.id, entry["_id"])["photos"]
    assert (stored["width"], stored["height"], stored["content_type"]) == (4000, 3000, "image/jpeg")
    assert uploaded_files(app, user) == [stored["filename"]]


def test_a_cut_short_jpeg_is_refused_although_it_is_checked_at_a_reduced_scale(client, users, login, app):
    user = users.make()
    login(user)
    entry = write(user)
    whole = image_bytes("JPEG", (2000, 1500))
    response = upload(client, entry, "photos", whole[: len(whole) // 2], "cut.jpg")
    assert response.status_code == 422
    assert "not a JPEG, PNG or WebP image we can open" in response.get_data(as_text=True)
    assert uploaded_files(app, user) == []
