"""Stripe's webhook: signed events only, each applied once, never moving a subscription backwards."""

import json
import threading
import time

import pytest

from mindnotes.extensions import db
from mindnotes.models import Payment, ProviderEvent
from mindnotes.services.billing import add_months
from mindnotes.services.billing.plans import plan_for
from mindnotes.services.billing.providers import InvalidWebhook, StripeProvider
from mindnotes.services.billing.stripe_events import UnusableEvent, apply_stripe_event
from tests.billing.helpers import (
    DAY,
    SECOND,
    WEBHOOK_SECRET,
    WEBHOOK_URL,
    FakeStripeClient,
    checkout_completed,
    invoice,
    now_utc,
    post_event,
    sign,
    stripe_subscription,
    subscription_of,
)


@pytest.fixture(autouse=True)
def webhook_secret(app):
    app.config["STRIPE_WEBHOOK_SECRET"] = WEBHOOK_SECRET


def paid(user, start, end, created=None, **kwargs):
    return invoice("invoice.paid", user.id, created or start, start, end, **kwargs)


def snapshot(user) -> tuple:
    subscription = subscription_of(user)
    return (
        subscription.plan_id,
        subscription.status,
        subscription.current_period_end,
        subscription.cancel_at_period_end,
        subscription.provider_subscription_id,
    )


def test_checkout_then_invoice_make_the_person_premium_and_book_the_payment(client, users):
    user = users.make()
    start = now_utc()
    assert post_event(client, checkout_completed(user.id, start)).status_code == 200
    subscription = subscription_of(user)
    assert plan_for(user.id).code == "premium" and subscription.status == "active"
    assert (subscription.provider, subscription.provider_customer_id) == ("stripe", "cus_A")
    assert subscription.provider_subscription_id == "sub_A"
    # A monthly price's period is a calendar month (28 to 31 days, whichever month today is).
    end = add_months(start, 1)
    response = post_event(client, paid(user, start, end, invoice_id="in_1", created=start + 1 * SECOND))
    assert response.get_json() == {"received": "applied"}
    (payment,) = db.session.query(Payment).all()
    assert (payment.amount_minor, payment.currency, payment.provider_reference) == (500, "EUR", "in_1")
    assert subscription_of(user).current_period_end == end


def test_invoice_before_checkout_finds_the_person_through_the_subscription_metadata(client, users):
    user = users.make()
    start = now_utc()
    post_event(client, paid(user, start, start + 30 * DAY, customer="cus_new", subscription="sub_new"))
    subscription = subscription_of(user)
    assert subscription.status == "active" and subscription.provider_subscription_id == "sub_new"
    assert db.session.query(Payment).count() == 1


def test_renewal_invoice_extends_the_period_and_failed_payment_marks_it_overdue(client, users):
    user = users.make()
    start = now_utc() - 30 * DAY
    post_event(client, checkout_completed(user.id, start))
    post_event(client, paid(user, start, start + 30 * DAY, invoice_id="in_1"))
    renewal = start + 30 * DAY
    post_event(client, invoice("invoice.payment_failed", user.id, renewal, renewal, renewal + 30 * DAY))
    assert subscription_of(user).status == "past_due" and plan_for(user.id).code == "premium"
    post_event(client, paid(user, renewal, renewal + 30 * DAY, invoice_id="in_2", created=renewal + DAY))
    subscription = subscription_of(user)
    assert subscription.status == "active" and subscription.current_period_end == renewal + 30 * DAY
    statuses = sorted(p.status for p in db.session.query(Payment))
    assert statuses == ["failed", "succeeded", "succeeded"]


def test_subscription_updated_with_cancel_at_period_end_and_deleted_end_premium(client, users):
    user = users.make()
    start = now_utc()
    post_event(client, checkout_completed(user.id, start))
    post_event(
        client,
        stripe_subscription(
            "customer.subscription.updated",
            start + 60 * SECOND,
            "active",
            start,
            start + 30 * DAY,
            cancel_at_period_end=True,
        ),
    )
    subscription = subscription_of(user)
    assert subscription.status == "canceled" and subscription.cancel_at_period_end
    post_event(
        client,
        stripe_subscription("customer.subscription.deleted", start + 30 * DAY, "canceled", start, start + 30 * DAY),
    )
    assert subscription_of(user).status == "expired" and plan_for(user.id).code == "free"


