"""Plans, each person's subscription to one, and the payments behind it."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mindnotes import timeutil
from mindnotes.extensions import db
from mindnotes.models.users import User

FREE = "free"
PREMIUM = "premium"


class Plan(db.Model):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    # None means unlimited.
    entry_limit: Mapped[int | None]
    focus_programs: Mapped[bool] = mapped_column(default=False)
    pdf_export: Mapped[bool] = mapped_column(default=False)
    price_minor: Mapped[int] = mapped_column(default=0)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")


class Subscription(db.Model):
    """A person's current plan; one row per person, changed in place."""

    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    # trialing, active, past_due, canceled, expired
    status: Mapped[str] = mapped_column(String(16), default="active")
    current_period_start: Mapped[datetime] = mapped_column(default=lambda: timeutil.utcnow())
    current_period_end: Mapped[datetime | None]
    cancel_at_period_end: Mapped[bool] = mapped_column(default=False)
    trial_used: Mapped[bool] = mapped_column(default=False)
    provider: Mapped[str | None] = mapped_column(String(16))
    provider_customer_id: Mapped[str | None] = mapped_column(String(255))
    provider_subscription_id: Mapped[str | None] = mapped_column(String(255))
    # When the provider created the last event applied here: an older event that
    # arrives late must not move the subscription backwards.
    provider_event_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=lambda: timeutil.utcnow(), onupdate=lambda: timeutil.utcnow())

    user: Mapped[User] = relationship(back_populates="subscription")
    plan: Mapped[Plan] = relationship()


class Payment(db.Model):
    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Kept for the books when the person deletes their account.
    subscription_id: Mapped[int | None] = mapped_column(ForeignKey("subscriptions.id", ondelete="SET NULL"))
    amount_minor: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    # succeeded, failed, refunded
    status: Mapped[str] = mapped_column(String(16))
    provider: Mapped[str] = mapped_column(String(16))
    provider_reference: Mapped[str | None] = mapped_column(String(255), unique=True)
    period_start: Mapped[datetime | None]
    period_end: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=lambda: timeutil.utcnow())


class ProviderEvent(db.Model):
    """A payment provider's event, stored once: replays change nothing."""

    __tablename__ = "provider_events"
    __table_args__ = (UniqueConstraint("provider", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[str] = mapped_column(String(255))
    event_type: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=lambda: timeutil.utcnow())
