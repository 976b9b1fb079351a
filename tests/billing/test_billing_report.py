"""The monthly billing report against figures worked out by hand from seeded payments."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from mindnotes.extensions import db
from mindnotes.models import Payment, User
from mindnotes.services.billing import record_manual_payment
from mindnotes.services.billing.report import monthly_report, parse_month


def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 12, tzinfo=UTC)


@pytest.fixture
def october(users):
    """Seven people and their payments around October 2026.

    A: Sep 10 -> Oct 10, renewed on Oct 8 (-> Nov 10)      renewed; paying on Oct 1 and Nov 1
    B: Sep 20 -> Oct 20, never renewed                     canceled in October; paying on Oct 1
    C: Oct 5, 9.00 EUR                                     new; paying on Nov 1
    D: Oct 15, 10.00 USD for three months                  new; paying on Nov 1
    E: Jul 1 -> Aug 1, back on Oct 25 with 5.00 EUR        new again after a gap; paying on Nov 1
    F: never paid; G: first paid Nov 3                     free on Nov 1
    """
    for name in "abcdefg":
        users.make(email=f"{name}@example.com")
    db.session.execute(update(User).values(created_at=at(8, 1)))
    db.session.commit()
    record_manual_payment("a@example.com", 900, "EUR", 1, now=at(9, 10))
    record_manual_payment("a@example.com", 900, "EUR", 1, now=at(10, 8))
    record_manual_payment("b@example.com", 900, "EUR", 1, now=at(9, 20))
    record_manual_payment("c@example.com", 900, "EUR", 1, now=at(10, 5))
    record_manual_payment("d@example.com", 1000, "USD", 3, now=at(10, 15))
    record_manual_payment("e@example.com", 500, "EUR", 1, now=at(7, 1))
    record_manual_payment("e@example.com", 500, "EUR", 1, now=at(10, 25))
    record_manual_payment("g@example.com", 900, "EUR", 1, now=at(11, 3))
    # A failed card payment is no revenue.
    subscription_id = db.session.scalar(db.select(Payment.subscription_id).limit(1))
    db.session.add(
        Payment(
            subscription_id=subscription_id,
            amount_minor=900,
            currency="EUR",
            status="failed",
            provider="stripe",
            provider_reference="evt_failed",
            created_at=at(10, 12),
        )
    )
    db.session.commit()


def test_report_figures_match_the_hand_computed_ones(october):
    report = monthly_report(parse_month("2026-10"), now=at(12, 1))
    assert report.revenue == {"EUR": 900 + 900 + 500, "USD": 1000}
    assert (report.new, report.renewed, report.canceled) == (3, 1, 1)
    assert report.subscribers == {"Free": 3, "Premium": 4}
    assert report.paying_at_start == 2
    assert report.churn_text == "50.0% (1 of 2)"


def test_report_command_prints_the_month(runner, october):
    result = runner.invoke(args=["billing", "report", "--month", "2026-10"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "revenue EUR: 23.00 EUR" in lines and "revenue USD: 10.00 USD" in lines
    assert "new subscriptions: 3" in lines and "renewed subscriptions: 1" in lines
    assert "canceled subscriptions: 1" in lines
    assert "active subscribers at month end, Premium: 4" in lines
    assert "active subscribers at month end, Free: 3" in lines
    assert "churn: 50.0% (1 of 2)" in lines


def test_report_command_refuses_a_month_it_cannot_read(runner):
    result = runner.invoke(args=["billing", "report", "--month", "2026-13"])
    assert result.exit_code != 0 and "not a month like 2026-11" in result.output


def test_a_month_with_no_payments_has_no_churn_to_speak_of(users):
    users.make()
    report = monthly_report(parse_month("2026-01"))
    assert report.revenue == {} and (report.new, report.renewed, report.canceled) == (0, 0, 0)
    assert report.churn_text.startswith("n/a")


def test_the_report_page_is_for_administrators_only(app, client, users, login, october):
    app.config["ADMIN_EMAILS"] = frozenset({"boss@example.com"})
    login(users.make(email="someone@example.com"))
    assert client.get("/billing/admin/report?month=2026-10").status_code == 404


def test_an_administrator_sees_the_same_figures(app, client, users, login, october):
    app.config["ADMIN_EMAILS"] = frozenset({"boss@example.com"})
    login(users.make(email="boss@example.com"))
    body = client.get("/billing/admin/report?month=2026-10").get_data(as_text=True)
    assert "23.00 EUR" in body and "10.00 USD" in body and "50.0% (1 of 2)" in body
    assert client.get("/billing/admin/report?month=October").status_code == 422