# Signatures


def test_an_event_signed_with_another_secret_is_refused_and_changes_nothing(client, users):
    user = users.make()
    response = post_event(client, checkout_completed(user.id, now_utc()), secret="whsec_someone_else")
    assert response.status_code == 400
    assert plan_for(user.id).code == "free" and db.session.query(ProviderEvent).count() == 0


def test_an_event_without_a_signature_is_refused(client, users):
    user = users.make()
    assert post_event(client, checkout_completed(user.id, now_utc()), header="").status_code == 400
    assert post_event(client, checkout_completed(user.id, now_utc()), header="t=abc,v1=zz").status_code == 400
    assert plan_for(user.id).code == "free" and db.session.query(ProviderEvent).count() == 0


def test_a_correctly_signed_but_stale_event_is_refused(client, users):
    """An old signature replayed by someone who captured it: outside Stripe's five-minute tolerance."""
    user = users.make()
    response = post_event(client, checkout_completed(user.id, now_utc()), timestamp=int(time.time()) - 600)
    assert response.status_code == 400
    assert plan_for(user.id).code == "free"


def test_a_tampered_body_is_refused(client, users):
    user = users.make()
    body = checkout_completed(user.id, now_utc())
    header = sign(json.dumps(body))
    body["data"]["object"]["client_reference_id"] = "999"
    response = client.post(WEBHOOK_URL, data=json.dumps(body), headers={"Stripe-Signature": header})
    assert response.status_code == 400


def test_without_a_configured_secret_every_event_is_refused(app, client, users):
    app.config["STRIPE_WEBHOOK_SECRET"] = ""
    user = users.make()
    assert post_event(client, checkout_completed(user.id, now_utc())).status_code == 400
    assert plan_for(user.id).code == "free"


def test_the_webhook_needs_no_csrf_token(app_factory, users):
    app = app_factory(WTF_CSRF_ENABLED=True, STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET)
    user = users.make()
    assert post_event(app.test_client(), checkout_completed(user.id, now_utc())).status_code == 200


# Idempotency


def test_a_replayed_event_changes_nothing_the_second_time(client, users):
    user = users.make()
    start = now_utc()
    post_event(client, checkout_completed(user.id, start))
    event = paid(user, start, start + 30 * DAY, invoice_id="in_1")
    assert post_event(client, event).get_json() == {"received": "applied"}
    before = snapshot(user)
    assert post_event(client, event).get_json() == {"received": "duplicate"}
    assert snapshot(user) == before
    assert db.session.query(Payment).count() == 1
    assert db.session.query(ProviderEvent).filter_by(event_id=event["id"]).count() == 1


def test_two_copies_of_one_event_at_the_same_moment_apply_once(app, users):
    """Two workers receive the same event at once (real PostgreSQL): the unique event row lets one through."""
    user = users.make()
    start = now_utc()
    event = paid(user, start, start + 30 * DAY, invoice_id="in_race")
    barrier = threading.Barrier(2)
    answers = []

    def deliver():
        client = app.test_client()
        barrier.wait()
        answers.append(post_event(client, event).get_json()["received"])

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(answers) == ["applied", "duplicate"]
    assert db.session.query(Payment).count() == 1
    assert db.session.query(ProviderEvent).count() == 1
    assert subscription_of(user).current_period_end == start + 30 * DAY


def test_the_same_invoice_reported_by_two_events_is_booked_once(client, users):
    user = users.make()
    start = now_utc()
    post_event(client, paid(user, start, start + 30 * DAY, invoice_id="in_1"))
    post_event(client, paid(user, start, start + 30 * DAY, invoice_id="in_1", created=start + 5 * SECOND))
    assert db.session.query(Payment).count() == 1


# Order


