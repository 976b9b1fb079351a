"""The security views, and the request hooks the security area adds to every page."""

from contextlib import suppress
from urllib.parse import urlsplit

from flask import Response, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import SecurityError

from mindnotes.blueprints.auth.forms import auth_rate_limit, code_attempts_limit, form_page
from mindnotes.blueprints.security import bp
from mindnotes.blueprints.security.forms import (
    ChangeEmailForm,
    CodeForm,
    DeleteForm,
    EmailForm,
    NewPasswordForm,
    PasswordCodeForm,
)
from mindnotes.extensions import limiter
from mindnotes.htmx import is_htmx_request, render_page_or_partial
from mindnotes.services.account import AccountError, deletion, security, two_factor
from mindnotes.services.account import login_sessions as sessions
from mindnotes.services.account.mail import MailNotSent
from mindnotes.services.account.security_events import EVENT_LABELS, recent_events
from mindnotes.web import safe_next, show_errors

HSTS = "max-age=31536000; includeSubDomains"


@bp.record_once
def check_host_and_server_session_first(state) -> None:
    # Ahead of every other before-request hook: a foreign host is refused before any of them runs,
    # and none of them sees a revoked session's user.
    hooks = state.app.before_request_funcs.setdefault(None, [])
    hooks[:0] = [refuse_foreign_host, sessions.enforce_server_session]
    state.app.after_request(sessions.update_remember_cookie)


@bp.record_once
def answer_only_the_public_host(state) -> None:
    """With PUBLIC_URL set, a request naming another host (a forged Host header) is refused with a 400."""
    config = state.app.config
    public_host = urlsplit(config["PUBLIC_URL"]).hostname
    if public_host:
        config["TRUSTED_HOSTS"] = [public_host, *(config["TRUSTED_HOSTS"] or [])]


def refuse_foreign_host() -> None:
    """Flask found the Host outside TRUSTED_HOSTS while routing; answer that before any other hook."""
    if isinstance(request.routing_exception, SecurityError):
        raise request.routing_exception


@bp.app_errorhandler(SecurityError)
def foreign_host(error: SecurityError):
    # No page template: without a trusted host no link on the page can be built.
    return Response("This server does not answer for that host name.\n", status=400, mimetype="text/plain")


@bp.after_app_request
def strict_transport_security(response):
    if current_app.config["PREFERRED_URL_SCHEME"] == "https" or current_app.config["SESSION_COOKIE_SECURE"]:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


VERIFY_NOTICE_HIDDEN = "verify_notice_hidden"


@bp.app_context_processor
def verification_reminder():
    def email_unverified() -> bool:
        return current_user.is_authenticated and not security.is_email_verified(current_user.id)

    def verify_notice_hidden() -> bool:
        return bool(session.get(VERIFY_NOTICE_HIDDEN))

    return {"email_unverified": email_unverified, "verify_notice_hidden": verify_notice_hidden}


@bp.errorhandler(security.LinkProblem)
def link_problem(problem: security.LinkProblem):
    """A used, expired, replaced or altered mailed link: the page says which, with its status."""
    return render_template("security/link_problem.html", problem=problem), problem.status


# Password reset and email verification: reached from a mailed link, signed in or not.


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(auth_rate_limit, methods=["POST"])
def request_reset():
    form = EmailForm()
    if form.validate_on_submit():
        # A mail failure gets the same answer as an unknown address: the page never tells whether an account exists.
        with suppress(MailNotSent):
            security.request_password_reset(form.email.data)
        return redirect(url_for("security.reset_sent"))
    return form_page("security/reset_request.html", form)


@bp.get("/reset/sent")
def reset_sent():
    return render_template("security/reset_sent.html", minutes=current_app.config["PASSWORD_RESET_MINUTES"])


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(auth_rate_limit, methods=["POST"])
def reset_password(token: str):
    security.check_link(token, "reset")
    form = NewPasswordForm()
    if form.validate_on_submit():
        security.reset_password(token, form.password.data)
        sessions.sign_out()
        flash("Your password is changed and every session was signed out. Log in with the new password.", "success")
        return redirect(url_for("auth.login"))
    return form_page("security/reset_password.html", form, token=token)


@bp.get("/verify/<token>")
def verify_email(token: str):
    security.verify_email(token)
    flash("Thank you: your email address is confirmed.", "success")
    return redirect(url_for("security.index" if current_user.is_authenticated else "auth.login"))


# The signed-in person's security page.


def _render_index(email_form: ChangeEmailForm, status: int = 200):
    return render_template(
        "security/index.html",
        email_form=email_form,
        verified=security.is_email_verified(current_user.id),
        two_factor_on=two_factor.is_enabled(current_user),
        session_count=len(sessions.active_sessions(current_user.id)),
    ), status


@bp.get("/account/security/")
@login_required
def index():
    return _render_index(ChangeEmailForm(formdata=None))


@bp.post("/account/security/verification")
@login_required
@limiter.limit(auth_rate_limit)
def resend_verification():
    if security.is_email_verified(current_user.id):
        flash("Your email address is already confirmed.", "info")
    else:
        try:
            security.send_verification(current_user)
        except MailNotSent:
            flash("The message could not be sent just now. Please try again later.", "error")
        else:
            flash(f"We sent a new link to {current_user.email}.", "success")
    return redirect(url_for("security.index"))


