"""The sign-up, log-in, two-factor log-in and log-out views."""

from functools import wraps

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from mindnotes.blueprints.auth import bp
from mindnotes.blueprints.auth.forms import (
    CodeForm,
    LoginForm,
    RegisterForm,
    auth_rate_limit,
    code_attempts_limit,
    form_page,
)
from mindnotes.extensions import limiter
from mindnotes.services import account as accounts
from mindnotes.services.account import login_sessions as sessions
from mindnotes.services.account import security, two_factor
from mindnotes.services.account.mail import MailNotSent
from mindnotes.web import safe_next, show_errors


def signed_out_only(view):
    """Someone already signed in goes to the dashboard instead."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if current_user.is_authenticated:
            return redirect(url_for("main.home"))
        return view(*args, **kwargs)

    return wrapper


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(auth_rate_limit, methods=["POST"])
@signed_out_only
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.register_user(
                form.email.data, form.password.data, form.display_name.data or "", form.timezone.data
            )
        except accounts.AccountError as error:
            show_errors(form, error, "email")
        else:
            sessions.sign_in(user)
            flash("Welcome to MindNotes. Your journal is ready.", "success")
            try:
                security.send_verification(user)
            except MailNotSent:
                flash("We could not send the message to confirm your address. Try again from Security.", "warning")
            return redirect(url_for("main.home"))
    return form_page("auth/register.html", form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(auth_rate_limit, methods=["POST"])
@signed_out_only
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data)
        except accounts.AccountError as error:
            show_errors(form, error, "password")
        else:
            next_url = safe_next(request.args.get("next"), url_for("main.home"))
            if two_factor.is_enabled(user):
                two_factor.begin_login(user, next_url, remember=form.remember.data)
                return redirect(url_for("auth.two_factor_login"))
            sessions.sign_in(user, remember=form.remember.data)
            return redirect(next_url)
    return form_page("auth/login.html", form)


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
            show_errors(form, error, "code")
        else:
            return redirect(safe_next(next_url, url_for("main.home")))
    return form_page("auth/two_factor.html", form)


@bp.post("/logout")
@login_required
def logout():
    sessions.sign_out()
    flash("You are logged out.", "info")
    response = redirect(url_for("auth.login"))
    # The installable app's copies (the new-entry page, entries written offline) end with the session.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response
