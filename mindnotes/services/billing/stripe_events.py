"""What Stripe's webhook events do to a subscription, each applied once and never backwards.

- Idempotent: the event's row in `provider_events` (unique provider + event id) is inserted
  in the same transaction as its effects. A replay, or the same event arriving twice at
  once, fails on that constraint and changes nothing.
- Ordered: the subscription remembers when Stripe created the last event applied to it
  (`provider_event_at`). An older event arriving late may still book its payment, but it
  does not change the status, and a period end only ever moves forward.
"""

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mindnotes import timeutil
from mindnotes.errors import UserError
from mindnotes.extensions import db
from mindnotes.models import Payment, ProviderEvent, Subscription
from mindnotes.models.plans import FREE, PREMIUM
from mindnotes.services.billing import add_months
from mindnotes.services.billing.money import InvalidAmount, checked_money
from mindnotes.services.billing.plans import plan_by_code
from mindnotes.services.billing.providers import STRIPE

# Stripe subscription status -> ours; None keeps ours (incomplete, paused: nothing settled yet).
_STATUSES = {
    "trialing": "trialing",
    "active": "active",
    "past_due": "past_due",
    "unpaid": "past_due",
    "canceled": "expired",
    "incomplete_expired": "expired",
}


class UnusableEvent(UserError):
    """A correctly signed event whose content we cannot apply (the webhook answers 400)."""

    status = 400


def apply_stripe_event(event: dict) -> str:
    """Apply a verified event; returns "applied", "duplicate" or "ignored" (a type we do not use)."""
    handler = _HANDLERS.get(event.get("type"))
    created = event.get("created")
    if isinstance(created, bool) or not isinstance(created, int):
        raise UnusableEvent("The event has no creation time.")
    db.session.add(
        ProviderEvent(provider=STRIPE, event_id=event["id"], event_type=str(event.get("type"))[:64], payload=event)
    )
    try:
        # Taken first: a second copy of this event waits here until the first commits, then fails.
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return "duplicate"
    if handler is None:
        db.session.commit()
        return "ignored"
    try:
        handler(event["data"]["object"], datetime.fromtimestamp(created, UTC), event["id"])
        db.session.commit()
    except (UnusableEvent, InvalidAmount, KeyError, TypeError, ValueError) as error:
        db.session.rollback()
        raise UnusableEvent(str(error)) from error
    except IntegrityError:
        # The other copy of this event won the race on a row it also writes.
        db.session.rollback()
        return "duplicate"
    return "applied"


def _is_newer(subscription: Subscription, created: datetime) -> bool:
    return subscription.provider_event_at is None or created >= subscription.provider_event_at


def _moment(seconds: object) -> datetime | None:
    if isinstance(seconds, bool) or not isinstance(seconds, int):
        return None
    return datetime.fromtimestamp(seconds, UTC)


