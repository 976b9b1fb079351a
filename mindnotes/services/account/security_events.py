"""The security log of an account: what happened, when, from which address and device.

Events record only a kind, a time, the IP and the browser: never a password, token or code.
"""

from flask import has_request_context, request
from sqlalchemy import select

from mindnotes import timeutil
from mindnotes.extensions import db
from mindnotes.models import SecurityEvent

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


def record_event(user_id: int, kind: str, commit: bool = True) -> None:
    if kind not in EVENT_LABELS:
        raise ValueError(f"unknown security event {kind!r}")
    db.session.add(
        SecurityEvent(
            user_id=user_id, kind=kind, created_at=timeutil.utcnow(), ip=client_ip(), user_agent=client_agent()
        )
    )
    if commit:
        db.session.commit()


def recent_events(user_id: int, limit: int = 100) -> list[SecurityEvent]:
    query = (
        select(SecurityEvent)
        .where(SecurityEvent.user_id == user_id)
        .order_by(SecurityEvent.created_at.desc(), SecurityEvent.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))
