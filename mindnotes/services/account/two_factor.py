"""Two-factor sign-in: TOTP codes from an authenticator app, and single-use recovery codes.

A TOTP code is accepted once (the last accepted time step is kept), recovery
codes are stored as SHA-256 hashes and used up by a conditional update, so two
requests racing with the same code cannot both pass.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
import segno
from flask import current_app, session
from sqlalchemy import delete, func, or_, select, update

from mindnotes import timeutil
from mindnotes.extensions import db
from mindnotes.models import AccountSecurity, RecoveryCode, User
from mindnotes.services.account import AccountError
from mindnotes.services.account import login_sessions as sessions
from mindnotes.services.account.security_events import record_event

ISSUER = "MindNotes"
RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: codes are read off paper.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
PENDING_KEY = "two_factor_pending"


@dataclass
class Setup:
    secret: str
    uri: str
    qr_data_uri: str

    @property
    def grouped_secret(self) -> str:
        return " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))


def account_security(user_id: int) -> AccountSecurity:
    """The person's security row, made (not yet committed) when missing."""
    record = db.session.get(AccountSecurity, user_id)
    if record is None:
        record = AccountSecurity(user_id=user_id)
        db.session.add(record)
    return record


def is_enabled(user: User) -> bool:
    record = db.session.get(AccountSecurity, user.id)
    return record is not None and record.totp_enabled_at is not None


def _setup_for(user: User, secret: str) -> Setup:
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    qr = segno.make(uri, error="m")
    return Setup(secret=secret, uri=uri, qr_data_uri=qr.svg_data_uri(scale=5, dark="#1b1b1b"))


def begin_setup(user: User) -> Setup:
    """A secret waiting to be confirmed with a first code; the same one until then, so a reload keeps the QR."""
    record = account_security(user.id)
    if record.totp_enabled_at is not None:
        raise AccountError("Two-factor sign-in is already on.")
    if not record.totp_secret:
        record.totp_secret = pyotp.random_base32()
    db.session.commit()
    return _setup_for(user, record.totp_secret)


def pending_setup(user: User) -> Setup | None:
    record = db.session.get(AccountSecurity, user.id)
    if record is None or record.totp_enabled_at is not None or not record.totp_secret:
        return None
    return _setup_for(user, record.totp_secret)


def _matching_counter(secret: str, code: str, now: datetime) -> int | None:
    """The time step `code` belongs to (now, or one step either side for clock drift), else None."""
    code = re.sub(r"\s", "", code or "")
    if not re.fullmatch(r"\d{6}", code):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for offset in (0, -1, 1):
        if hmac.compare_digest(totp.at(now, counter_offset=offset), code):
            return current + offset
    return None


def _hash_recovery_code(code: str) -> str:
    return hashlib.sha256(re.sub(r"[^a-z0-9]", "", code.lower()).encode()).hexdigest()


def _new_recovery_code() -> str:
    letters = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
    return f"{letters[:5]}-{letters[5:]}"


def _replace_recovery_codes(user_id: int) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(user_id=user_id, code_hash=_hash_recovery_code(code)) for code in codes)
    return codes


def confirm_setup(user: User, code: str, now: datetime | None = None) -> list[str]:
    """Turn two-factor on with a first code; returns the recovery codes (shown once, never stored in clear)."""
    now = now or timeutil.utcnow()
    record = account_security(user.id)
    if record.totp_enabled_at is not None:
        raise AccountError("Two-factor sign-in is already on.")
    if not record.totp_secret:
        raise AccountError("Start the set-up again: there is no key waiting to be confirmed.", field="code")
    counter = _matching_counter(record.totp_secret, code, now)
    if counter is None:
        raise AccountError("That code is not right. Check that your phone's clock is correct and try again.", "code")
    record.totp_enabled_at = now
    record.totp_last_counter = counter
    codes = _replace_recovery_codes(user.id)
    record_event(user.id, "two_factor_enabled", commit=False)
    db.session.commit()
    sessions.rotate_session(user)
    return codes


def use_second_factor(user: User, code: str, now: datetime | None = None) -> str | None:
    """Check and use up a code: "totp" or "recovery" when accepted, None when refused."""
    now = now or timeutil.utcnow()
    record = db.session.get(AccountSecurity, user.id)
    if record is None or record.totp_enabled_at is None or not record.totp_secret:
        return None
    counter = _matching_counter(record.totp_secret, code, now)
    if counter is not None:
        accepted = db.session.execute(
            update(AccountSecurity)
            .where(
                AccountSecurity.user_id == user.id,
                or_(AccountSecurity.totp_last_counter.is_(None), AccountSecurity.totp_last_counter < counter),
            )
            .values(totp_last_counter=counter)
        ).rowcount
        db.session.commit()
        return "totp" if accepted else None
    used = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash_recovery_code(code or ""),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=now)
    ).rowcount
    db.session.commit()
    return "recovery" if used else None


def remaining_recovery_codes(user_id: int) -> int:
    query = select(func.count(RecoveryCode.id)).where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
    return db.session.scalar(query) or 0


def _require_password_and_code(user: User, password: str, code: str) -> None:
    if not user.check_password(password or ""):
        raise AccountError("Your password is not right.", field="password")
    if use_second_factor(user, code) is None:
        raise AccountError("That code is not right, or was already used.", field="code")


def disable(user: User, password: str, code: str) -> None:
    """Turn two-factor off: needs the password and a current code (or a recovery code)."""
    if not is_enabled(user):
        raise AccountError("Two-factor sign-in is already off.")
    _require_password_and_code(user, password, code)
    record = account_security(user.id)
    record.totp_secret = None
    record.totp_enabled_at = None
    record.totp_last_counter = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    record_event(user.id, "two_factor_disabled", commit=False)
    db.session.commit()
    sessions.rotate_session(user)


def replace_recovery_codes(user: User, password: str, code: str) -> list[str]:
    """A new set of 10 codes (the old ones stop working); needs the password and a code."""
    if not is_enabled(user):
        raise AccountError("Turn on two-factor sign-in first.")
    _require_password_and_code(user, password, code)
    codes = _replace_recovery_codes(user.id)
    record_event(user.id, "recovery_codes_replaced", commit=False)
    db.session.commit()
    return codes


def begin_login(user: User, next_url: str, remember: bool = False) -> None:
    """The password was right: remember who is half signed in until they give a code."""
    session.clear()
    session[PENDING_KEY] = {
        "user_id": user.id,
        "next": next_url,
        "since": timeutil.utcnow().timestamp(),
        "remember": bool(remember),
    }


def pending_login_user() -> User | None:
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    waited = timeutil.utcnow().timestamp() - float(pending.get("since", 0))
    if waited > timedelta(minutes=current_app.config["TWO_FACTOR_LOGIN_MINUTES"]).total_seconds():
        session.pop(PENDING_KEY, None)
        return None
    user = db.session.get(User, pending.get("user_id"))
    return user if user is not None and user.is_active else None


def finish_login(user: User, code: str) -> str:
    """Sign in with the second factor; returns where to go next. Raises AccountError for a wrong code."""
    method = use_second_factor(user, code)
    if method is None:
        record_event(user.id, "two_factor_failed")
        raise AccountError("That code is not right, or was already used.", field="code")
    pending = session.get(PENDING_KEY, {})
    next_url = pending.get("next") or "/home"
    sessions.sign_in(user, remember=bool(pending.get("remember")))
    if method == "recovery":
        record_event(user.id, "recovery_code_used")
    return next_url
