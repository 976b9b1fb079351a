"""Request-wide behaviour: security headers, error pages, login loading, the local-time filter,
the `<id:...>` route converter and the form-only request bodies."""

from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from flask import Flask, abort, current_app, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from markupsafe import Markup
from pymongo.errors import ConnectionFailure
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from mindnotes.errors import NotFound, UserError
from mindnotes.extensions import db, login_manager
from mindnotes.htmx import is_htmx_request, render_page_or_partial
from mindnotes.inputs import IdConverter, parse_id, same_site_path
from mindnotes.models import User
from mindnotes.timeutil import zone

T = TypeVar("T")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

ERROR_MESSAGES = {
    400: ("Bad request", "The request could not be understood. Please go back and try again."),
    403: ("Not allowed", "You do not have access to this page."),
    404: ("Not found", "There is nothing here, or it is not yours to see."),
    405: ("Not allowed", "That action is not available here."),
    409: ("Conflict", "That change clashes with the current state. Reload and try again."),
    413: ("Too large", "That upload is larger than we accept. Please choose a smaller file."),
    415: ("Not a form", "This address takes a form, sent as a web page sends it."),
    422: ("Check your input", "Some of what you sent could not be used."),
    429: ("Slow down", "Too many attempts in a short time. Please wait a minute and try again."),
    500: ("Something went wrong", "Your data is safe. Please try again in a moment."),
    503: ("Unavailable", "MindNotes cannot reach one of its stores right now. Please try again soon."),
}


# A store that cannot be reached: the page says so with a 503 instead of a 500. pymongo's
# ConnectionFailure covers AutoReconnect, NetworkTimeout and ServerSelectionTimeoutError.
STORE_UNREACHABLE = (
    ConnectionFailure,
    OperationalError,
    InterfaceError,
    DisconnectionError,
    RedisConnectionError,
    RedisTimeoutError,
)
RETRY_AFTER_SECONDS = 30


# Bodies a form reads; anything else (JSON above all: Flask-WTF would hand its numbers,
# booleans and objects to code that expects text) is refused with a 415.
FORM_BODIES = {"", "application/x-www-form-urlencoded", "multipart/form-data"}
# Endpoints that are not forms: the payment provider posts JSON events.
NOT_FORMS = {"billing.stripe_webhook"}


# The main navigation, in order; an area shows once its blueprint is registered.
# (endpoint, label, the phone tab bar's icon or None: behind "More").
NAVIGATION = [
    ("main.home", "Today", "house"),
    ("journal.index", "Journal", "notebook-pen"),
    ("mood.index", "Mood", "smile"),
    ("focus.index", "Focus", "timer"),
    ("prompts.today", "Prompts", None),
    ("insights.calendar", "Calendar", None),
    ("insights.index", "Insights", None),
    ("billing.index", "Billing", None),
    ("account.index", "Account", None),
]
CURRENT_PAGE = Markup(' aria-current="page"')


@dataclass(frozen=True)
class NavLink:
    url: str
    label: str
    icon: str | None
    current: Markup | str  # ` aria-current="page"` on the link to the area being shown


def navigation() -> list[NavLink]:
    """The site's places (the installed areas only) for the header and the tab bar, made once per page.

    A link is current on every page of its area (blueprint); the insights area holds two places,
    so there the endpoint decides."""
    links = []
    for endpoint, label, icon in NAVIGATION:
        if endpoint not in current_app.view_functions:
            continue
        if request.blueprint == "insights":
            here = bool(request.endpoint and request.endpoint.startswith(endpoint))
        else:
            here = request.blueprint == endpoint.split(".")[0]
        links.append(NavLink(url_for(endpoint), label, icon, CURRENT_PAGE if here else ""))
    return links


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    found = parse_id(user_id)
    return db.session.get(User, found) if found is not None else None


