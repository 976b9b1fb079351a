"""Export requests: one row per export a person asked for, with its progress."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mindnotes import timeutil
from mindnotes.extensions import db


class ExportRequest(db.Model):
    __tablename__ = "export_requests"
    # Ids never reused (SQLite AUTOINCREMENT): export file names and job ids carry them.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # json, markdown, csv, pdf
    format: Mapped[str] = mapped_column(String(16))
    # everything, journal, moods, focus
    scope: Mapped[str] = mapped_column(String(16), default="everything")
    date_from: Mapped[date | None]
    date_to: Mapped[date | None]
    # queued, running, ready, failed, expired
    status: Mapped[str] = mapped_column(String(16), default="queued")
    progress: Mapped[int] = mapped_column(default=0)
    file_path: Mapped[str | None] = mapped_column(String(255))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=lambda: timeutil.utcnow())
    finished_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
