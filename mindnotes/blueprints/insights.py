"""Looking back: the month calendar, a day's documents, and the insights charts."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from mindnotes.htmx import render_page_or_partial
from mindnotes.services.overview import calendar as calendars
from mindnotes.services.overview.insights import insights_for
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