def test_an_older_event_arriving_late_does_not_move_the_subscription_backwards(client, users):
    user = users.make()
    start = now_utc() - 40 * DAY
    post_event(client, checkout_completed(user.id, start))
    renewal = start + 30 * DAY
    newer = paid(user, renewal, renewal + 30 * DAY, invoice_id="in_2", created=renewal)
    older_failure = invoice("invoice.payment_failed", user.id, renewal - DAY, start, renewal)
    older_update = stripe_subscription(
        "customer.subscription.updated", start + DAY, "active", start, start + 30 * DAY, cancel_at_period_end=True
    )
    post_event(client, newer)
    before = snapshot(user)
    post_event(client, older_failure)
    post_event(client, older_update)
    assert snapshot(user) == before
    assert subscription_of(user).status == "active"


def test_an_old_invoice_arriving_late_is_still_booked_without_shortening_the_period(client, users):
    user = users.make()
    start = now_utc() - 40 * DAY
    renewal = start + 30 * DAY
    post_event(client, paid(user, renewal, renewal + 30 * DAY, invoice_id="in_2", created=renewal))
    post_event(client, paid(user, start, renewal, invoice_id="in_1", created=start))
    assert subscription_of(user).current_period_end == renewal + 30 * DAY
    assert db.session.query(Payment).count() == 2


def test_the_end_of_an_old_stripe_subscription_does_not_end_the_new_one(client, users):
    user = users.make()
    start = now_utc()
    post_event(client, checkout_completed(user.id, start, subscription="sub_new"))
    old_end = stripe_subscription(
        "customer.subscription.deleted",
        start + 60 * SECOND,
        "canceled",
        start - 60 * DAY,
        start,
        subscription="sub_old",
    )
    post_event(client, old_end)
    assert subscription_of(user).status == "active" and plan_for(user.id).code == "premium"


# Content


def test_a_signed_event_with_a_float_amount_or_unknown_currency_is_refused_whole(client, users):
    user = users.make()
    start = now_utc()
    post_event(client, checkout_completed(user.id, start))
    before = snapshot(user)
    for bad in ({"amount": 5.0}, {"currency": "zzz"}):
        response = post_event(client, paid(user, start, start + 90 * DAY, created=start + 5 * SECOND, **bad))
        assert response.status_code == 400
    # Neither the longer period nor the event row was kept: the payment failed, so did everything with it.
    assert snapshot(user) == before
    assert db.session.query(Payment).count() == 0
    assert db.session.query(ProviderEvent).count() == 1


def test_events_of_other_types_are_acknowledged_and_ignored(client, users):
    user = users.make()
    response = post_event(client, {"id": "evt_x", "type": "customer.created", "created": 1, "data": {"object": {}}})
    assert response.get_json() == {"received": "ignored"}
    assert plan_for(user.id).code == "free"


def test_an_event_without_a_creation_time_cannot_be_applied(users):
    with pytest.raises(UnusableEvent):
        apply_stripe_event({"id": "evt_y", "type": "invoice.paid", "data": {"object": {}}})


def test_the_stripe_provider_checks_signatures_with_the_secret_it_was_given():
    provider = StripeProvider(
        client=FakeStripeClient(), webhook_secret=WEBHOOK_SECRET, price_id="", premium_price_minor=500, currency="EUR"
    )
    payload = json.dumps({"id": "evt_1", "type": "invoice.paid", "created": 1, "data": {"object": {"id": "in_1"}}})
    assert provider.verify_event(payload.encode(), sign(payload))["data"]["object"] == {"id": "in_1"}
    for header in (sign(payload, "whsec_other"), sign(payload, timestamp=int(time.time()) - 301), None, "garbage"):
        with pytest.raises(InvalidWebhook):
            provider.verify_event(payload.encode(), header)
    with pytest.raises(InvalidWebhook):
        provider.verify_event(b"not json", sign("not json"))
    url = provider.create_checkout_session(3, "x@example.com", None, "https://h/ok", "https://h/no")
    assert url.startswith("https://checkout.stripe.com/")
    (params,) = provider.client.sessions_created
    assert params["line_items"][0]["price_data"]["unit_amount"] == 500
