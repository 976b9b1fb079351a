"""Accounts: users and their 1:1 profile of counters and preferences."""

from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from mindnotes import timeutil
from mindnotes.extensions import db


class User(UserMixin, db.Model):
    __tablename__ = "users"
    # An id is never handed out twice (SQLite would reuse the highest freed one): whatever keyed by
    # user_id that erasure missed can never become the next person's. PostgreSQL sequences never reuse.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so the unique constraint holds regardless of case.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(80), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    created_at: Mapped[datetime] = mapped_column(default=lambda: timeutil.utcnow())
    is_active: Mapped[bool] = mapped_column(default=True)

    profile: Mapped["Profile"] = relationship(back_populates="user", uselist=False)
    subscription: Mapped["Subscription"] = relationship(  # noqa: F821
        back_populates="user", uselist=False
    )

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def name(self) -> str:
        return self.display_name or self.email.split("@", 1)[0]


class Profile(db.Model):
    __tablename__ = "profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    # Entries that hold a slot of the plan (live and trashed, until purged).
    entries_used: Mapped[int] = mapped_column(default=0)
    daily_prompt_count: Mapped[int] = mapped_column(default=3)
    words_written: Mapped[int] = mapped_column(default=0)
    moods_logged: Mapped[int] = mapped_column(default=0)
    focus_minutes: Mapped[int] = mapped_column(default=0)
    # The colour scheme: "system" follows the device (prefers-color-scheme), or "light" / "dark".
    appearance: Mapped[str] = mapped_column(String(6), default="system", server_default="system")
    # Counted up by every change to the person's mood categories and factors (services/mood/own.py).
    mood_choices_version: Mapped[int] = mapped_column(default=0, server_default="0")

    user: Mapped[User] = relationship(back_populates="profile")
