"""The security log of an account: what happened, when, from which address and device.

Events record only a kind, a time, the IP and the browser: never a password, token or code.
An account being erased (or gone) gets no new event: the check is part of the INSERT itself,
so a sign-in attempt racing the erasure cannot leave a row behind.
"""

from typing import cast

from flask import has_request_context, request
from sqlalchemy import CursorResult, exists, insert, literal, select

from mindnotes import timeutil
from mindnotes.extensions import db
from mindnotes.models import AccountSecurity, SecurityEvent, User

EVENT_LABELS = {
    "signed_in": "Signed in",
    "sign_in_failed": "Failed sign-in (wrong password)",
    "two_factor_failed": "Failed sign-in (wrong two-factor code)",
    "recovery_code_used": "Signed in with a recovery code",
    "signed_out": "Signed out",
    "password_changed": "Password changed",
    "password_reset_requested": "Password reset link sent",
    "password_reset": "Password reset by email link",
    "email_verified": "Email address verified",
    "email_changed": "Email address changed",
    "two_factor_enabled": "Two-factor sign-in turned on",
    "two_factor_disabled": "Two-factor sign-in turned off",
    "recovery_codes_replaced": "New recovery codes made",
    "session_ended": "A session was ended",
    "other_sessions_ended": "All other sessions were ended",
    "deletion_requested": "Account deletion requested",
}


def client_ip() -> str:
    return (request.remote_addr or "")[:45] if has_request_context() else ""


def client_agent() -> str:
    return request.user_agent.string[:255] if has_request_context() else ""


def record_event(user_id: int, kind: str, commit: bool = True) -> bool:
    """Log `kind` for the account; False (nothing written) when it is being erased or gone."""
    if kind not in EVENT_LABELS:
        raise ValueError(f"unknown security event {kind!r}")
    events = SecurityEvent.__table__
    deletion_pending = exists().where(
        AccountSecurity.user_id == user_id, AccountSecurity.deletion_requested_at.is_not(None)
    )
    row = select(
        User.id,
        literal(kind, events.c.kind.type),
        literal(timeutil.utcnow(), events.c.created_at.type),
        literal(client_ip(), events.c.ip.type),
        literal(client_agent(), events.c.user_agent.type),
    ).where(User.id == user_id, User.is_active.is_(True), ~deletion_pending)
    result = db.session.execute(insert(events).from_select(["user_id", "kind", "created_at", "ip", "user_agent"], row))
    written = cast(CursorResult, result).rowcount
    if commit:
        db.session.commit()
    return written == 1


def recent_events(user_id: int, limit: int = 100) -> list[SecurityEvent]:
    query = (
        select(SecurityEvent)
        .where(SecurityEvent.user_id == user_id)
        .order_by(SecurityEvent.created_at.desc(), SecurityEvent.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))
