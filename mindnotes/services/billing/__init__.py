"""A person's subscription: trial, upgrade, cancel and resume, manual payments, expiry.

Rules kept here:
- A subscription change and the payment behind it are committed together or not at all.
- The subscription row is locked (`SELECT ... FOR UPDATE`) before it is changed, so two
  changes for the same person run one after the other.
- When premium time ends the person goes back to the free plan: every entry stays, and
  the entry limit in `plans.py` (which reads the subscription's plan) applies again.
"""

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, func, not_, select, update
from sqlalchemy.exc import IntegrityError

from mindnotes import timeutil
from mindnotes.errors import Conflict
from mindnotes.extensions import db
from mindnotes.models import Payment, Plan, Subscription, User
from mindnotes.models.plans import FREE, PREMIUM
from mindnotes.services.account import find_user_by_email
from mindnotes.services.billing.money import checked_money
from mindnotes.services.billing.plans import plan_by_code
from mindnotes.services.billing.providers import (
    MANUAL,
    STRIPE,
    ManualProvider,
    PaymentProvider,
    ProviderUnavailable,
    provider_named,
    stripe_is_configured,
    stripe_provider,
)

TRIAL_DAYS = 14
MAX_MANUAL_MONTHS = 36
# States in which the person has premium (until the period ends).
PREMIUM_STATES = ("trialing", "active", "past_due", "canceled")
# Stripe charges at the end of a period and tells us a little later; and while it retries a
# failed card it keeps the subscription past_due. Give its renewal this long before expiring.
STRIPE_RENEWAL_GRACE = timedelta(days=3)


class BillingError(Conflict):
    """Something the person (or the administrator) asked for that cannot be done now; says why (a 409)."""


@dataclass
class BillingOverview:
    subscription: Subscription
    plan: Plan
    payments: list[Payment]
    provider: PaymentProvider | None
    can_start_trial: bool
    can_cancel: bool
    can_resume: bool


