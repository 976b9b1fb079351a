"""The landing redirect and the signed-in home: the dashboard."""

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user, login_required

from mindnotes.services.billing.plans import plan_for
from mindnotes.services.overview.dashboard import dashboard_for

bp = Blueprint("main", __name__)


@bp.app_template_global("area_url")
def area_url(endpoint: str, **values) -> str | None:
    """The URL of another area's page, or None while that area is not installed."""
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **values)


def mood_picker_context() -> dict | None:
    """The mood area's quick picker, when that area is installed (it owns the form)."""
    if "mood.create" not in current_app.view_functions:
        return None
    from mindnotes.blueprints.mood import picker_context
    from mindnotes.services.mood import MoodForm

    return picker_context(MoodForm.blank(current_user.timezone))


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    return render_template("main/welcome.html")


@bp.get("/home")
@login_required
def home():
    return render_template(
        "main/home.html",
        dashboard=dashboard_for(current_user),
        plan=plan_for(current_user.id),
        profile=current_user.profile,
        mood_picker=mood_picker_context(),
    )
