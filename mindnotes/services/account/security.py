"""Links sent by mail (password reset, email verification) and the account changes around them.

A link's token is random; only its SHA-256 is stored, with the purpose, the
address it was sent to, an expiry and when it was used. A used, expired,
replaced or altered token raises `LinkProblem`, which the page explains.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app, render_template
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from mindnotes import timeutil
from mindnotes.errors import UserError
from mindnotes.extensions import db
from mindnotes.models import AccountSecurity, AccountToken, User
from mindnotes.models.security import RESET, VERIFY
from mindnotes.services import account as accounts
from mindnotes.services.account import AccountError
from mindnotes.services.account import login_sessions as sessions
from mindnotes.services.account.mail import external_url, send_mail
from mindnotes.services.account.security_events import record_event
from mindnotes.services.account.two_factor import account_security

# Longer than any token we make; anything bigger is not ours.
MAX_TOKEN_LENGTH = 128


class LinkProblem(UserError):
    """A mailed link that cannot be used: 400 when it was never valid, 410 when it is used up or expired."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message, status=status)
        self.title = title


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _retire_tokens(user_id: int, purpose: str, now: datetime) -> None:
    db.session.execute(
        update(AccountToken)
        .where(AccountToken.user_id == user_id, AccountToken.purpose == purpose, AccountToken.used_at.is_(None))
        .values(used_at=now)
    )


def _issue_token(user: User, purpose: str, lifetime: timedelta, now: datetime) -> str:
    """A new link token; an older unused link for the same purpose stops working."""
    _retire_tokens(user.id, purpose, now)
    token = secrets.token_urlsafe(32)
    db.session.add(
        AccountToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=_hash_token(token),
            email=user.email,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    return token


def check_link(token: str, purpose: str, now: datetime | None = None) -> AccountToken:
    """The stored token for a link, or LinkProblem saying why it cannot be used."""
    now = now or timeutil.utcnow()
    row = None
    if token and len(token) <= MAX_TOKEN_LENGTH:
        row = db.session.scalar(
            select(AccountToken).where(AccountToken.token_hash == _hash_token(token), AccountToken.purpose == purpose)
        )
    user = db.session.get(User, row.user_id) if row is not None else None
    if row is None or user is None or not user.is_active:
        raise LinkProblem(
            400,
            "This link is not valid",
            "The link is incomplete or was changed. Copy the whole link from the message, or ask for a new one.",
        )
    if row.used_at is not None:
        raise LinkProblem(
            410, "This link was already used", "Each link works once, and a newer link replaces an older one."
        )
    if row.expires_at <= now:
        raise LinkProblem(410, "This link has expired", "For your safety, links stop working after a while.")
    if row.email != user.email:
        raise LinkProblem(
            410, "This link is out of date", "It was sent to an address that is no longer on the account."
        )
    return row


def _use_link(row: AccountToken, now: datetime) -> None:
    """Mark the token used; a second request racing with the same link gets a 410."""
    used = db.session.execute(
        update(AccountToken).where(AccountToken.id == row.id, AccountToken.used_at.is_(None)).values(used_at=now)
    ).rowcount
    if not used:
        db.session.rollback()
        raise LinkProblem(410, "This link was already used", "Each link works once.")


def request_password_reset(email: str, now: datetime | None = None) -> None:
    """Mail a reset link when the address has an account; the caller answers the same either way.

    For an address without an active account the same queries run and the same
    message is written (and not sent), so the time the answer takes tells nothing either.
    """
    now = now or timeutil.utcnow()
    user = accounts.find_user_by_email(email)
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    if user is None or not user.is_active:
        _retire_tokens(0, RESET, now)  # no account has id 0: the statement changes nothing
        db.session.commit()
        stand_in = User(email=accounts.normalize_email(email))
        link = external_url("security.reset_password", token=secrets.token_urlsafe(32))
        render_template("security/mail/reset_password.txt", user=stand_in, link=link, minutes=minutes)
        return
    token = _issue_token(user, RESET, timedelta(minutes=minutes), now)
    record_event(user.id, "password_reset_requested", commit=False)
    db.session.commit()
    link = external_url("security.reset_password", token=token)
    body = render_template("security/mail/reset_password.txt", user=user, link=link, minutes=minutes)
    send_mail(user.email, "Reset your MindNotes password", body, link)


def reset_password(token: str, new_password: str, now: datetime | None = None) -> User:
    """Set a new password from a reset link; every session of the account ends."""
    now = now or timeutil.utcnow()
    row = check_link(token, RESET, now)
    _use_link(row, now)
    user = db.session.get(User, row.user_id)
    user.set_password(new_password)
    # The person read mail sent to this address, so it is theirs.
    security = account_security(user.id)
    security.email_verified_at = security.email_verified_at or now
    sessions.end_all_sessions(user.id, commit=False)
    record_event(user.id, "password_reset", commit=False)
    db.session.commit()
    return user


def send_verification(user: User, now: datetime | None = None) -> None:
    now = now or timeutil.utcnow()
    hours = current_app.config["EMAIL_VERIFICATION_HOURS"]
    token = _issue_token(user, VERIFY, timedelta(hours=hours), now)
    db.session.commit()
    link = external_url("security.verify_email", token=token)
    body = render_template("security/mail/verify_email.txt", user=user, link=link, hours=hours)
    send_mail(user.email, "Confirm your email address for MindNotes", body, link)


def verify_email(token: str, now: datetime | None = None) -> User:
    now = now or timeutil.utcnow()
    row = check_link(token, VERIFY, now)
    _use_link(row, now)
    account_security(row.user_id).email_verified_at = now
    record_event(row.user_id, "email_verified", commit=False)
    db.session.commit()
    return db.session.get(User, row.user_id)


def is_email_verified(user_id: int) -> bool:
    if sessions.has_no_security_row(user_id):
        return False
    record = db.session.get(AccountSecurity, user_id)
    return record is not None and record.email_verified_at is not None


def change_password(user: User, current_password: str, new_password: str) -> None:
    """A new password ends every other session and gives this browser a new session id."""
    accounts.change_password(user, current_password, new_password)
    current = sessions.current_session()
    sessions.end_all_sessions(user.id, keep_id=current.id if current is not None else None, commit=False)
    record_event(user.id, "password_changed")
    sessions.rotate_session(user)


def change_email(user: User, new_email: str, password: str) -> None:
    """Move the account to a new address (unverified until its link is followed); the old one is told."""
    if not user.check_password(password or ""):
        raise AccountError("Your password is not right.", field="password")
    new_email = accounts.normalize_email(new_email)
    if new_email == user.email:
        raise AccountError("That is already your address.", field="email")
    if accounts.find_user_by_email(new_email) is not None:
        raise AccountError("An account with this email already exists.", field="email")
    old_email = user.email
    user.email = new_email
    account_security(user.id).email_verified_at = None
    record_event(user.id, "email_changed", commit=False)
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise AccountError("An account with this email already exists.", field="email") from error
    sessions.rotate_session(user)
    send_verification(user)
    body = render_template("security/mail/email_changed.txt", user=user, new_email=new_email)
    send_mail(old_email, "Your MindNotes email address was changed", body)
