"""Helpers for the export and import tests: contract-shaped documents, media files, the worker."""

import io
import wave
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from bson import ObjectId
from flask import current_app
from PIL import Image
from sqlalchemy import select

from mindnotes.extensions import db
from mindnotes.models import ExportRequest, MoodCategory, Tag
from tests.factories import make_entry, make_focus_session, make_mood


def make_tag(user, name: str) -> Tag:
    tag = Tag(user_id=user.id, name=name)
    db.session.add(tag)
    db.session.commit()
    return tag


def png_bytes(colour: str = "teal", size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def save_media(user, name: str, data: bytes) -> None:
    folder = Path(current_app.config["UPLOAD_DIR"]) / str(user.id)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def add_entry(user, day: str = "2026-03-01", title: str = "A walk by the river", **fields) -> dict:
    moment = datetime.fromisoformat(day).replace(hour=9, tzinfo=UTC)
    return make_entry(user, moment, title=title, local_date=day, month_day=day[5:], **fields)


def add_photo(user, name: str = "a1b2c3d4e5f60718293a4b5c6d7e8f90.png", caption: str = "Herons") -> dict:
    data = png_bytes()
    save_media(user, name, data)
    return {
        "id": str(ObjectId()),
        "filename": name,
        "content_type": "image/png",
        "size": len(data),
        "width": 40,
        "height": 30,
        "caption": caption,
    }


def wav_bytes(seconds: float = 0.2) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        sound.writeframes(b"\0\0" * int(8000 * seconds))
    return buffer.getvalue()


def add_voice_note(user, name: str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0.wav") -> dict:
    data = wav_bytes()
    save_media(user, name, data)
    return {
        "id": str(ObjectId()),
        "filename": name,
        "content_type": "audio/wav",
        "size": len(data),
        "duration_seconds": 0.2,
        "transcription": "Remember the milk.",
    }


def add_mood(user, day: str = "2026-03-01", name: str = "Calm", intensity: int = 6, **fields) -> dict:
    category = db.session.scalar(select(MoodCategory).where(MoodCategory.name == name))
    overrides = {
        "category_id": category.id,
        "category_name": category.name,
        "emoji": category.emoji,
        "valence": category.valence,
        "factors": [{"factor_id": None, "name": "rain", "value": None}],
        "note": "Quiet evening",
        "local_date": day,
        "time_of_day": "evening",
        "context": {"place": "home"},
    }
    return make_mood(user, datetime.fromisoformat(day).replace(hour=18, tzinfo=UTC), intensity, **overrides | fields)


def add_entry_mood(user, entry: dict, score: int) -> dict:
    """The entry's own mood, as the editor's mood control stores it: the entry's id, linked to it."""
    linked = {"_id": entry["_id"], "journal_entry_id": entry["_id"], "local_date": entry["local_date"]}
    return make_mood(user, entry["entry_date"], score=score, **linked)


def add_focus(user, day: str = "2026-03-01", minutes: int = 25, **fields) -> dict:
    overrides = {
        "task": "Write the report",
        "revision": 2,
        "productivity_rating": 4,
        "notes": "Good run",
        "distractions": {"count": 1, "notes": ["phone"]},
        "timezone": "UTC",
        "local_date": day,
    }
    started = datetime.fromisoformat(day).replace(hour=10, tzinfo=UTC)
    return make_focus_session(user, started, minutes, **overrides | fields)


def export_file(export_id: int) -> Path:
    export = db.session.get(ExportRequest, export_id)
    db.session.refresh(export)
    return Path(current_app.config["EXPORT_DIR"]) / str(export.user_id) / export.file_path


def open_zip(path: Path) -> zipfile.ZipFile:
    return zipfile.ZipFile(path)


def latest_export(user) -> ExportRequest:
    db.session.expire_all()
    return db.session.scalar(
        select(ExportRequest).where(ExportRequest.user_id == user.id).order_by(ExportRequest.id.desc())
    )
