"""Prompt reference data: categories and the daily prompts drawn from them."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mindnotes.extensions import db


class PromptCategory(db.Model):
    __tablename__ = "prompt_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    description: Mapped[str] = mapped_column(String(255), default="")

    prompts: Mapped[list["DailyPrompt"]] = relationship(back_populates="category")


class DailyPrompt(db.Model):
    __tablename__ = "daily_prompts"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("prompt_categories.id"), index=True)
    text: Mapped[str] = mapped_column(String(500), unique=True)
    # 1 (easy) .. 3 (deep)
    difficulty: Mapped[int] = mapped_column(default=1)
    is_active: Mapped[bool] = mapped_column(default=True)

    category: Mapped[PromptCategory] = relationship(back_populates="prompts")
