"""Plans, the trial, cancel and resume, manual payments, receipts, expiry and what premium's end means."""

import threading
from datetime import timedelta

import pytest
import rq
import stripe
from sqlalchemy import update

from mindnotes.extensions import db, queue
from mindnotes.jobs.billing import expire_subscriptions as expire_job
from mindnotes.jobs.schedule import SCHEDULE
from mindnotes.models import Payment, Profile, Subscription
from mindnotes.services import billing, journal
from mindnotes.services.billing.money import InvalidAmount, checked_money, format_money
from mindnotes.services.billing.plans import plan_for, reserve_entry_slot
from mindnotes.services.billing.providers import stripe_provider
from tests.billing.helpers import DAY, FakeStripeClient, now_utc, subscription_of


def record(runner, email, *args):
    return runner.invoke(args=["billing", "record-payment", email, *args])


def set_subscription(user, **values):
    db.session.execute(update(Subscription).where(Subscription.user_id == user.id).values(**values))
    db.session.commit()


@pytest.fixture
def stripe_client(app, monkeypatch):
    """Card payments switched on, with Stripe's client replaced so nothing leaves this machine."""
    fake = FakeStripeClient()
    app.config.update(STRIPE_SECRET_KEY="sk_test_123", STRIPE_PRICE_ID="price_premium_monthly")
    monkeypatch.setattr(stripe, "StripeClient", lambda key: fake)
    return fake


# Plans and the trial


def test_plans_page_shows_both_plans_side_by_side_with_the_trial(client, users, login):
    login(users.make())
    body = client.get("/billing/plans").get_data(as_text=True)
    assert "Free" in body and "Premium" in body
    assert "Up to 100 journal entries" in body and "Unlimited journal entries" in body
    assert "All focus programs" in body and "PDF export" in body
    assert "5.00 EUR" in body
    assert "Start your 14-day free trial" in body
    # No card processor configured: the page says how to pay instead of showing a dead button.
    assert "Upgrade with a card" not in body and "contact the administrator" in body


def test_starting_the_trial_gives_premium_for_fourteen_days(client, users, login):
    user = users.make()
    login(user)
    before = now_utc()
    response = client.post("/billing/trial")
    assert response.status_code == 302 and response.headers["Location"] == "/billing/"
    subscription = subscription_of(user)
    assert plan_for(user.id).code == "premium"
    assert subscription.status == "trialing" and subscription.trial_used
    assert before + 14 * DAY <= subscription.current_period_end <= now_utc() + 14 * DAY + timedelta(seconds=1)
    page = client.get("/billing/").get_data(as_text=True)
    assert "Free trial" in page and "Trial ends" in page and "Your 14-day Premium trial has started." in page


def test_the_trial_is_given_once_per_person(client, users, login):
    user = users.make()
    login(user)
    client.post("/billing/trial")
    billing.expire_subscriptions(now=now_utc() + 15 * DAY)
    assert plan_for(user.id).code == "free"
    again = client.post("/billing/trial")
    assert again.status_code == 409
    assert "already used your free trial" in again.get_data(as_text=True)
    assert plan_for(user.id).code == "free"
    assert "You have used your free trial." in client.get("/billing/plans").get_data(as_text=True)


