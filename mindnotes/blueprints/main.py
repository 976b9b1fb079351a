"""The landing redirect and the signed-in home: the dashboard."""

import hashlib

from flask import Blueprint, current_app, get_template_attribute, redirect, render_template, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from mindnotes.services.billing.plans import plan_for
from mindnotes.services.overview.dashboard import dashboard_for, keep_rendered, rendered_parts

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


# main/home.html's parts that rest on the prepared figures alone, and the templates they are made of.
KEPT_TEMPLATE = "main/_dashboard_kept.html"
KEPT_PARTS = ("stats", "prompts", "mood_averages", "week_and_lists")
KEPT_TEMPLATES = (KEPT_TEMPLATE, "main/_entry_list.html", "weekly/_latest.html")


def templates_version() -> str:
    """A digest of the kept parts' templates, made once per process: a deploy that changes them renders anew."""
    extensions, environment = current_app.extensions, current_app.jinja_env
    if "kept_templates_version" not in extensions:
        loader = environment.loader
        assert loader is not None  # Flask's own
        sources = "".join(loader.get_source(environment, name)[0] for name in KEPT_TEMPLATES)
        extensions["kept_templates_version"] = hashlib.sha256(sources.encode()).hexdigest()[:16]
    return extensions["kept_templates_version"]


def with_kept_parts(dashboard: dict) -> dict:
    """The dashboard with its kept parts as HTML: as kept with the figures, or rendered now and kept."""
    version = templates_version()
    parts = rendered_parts(dashboard["prepared"], version)
    if parts is None:
        parts = {name: str(get_template_attribute(KEPT_TEMPLATE, name)(dashboard)) for name in KEPT_PARTS}
        keep_rendered(current_user.id, dashboard["prepared"], parts, version)
    return {**dashboard, "kept_html": {name: Markup(html) for name, html in parts.items()}}


@bp.get("/home")
@login_required
def home():
    return render_template(
        "main/home.html",
        dashboard=with_kept_parts(dashboard_for(current_user)),
        plan=plan_for(current_user.id),
        profile=current_user.profile,
        mood_picker=mood_picker_context(),
    )
