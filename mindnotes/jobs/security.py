"""Keeping the security tables small: ended sessions and spent links are removed after a while."""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, or_

from mindnotes import timeutil
from mindnotes.extensions import db
from mindnotes.models import AccountToken, UserSession

# Ended sessions stay listed in nobody's page, but are kept a while for a look back at an incident.
KEEP_ENDED = timedelta(days=30)


def prune_security_records(now: datetime | None = None) -> dict[str, int]:
    """Delete sessions ended (or idle) and links expired more than 30 days before `now`; how many of each."""
    now = now or timeutil.utcnow()
    idle_since = now - timedelta(days=current_app.config["SESSION_IDLE_DAYS"])
    sessions = db.session.execute(
        delete(UserSession).where(
            or_(UserSession.revoked_at < now - KEEP_ENDED, UserSession.last_seen_at < idle_since - KEEP_ENDED)
        )
    ).rowcount
    tokens = db.session.execute(delete(AccountToken).where(AccountToken.expires_at < now - KEEP_ENDED)).rowcount
    db.session.commit()
    return {"sessions": sessions, "tokens": tokens}
