"""Register, log in, log out."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length, ValidationError

from mindnotes.extensions import limiter
from mindnotes.services import accounts
from mindnotes.timeutil import is_valid_timezone, timezone_choices

bp = Blueprint("auth", __name__)


def auth_rate_limit() -> str:
    return current_app.config["AUTH_RATE_LIMIT"]


def password_long_enough(form, field) -> None:
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(field.data or "") < minimum:
        raise ValidationError(f"Use at least {minimum} characters.")


def known_timezone(form, field) -> None:
    if not is_valid_timezone(field.data or ""):
        raise ValidationError("Choose a time zone from the list.")


class RegisterForm(FlaskForm):
    email = EmailField("Email", validators=[InputRequired(), Email(check_deliverability=False), Length(max=254)])
    display_name = StringField("Display name (optional)", validators=[Length(max=80)])
    password = PasswordField("Password", validators=[InputRequired(), password_long_enough, Length(max=1024)])
    confirm = PasswordField(
        "Repeat password", validators=[InputRequired(), EqualTo("password", "The passwords differ.")]
    )
    timezone = SelectField("Time zone", validators=[known_timezone], validate_choice=False, default="UTC")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices()


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[InputRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=1024)])


def _safe_next(target: str | None) -> str:
    """Only same-site paths, never an open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("main.home")


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(auth_rate_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.register_user(
                form.email.data, form.password.data, form.display_name.data or "", form.timezone.data
            )
        except accounts.AccountError as error:
            getattr(form, error.field or "email").errors.append(str(error))
        else:
            session.clear()
            login_user(user)
            flash("Welcome to MindNotes. Your journal is ready.", "success")
            return redirect(url_for("main.home"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/register.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(auth_rate_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            next_url = _safe_next(request.args.get("next"))
            session.clear()
            login_user(user)
            return redirect(next_url)
        form.password.errors.append("That email and password do not match an account.")
    status = 422 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    session.clear()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))
