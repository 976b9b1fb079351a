"""Register, log in (with the two-factor step when it is on), log out."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length, ValidationError

from mindnotes.extensions import limiter
from mindnotes.services import account as accounts
from mindnotes.services.account import login_sessions as sessions
from mindnotes.services.account import security, two_factor
from mindnotes.services.account.mail import MailNotSent
from mindnotes.services.account.security_events import record_event
from mindnotes.timeutil import is_valid_timezone, timezone_choices

bp = Blueprint("auth", __name__)


def auth_rate_limit() -> str:
    return current_app.config["AUTH_RATE_LIMIT"]


def _code_attempts_key() -> str:
    """Codes are limited per account (signed in, or half signed in), else per address."""
    if current_user.is_authenticated:
        return f"account:{current_user.id}"
    pending = session.get(two_factor.PENDING_KEY)
    if isinstance(pending, dict) and pending.get("user_id"):
        return f"account:{pending['user_id']}"
    return get_remote_address()


# One budget per account shared by every form that checks a two-factor or recovery code.
code_attempts_limit = limiter.shared_limit(
    lambda: current_app.config["TWO_FACTOR_RATE_LIMIT"],
    scope="two-factor-codes",
    key_func=_code_attempts_key,
    methods=["POST"],
)


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


class CodeForm(FlaskForm):
    code = StringField(
        "Code from your authenticator app, or a recovery code", validators=[InputRequired(), Length(max=32)]
    )


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
            sessions.sign_in(user)
            flash("Welcome to MindNotes. Your journal is ready.", "success")
            try:
                security.send_verification(user)
            except MailNotSent:
                flash("We could not send the message to confirm your address. Try again from Security.", "warning")
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
        next_url = _safe_next(request.args.get("next"))
        if user is not None and two_factor.is_enabled(user):
            two_factor.begin_login(user, next_url)
            return redirect(url_for("auth.two_factor_login"))
        if user is not None:
            sessions.sign_in(user)
            return redirect(next_url)
        known = accounts.find_user_by_email(form.email.data)
        if known is not None:
            record_event(known.id, "sign_in_failed")
        form.password.errors.append("That email and password do not match an account.")
    status = 422 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/login/two-factor", methods=["GET", "POST"])
@code_attempts_limit
def two_factor_login():
    user = two_factor.pending_login_user()
    if user is None:
        flash("Please log in with your email and password first.", "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            next_url = two_factor.finish_login(user, form.code.data)
        except accounts.AccountError as error:
            form.code.errors.append(str(error))
        else:
            return redirect(_safe_next(next_url))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/two_factor.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    sessions.sign_out()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))
