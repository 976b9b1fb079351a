"""The monthly billing report, computed by SQL aggregations over the payments (never a loop over rows).

Definitions (all times UTC; a month runs from its first instant to the next month's):
- revenue: succeeded payments made in the month, summed per currency;
- new: payments in the month that start paid time after none (or after a gap);
- renewed: payments in the month that continue paid time without a gap;
- canceled: runs of paid time that ended in the month (and have ended by now) with no payment continuing them;
- subscribers at month end: subscriptions with paid time running at the month's last instant; the rest
  of the accounts that existed then are on the free plan;
- churn: canceled in the month / paying subscribers at the month's start.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import text

from mindnotes import timeutil
from mindnotes.extensions import db
from mindnotes.services.billing import add_months

# Each succeeded payment with the end of the paid time before it and the start of the one after it.
_RUNS = """
    WITH runs AS (
        SELECT subscription_id, created_at, period_start, period_end,
               LAG(period_end) OVER (PARTITION BY subscription_id ORDER BY period_start, id) AS previous_end,
               LEAD(period_start) OVER (PARTITION BY subscription_id ORDER BY period_start, id) AS next_start
        FROM payments
        WHERE status = 'succeeded' AND subscription_id IS NOT NULL AND period_end IS NOT NULL
    )
"""

_REVENUE = text(
    """
    SELECT currency, SUM(amount_minor) FROM payments
    WHERE status = 'succeeded' AND created_at >= :start AND created_at < :end
    GROUP BY currency ORDER BY currency
    """
)
# One pass over the runs: new and renewed count the month's payments, canceled the runs that ended in it.
_MOVEMENTS = text(
    _RUNS
    + """
    SELECT
      COUNT(DISTINCT CASE WHEN in_month AND (previous_end IS NULL OR previous_end < period_start)
                          THEN subscription_id END),
      COUNT(DISTINCT CASE WHEN in_month AND previous_end >= period_start THEN subscription_id END),
      COUNT(DISTINCT CASE WHEN period_end >= :start AND period_end < :end AND period_end <= :now
                           AND (next_start IS NULL OR next_start > period_end) THEN subscription_id END)
    FROM (SELECT runs.*, created_at >= :start AND created_at < :end AS in_month FROM runs) AS marked
    """
)
_PAYING_AT = text(
    """
    SELECT COUNT(DISTINCT subscription_id) FROM payments
    WHERE status = 'succeeded' AND subscription_id IS NOT NULL
      AND period_start < :moment AND period_end >= :moment
    """
)
_ACCOUNTS_AT = text("SELECT COUNT(*) FROM users WHERE created_at < :moment")


@dataclass
class MonthlyReport:
    month: str
    revenue: dict[str, int]
    new: int
    renewed: int
    canceled: int
    subscribers: dict[str, int]
    paying_at_start: int

    @property
    def churn_text(self) -> str:
        if self.paying_at_start == 0:
            return "n/a (no paying subscribers at the start of the month)"
        return f"{100 * self.canceled / self.paying_at_start:.1f}% ({self.canceled} of {self.paying_at_start})"


def parse_month(value: str) -> datetime:
    """The first instant (UTC) of the month "YYYY-MM"."""
    if not re.fullmatch(r"\d{4}-\d{2}", value or "") or not 1 <= int(value[5:]) <= 12:
        raise ValueError(f"{value!r} is not a month like 2026-11.")
    return datetime(int(value[:4]), int(value[5:]), 1, tzinfo=UTC)


def _naive(moment: datetime) -> datetime:
    # Text queries bypass the UTC column type: bind the naive UTC it stores.
    return moment.astimezone(UTC).replace(tzinfo=None)


def monthly_report(month_start: datetime, now: datetime | None = None) -> MonthlyReport:
    start, end = _naive(month_start), _naive(add_months(month_start, 1))
    window = {"start": start, "end": end, "now": _naive(now or timeutil.utcnow())}
    revenue = {currency: int(total) for currency, total in db.session.execute(_REVENUE, window)}
    new, renewed, canceled = db.session.execute(_MOVEMENTS, window).one()
    paying_at_end = db.session.scalar(_PAYING_AT, {"moment": end})
    accounts_at_end = db.session.scalar(_ACCOUNTS_AT, {"moment": end})
    return MonthlyReport(
        month=f"{month_start:%Y-%m}",
        revenue=revenue,
        new=new,
        renewed=renewed,
        canceled=canceled,
        subscribers={"Free": accounts_at_end - paying_at_end, "Premium": paying_at_end},
        paying_at_start=db.session.scalar(_PAYING_AT, {"moment": start}),
    )
