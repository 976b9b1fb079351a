"""Mood reference data (the shared default categories and factors) and each person's own choices.

The shared rows are the defaults every account starts from. A person's own
list is those defaults with their changes on top, plus the categories and
factors they added: one `MoodCategoryChoice` / `MoodFactorChoice` row per
default they changed (`category_id`/`factor_id` the default's id) or per one
they added (an id from `OWN_ID_START` up, numbered per person). Moods store
that id, so a renamed default stays the same mood in every trend.
"""

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from mindnotes.extensions import db

# Ids of a person's own categories and factors start here, far above the shared rows'.
OWN_ID_START = 1_000_000


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


class MoodCategoryChoice(db.Model):
    """A person's change to a default category (unset fields keep the default's), or a category they added."""

    __tablename__ = "mood_category_choices"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    category_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name: Mapped[str | None] = mapped_column(String(40))
    emoji: Mapped[str | None] = mapped_column(String(16))
    valence: Mapped[int | None]
    position: Mapped[int | None]
    hidden: Mapped[bool] = mapped_column(default=False)


class MoodFactorChoice(db.Model):
    """A person's change to a default factor (unset fields keep the default's), or a factor they added.

    `valence`: +1 when the later values are the better ones (sleep: poor, ok,
    good), -1 when they are the worse ones (screen time: low, medium, high).
    """

    __tablename__ = "mood_factor_choices"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    factor_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name: Mapped[str | None] = mapped_column(String(40))
    valence: Mapped[int | None]
    allowed_values: Mapped[list | None] = mapped_column(JSON)
    position: Mapped[int | None]
    hidden: Mapped[bool] = mapped_column(default=False)