def test_two_trial_requests_at_the_same_moment_start_one_trial(app, users, login):
    user = users.make()
    clients = [login(user, app.test_client()) for _ in range(2)]
    barrier = threading.Barrier(2)
    statuses = []

    def start(client):
        barrier.wait()
        statuses.append(client.post("/billing/trial").status_code)

    threads = [threading.Thread(target=start, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses) == [302, 409]
    assert subscription_of(user).status == "trialing"


def test_trial_is_not_started_for_someone_already_premium(users):
    user = users.make(plan="premium")
    with pytest.raises(billing.BillingError, match="already have Premium"):
        billing.start_trial(user.id)
    assert not subscription_of(user).trial_used


# Cancel and resume


def test_cancel_keeps_premium_until_the_period_ends_and_resume_undoes_it(client, users, login):
    user = users.make()
    login(user)
    client.post("/billing/trial")
    response = client.post("/billing/cancel")
    assert response.status_code == 302
    subscription = subscription_of(user)
    assert subscription.status == "canceled" and subscription.cancel_at_period_end
    assert plan_for(user.id).code == "premium"
    page = client.get("/billing/").get_data(as_text=True)
    assert "Premium ends" in page and "Resume Premium" in page and "Cancel at the end" not in page
    assert client.post("/billing/resume").status_code == 302
    subscription = subscription_of(user)
    assert subscription.status == "trialing" and not subscription.cancel_at_period_end
    assert "Welcome back" in client.get("/billing/").get_data(as_text=True)


def test_cancel_with_htmx_swaps_only_the_subscription_panel(client, users, login):
    user = users.make()
    login(user)
    client.post("/billing/trial")
    response = client.post("/billing/cancel", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="subscription"' in body
    assert "<html" not in body and "You keep Premium until" in body and "Resume Premium" in body


def test_a_refused_cancel_with_htmx_shows_the_reason_in_the_panel(client, users, login):
    login(users.make())
    response = client.post("/billing/cancel", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert 'id="subscription"' in body and 'role="alert"' in body and "no running Premium subscription" in body


def test_resume_is_refused_once_the_period_has_ended(client, users, login):
    user = users.make()
    login(user)
    client.post("/billing/trial")
    client.post("/billing/cancel")
    set_subscription(user, current_period_end=now_utc() - DAY)
    response = client.post("/billing/resume")
    assert response.status_code == 409
    assert subscription_of(user).status == "canceled"


def test_cancel_without_running_premium_is_refused(client, users, login):
    login(users.make())
    response = client.post("/billing/cancel")
    assert response.status_code == 409
    assert "no running Premium subscription" in response.get_data(as_text=True)


def test_cancel_of_a_card_subscription_tells_stripe_first(client, users, login, stripe_client):
    user = users.make()
    login(user)
    set_subscription(
        user,
        plan_id=billing.plan_by_code("premium").id,
        status="active",
        provider="stripe",
        provider_subscription_id="sub_42",
        current_period_end=now_utc() + 20 * DAY,
    )
    client.post("/billing/cancel")
    assert stripe_client.subscription_updates == [("sub_42", {"cancel_at_period_end": True})]
    assert subscription_of(user).status == "canceled"
    client.post("/billing/resume")
    assert stripe_client.subscription_updates[-1] == ("sub_42", {"cancel_at_period_end": False})
    assert subscription_of(user).status == "active"


def test_when_stripe_cannot_be_reached_nothing_is_cancelled(client, users, login, stripe_client):
    user = users.make()
    login(user)
    set_subscription(
        user,
        plan_id=billing.plan_by_code("premium").id,
        status="active",
        provider="stripe",
        provider_subscription_id="sub_42",
        current_period_end=now_utc() + 20 * DAY,
    )
    stripe_client.fail_with = stripe.APIConnectionError("network down")
    response = client.post("/billing/cancel")
    assert response.status_code == 409 and "nothing was cancelled" in response.get_data(as_text=True)
    assert subscription_of(user).status == "active"


# Stripe Checkout


def test_upgrade_with_a_card_sends_the_person_to_stripe_checkout(client, users, login, stripe_client):
    user = users.make(email="card@example.com")
    login(user)
    assert "Upgrade with a card" in client.get("/billing/plans").get_data(as_text=True)
    response = client.post("/billing/checkout")
    assert response.status_code == 303
    assert response.headers["Location"] == "https://checkout.stripe.com/c/pay/cs_test_1"
    (params,) = stripe_client.sessions_created
    assert params["mode"] == "subscription"
    assert params["line_items"] == [{"price": "price_premium_monthly", "quantity": 1}]
    assert params["client_reference_id"] == str(user.id)
    assert params["metadata"] == params["subscription_data"]["metadata"] == {"user_id": str(user.id)}
    assert params["customer_email"] == "card@example.com" and "customer" not in params
    assert params["success_url"].endswith("/billing/checkout/done")
    assert params["cancel_url"].endswith("/billing/plans")
    assert plan_for(user.id).code == "free"  # premium starts when Stripe confirms, not on the redirect


def test_checkout_without_a_stripe_price_carries_the_configured_monthly_price(app, users, stripe_client):
    app.config.update(STRIPE_PRICE_ID="", PREMIUM_PRICE_MINOR=900)
    provider = stripe_provider("EUR")
    params = provider.checkout_parameters(7, "a@example.com", "cus_9", "https://x/ok", "https://x/no")
    assert params["line_items"][0]["price_data"] == {
        "currency": "eur",
        "unit_amount": 900,
        "recurring": {"interval": "month"},
        "product_data": {"name": "MindNotes Premium"},
    }
    assert params["customer"] == "cus_9" and "customer_email" not in params


def test_checkout_is_refused_to_someone_already_paying(client, users, login, stripe_client):
    user = users.make(email="paying@example.com")
    billing.record_manual_payment("paying@example.com", 900, "EUR", 1)
    login(user)
    assert client.post("/billing/checkout").status_code == 409
    assert stripe_client.sessions_created == []


def test_premium_granted_by_an_administrator_offers_no_cancel(client, users, login):
    login(users.make(plan="premium"))
    page = client.get("/billing/").get_data(as_text=True)
    assert "no end date" in page and "Cancel at the end" not in page
    assert client.post("/billing/cancel").status_code == 409


def test_checkout_is_refused_when_card_payments_are_not_set_up(client, users, login):
    login(users.make())
    response = client.post("/billing/checkout")
    assert response.status_code == 409
    assert "not set up" in response.get_data(as_text=True)


def test_stripe_being_down_at_checkout_says_so_and_changes_nothing(client, users, login, stripe_client):
    user = users.make()
    login(user)
    stripe_client.fail_with = stripe.APIConnectionError("network down")
    response = client.post("/billing/checkout", follow_redirects=True)
    assert "Card payments are unavailable right now" in response.get_data(as_text=True)
    assert plan_for(user.id).code == "free"


# Manual payments


def test_administrator_records_a_payment_and_premium_starts(runner, users, client, login):
    user = users.make(email="cash@example.com")
    result = record(runner, "Cash@Example.com", "--amount", "900", "--currency", "eur", "--months", "1")
    assert result.exit_code == 0, result.output
    assert "Recorded 9.00 EUR for cash@example.com" in result.output
    subscription = subscription_of(user)
    assert plan_for(user.id).code == "premium"
    assert subscription.status == "active" and subscription.provider == "manual"
    (payment,) = db.session.query(Payment).all()
    assert (payment.amount_minor, payment.currency, payment.status) == (900, "EUR", "succeeded")
    assert payment.period_end == subscription.current_period_end
    login(user)
    page = client.get("/billing/").get_data(as_text=True)
    assert "Paid until" in page and "9.00 EUR" in page and f"/billing/receipts/{payment.id}" in page


def test_a_payment_during_the_trial_starts_when_the_trial_ends(users):
    user = users.make(email="t@example.com")
    now = now_utc()
    billing.start_trial(user.id, now=now)
    payment = billing.record_manual_payment("t@example.com", 900, "EUR", 2, now=now + 3 * DAY)
    assert payment.period_start == now + 14 * DAY
    assert subscription_of(user).current_period_end == billing.add_months(now + 14 * DAY, 2)


def test_a_second_payment_extends_from_the_end_of_the_paid_time(users):
    user = users.make(email="r@example.com")
    now = now_utc()
    first = billing.record_manual_payment("r@example.com", 900, "EUR", 1, now=now)
    second = billing.record_manual_payment("r@example.com", 900, "EUR", 1, now=now + 10 * DAY)
    assert second.period_start == first.period_end
    assert subscription_of(user).current_period_end == billing.add_months(first.period_end, 1)


@pytest.mark.parametrize(
    ("amount", "currency", "message"),
    [
        ("9.00", "EUR", "whole number"),
        ("-900", "EUR", "whole number"),
        ("900", "EURO", "not an ISO 4217 currency"),
        ("900", "XYZ", "not an ISO 4217 currency"),
        ("0", "EUR", "more than zero"),
    ],
)
def test_manual_payment_refuses_amounts_that_are_not_whole_minor_units(runner, users, amount, currency, message):
    user = users.make(email="m@example.com")
    result = record(runner, "m@example.com", "--amount", amount, "--currency", currency)
    assert result.exit_code != 0 and message in result.output
    assert db.session.query(Payment).count() == 0
    assert plan_for(user.id).code == "free"


def test_manual_payment_for_an_unknown_email_is_refused(runner):
    result = record(runner, "nobody@example.com", "--amount", "900", "--currency", "EUR")
    assert result.exit_code != 0 and "No account with the email" in result.output


def test_a_payment_that_cannot_be_written_leaves_the_subscription_unchanged(runner, users):
    """The subscription change and its payment are one transaction: the payment fails, neither is kept."""
    users.make(email="one@example.com")
    other = users.make(email="two@example.com")
    assert (
        record(runner, "one@example.com", "--amount", "900", "--currency", "EUR", "--reference", "BANK-1").exit_code
        == 0
    )
    before = subscription_of(other)
    before_state = (before.plan_id, before.status, before.current_period_end, before.provider)
    result = record(runner, "two@example.com", "--amount", "900", "--currency", "EUR", "--reference", "BANK-1")
    assert result.exit_code != 0 and "already recorded; nothing changed" in result.output
    after = subscription_of(other)
    assert (after.plan_id, after.status, after.current_period_end, after.provider) == before_state
    assert plan_for(other.id).code == "free"
    assert db.session.query(Payment).count() == 1


def test_money_is_whole_minor_units_with_an_iso_currency():
    assert checked_money(900, " eur ") == (900, "EUR")
    for amount in (9.0, True, "900", -1):
        with pytest.raises(InvalidAmount):
            checked_money(amount, "EUR")
    assert format_money(123456, "EUR") == "1,234.56 EUR"
    assert format_money(500, "JPY") == "500 JPY"
    assert format_money(1500, "BHD") == "1.500 BHD"


# Receipts and history


def test_receipt_is_a_printable_page_for_its_owner_only(client, users, login, app):
    owner = users.make(email="owner@example.com", display_name="Olive")
    stranger = users.make(email="stranger@example.com")
    payment = billing.record_manual_payment("owner@example.com", 1250, "USD", 1, reference="WIRE-77")
    login(owner)
    response = client.get(f"/billing/receipts/{payment.id}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"MN-{payment.id:06d}" in body and "12.50 USD" in body and "WIRE-77" in body and "Olive" in body
    assert "billing.css" in body  # its print styles hide the navigation
    other_client = app.test_client()
    login(stranger, other_client)
    assert other_client.get(f"/billing/receipts/{payment.id}").status_code == 404
    assert other_client.get("/billing/receipts/999999").status_code == 404
    assert "WIRE-77" not in other_client.get("/billing/").get_data(as_text=True)


def test_billing_pages_need_a_signed_in_person(client):
    for path in ("/billing/", "/billing/plans", "/billing/receipts/1"):
        assert client.get(path).headers["Location"].startswith("/login")


# Expiry and what it means


def test_expiry_job_moves_ended_subscriptions_to_free_and_is_safe_to_run_twice(app, users, runner):
    ended = users.make(email="ended@example.com")
    running = users.make(email="running@example.com")
    granted = users.make(plan="premium")  # an administrator's grant has no end date
    now = now_utc()
    billing.record_manual_payment("ended@example.com", 900, "EUR", 1, now=now - 40 * DAY)
    billing.record_manual_payment("running@example.com", 900, "EUR", 1, now=now - 5 * DAY)
    queue.enqueue(expire_job, job_id="billing-expire")
    rq.SimpleWorker([queue.queue], connection=queue.redis).work(burst=True)
    assert subscription_of(ended).status == "expired" and plan_for(ended.id).code == "free"
    assert plan_for(running.id).code == "premium" and plan_for(granted.id).code == "premium"
    result = runner.invoke(args=["billing", "expire"])
    assert result.exit_code == 0 and "0 subscription(s) expired." in result.output
    assert plan_for(ended.id).code == "free" and plan_for(running.id).code == "premium"


def test_expiry_runs_every_hour_from_the_schedule():
    assert ("mindnotes.jobs.billing.expire_subscriptions", "5 * * * *") in SCHEDULE


def test_a_card_subscription_gets_time_for_its_renewal_before_expiring(users):
    user = users.make()
    now = now_utc()
    set_subscription(
        user,
        plan_id=billing.plan_by_code("premium").id,
        status="active",
        provider="stripe",
        current_period_end=now - timedelta(hours=2),
    )
    assert billing.expire_subscriptions(now=now) == 0
    assert billing.expire_subscriptions(now=now + 4 * DAY) == 1
    assert plan_for(user.id).code == "free"


def test_a_cancelled_subscription_expires_at_its_period_end(client, users, login):
    user = users.make()
    login(user)
    client.post("/billing/trial")
    client.post("/billing/cancel")
    end = subscription_of(user).current_period_end
    assert billing.expire_subscriptions(now=end - timedelta(seconds=1)) == 0
    assert billing.expire_subscriptions(now=end) == 1
    assert subscription_of(user).status == "expired"
    assert "Premium ended; back on Free" in client.get("/billing/").get_data(as_text=True)


def test_when_premium_ends_entries_stay_but_new_ones_beyond_the_free_limit_are_refused(users):
    user = users.make(email="writer@example.com")
    billing.record_manual_payment("writer@example.com", 900, "EUR", 1, now=now_utc() - 40 * DAY)
    kept = journal.create_entry(user, {"title": "Written on premium", "content": "Still mine."})
    free_limit = billing.plan_by_code("free").entry_limit
    db.session.execute(update(Profile).where(Profile.user_id == user.id).values(entries_used=free_limit + 5))
    db.session.commit()
    assert billing.expire_subscriptions() == 1
    assert journal.get_entry(user, kept["_id"])["content"] == "Still mine."
    journal.change_entry(user, kept["_id"], lambda entry: {"content": "Edited on the free plan."})
    assert journal.get_entry(user, kept["_id"])["content"] == "Edited on the free plan."
    with pytest.raises(journal.EntryLimitReached, match="Free plan"):
        journal.create_entry(user, {"title": "One more"})
    assert not reserve_entry_slot(user.id)
    billing.record_manual_payment("writer@example.com", 900, "EUR", 1)
    assert journal.create_entry(user, {"title": "Premium again"})["title"] == "Premium again"
