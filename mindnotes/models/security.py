"""Account security: verification state, two-factor, one-time tokens, sessions and the event log.

Every table here belongs to one person (`ondelete="CASCADE"` to users); the
deletion job also erases them explicitly, so SQLite without foreign keys is covered.
Secrets a person is sent (reset and verification tokens, recovery codes, session
keys) are stored only as SHA-256 hashes.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from mindnotes import timeutil
from mindnotes.extensions import db

RESET = "reset"
VERIFY = "verify"


class AccountSecurity(db.Model):
    """One row per person, made when first needed: no row means unverified, no two-factor."""

    __tablename__ = "account_security"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    email_verified_at: Mapped[datetime | None]
    # Set while setting up (not yet enabled) and while enabled.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None]
    # The last time step a code was accepted for: a code is never accepted twice.
    totp_last_counter: Mapped[int | None]
    deletion_requested_at: Mapped[datetime | None]


class AccountToken(db.Model):
    """A single-use link sent by mail: password reset or email verification."""

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The address the link was sent to: a verification link only verifies that address.
    email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(default=lambda: timeutil.utcnow())
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class RecoveryCode(db.Model):
    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]


class SecurityEvent(db.Model):
    """Something that happened to an account's security; never holds a secret."""

    __tablename__ = "security_events"
    __table_args__ = (Index("ix_security_events_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=lambda: timeutil.utcnow())
    ip: Mapped[str] = mapped_column(String(45), default="")
    user_agent: Mapped[str] = mapped_column(String(255), default="")


class UserSession(db.Model):
    """A signed-in browser. The cookie carries a random key; only its hash is stored here."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=lambda: timeutil.utcnow())
    last_seen_at: Mapped[datetime] = mapped_column(default=lambda: timeutil.utcnow())
    ip: Mapped[str] = mapped_column(String(45), default="")
    user_agent: Mapped[str] = mapped_column(String(255), default="")
    revoked_at: Mapped[datetime | None]
