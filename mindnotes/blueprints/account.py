"""The person's own account: profile and password."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, RadioField, SelectField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, NumberRange

from mindnotes.blueprints.auth.forms import auth_rate_limit, known_timezone, password_long_enough
from mindnotes.extensions import limiter
from mindnotes.services import account as accounts
from mindnotes.services.account import security
from mindnotes.services.billing.plans import plan_for
from mindnotes.timeutil import timezone_choices
from mindnotes.web import show_errors

bp = Blueprint("account", __name__, url_prefix="/account")


class ProfileForm(FlaskForm):
    display_name = StringField("Display name", validators=[Length(max=80)])
    timezone = SelectField("Time zone", validators=[known_timezone], validate_choice=False)
    daily_prompt_count = IntegerField(
        "Daily prompts", validators=[InputRequired("Choose how many prompts a day."), NumberRange(1, 5)]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices()


class PasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[InputRequired()])
    new_password = PasswordField("New password", validators=[InputRequired(), password_long_enough, Length(max=1024)])
    confirm = PasswordField(
        "Repeat new password", validators=[InputRequired(), EqualTo("new_password", "The passwords differ.")]
    )


class AppearanceForm(FlaskForm):
    appearance = RadioField("Appearance", choices=list(accounts.APPEARANCES.items()), validate_choice=False)


def _render(
    profile_form: ProfileForm,
    password_form: PasswordForm,
    status: int = 200,
    appearance_form: AppearanceForm | None = None,
):
    return render_template(
        "account/index.html",
        profile_form=profile_form,
        password_form=password_form,
        appearance_form=appearance_form
        or AppearanceForm(prefix="appearance", formdata=None, appearance=current_user.profile.appearance),
        plan=plan_for(current_user.id),
        profile=current_user.profile,
    ), status


def _profile_form(**kwargs) -> ProfileForm:
    return ProfileForm(
        prefix="profile",
        display_name=current_user.display_name,
        timezone=current_user.timezone,
        daily_prompt_count=current_user.profile.daily_prompt_count,
        **kwargs,
    )


@bp.get("/")
@login_required
def index():
    return _render(_profile_form(formdata=None), PasswordForm(prefix="password", formdata=None))


@bp.post("/profile")
@login_required
def update_profile():
    form = _profile_form()
    if form.validate_on_submit():
        accounts.update_profile(
            current_user,
            accounts.ProfileChanges(form.display_name.data or "", form.timezone.data, form.daily_prompt_count.data),
        )
        flash("Your profile is saved.", "success")
        return redirect(url_for("account.index"))
    return _render(form, PasswordForm(prefix="password", formdata=None), 422)


@bp.post("/appearance")
@login_required
def update_appearance():
    form = AppearanceForm(prefix="appearance")
    if form.validate_on_submit():
        try:
            accounts.set_appearance(current_user, form.appearance.data or "")
        except accounts.AccountError as error:
            show_errors(form, error, "appearance")
        else:
            flash("Your appearance is saved.", "success")
            return redirect(url_for("account.index", _anchor="appearance"))
    return _render(_profile_form(formdata=None), PasswordForm(prefix="password", formdata=None), 422, form)


def _signed_in_account() -> str:
    return f"account:{current_user.id}"


@bp.post("/password")
@login_required
# Per account, not per address: someone holding a stolen session cannot guess the password from many addresses.
@limiter.limit(auth_rate_limit, key_func=_signed_in_account, scope="password-change")
def change_password():
    form = PasswordForm(prefix="password")
    if form.validate_on_submit():
        try:
            security.change_password(current_user, form.current_password.data, form.new_password.data)
        except accounts.AccountError as error:
            show_errors(form, error, "current_password")
        else:
            flash("Your password is changed. Every other session was signed out.", "success")
            return redirect(url_for("account.index"))
    return _render(_profile_form(formdata=None), form, 422)