def _user_id(metadata: object) -> int | None:
    value = metadata.get("user_id") if isinstance(metadata, dict) else None
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _locked(**criteria) -> Subscription | None:
    """The person's subscription, found by the first criterion that matches, locked until commit."""
    columns = {
        "subscription_id": Subscription.provider_subscription_id,
        "customer_id": Subscription.provider_customer_id,
        "user_id": Subscription.user_id,
    }
    for name, column in columns.items():
        value = criteria.get(name)
        if not value:
            continue
        found = db.session.scalar(
            select(Subscription)
            .where(column == value)
            .order_by(Subscription.id)
            .limit(1)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        if found is not None:
            return found
    return None


def _make_premium(subscription: Subscription, status: str, created: datetime, customer: str | None, sid: str | None):
    subscription.plan_id = plan_by_code(PREMIUM).id
    subscription.status = "canceled" if subscription.cancel_at_period_end and status != "past_due" else status
    subscription.provider = STRIPE
    subscription.provider_customer_id = customer or subscription.provider_customer_id
    subscription.provider_subscription_id = sid or subscription.provider_subscription_id
    subscription.provider_event_at = created


def _extend_period(subscription: Subscription, start: datetime | None, end: datetime | None) -> None:
    if end is not None and (subscription.current_period_end is None or end > subscription.current_period_end):
        subscription.current_period_start = start or subscription.current_period_start
        subscription.current_period_end = end


def _checkout_completed(session: dict, created: datetime, event_id: str) -> None:
    if session.get("mode") != "subscription":
        return
    user_id = _user_id(session.get("metadata")) or _user_id({"user_id": session.get("client_reference_id")})
    subscription = _locked(user_id=user_id)
    if subscription is None or not _is_newer(subscription, created):
        return
    if session.get("payment_status") not in ("paid", "no_payment_required"):
        return
    subscription.cancel_at_period_end = False
    _make_premium(subscription, "active", created, session.get("customer"), session.get("subscription"))
    # The invoice (often a moment later) brings the exact period; until then, a month from now.
    _extend_period(subscription, created, add_months(created, 1))


def _invoice_subscription(invoice: dict) -> tuple[str | None, dict]:
    """Subscription id and its metadata, from the current (`parent`) or the older invoice shape."""
    details = (invoice.get("parent") or {}).get("subscription_details") or invoice.get("subscription_details") or {}
    return details.get("subscription") or invoice.get("subscription"), details.get("metadata") or {}


def _invoice_period(invoice: dict) -> tuple[datetime | None, datetime | None]:
    lines = (invoice.get("lines") or {}).get("data") or []
    period = lines[0].get("period", {}) if lines else {}
    return _moment(period.get("start")), _moment(period.get("end"))


def _locked_for_invoice(invoice: dict) -> tuple[Subscription | None, str | None]:
    sid, metadata = _invoice_subscription(invoice)
    subscription = _locked(subscription_id=sid, customer_id=invoice.get("customer"), user_id=_user_id(metadata))
    return subscription, sid


def _book(subscription: Subscription, invoice: dict, amount_field: str, status: str, reference: str, period) -> None:
    amount, currency = checked_money(invoice.get(amount_field), invoice.get("currency"))
    if amount == 0 or db.session.scalar(select(Payment.id).where(Payment.provider_reference == reference)):
        return
    db.session.add(
        Payment(
            subscription_id=subscription.id,
            amount_minor=amount,
            currency=currency,
            status=status,
            provider=STRIPE,
            provider_reference=reference,
            period_start=period[0],
            period_end=period[1],
            created_at=_moment(invoice.get("created")) or timeutil.utcnow(),
        )
    )


def _invoice_paid(invoice: dict, created: datetime, event_id: str) -> None:
    subscription, sid = _locked_for_invoice(invoice)
    if subscription is None:
        return
    period = _invoice_period(invoice)
    if _is_newer(subscription, created):
        _make_premium(subscription, "active", created, invoice.get("customer"), sid)
        _extend_period(subscription, *period)
    elif subscription.status != "expired":
        _extend_period(subscription, *period)
    db.session.flush()  # the subscription change and its payment: one transaction, flushed in this order
    _book(subscription, invoice, "amount_paid", "succeeded", invoice["id"], period)


def _invoice_failed(invoice: dict, created: datetime, event_id: str) -> None:
    subscription, sid = _locked_for_invoice(invoice)
    if subscription is None:
        return
    if _is_newer(subscription, created) and subscription.plan.code == PREMIUM:
        subscription.status = "past_due"
        subscription.provider_event_at = created
    db.session.flush()
    # Each failed attempt is its own line in the history, keyed by the event that reported it.
    _book(subscription, invoice, "amount_due", "failed", event_id, _invoice_period(invoice))


def _subscription_period(stripe_subscription: dict) -> tuple[datetime | None, datetime | None]:
    # Newer API versions keep the period on the subscription's items.
    items = (stripe_subscription.get("items") or {}).get("data") or [{}]
    source = stripe_subscription if stripe_subscription.get("current_period_end") else items[0]
    return _moment(source.get("current_period_start")), _moment(source.get("current_period_end"))


def _subscription_updated(stripe_subscription: dict, created: datetime, event_id: str) -> None:
    sid = stripe_subscription.get("id")
    subscription = _locked(
        subscription_id=sid,
        customer_id=stripe_subscription.get("customer"),
        user_id=_user_id(stripe_subscription.get("metadata")),
    )
    if subscription is None or not _is_newer(subscription, created):
        return
    status = _STATUSES.get(stripe_subscription.get("status"))
    if status == "expired":
        _end(subscription, sid, created)
        return
    if status is None:
        return
    subscription.cancel_at_period_end = bool(stripe_subscription.get("cancel_at_period_end"))
    _make_premium(subscription, status, created, stripe_subscription.get("customer"), sid)
    _extend_period(subscription, *_subscription_period(stripe_subscription))


def _subscription_deleted(stripe_subscription: dict, created: datetime, event_id: str) -> None:
    sid = stripe_subscription.get("id")
    subscription = _locked(subscription_id=sid)
    if subscription is not None and _is_newer(subscription, created):
        _end(subscription, sid, created)


def _end(subscription: Subscription, sid: str | None, created: datetime) -> None:
    # Only the subscription the person has now can end it; an old one's ending changes nothing.
    if subscription.provider_subscription_id not in (None, sid) or subscription.provider not in (None, STRIPE):
        return
    subscription.plan_id = plan_by_code(FREE).id
    subscription.status = "expired"
    subscription.cancel_at_period_end = False
    subscription.provider_event_at = created


_HANDLERS = {
    "checkout.session.completed": _checkout_completed,
    "invoice.paid": _invoice_paid,
    "invoice.payment_failed": _invoice_failed,
    "customer.subscription.updated": _subscription_updated,
    "customer.subscription.deleted": _subscription_deleted,
}
