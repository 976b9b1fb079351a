"""Reminders: the settings (a region of the account page, also a page of its own), this
browser's push subscription, and the one-click "pause reminders" link of every message."""

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField

from mindnotes.errors import NotFound
from mindnotes.extensions import csrf
from mindnotes.services import reminders
from mindnotes.services.reminders.push import public_key
from mindnotes.web import show_errors

bp = Blueprint("reminders", __name__, url_prefix="/reminders")


class ReminderForm(FlaskForm):
    journal_on = BooleanField("Remind me to write each day")
    journal_time = StringField("At")
    mood_on = BooleanField("Remind me to log my mood")
    mood_time_1 = StringField("First check-in")
    mood_time_2 = StringField("Second check-in (optional)")
    mood_time_3 = StringField("Third check-in (optional)")
    weekly_on = BooleanField("Tell me when my weekly review is ready (Mondays)")
    weekly_time = StringField("At")
    by_push = BooleanField("A notification on the devices where I allowed them")
    by_email = BooleanField("An email")
    paused = BooleanField("Pause all reminders")


@bp.app_context_processor
def reminder_settings():
    """The account page's reminders region, for `account/_reminders.html` wherever it is included."""

    def settings() -> dict:
        values = reminders.form_values(reminders.plan_of(current_user))
        return {
            "form": ReminderForm(formdata=None, data=values),
            "devices": reminders.device_count(current_user),
            "public_key": public_key(),
        }

    return {"reminder_settings": settings}


@bp.get("/")
@login_required
def index():
    return render_template("reminders/index.html")


@bp.post("/")
@login_required
def save():
    form = ReminderForm()
    try:
        reminders.save_reminders(current_user, request.form)
    except reminders.ReminderInvalid as error:
        show_errors(form, error, "journal_time")
        return render_template("reminders/index.html", reminder_form=form), error.status
    flash("Your reminders are saved.", "success")
    return redirect(url_for("account.index", _anchor="reminders"))


@bp.post("/devices")
@login_required
def add_device():
    """This browser's push subscription (sent by static/js/pwa.js)."""
    try:
        reminders.subscribe_device(
            current_user, request.form.get("endpoint", ""), request.form.get("p256dh", ""), request.form.get("auth", "")
        )
    except reminders.ReminderInvalid as error:
        return Response(error.message, status=error.status, mimetype="text/plain")
    return Response(status=204)


@bp.post("/devices/remove")
@login_required
def remove_device():
    reminders.unsubscribe_device(current_user, request.form.get("endpoint", ""))
    return Response(status=204)


@bp.get("/pause/<token>")
def pause(token: str):
    """The link in every reminder: one button, so that a mail scanner opening links pauses nothing."""
    if reminders.user_id_for_pause_token(token) is None:
        raise NotFound()
    return render_template("reminders/pause.html", token=token, paused=False)


@bp.post("/pause/<token>")
@csrf.exempt  # the signed token is the proof; mail apps (RFC 8058) and notifications post it without a form
def confirm_pause(token: str):
    if not reminders.pause_by_link(token):
        raise NotFound()
    return render_template("reminders/pause.html", token=token, paused=True)
