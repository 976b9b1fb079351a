"""Billing test helpers: Stripe events built and signed locally (no network), and a fake Stripe client."""

import hashlib
import hmac
import json
import secrets
import time
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from mindnotes.extensions import db
from mindnotes.models import Subscription

WEBHOOK_SECRET = "whsec_test_0123456789"
WEBHOOK_URL = "/billing/webhooks/stripe"


def stamp(moment: datetime) -> int:
    return int(moment.timestamp())


def sign(payload: str, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """The `Stripe-Signature` header: t=<unix time>,v1=HMAC_SHA256(secret, "<t>.<payload>")."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event(event_type: str, obj: dict, created: datetime, event_id: str | None = None) -> dict:
    return {
        "id": event_id or f"evt_{secrets.token_hex(8)}",
        "object": "event",
        "api_version": "2025-03-31.basil",
        "type": event_type,
        "created": stamp(created),
        "livemode": False,
        "data": {"object": obj},
    }


def post_event(client, body: dict, secret: str = WEBHOOK_SECRET, timestamp: int | None = None, header=None):
    payload = json.dumps(body)
    signature = sign(payload, secret, timestamp) if header is None else header
    headers = {"Stripe-Signature": signature} if signature else {}
    return client.post(WEBHOOK_URL, data=payload, headers=headers, content_type="application/json")


def checkout_completed(user_id: int, created: datetime, customer="cus_A", subscription="sub_A", **extra) -> dict:
    session = {
        "id": f"cs_{secrets.token_hex(6)}",
        "object": "checkout.session",
        "mode": "subscription",
        "payment_status": "paid",
        "client_reference_id": str(user_id),
        "metadata": {"user_id": str(user_id)},
        "customer": customer,
        "subscription": subscription,
        "amount_total": 500,
        "currency": "eur",
        **extra,
    }
    return event("checkout.session.completed", session, created)


def invoice(
    event_type: str,
    user_id: int,
    created: datetime,
    period_start: datetime,
    period_end: datetime,
    invoice_id: str | None = None,
    amount: object = 500,
    currency: object = "eur",
    customer="cus_A",
    subscription="sub_A",
) -> dict:
    obj = {
        "id": invoice_id or f"in_{secrets.token_hex(6)}",
        "object": "invoice",
        "customer": customer,
        "amount_paid": amount if event_type == "invoice.paid" else 0,
        "amount_due": amount,
        "currency": currency,
        "created": stamp(created),
        "parent": {
            "type": "subscription_details",
            "subscription_details": {"subscription": subscription, "metadata": {"user_id": str(user_id)}},
        },
        "lines": {"data": [{"period": {"start": stamp(period_start), "end": stamp(period_end)}}]},
    }
    return event(event_type, obj, created)


def stripe_subscription(
    event_type: str,
    created: datetime,
    status: str,
    period_start: datetime,
    period_end: datetime,
    cancel_at_period_end: bool = False,
    customer="cus_A",
    subscription="sub_A",
    user_id: int | None = None,
) -> dict:
    obj = {
        "id": subscription,
        "object": "subscription",
        "customer": customer,
        "status": status,
        "cancel_at_period_end": cancel_at_period_end,
        "metadata": {"user_id": str(user_id)} if user_id else {},
        "items": {"data": [{"current_period_start": stamp(period_start), "current_period_end": stamp(period_end)}]},
    }
    return event(event_type, obj, created)


def subscription_of(user) -> Subscription:
    db.session.expire_all()
    return db.session.query(Subscription).filter_by(user_id=user.id).one()


def whole_seconds(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)


def now_utc() -> datetime:
    return whole_seconds(datetime.now(UTC))


DAY = timedelta(days=1)
SECOND = timedelta(seconds=1)


class FakeStripeClient:
    """Stands in for `stripe.StripeClient`: records what we ask Stripe, answers like Stripe would."""

    def __init__(self, fail_with: Exception | None = None) -> None:
        self.sessions_created: list[dict] = []
        self.subscription_updates: list[tuple[str, dict]] = []
        self.fail_with = fail_with
        self.v1 = SimpleNamespace(
            checkout=SimpleNamespace(sessions=SimpleNamespace(create=self._create_session)),
            subscriptions=SimpleNamespace(update=self._update_subscription),
        )

    def _create_session(self, params=None, options=None):
        if self.fail_with:
            raise self.fail_with
        self.sessions_created.append(params)
        return SimpleNamespace(id="cs_test_1", url="https://checkout.stripe.com/c/pay/cs_test_1")

    def _update_subscription(self, subscription_id, params=None, options=None):
        if self.fail_with:
            raise self.fail_with
        self.subscription_updates.append((subscription_id, params))
        return SimpleNamespace(id=subscription_id, **params)
