"""`flask billing ...`: record a manual payment, expire ended subscriptions, the monthly report."""

import click
from flask.cli import AppGroup

from mindnotes.jobs.billing import expire_subscriptions
from mindnotes.services.billing import BillingError, record_manual_payment
from mindnotes.services.billing.money import InvalidAmount, format_money
from mindnotes.services.billing.report import monthly_report, parse_month

billing_group = AppGroup("billing", help="Payments and subscriptions.")


@billing_group.command("record-payment")
@click.argument("email")
@click.option("--amount", required=True, help="Whole minor units (cents): 900 is 9.00.")
@click.option("--currency", required=True, help="ISO 4217 code, for example EUR.")
@click.option("--months", type=int, default=1, show_default=True, help="Premium months this payment buys.")
@click.option("--reference", default=None, help="Your reference (bank transfer id); must be unique.")
def record_payment_command(email: str, amount: str, currency: str, months: int, reference: str | None) -> None:
    """Record a payment made outside a card processor and extend EMAIL's premium."""
    if not amount.isdigit():
        raise click.ClickException("The amount must be a whole number of minor units (cents), for example 900.")
    try:
        payment = record_manual_payment(email, int(amount), currency, months, reference)
    except (BillingError, InvalidAmount) as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"Recorded {format_money(payment.amount_minor, payment.currency)} for {email.strip().lower()}: "
        f"premium until {payment.period_end:%Y-%m-%d %H:%M} UTC (receipt {payment.id})."
    )


@billing_group.command("expire")
def expire_command() -> None:
    """Move subscriptions whose period has ended back to the free plan (run it hourly)."""
    click.echo(f"{expire_subscriptions()} subscription(s) expired.")


@billing_group.command("report")
@click.option("--month", required=True, help="YYYY-MM, for example 2026-11.")
def report_command(month: str) -> None:
    """Revenue, new, renewed and ended subscriptions, subscribers and churn for a month."""
    try:
        start = parse_month(month)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    report = monthly_report(start)
    click.echo(f"Billing report for {report.month}")
    if report.revenue:
        for currency, amount in report.revenue.items():
            click.echo(f"revenue {currency}: {format_money(amount, currency)}")
    else:
        click.echo("revenue: none")
    click.echo(f"new subscriptions: {report.new}")
    click.echo(f"renewed subscriptions: {report.renewed}")
    click.echo(f"canceled subscriptions: {report.canceled}")
    for plan, count in report.subscribers.items():
        click.echo(f"active subscribers at month end, {plan}: {count}")
    click.echo(f"churn: {report.churn_text}")
