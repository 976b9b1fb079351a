"""Payment providers behind one small interface: Stripe (cards, webhooks) and Manual (an administrator).

A provider only talks to the outside world; what a payment or an event means
for a subscription is decided in `services/billing/__init__.py`.
"""

import secrets
from typing import Any, Protocol

import stripe
from flask import current_app

from mindnotes.errors import UserError

MANUAL = "manual"
STRIPE = "stripe"
# Stripe's own default: a signed event older than five minutes is refused (replay protection).
WEBHOOK_TOLERANCE_SECONDS = 300


class ProviderUnavailable(UserError):
    """The provider could not be reached or refused the request; nothing was changed here."""

    status = 503


class InvalidWebhook(UserError):
    """A webhook whose signature, timestamp or body cannot be trusted."""

    status = 400


class PaymentProvider(Protocol):
    name: str
    # Whether the provider charges again by itself at the end of each period.
    renews_automatically: bool

    def set_cancel_at_period_end(self, provider_subscription_id: str | None, cancel: bool) -> None:
        """Tell the provider to stop (or go on) renewing at the end of the period."""


class ManualProvider:
    """Payments recorded by an administrator (cash, bank transfer); nothing renews by itself."""

    name = MANUAL
    renews_automatically = False

    def set_cancel_at_period_end(self, provider_subscription_id: str | None, cancel: bool) -> None:
        # Nothing to tell anyone: a manual period simply ends unless another payment is recorded.
        return None

    @staticmethod
    def new_reference() -> str:
        return f"manual_{secrets.token_hex(8)}"


class StripeProvider:
    """Stripe Checkout for the upgrade, signed webhooks for everything that follows.

    `client` is a `stripe.StripeClient` (or anything with the same `v1` methods),
    so tests check the parameters we build without reaching the network.
    """

    name = STRIPE
    renews_automatically = True

    def __init__(
        self, client: Any, webhook_secret: str, price_id: str, premium_price_minor: int, currency: str
    ) -> None:
        self.client = client
        self.webhook_secret = webhook_secret
        self.price_id = price_id
        self.premium_price_minor = premium_price_minor
        self.currency = currency

    def checkout_parameters(
        self, user_id: int, email: str, customer_id: str | None, success_url: str, cancel_url: str
    ) -> dict:
        if self.price_id:
            line_item: dict = {"price": self.price_id, "quantity": 1}
        else:
            line_item = {
                "quantity": 1,
                "price_data": {
                    "currency": self.currency.lower(),
                    "unit_amount": self.premium_price_minor,
                    "recurring": {"interval": "month"},
                    "product_data": {"name": "MindNotes Premium"},
                },
            }
        # The user id travels on the session and on the subscription, so every
        # later event (invoice, subscription) leads back to the person.
        metadata = {"user_id": str(user_id)}
        params: dict = {
            "mode": "subscription",
            "line_items": [line_item],
            "client_reference_id": str(user_id),
            "metadata": metadata,
            "subscription_data": {"metadata": metadata},
            "success_url": success_url,
            "cancel_url": cancel_url,
        }
        if customer_id:
            params["customer"] = customer_id
        else:
            params["customer_email"] = email
        return params

    def create_checkout_session(
        self, user_id: int, email: str, customer_id: str | None, success_url: str, cancel_url: str
    ) -> str:
        """Create a Checkout Session and return the address to send the person to."""
        params = self.checkout_parameters(user_id, email, customer_id, success_url, cancel_url)
        if self.client is None:
            raise ProviderUnavailable("Card payments are not set up.")
        try:
            session = self.client.v1.checkout.sessions.create(params=params)
        except stripe.StripeError as error:
            raise ProviderUnavailable(str(error)) from error
        return session.url

    def set_cancel_at_period_end(self, provider_subscription_id: str | None, cancel: bool) -> None:
        if not provider_subscription_id:
            return
        if self.client is None:
            raise ProviderUnavailable("Card payments are not set up.")
        try:
            self.client.v1.subscriptions.update(provider_subscription_id, params={"cancel_at_period_end": cancel})
        except stripe.StripeError as error:
            raise ProviderUnavailable(str(error)) from error

    def verify_event(self, payload: bytes, signature_header: str | None) -> dict:
        """The event as a plain dict, once its signature and timestamp check out."""
        if not self.webhook_secret:
            raise InvalidWebhook("No webhook secret is configured.")
        try:
            event = stripe.Webhook.construct_event(
                payload, signature_header, self.webhook_secret, tolerance=WEBHOOK_TOLERANCE_SECONDS
            )
        except stripe.SignatureVerificationError as error:
            raise InvalidWebhook(str(error)) from error
        except (ValueError, UnicodeDecodeError) as error:
            raise InvalidWebhook("The body is not JSON.") from error
        event = event.to_dict()
        if not isinstance(event.get("id"), str) or not isinstance(event.get("data", {}).get("object"), dict):
            raise InvalidWebhook("The body is not a Stripe event.")
        return event


def stripe_is_configured() -> bool:
    return bool(current_app.config["STRIPE_SECRET_KEY"])


def stripe_provider(currency: str = "EUR") -> StripeProvider:
    config = current_app.config
    return StripeProvider(
        # Without a secret key only webhooks can be checked; calls to Stripe say it is unavailable.
        client=stripe.StripeClient(config["STRIPE_SECRET_KEY"]) if config["STRIPE_SECRET_KEY"] else None,
        webhook_secret=config["STRIPE_WEBHOOK_SECRET"],
        price_id=config["STRIPE_PRICE_ID"],
        premium_price_minor=config["PREMIUM_PRICE_MINOR"],
        currency=currency,
    )


def provider_named(name: str | None) -> PaymentProvider | None:
    """The provider behind a subscription (None for a trial or the free plan)."""
    if name == STRIPE:
        return stripe_provider()
    if name == MANUAL:
        return ManualProvider()
    return None
