"""Server-side sessions: every signed-in browser is a `user_sessions` row.

The signed Flask cookie carries a random key; the row holds its SHA-256. Each
request checks the row (`enforce_server_session`), so ending a session on the
server really signs that browser out. The key changes at sign-in and at every
privilege change (`rotate_session`), so an older copy of the cookie stops working.

"Keep me signed in" is a second, long-lived cookie holding the same random key
(never something derived from SECRET_KEY): it signs in only while its session is
live, and each such sign-in gives the session a new key. Flask-Login's own
remember cookie (the user id signed with SECRET_KEY) is never honoured.
"""

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from flask import Response, current_app, g, request, session
from flask_login import login_user, logout_user
from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import contains_eager
from sqlalchemy.orm.util import identity_key

from mindnotes import timeutil
from mindnotes.extensions import db
from mindnotes.models import AccountSecurity, Subscription, User, UserSession
from mindnotes.services.account.security_events import client_agent, client_ip, record_event

SESSION_KEY = "sid"
# In the Flask session: this browser asked to stay signed in, so its remember cookie follows every new key.
REMEMBER_KEY = "remember"
# Writing last_seen_at on every request would make each page view a write.
LAST_SEEN_PRECISION = timedelta(minutes=1)

_BROWSERS = [
    ("Edge", r"Edg(e|A|iOS)?/"),
    ("Opera", r"OPR/|Opera"),
    ("Samsung Internet", r"SamsungBrowser/"),
    ("Firefox", r"Firefox/|FxiOS/"),
    ("Chrome", r"Chrome/|CriOS/|Chromium/"),
    ("Safari", r"Safari/"),
]
_SYSTEMS = [
    ("iPhone", r"iPhone"),
    ("iPad", r"iPad"),
    ("Android", r"Android"),
    ("Windows", r"Windows"),
    ("macOS", r"Mac OS X|Macintosh"),
    ("ChromeOS", r"CrOS"),
    ("Linux", r"Linux"),
]


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def describe_device(user_agent: str) -> str:
    """ "Firefox on Linux" from a User-Agent header; "Unknown device" when it tells nothing."""
    browser = next((name for name, pattern in _BROWSERS if re.search(pattern, user_agent)), None)
    system = next((name for name, pattern in _SYSTEMS if re.search(pattern, user_agent)), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown device"


def _idle_limit(now: datetime) -> datetime:
    return now - timedelta(days=current_app.config["SESSION_IDLE_DAYS"])


def start_session(user: User) -> UserSession:
    """A new server session for `user`, its key put into the (already cleared) Flask session."""
    key = secrets.token_urlsafe(32)
    now = timeutil.utcnow()
    record = UserSession(
        user_id=user.id,
        key_hash=_hash(key),
        created_at=now,
        last_seen_at=now,
        ip=client_ip(),
        user_agent=client_agent(),
    )
    db.session.add(record)
    db.session.commit()
    session[SESSION_KEY] = key
    return record


def sign_in(user: User, remember: bool = False) -> None:
    """A fresh cookie and a fresh server session, and the sign-in in the security log;
    with `remember`, a cookie that signs this browser in again after it was closed."""
    session.clear()
    login_user(user)
    start_session(user)
    if remember:
        session[REMEMBER_KEY] = True
        g.remember_cookie = "set"
    record_event(user.id, "signed_in")


def sign_out() -> None:
    record = current_session()
    if record is not None and record.revoked_at is None:
        record.revoked_at = timeutil.utcnow()
        record_event(record.user_id, "signed_out")
    logout_user()
    session.clear()
    if _remember_cookie_name() in request.cookies:
        g.remember_cookie = "clear"


def current_session() -> UserSession | None:
    key = session.get(SESSION_KEY)
    if not isinstance(key, str) or not key:
        return None
    return db.session.scalar(select(UserSession).where(UserSession.key_hash == _hash(key)))


def rotate_session(user: User) -> None:
    """Give this browser a new key after a privilege change; the previous cookie no longer signs in."""
    record = current_session()
    if record is None or record.user_id != user.id:
        start_session(user)
        return
    key = secrets.token_urlsafe(32)
    record.key_hash = _hash(key)
    db.session.commit()
    session[SESSION_KEY] = key
    if session.get(REMEMBER_KEY):
        g.remember_cookie = "set"


def _live_session(key: object, now: datetime) -> tuple[UserSession, User] | None:
    """The session `key` names and its account, when the session is neither ended nor idle and the account active.

    One statement reads the session with the account, its profile, plan and security row: the request
    keeps them (`g.signed_in`), so Flask-Login's user loader, `plan_for`, `current_user.profile` and the
    verification reminder find them in the identity map instead of asking PostgreSQL again.
    """
    if not isinstance(key, str) or not key:
        return None
    statement = (
        select(UserSession, User, AccountSecurity)
        .join(User, User.id == UserSession.user_id)
        .outerjoin(User.profile)
        .outerjoin(User.subscription)
        .outerjoin(Subscription.plan)
        .outerjoin(AccountSecurity, AccountSecurity.user_id == User.id)
        .options(contains_eager(User.profile), contains_eager(User.subscription).contains_eager(Subscription.plan))
        .where(UserSession.key_hash == _hash(key))
    )
    try:
        row = db.session.execute(statement).first()
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
        # The request's first statement found its pooled connection dropped (PostgreSQL restarted): the pool
        # has let go of it, so once more on a new connection (in place of a ping before every checkout).
        db.session.rollback()
        row = db.session.execute(statement).first()
    if row is None:
        return None
    record, user = row.UserSession, row.User
    if record.revoked_at is not None or record.last_seen_at < _idle_limit(now) or not user.is_active:
        return None
    # The identity map holds objects weakly: kept for the request, they are not asked for twice.
    g.signed_in = row
    return record, user


def has_no_security_row(user_id: int) -> bool:
    """Whether this request's account read found no `account_security` row for the signed-in `user_id`
    and none was made since: then the account is unverified, without another statement."""
    signed_in = g.get("signed_in")
    if signed_in is None or signed_in.User.id != user_id or signed_in.AccountSecurity is not None:
        return False
    made = db.session.identity_map.get(identity_key(AccountSecurity, user_id)) is not None or any(
        isinstance(thing, AccountSecurity) and thing.user_id == user_id for thing in db.session.new
    )
    return not made


def _remember_cookie_name() -> str:
    return current_app.config["REMEMBER_COOKIE_NAME"]


def _sign_in_from_remember_cookie(key: str, now: datetime) -> bool:
    """Sign this browser in from its remember cookie when that names a live session; the session gets a new key."""
    live = _live_session(key, now)
    if live is None:
        return False
    record, user = live
    new_key = secrets.token_urlsafe(32)
    # Only one of two requests racing with the same cookie gets the new key; the other is refused.
    rotated = db.session.execute(
        update(UserSession)
        .where(UserSession.id == record.id, UserSession.key_hash == _hash(key))
        .values(key_hash=_hash(new_key), last_seen_at=now)
    ).rowcount
    db.session.commit()
    if not rotated:
        return False
    session.clear()
    login_user(user, fresh=False)
    session[SESSION_KEY] = new_key
    session[REMEMBER_KEY] = True
    g.remember_cookie = "set"
    return True


def enforce_server_session() -> None:
    """Before each request: a signed-in cookie must name a live session of an active account,
    and a remember cookie signs in only through such a session."""
    # Flask-Login caches the user on `g`; when an app context outlives one request
    # (tests, CLI-driven clients) that cache must not carry one browser's user into another's request.
    g.pop("_login_user", None)
    g.pop("remember_cookie", None)
    g.pop("signed_in", None)
    if request.endpoint == "static":
        return
    now = timeutil.utcnow()
    if "_user_id" in session:
        live = _live_session(session.get(SESSION_KEY), now)
        if live is not None and str(live[0].user_id) == str(session.get("_user_id")):
            _touch(live[0], now)
            return
        logout_user()
        session.clear()
    remembered = request.cookies.get(_remember_cookie_name())
    if remembered is not None:
        if _sign_in_from_remember_cookie(remembered, now):
            return
        g.remember_cookie = "clear"
    # Signed out for this request: Flask-Login must not fall back on its own remember cookie.
    g._login_user = current_app.login_manager.anonymous_user()


def _touch(record: UserSession, now: datetime) -> None:
    if now - record.last_seen_at >= LAST_SEEN_PRECISION:
        record.last_seen_at = now
        db.session.commit()


def update_remember_cookie(response: Response) -> Response:
    """After each request: write the remember cookie with the session's new key, or remove it."""
    action = g.pop("remember_cookie", None)
    config = current_app.config
    if action == "set" and isinstance(session.get(SESSION_KEY), str):
        response.set_cookie(
            _remember_cookie_name(),
            session[SESSION_KEY],
            max_age=config["REMEMBER_COOKIE_DURATION"],
            secure=config["REMEMBER_COOKIE_SECURE"],
            httponly=True,
            samesite=config["REMEMBER_COOKIE_SAMESITE"],
        )
    elif action == "clear":
        response.delete_cookie(
            _remember_cookie_name(),
            secure=config["REMEMBER_COOKIE_SECURE"],
            httponly=True,
            samesite=config["REMEMBER_COOKIE_SAMESITE"],
        )
    return response


def active_sessions(user_id: int, now: datetime | None = None) -> list[UserSession]:
    now = now or timeutil.utcnow()
    query = (
        select(UserSession)
        .where(
            UserSession.user_id == user_id,
            UserSession.revoked_at.is_(None),
            UserSession.last_seen_at >= _idle_limit(now),
        )
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    )
    return list(db.session.scalars(query))


def end_session(user_id: int, session_id: int) -> bool:
    """End one of the person's own sessions; False when there is no such live session of theirs."""
    record = db.session.scalar(
        select(UserSession).where(
            UserSession.id == session_id, UserSession.user_id == user_id, UserSession.revoked_at.is_(None)
        )
    )
    if record is None:
        return False
    record.revoked_at = timeutil.utcnow()
    record_event(user_id, "session_ended")
    return True


def end_other_sessions(user_id: int) -> int:
    """End every session of the person except this browser's; returns how many ended."""
    current = current_session()
    count = end_all_sessions(user_id, keep_id=current.id if current is not None else None, commit=False)
    record_event(user_id, "other_sessions_ended")
    return count


def end_all_sessions(user_id: int, keep_id: int | None = None, commit: bool = True) -> int:
    statement = (
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=timeutil.utcnow())
    )
    if keep_id is not None:
        statement = statement.where(UserSession.id != keep_id)
    count = db.session.execute(statement).rowcount
    if commit:
        db.session.commit()
    return count
