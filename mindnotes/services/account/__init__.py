"""Accounts: register, sign in, change password, edit profile."""

import secrets
from dataclasses import dataclass
from functools import cache

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from mindnotes.errors import UserError
from mindnotes.extensions import db
from mindnotes.models import Plan, Profile, Subscription, User
from mindnotes.models.plans import FREE
from mindnotes.services.account.security_events import record_event


class AccountError(UserError):
    """A problem the person can fix; `field` names the form field it belongs to."""


@dataclass
class ProfileChanges:
    display_name: str
    timezone: str
    daily_prompt_count: int


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def register_user(email: str, password: str, display_name: str = "", timezone: str = "UTC") -> User:
    """Create the account, its profile and its free-plan subscription in one transaction."""
    email = normalize_email(email)
    if find_user_by_email(email) is not None:
        raise AccountError("An account with this email already exists.", field="email")
    free_plan = db.session.scalar(select(Plan).where(Plan.code == FREE))
    if free_plan is None:
        raise RuntimeError("The free plan is missing: run `flask seed`.")
    user = User(email=email, display_name=display_name.strip(), timezone=timezone)
    user.set_password(password)
    user.profile = Profile()
    user.subscription = Subscription(plan=free_plan, status="active")
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError as error:
        # Two sign-ups with the same address at once: the unique index decides.
        db.session.rollback()
        raise AccountError("An account with this email already exists.", field="email") from error
    return user


@cache
def _stand_in_hash(method: str) -> str:
    """A hash of no one's password, made like real ones, for checks against addresses with no account."""
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def _password_matches(user: User | None, password: str) -> bool:
    """Whether `password` is `user`'s; for no user the same hashing is done (and fails), so the time an
    answer takes does not tell whether an account exists."""
    if user is None:
        check_password_hash(_stand_in_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return False
    return user.check_password(password)


def authenticate(email: str, password: str) -> User:
    """The active account these credentials open, or AccountError.

    A refused attempt on an existing account goes into that account's security
    log, unless the account is being erased (record_event writes nothing then).
    """
    user = find_user_by_email(email)
    password_right = _password_matches(user, password)
    if user is None or not password_right or not user.is_active:
        if user is not None:
            record_event(user.id, "sign_in_failed")
        raise AccountError("That email and password do not match an account.", field="password")
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not user.check_password(current_password):
        raise AccountError("Your current password is not right.", field="current_password")
    user.set_password(new_password)
    db.session.commit()


def update_profile(user: User, changes: ProfileChanges) -> None:
    user.display_name = changes.display_name.strip()
    user.timezone = changes.timezone
    user.profile.daily_prompt_count = changes.daily_prompt_count
    db.session.commit()


# The colour schemes a person can choose: "system" follows the device's prefers-color-scheme.
APPEARANCES = {"system": "Same as this device", "light": "Light", "dark": "Dark"}


def set_appearance(user: User, appearance: str) -> None:
    if appearance not in APPEARANCES:
        raise AccountError("Choose light, dark or the same as this device.", field="appearance")
    user.profile.appearance = appearance
    db.session.commit()


def count_users() -> int:
    return db.session.scalar(select(func.count(User.id))) or 0
