"""Billing jobs: hourly, move subscriptions whose period has ended back to the free plan."""

from datetime import datetime

from mindnotes.services.billing import expire_subscriptions as _expire


def expire_subscriptions(now: datetime | None = None) -> int:
    """Expire every subscription whose premium period is over; safe to run twice (or at once)."""
    return _expire(now)
