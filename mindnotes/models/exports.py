"""Export requests: one row per export a person asked for, with its progress."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from mindnotes import timeutil
from mindnotes.extensions import db

# A request waiting for or under its build; one per person at most.
PENDING_CONDITION = text("status IN ('queued', 'running')")


class ExportRequest(db.Model):
    __tablename__ = "export_requests"
    __table_args__ = (
        # One pending export per person, held by the database itself: of two concurrent
        # requests only one row goes in (a partial index, on PostgreSQL and SQLite alike).
        # It also serves the sweep that looks for stalled builds across people.
        Index(
            "uq_export_requests_one_pending",
            "user_id",
            unique=True,
            postgresql_where=PENDING_CONDITION,
            sqlite_where=PENDING_CONDITION,
        ),
        # Ids never reused (SQLite AUTOINCREMENT): export file names and job ids carry them.
        {"sqlite_autoincrement": True},
    )

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
    # The build's last sign of life (set as it starts and as it writes); a running build silent
    # for long is taken for dead and queued again by the sweep (services/exports/recovery.py).
    heartbeat_at: Mapped[datetime | None]
    # How often the sweep started a dead build again; it gives up after a few.
    restarts: Mapped[int] = mapped_column(default=0, server_default="0")
    finished_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
