"""Mood reference data: the categories and factors a mood entry may name."""

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from mindnotes.extensions import db


class MoodCategory(db.Model):
    __tablename__ = "mood_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    emoji: Mapped[str] = mapped_column(String(16))
    # -2 (very unpleasant) .. +2 (very pleasant)
    valence: Mapped[int] = mapped_column(default=0)


class MoodFactor(db.Model):
    __tablename__ = "mood_factors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    allowed_values: Mapped[list] = mapped_column(JSON, default=list)