def premium_price() -> tuple[int, str]:
    """Premium per month: (minor units, currency)."""
    return current_app.config["PREMIUM_PRICE_MINOR"], plan_by_code(PREMIUM).currency


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time `months` later; the 31st becomes the month's last day."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def locked_subscription(user_id: int) -> Subscription | None:
    """The person's subscription, fresh from the database and locked until commit."""
    return db.session.scalar(
        select(Subscription)
        .where(Subscription.user_id == user_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def _can_start_trial(subscription: Subscription) -> bool:
    return not subscription.trial_used and subscription.plan.code == FREE


def _can_cancel(subscription: Subscription) -> bool:
    # Premium granted by an administrator has no period to end at: only another grant changes it.
    return (
        subscription.plan.code == PREMIUM
        and subscription.status in ("trialing", "active", "past_due")
        and subscription.current_period_end is not None
    )


def _can_resume(subscription: Subscription, now: datetime) -> bool:
    return (
        subscription.status == "canceled"
        and subscription.current_period_end is not None
        and subscription.current_period_end > now
    )


def billing_overview(user_id: int, now: datetime | None = None) -> BillingOverview:
    now = now or timeutil.utcnow()
    subscription = db.session.scalar(select(Subscription).where(Subscription.user_id == user_id))
    return BillingOverview(
        subscription=subscription,
        plan=subscription.plan,
        payments=payments_of(user_id),
        provider=provider_named(subscription.provider),
        can_start_trial=_can_start_trial(subscription),
        can_cancel=_can_cancel(subscription),
        can_resume=_can_resume(subscription, now),
    )


def payments_of(user_id: int) -> list[Payment]:
    return list(
        db.session.scalars(
            select(Payment)
            .join(Subscription, Payment.subscription_id == Subscription.id)
            .where(Subscription.user_id == user_id)
            .order_by(Payment.created_at.desc(), Payment.id.desc())
        )
    )


def receipt_for(user_id: int, payment_id: int) -> Payment | None:
    """A succeeded payment of this person; None for anyone else's (the view answers 404)."""
    return db.session.scalar(
        select(Payment)
        .join(Subscription, Payment.subscription_id == Subscription.id)
        .where(Payment.id == payment_id, Subscription.user_id == user_id, Payment.status == "succeeded")
    )


def start_trial(user_id: int, now: datetime | None = None) -> Subscription:
    """Fourteen days of premium, once per person, from the free plan."""
    now = now or timeutil.utcnow()
    free, premium = plan_by_code(FREE), plan_by_code(PREMIUM)
    # One conditional UPDATE: two clicks at once cannot both start a trial.
    started = db.session.execute(
        update(Subscription)
        .where(Subscription.user_id == user_id, Subscription.trial_used.is_(False), Subscription.plan_id == free.id)
        .values(
            plan_id=premium.id,
            status="trialing",
            current_period_start=now,
            current_period_end=now + timedelta(days=TRIAL_DAYS),
            cancel_at_period_end=False,
            trial_used=True,
            provider=None,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    subscription = db.session.scalar(select(Subscription).where(Subscription.user_id == user_id))
    if started != 1:
        if subscription.trial_used:
            raise BillingError("You have already used your free trial.")
        raise BillingError("You already have Premium.")
    return subscription


def start_checkout(user: User, success_url: str, cancel_url: str) -> str:
    """The Stripe Checkout address for the upgrade (raises ProviderUnavailable)."""
    if not stripe_is_configured():
        raise BillingError("Card payments are not set up here. Ask your administrator to record a payment.")
    subscription = user.subscription
    if subscription.plan.code == PREMIUM and subscription.provider is not None:
        raise BillingError("You already have a paid Premium subscription; it is on your billing page.")
    return stripe_provider(plan_by_code(PREMIUM).currency).create_checkout_session(
        user.id, user.email, subscription.provider_customer_id, success_url, cancel_url
    )


def cancel_at_period_end(user_id: int) -> Subscription:
    """Premium stays until the period ends, then the person is back on the free plan."""
    subscription = locked_subscription(user_id)
    if not _can_cancel(subscription):
        db.session.rollback()
        raise BillingError("There is no running Premium subscription to cancel.")
    _tell_provider(subscription, cancel=True)
    subscription.status = "canceled"
    subscription.cancel_at_period_end = True
    db.session.commit()
    return subscription


def resume(user_id: int, now: datetime | None = None) -> Subscription:
    """Undo a cancellation before the period ends."""
    now = now or timeutil.utcnow()
    subscription = locked_subscription(user_id)
    if not _can_resume(subscription, now):
        db.session.rollback()
        raise BillingError("There is no cancelled subscription to resume; it may have ended already.")
    _tell_provider(subscription, cancel=False)
    # A trial has no provider; anything paid for was active before it was cancelled.
    subscription.status = "trialing" if subscription.provider is None else "active"
    subscription.cancel_at_period_end = False
    db.session.commit()
    return subscription


def _tell_provider(subscription: Subscription, cancel: bool) -> None:
    provider = provider_named(subscription.provider)
    if provider is not None:
        try:
            provider.set_cancel_at_period_end(subscription.provider_subscription_id, cancel)
        except ProviderUnavailable:
            db.session.rollback()
            raise


def record_manual_payment(
    email: str,
    amount_minor: int,
    currency: str,
    months: int,
    reference: str | None = None,
    now: datetime | None = None,
) -> Payment:
    """An administrator books a payment: premium for `months` more, in one transaction with the payment."""
    now = now or timeutil.utcnow()
    amount_minor, currency = checked_money(amount_minor, currency)
    if amount_minor == 0:
        raise BillingError("A payment must be more than zero.")
    if not 1 <= months <= MAX_MANUAL_MONTHS:
        raise BillingError(f"Months must be between 1 and {MAX_MANUAL_MONTHS}.")
    user = find_user_by_email(email)
    if user is None:
        raise BillingError(f"No account with the email {email}.")
    premium = plan_by_code(PREMIUM)
    subscription = locked_subscription(user.id)
    # Paid time starts when the premium time already running (trial or paid) ends: no day is lost.
    running_until = subscription.current_period_end if subscription.plan_id == premium.id else None
    if subscription.status == "expired" or running_until is None or running_until < now:
        running_until = None
    start = running_until or now
    if running_until is None:
        subscription.current_period_start = now
    subscription.current_period_end = add_months(start, months)
    subscription.plan_id = premium.id
    subscription.status = "active"
    subscription.cancel_at_period_end = False
    subscription.provider = MANUAL
    payment = Payment(
        subscription_id=subscription.id,
        amount_minor=amount_minor,
        currency=currency,
        status="succeeded",
        provider=MANUAL,
        provider_reference=reference or ManualProvider.new_reference(),
        period_start=start,
        period_end=subscription.current_period_end,
        created_at=now,
    )
    try:
        db.session.flush()  # the subscription change first: a failing payment must undo it
        db.session.add(payment)
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise BillingError(f"A payment with the reference {reference} is already recorded; nothing changed.") from error
    return payment


def expire_subscriptions(now: datetime | None = None) -> int:
    """Put everyone whose premium period has ended back on the free plan; returns how many.

    One UPDATE that only matches subscriptions not yet expired, so running it twice
    (or in two workers at once) expires each subscription once.
    """
    now = now or timeutil.utcnow()
    free, premium = plan_by_code(FREE), plan_by_code(PREMIUM)
    renewal_pending = and_(
        func.coalesce(Subscription.provider, "") == STRIPE,
        Subscription.status.in_(("active", "past_due")),
        Subscription.current_period_end > now - STRIPE_RENEWAL_GRACE,
    )
    expired = db.session.execute(
        update(Subscription)
        .where(
            Subscription.plan_id == premium.id,
            Subscription.status.in_(PREMIUM_STATES),
            Subscription.current_period_end.is_not(None),
            Subscription.current_period_end <= now,
            not_(renewal_pending),
        )
        .values(plan_id=free.id, status="expired", cancel_at_period_end=False, updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return expired
