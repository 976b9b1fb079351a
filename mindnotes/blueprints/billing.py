"""Plans, the billing page, receipts, Stripe Checkout and its webhook, and the administrator's report."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from mindnotes import timeutil
from mindnotes.extensions import csrf
from mindnotes.htmx import is_htmx_request
from mindnotes.services import billing
from mindnotes.services.billing.money import format_money
from mindnotes.services.billing.plans import plans_by_price
from mindnotes.services.billing.providers import (
    InvalidWebhook,
    ProviderUnavailable,
    stripe_is_configured,
    stripe_provider,
)
from mindnotes.services.billing.report import monthly_report, parse_month
from mindnotes.services.billing.stripe_events import UnusableEvent, apply_stripe_event
from mindnotes.web import local_time, render_error

bp = Blueprint("billing", __name__, url_prefix="/billing")

STATUS_LABELS = {
    "trialing": "Free trial",
    "active": "Active",
    "past_due": "Payment overdue",
    "canceled": "Cancelled, ends at the end of the period",
    "expired": "Ended",
}


@bp.context_processor
def billing_helpers():
    return {"money": format_money, "status_label": STATUS_LABELS.get}


@bp.get("/plans")
@login_required
def plans():
    overview = billing.billing_overview(current_user.id)
    return render_template(
        "billing/plans.html",
        overview=overview,
        plans=plans_by_price(),
        premium_price=billing.premium_price(),
        card_payments=stripe_is_configured(),
        trial_days=billing.TRIAL_DAYS,
    )


@bp.get("/")
@login_required
def index():
    overview = billing.billing_overview(current_user.id)
    return render_template("billing/index.html", overview=overview, now=timeutil.utcnow())


@bp.post("/trial")
@login_required
def start_trial():
    billing.start_trial(current_user.id)
    flash(f"Your {billing.TRIAL_DAYS}-day Premium trial has started.", "success")
    return redirect(url_for("billing.index"))


@bp.post("/checkout")
@login_required
def checkout():
    try:
        address = billing.start_checkout(
            current_user,
            success_url=url_for("billing.checkout_done", _external=True),
            cancel_url=url_for("billing.plans", _external=True),
        )
    except ProviderUnavailable:
        flash("Card payments are unavailable right now. Please try again in a few minutes.", "error")
        return redirect(url_for("billing.plans"))
    return redirect(address, code=303)


@bp.get("/checkout/done")
@login_required
def checkout_done():
    flash("Thank you! Stripe is confirming your payment; Premium starts as soon as it does.", "success")
    return redirect(url_for("billing.index"))


def _after_change(message: str):
    """htmx swaps the subscription panel in place; a plain form gets the page again."""
    if is_htmx_request():
        overview = billing.billing_overview(current_user.id)
        return render_template("billing/_subscription.html", overview=overview, now=timeutil.utcnow(), message=message)
    flash(message, "success")
    return redirect(url_for("billing.index"))


@bp.errorhandler(billing.BillingError)
def billing_refused(error: billing.BillingError):
    """A change the subscription's state does not allow (no trial left, nothing to cancel): a 409."""
    return _refused(error.message)


def _refused(reason: str):
    """htmx gets the panel back with the reason (billing.js shows it); a plain form gets the 409 page."""
    if not is_htmx_request():
        return render_error(409, reason)
    overview = billing.billing_overview(current_user.id)
    return render_template("billing/_subscription.html", overview=overview, now=timeutil.utcnow(), error=reason), 409


@bp.post("/cancel")
@login_required
def cancel():
    try:
        subscription = billing.cancel_at_period_end(current_user.id)
    except ProviderUnavailable:
        return _refused("Stripe could not be reached, so nothing was cancelled. Please try again in a few minutes.")
    ends = local_time(subscription.current_period_end, "%-d %B %Y")
    return _after_change(f"Cancelled. You keep Premium until {ends}; you can resume before then.")


@bp.post("/resume")
@login_required
def resume():
    try:
        billing.resume(current_user.id)
    except ProviderUnavailable:
        return _refused("Stripe could not be reached, so nothing was changed. Please try again in a few minutes.")
    return _after_change("Welcome back: your Premium subscription goes on.")


@bp.get("/receipts/<id:payment_id>")
@login_required
def receipt(payment_id: int):
    payment = billing.receipt_for(current_user.id, payment_id)
    if payment is None:
        abort(404)
    return render_template("billing/receipt.html", payment=payment)


@bp.post("/webhooks/stripe")
@csrf.exempt
def stripe_webhook():
    try:
        event = stripe_provider().verify_event(request.get_data(), request.headers.get("Stripe-Signature"))
        outcome = apply_stripe_event(event)
    except (InvalidWebhook, UnusableEvent) as error:
        current_app.logger.warning("Stripe webhook refused: %s", error)
        return {"error": "invalid webhook"}, 400
    return {"received": outcome}, 200


def _is_admin() -> bool:
    return current_user.email in current_app.config["ADMIN_EMAILS"]


@bp.get("/admin/report")
@login_required
def admin_report():
    if not _is_admin():
        abort(404)
    month = request.args.get("month") or f"{timeutil.utcnow():%Y-%m}"
    try:
        start = parse_month(month)
    except ValueError:
        abort(422, "Choose a month like 2026-11.")
    return render_template("billing/report.html", report=monthly_report(start), month=month)
