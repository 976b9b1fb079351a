"""The sign-up, log-in and two-factor forms, and what other account pages share with them:
the password and time-zone validators, the rate limits on sign-in forms, the page of a form."""

from flask import current_app, render_template, session
from flask_limiter.util import get_remote_address
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length, ValidationError

from mindnotes.extensions import limiter
from mindnotes.services.account import two_factor
from mindnotes.timeutil import is_valid_timezone, timezone_choices


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


def form_page(template: str, form: FlaskForm, **context):
    """The page of a one-form view: 422 when the form was sent and refused, else 200."""
    return render_template(template, form=form, **context), 422 if form.is_submitted() else 200


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
    remember = BooleanField("Keep me signed in on this device")


class CodeForm(FlaskForm):
    code = StringField(
        "Code from your authenticator app, or a recovery code", validators=[InputRequired(), Length(max=32)]
    )
