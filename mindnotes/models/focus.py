"""Focus programs and their days (seed data), and each person's enrollment in one."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mindnotes import timeutil
from mindnotes.extensions import db


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
    enrolled_at: Mapped[datetime] = mapped_column(default=lambda: timeutil.utcnow())
    current_day: Mapped[int] = mapped_column(default=1)
    # {"<day number>": [indexes of ticked tasks]}
    tasks_done: Mapped[dict] = mapped_column(JSON, default=dict)
    # [{"day": n, "local_date": "YYYY-MM-DD"}] for each completed day
    days_completed: Mapped[list] = mapped_column(JSON, default=list)
    completed_at: Mapped[datetime | None]

    program: Mapped[FocusProgram] = relationship()