def render_error(status: int, message: str | None = None):
    title, default_message = ERROR_MESSAGES.get(status, ERROR_MESSAGES[500])
    template = "errors/_error.html" if is_htmx_request() else "errors/error.html"
    return render_template(template, status=status, title=title, message=message or default_message), status


def render_outage():
    """The "can't reach its storage" answer, made without touching any store: its templates
    stand alone (no current_user, no navigation, only links to static files), so it works
    with PostgreSQL down too."""
    template = "errors/_outage.html" if is_htmx_request() else "errors/outage.html"
    # Straight from the Jinja environment: render_template would run the context processors,
    # and Flask-Login's loads current_user from PostgreSQL.
    page = current_app.jinja_env.get_template(template).render()
    response = current_app.make_response((page, 503))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def rollback_session() -> None:
    """Give the request's database session back clean; with PostgreSQL gone even the rollback
    fails, and the pool drops that connection by itself."""
    with suppress(SQLAlchemyError):
        db.session.rollback()


def show_errors(form, error: UserError, default_field: str | None = None) -> None:
    """Put each message of `error` beside its field of `form` (a WTForms form or
    any object whose fields carry an `errors` list), keeping earlier messages."""
    messages = error.errors or {error.field or default_field: error.message}
    for name, message in messages.items():
        target = getattr(form, name or "", None) or getattr(form, default_field or "", None)
        if target is None:
            continue
        target.errors = [*target.errors, message]


def confirm_page(title: str, message: str, action: str, button: str, cancel: str):
    """The "are you sure?" before something that cannot be undone: a page of its own (the link's target without
    JavaScript), or for htmx the content of base.html's dialog. Only the form it holds POSTs to `action`."""
    question = {"title": title, "message": message, "action": action, "button": button, "cancel": cancel}
    return render_page_or_partial("main/confirm.html", "main/_confirm.html", **question)


def found_or_404(thing: T | None) -> T:
    """`thing`, or the 404 page when it is None (missing, or not this person's to see)."""
    if thing is None:
        raise NotFound()
    return thing


def local_time(moment: datetime | str | None, fmt: str = "%d %b %Y, %H:%M") -> str:
    """A stored UTC moment as the signed-in person reads it, in their zone (UTC for
    a visitor); the template filter `local_time`. A naive moment is UTC; a moment
    the store handed back as text is shown as it is."""
    if not moment or isinstance(moment, str):
        return moment or ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    name = current_user.timezone if current_user.is_authenticated else "UTC"
    return moment.astimezone(zone(name)).strftime(fmt)


def safe_next(target: str | None, default: str) -> str:
    """`target` when it is a path on this site, else `default`: never an open redirect
    (`inputs.same_site_path` says what counts as one)."""
    return same_site_path(target) or default


def refuse_non_form_body() -> None:
    """A write to a form route carries a form (urlencoded or multipart), or nothing: else 415."""
    if request.method in {"GET", "HEAD", "OPTIONS"} or request.endpoint in {None, *NOT_FORMS}:
        return
    if request.mimetype not in FORM_BODIES:
        abort(415)


def init_app(app: Flask) -> None:
    """Before the blueprints: their `<id:...>` rules need the converter when they are added."""
    app.url_map.converters["id"] = IdConverter
    app.before_request(refuse_non_form_body)
    app.add_template_filter(local_time)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"

    app.add_template_global(navigation)

    @app.after_request
    def set_security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        response.vary.add("HX-Request")
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, "Your form expired or was sent without its security token. Reload and try again.")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        return render_error(error.code, error.description if error.code in {409, 422} else None)

    @app.errorhandler(UserError)
    def user_error(error: UserError):
        return render_error(error.status, error.message or None)

    @app.errorhandler(500)
    def server_error(error):
        rollback_session()
        return render_error(500)

    def store_unreachable(error: Exception):
        current_app.logger.warning("A store is unreachable (%s): answering 503", type(error).__name__, exc_info=error)
        rollback_session()
        return render_outage()

    for kind in STORE_UNREACHABLE:
        app.register_error_handler(kind, store_unreachable)