@bp.post("/account/security/verification/hide")
@login_required
def hide_verification_notice():
    """The "confirm your email" notice stays away until this browser signs in again."""
    session[VERIFY_NOTICE_HIDDEN] = True
    if is_htmx_request():
        return ""
    return redirect(safe_next(request.form.get("next"), url_for("main.home")))


@bp.post("/account/security/email")
@login_required
@limiter.limit(auth_rate_limit)
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            security.change_email(current_user, form.email.data, form.password.data)
        except AccountError as error:
            show_errors(form, error, "email")
        except MailNotSent:
            flash("Your address is changed, but the confirmation could not be sent. Send it again below.", "warning")
            return redirect(url_for("security.index"))
        else:
            flash(f"Your address is now {current_user.email}. We sent a link there to confirm it.", "success")
            return redirect(url_for("security.index"))
    return _render_index(form, 422)


# Sessions and the security log.


def _render_sessions():
    current = sessions.current_session()
    return render_page_or_partial(
        "security/sessions.html",
        "security/_sessions.html",
        active=sessions.active_sessions(current_user.id),
        current_id=current.id if current is not None else None,
        describe_device=sessions.describe_device,
    )


@bp.get("/account/security/sessions")
@login_required
def list_sessions():
    return _render_sessions()


@bp.post("/account/security/sessions/<id:session_id>/end")
@login_required
def end_session(session_id: int):
    if not sessions.end_session(current_user.id, session_id):
        abort(404)
    if is_htmx_request():
        return _render_sessions()
    flash("That session is signed out.", "success")
    return redirect(url_for("security.list_sessions"))


@bp.post("/account/security/sessions/end-others")
@login_required
def end_other_sessions():
    count = sessions.end_other_sessions(current_user.id)
    if is_htmx_request():
        return _render_sessions()
    flash(f"Signed out {count} other session{'s' if count != 1 else ''}.", "success")
    return redirect(url_for("security.list_sessions"))


@bp.get("/account/security/events")
@login_required
def events():
    return render_template(
        "security/events.html",
        events=recent_events(current_user.id),
        labels=EVENT_LABELS,
        describe_device=sessions.describe_device,
    )


# Two-factor sign-in.


def _render_two_factor(confirm_form=None, disable_form=None, codes_form=None, status: int = 200):
    return render_template(
        "security/two_factor.html",
        enabled=two_factor.is_enabled(current_user),
        setup=two_factor.pending_setup(current_user),
        remaining=two_factor.remaining_recovery_codes(current_user.id),
        confirm_form=confirm_form or CodeForm(prefix="confirm", formdata=None),
        disable_form=disable_form or PasswordCodeForm(prefix="disable", formdata=None),
        codes_form=codes_form or PasswordCodeForm(prefix="codes", formdata=None),
    ), status


def _render_recovery_codes(codes: list[str]):
    # Shown in this response only: the codes are stored hashed and cannot be shown again.
    return render_template("security/recovery_codes.html", codes=codes)


@bp.get("/account/security/two-factor")
@login_required
def two_factor_page():
    return _render_two_factor()


@bp.post("/account/security/two-factor/setup")
@login_required
def start_two_factor():
    try:
        two_factor.begin_setup(current_user)
    except AccountError as error:
        flash(str(error), "info")
    return redirect(url_for("security.two_factor_page"))


@bp.post("/account/security/two-factor/confirm")
@login_required
@code_attempts_limit
def confirm_two_factor():
    form = CodeForm(prefix="confirm")
    if form.validate_on_submit():
        try:
            codes = two_factor.confirm_setup(current_user, form.code.data)
        except AccountError as error:
            show_errors(form, error, "code")
        else:
            return _render_recovery_codes(codes)
    return _render_two_factor(confirm_form=form, status=422)


def _change_with_password_and_code(prefix: str, change, done):
    """Run `change(user, password, code)` from the two-factor page's form `prefix`, then answer `done(result)`;
    a refused form comes back on the two-factor page with its errors."""
    form = PasswordCodeForm(prefix=prefix)
    if form.validate_on_submit():
        try:
            result = change(current_user, form.password.data, form.code.data)
        except AccountError as error:
            show_errors(form, error, "code")
        else:
            return done(result)
    return _render_two_factor(**{f"{prefix}_form": form}, status=422)


def _two_factor_turned_off(_result: None):
    flash("Two-factor sign-in is off. Your password alone now signs you in.", "success")
    return redirect(url_for("security.two_factor_page"))


@bp.post("/account/security/two-factor/disable")
@login_required
@code_attempts_limit
def disable_two_factor():
    return _change_with_password_and_code("disable", two_factor.disable, _two_factor_turned_off)


@bp.post("/account/security/two-factor/recovery-codes")
@login_required
@code_attempts_limit
def replace_recovery_codes():
    return _change_with_password_and_code("codes", two_factor.replace_recovery_codes, _render_recovery_codes)


# Deleting the account.


@bp.route("/account/security/delete", methods=["GET", "POST"])
@login_required
@code_attempts_limit
def delete_account():
    form = DeleteForm()
    needs_code = two_factor.is_enabled(current_user)
    if form.validate_on_submit():
        try:
            deletion.request_deletion(current_user, form.password.data, form.code.data or "")
        except AccountError as error:
            show_errors(form, error, "password")
        else:
            return redirect(url_for("security.account_deleted"))
    return form_page("security/delete.html", form, needs_code=needs_code)


@bp.get("/account/deleted")
def account_deleted():
    return render_template("security/deleted.html")
