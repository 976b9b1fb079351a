"""Reference data: tags, mood categories and factors, prompts, focus programs."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mindnotes.extensions import db
from mindnotes.models.users import utcnow


class Tag(db.Model):
    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    colour: Mapped[str] = mapped_column(String(7), default="#6c757d")


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


class FocusProgram(db.Model):
    __tablename__ = "focus_programs"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    days_count: Mapped[int]
    is_premium: Mapped[bool] = mapped_column(default=False)

    days: Mapped[list["ProgramDay"]] = relationship(back_populates="program", order_by="ProgramDay.day_number")


class ProgramDay(db.Model):
    __tablename__ = "program_days"
    __table_args__ = (UniqueConstraint("program_id", "day_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("focus_programs.id", ondelete="CASCADE"))
    day_number: Mapped[int]
    focus_minutes: Mapped[int]
    tasks: Mapped[list] = mapped_column(JSON, default=list)

    program: Mapped[FocusProgram] = relationship(back_populates="days")


class ProgramEnrollment(db.Model):
    """A person's progress through one focus program (enrolled once)."""

    __tablename__ = "program_enrollments"
    __table_args__ = (UniqueConstraint("user_id", "program_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("focus_programs.id"))
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)
    current_day: Mapped[int] = mapped_column(default=1)
    # {"<day number>": [indexes of ticked tasks]}
    tasks_done: Mapped[dict] = mapped_column(JSON, default=dict)
    # [{"day": n, "local_date": "YYYY-MM-DD"}] for each completed day
    days_completed: Mapped[list] = mapped_column(JSON, default=list)
    completed_at: Mapped[datetime | None]

    program: Mapped[FocusProgram] = relationship()
