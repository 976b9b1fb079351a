"""Looking back: the month calendar, a day's documents, the insights charts, Patterns and the weekly reviews."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from mindnotes.htmx import render_page_or_partial
from mindnotes.services.overview import calendar as calendars
from mindnotes.services.overview import weekly as weekly_reviews
from mindnotes.services.overview.insights import insights_for
from mindnotes.services.overview.patterns import patterns_page
from mindnotes.web import found_or_404

bp = Blueprint("insights", __name__)


@bp.get("/calendar/")
@login_required
def calendar():
    today = calendars.local_today(current_user)
    return _render_month(today.replace(day=1))


@bp.get("/calendar/<month>")
@login_required
def calendar_month(month: str):
    return _render_month(found_or_404(calendars.parse_month(month)))


@bp.get("/calendar/day/<day>")
@login_required
def calendar_day(day: str):
    chosen = found_or_404(calendars.parse_day(day))
    return render_page_or_partial(
        "calendar/month.html",
        "calendar/_day.html",
        month=calendars.month_of(current_user, chosen.replace(day=1)),
        selected=chosen.isoformat(),
        detail=calendars.day_of(current_user, chosen),
    )


def _render_month(first):
    return render_page_or_partial(
        "calendar/month.html",
        "calendar/_month.html",
        month=calendars.month_of(current_user, first),
        selected=None,
        detail=None,
    )


@bp.get("/insights")
@login_required
def index():
    return render_template("insights/index.html", insights=insights_for(current_user.id))


@bp.get("/insights/patterns")
@login_required
def patterns():
    return render_template("insights/patterns.html", patterns=patterns_page(current_user.id))


@bp.get("/insights/weeks")
@login_required
def weekly():
    return _render_weeks()


def _render_weeks(error: str | None = None, status: int = 200):
    return render_template(
        "weekly/index.html",
        reviews=weekly_reviews.reviews_of(current_user),
        mails=weekly_reviews.mails_reviews(current_user),
        mood_chart=weekly_reviews.mood_chart,
        mood_trend=weekly_reviews.trend,
        mail_error=error,
    ), status


@bp.get("/insights/weeks/<week_start>")
@login_required
def weekly_review(week_start: str):
    day = found_or_404(calendars.parse_day(week_start))
    review = found_or_404(weekly_reviews.review_of_week(current_user, day.isoformat()))
    return render_template(
        "weekly/review.html", review=review, mood_chart=weekly_reviews.mood_chart, mood_trend=weekly_reviews.trend
    )


@bp.post("/insights/weeks/mail")
@login_required
def weekly_mail():
    choice = request.form.get("mail", "")
    if choice not in ("on", "off"):
        return _render_weeks("Choose whether to get each weekly review by mail.", 422)
    weekly_reviews.set_mail_reviews(current_user, choice == "on")
    flash(
        "Each weekly review will be mailed to you." if choice == "on" else "Weekly reviews will not be mailed.",
        "success",
    )
    return redirect(url_for("insights.weekly"), 303)
