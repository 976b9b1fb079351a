"""The landing page and the signed-in home."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from mindnotes.services.plans import plan_for

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    return redirect(url_for("auth.login"))


@bp.get("/home")
@login_required
def home():
    return render_template("main/home.html", plan=plan_for(current_user.id), profile=current_user.profile)
