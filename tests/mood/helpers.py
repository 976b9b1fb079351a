"""Helpers for the mood tests: reference ids by name, logging moods, journal entries to link."""

from datetime import UTC, datetime

from bson import ObjectId
from sqlalchemy import select

from mindnotes.documents import collection
from mindnotes.extensions import db
from mindnotes.models import MoodCategory, MoodFactor
from mindnotes.services.mood import MoodForm, log_mood

# 13:00 on Tuesday 10 March 2026 in Paris: the clock of the `amy` fixture (conftest.py).
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def category_id(name: str) -> int:
    return db.session.scalar(select(MoodCategory.id).where(MoodCategory.name == name))


def factor_id(name: str) -> int:
    return db.session.scalar(select(MoodFactor.id).where(MoodFactor.name == name))


def picker_data(category: str = "Calm", intensity: int | str = 6, **extra) -> dict:
    """Form fields as the picker posts them; `factors={"sleep": "good"}` become factor-<id> fields."""
    data = {"category": str(category_id(category)), "intensity": str(intensity)}
    for name, value in extra.pop("factors", {}).items():
        data[f"factor-{factor_id(name)}"] = value
    data.update(extra)
    return data


def log(user, category: str = "Calm", intensity: int = 6, felt_at: str = "", factors: dict | None = None) -> dict:
    """Log a mood through the service; `felt_at` is the person's local "YYYY-MM-DDTHH:MM"."""
    form = MoodForm(
        category=str(category_id(category)),
        intensity=str(intensity),
        felt_at=felt_at,
        factors={str(factor_id(name)): value for name, value in (factors or {}).items()},
    )
    return log_mood(user, form)


def journal_entry(user_id: int, title: str = "A day", local_date: str = "2026-03-01") -> ObjectId:
    """A minimal live journal entry document of the person, to link moods to."""
    entry_id = ObjectId()
    collection("journal_entries").insert_one(
        {
            "_id": entry_id,
            "user_id": user_id,
            "title": title,
            "content": "",
            "local_date": local_date,
            "entry_date": datetime.now(UTC),
            "deleted_at": None,
        }
    )
    return entry_id
