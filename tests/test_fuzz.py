"""Property-based fuzzing of every route: whatever a person or a stranger sends, the
answer is never a 500, a JSON body to a form is a 415, and no redirect leaves the site.

Every route of `app.url_map` is listed in ROUTES (a test checks the list stays
complete) with the query-string filters it reads (GET) or form fields the pages do
not show (POST). The form fields shown on the pages are read from the pages
themselves. Hypothesis then sends each route hostile route parameters (huge,
negative, Unicode digits, another person's ids), query strings and form bodies,
as a signed-in person with some of everything (and, for the public routes, as a
visitor). CSRF is off in the test config, so every form reaches its view.
"""

import re
from collections import Counter
from datetime import datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import quote, unquote, urlencode, urlsplit

import pytest
from bson import ObjectId
from flask import session as session_cookie
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from mindnotes import create_app, timeutil
from mindnotes.extensions import db, mongo
from mindnotes.models import Payment, UserSession
from mindnotes.services import journal
from mindnotes.services.account.login_sessions import SESSION_KEY, start_session
from mindnotes.services.exports import ExportChoice, request_export
from mindnotes.services.focus import programs as focus_programs
from tests.conftest import _empty_stores
from tests.exports.helpers import add_photo, make_tag
from tests.factories import (
    UserFactory,
    make_draft,
    make_entry,
    make_focus_session,
    make_mood,
    make_prompt_set,
)

# Examples per route that reads input (route parameters, a query string or a form);
# a route that reads none gets a few, with junk query strings. About 2,300 requests.
EXAMPLES_PER_ROUTE = 25
EXAMPLES_WITHOUT_INPUT = 3
# Routes that end the session the test client holds: it signs in again before each example.
SIGN_OUT = {"auth.logout", "security.end_session", "security.end_other_sessions", "security.delete_account"}

# Each route: for GET, the query-string filters it reads; for POST, form fields
# that no page shows while the fuzz person is signed in (more come from the pages).
ROUTES: dict[str, tuple[str, ...]] = {
    "static": (),
    "health.healthz": (),
    "health.readyz": (),
    "main.index": (),
    "main.home": (),
    "auth.register": ("email", "password", "confirm", "display_name", "timezone", "next"),
    "auth.login": ("email", "password", "next"),
    "auth.two_factor_login": ("code",),
    "auth.logout": (),
    "account.index": (),
    "account.update_profile": ("profile-display_name", "profile-timezone", "profile-daily_prompt_count"),
    "account.update_appearance": ("appearance-appearance",),
    "account.change_password": ("password-current_password", "password-new_password", "password-confirm"),
    "security.index": (),
    "security.account_deleted": (),
    "security.delete_account": ("password", "code"),
    "security.change_email": ("email", "password"),
    "security.events": ("after", "before", "page"),
    "security.list_sessions": (),
    "security.end_session": (),
    "security.end_other_sessions": (),
    "security.two_factor_page": (),
    "security.start_two_factor": (),
    "security.confirm_two_factor": ("confirm-code",),
    "security.disable_two_factor": ("disable-password", "disable-code"),
    "security.replace_recovery_codes": ("codes-password", "codes-code"),
    "security.resend_verification": (),
    "security.hide_verification_notice": ("next",),
    "security.request_reset": ("email",),
    "security.reset_sent": (),
    "security.reset_password": ("password", "confirm"),
    "security.verify_email": (),
    "exports.index": (),
    "exports.create": ("format", "scope", "date_from", "date_to"),
    "exports.status": (),
    "exports.download": (),
    "exports.import_archive": ("source", "archive"),
    "exports.import_status": (),
    "exports.confirm_import": ("update", "mood-0-category", "mood-0-score"),
    "billing.index": (),
    "billing.plans": (),
    "billing.start_trial": (),
    "billing.checkout": ("plan", "interval"),
    "billing.checkout_done": ("session_id",),
    "billing.cancel": (),
    "billing.resume": (),
    "billing.receipt": (),
    "billing.stripe_webhook": (),
    "billing.admin_report": ("month",),
    "insights.index": (),
    "insights.calendar": (),
    "insights.calendar_month": (),
    "insights.calendar_day": (),
    "insights.patterns": (),
    "insights.weekly": (),
    "insights.weekly_review": (),
    "insights.weekly_mail": ("mail",),
    "focus.index": ("program",),
    "focus.programs": (),
    "focus.enroll": (),
    "focus.enrollment": (),
    "focus.tick_task": (),
    "focus.start": ("session_type", "custom_minutes", "task", "tag_ids", "enrollment_id"),
    "focus.show": (),
    "focus.pause": (),
    "focus.resume": (),
    "focus.heartbeat": ("elapsed", "revision"),
    "focus.distraction": ("note",),
    "focus.complete": ("rating", "notes"),
    "focus.abandon": (),
    "focus.confirm_abandon": (),
    "journal.index": ("q", "tag", "from", "to", "type", "favorites", "photos", "after"),
    "journal.trash": ("after",),
    "journal.new": ("prompt", "date"),
    "journal.create": ("title", "content", "entry_date", "tag_ids", "new_tag", "mood_score", "revision", "is_favorite"),
    "journal.preview_new": ("content",),
    "journal.save_new_draft": ("title", "content", "tag_ids"),
    "journal.discard_draft": (),
    "journal.read": (),
    "journal.edit": (),
    "journal.update": ("title", "content", "entry_date", "tag_ids", "new_tag", "mood_score", "revision"),
    "journal.preview_edit": ("content",),
    "journal.save_edit_draft": ("title", "content", "tag_ids"),
    "journal.version": (),
    "journal.restore_version": ("revision",),
    "journal.new_draft_media": (),
    "journal.edit_draft_media": (),
    "journal.remove_new_draft_media": ("title", "content", "tag_ids"),
    "journal.remove_edit_draft_media": ("title", "content", "tag_ids"),
    "journal.favorite": ("favorite",),
    "journal.delete": (),
    "journal.restore": (),
    "journal.purge": (),
    "journal.confirm_purge": (),
    "journal.media_file": (),
    "journal.remove_media": (),
    "journal.add_photo": ("photo", "caption"),
    "journal.add_voice_note": ("voice_note", "transcription"),
    "mood.index": ("entry",),
    "mood.create": ("category", "intensity", "felt_at", "factor-1", "factor-2", "factor-x", "next", "note"),
    "mood.edit": (),
    "mood.update": ("category", "intensity", "felt_at", "factor-1", "next"),
    "mood.delete": (),
    "mood.confirm_delete": (),
    "mood.history": ("first", "last", "category", "after"),
    "mood.week": ("of",),
    "mood.trends": ("days",),
    "mood.trend_chart": ("days",),
    "mood.year": ("year",),
    "mood.choices": (),
    "mood.add_choice": ("name", "emoji", "valence", "allowed_values"),
    "mood.edit_choice": (),
    "mood.update_choice": ("name", "emoji", "valence", "allowed_values"),
    "mood.move_choice": ("direction",),
    "mood.hide_choice": ("hidden",),
    "prompts.today": (),
    "prompts.answer": ("p1-answer", "p1-mood", "p1-shown", "p2-answer", "p2-mood"),
    "prompts.swap": (),
    "prompts.history": ("before",),
    "pwa.service_worker": (),
    "pwa.offline": (),
    "pwa.form_token": (),
    "reminders.index": (),
    "reminders.save": ("journal_on", "journal_time", "mood_on", "mood_time_1", "weekly_on", "by_push", "paused"),
    "reminders.add_device": ("endpoint", "p256dh", "auth"),
    "reminders.remove_device": ("endpoint",),
    "reminders.pause": (),
    "reminders.confirm_pause": (),
}
# What a visitor who is not signed in can reach.
PUBLIC = [
    "static",
    "health.healthz",
    "health.readyz",
    "main.index",
    "auth.register",
    "auth.login",
    "auth.two_factor_login",
    "security.account_deleted",
    "security.request_reset",
    "security.reset_sent",
    "security.reset_password",
    "security.verify_email",
    "billing.stripe_webhook",
    "pwa.service_worker",
    "pwa.offline",
    "pwa.form_token",
    "reminders.pause",
    "reminders.confirm_pause",
]
# Endpoints whose body is not a form (the payment provider posts JSON).
NOT_FORMS = {"billing.stripe_webhook"}
# Hosts a redirect may lead to (and the payment provider's checkout, *.stripe.com).
SAME_SITE = {"", "localhost"}

NUMBERS = ["0", "1", "2", "-1", "2147483647", "2147483648", "9" * 25, "²", "１２", "٣", "1e400", "0x10", " 7", "1.5"]
DATES = ["2026-03-05", "0001-01-01", "9999-12-31", "1899-12-31", "2026-02-30", "2026-13-01", "²⁰²⁶-03-05"]
MOMENTS = ["2026-03-05T10:30", "9999-12-31T23:59", "0001-01-01T00:00", "2026-03-05 25:61", "2026-03-05T10:30:00Z"]
PLACES = [
    "/home",
    "//evil.example",
    "/\t/evil.example",
    "/\\evil.example",
    "https://evil.example/",
    "/x\r\nSet-Cookie: a=b",
]
WORDS = [
    "",
    " ",
    "on",
    "true",
    "null",
    "json",
    "pdf",
    "everything",
    "pomodoro",
    "daily",
    "UTC",
    "Pacific/Pago_Pago",
    "Not/AZone",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    '{"$gt": ""}',
    "\x00",
    "\u202e",
    "a" * 5000,
    "person@example.com",
]
# The values that broke parsers before: drawn more often than the rest.
CLASSIC = ["²", "9" * 25, "-1", "0", "9999-12-31", "0001-01-01", "9999-12-31T23:59", "/\t/evil.example", "a\r\nb", ""]
HOSTILE_SEGMENTS = ["0" * 24, "f" * 24, "..", "%00", "²", "9" * 25, "a" * 300, "null", "$where", "2026-02-30"]


class FormFields(HTMLParser):
    """The forms of a page: action path -> names of its inputs, selects and textareas."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, set[str]] = {}
        self._action: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._action = urlsplit(attributes.get("action") or "").path or None
            if self._action:
                self.forms.setdefault(self._action, set())
        elif tag in {"input", "select", "textarea", "button"} and self._action and attributes.get("name"):
            self.forms[self._action].add(attributes["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._action = None


def sign_in(client, user) -> None:
    """A fresh server session for `user` in the client's cookie, as the app's own sign-in makes."""
    with client.application.test_request_context():
        start_session(user)
        key = session_cookie[SESSION_KEY]
    with client.session_transaction() as session:
        session.clear()
        session.update({"_user_id": str(user.id), "_fresh": True, SESSION_KEY: key})


def _some_of_everything(user, now: datetime) -> dict[str, list[str]]:
    """A person's data of every kind; returns route parameter values that name it."""
    tag = make_tag(user, f"walks-{user.id}")
    entry = make_entry(user, now - timedelta(days=2), tag_ids=[tag.id], photos=[add_photo(user)])
    journal.update_entry(user, entry["_id"], {"title": "Edited", "content": "Changed", "tag_ids": [str(tag.id)]})
    trashed = make_entry(user, now - timedelta(days=3), deleted_at=now - timedelta(days=1))
    draft = make_draft(user)
    mood = make_mood(user, now - timedelta(hours=3))
    running = make_focus_session(user, now - timedelta(minutes=5), status="active")
    done = make_focus_session(user, now - timedelta(days=1))
    prompt_set = make_prompt_set(user, timeutil.local_date(now, user.timezone), answered=1)
    enrollment = focus_programs.enroll(user, 1)
    export = request_export(user, ExportChoice(format="json", scope="everything"))
    payment = Payment(
        subscription_id=user.subscription.id,
        amount_minor=500,
        currency="eur",
        status="succeeded",
        provider="stripe",
        provider_reference=f"pi_{user.id}",
    )
    db.session.add(payment)
    db.session.commit()
    server_session = db.session.query(UserSession).filter_by(user_id=user.id).first()
    return {
        "entry_id": [str(entry["_id"]), str(trashed["_id"])],
        "media_id": [entry["photos"][0]["id"]],
        "number": ["1"],
        "draft_id": [str(draft["_id"])],
        "mood_id": [str(mood["_id"])],
        "session_id": [str(running["_id"]), str(done["_id"])] + ([str(server_session.id)] if server_session else []),
        "set_id": [str(prompt_set["_id"])],
        "prompt_id": [str(prompt["prompt_id"]) for prompt in prompt_set["prompts"]],
        "program_id": ["1", "2", "3"],
        "enrollment_id": [str(enrollment.id)],
        "index": ["0", "1"],
        "export_id": [str(export.id)],
        "payment_id": [str(payment.id)],
        "tag": [str(tag.id)],
        "month": ["2026-03", "9999-12", "0000-01"],
        "day": ["2026-03-05", "9999-12-31", "0001-01-01"],
        "chart": ["daily", "categories", "factors"],
        "kind": ["categories", "factors", "nonsense"],
        "item_id": ["1", "1000000", "2147483647"],
        "token": ["x" * 43, str(ObjectId())],
        "filename": ["css/app.css", "../config.py", "js/../../mindnotes/config.py"],
    }


class World:
    """The app, a person with some of everything, another person's ids, and the forms the pages show."""

    def __init__(self, app, person, own: dict, others: dict, forms: dict[str, set[str]]) -> None:
        self.app = app
        self.person = person
        self.own = own
        self.others = others
        self.forms = forms
        self.tally: Counter = Counter()


def _forms_on_pages(app, client, own: dict) -> dict[str, set[str]]:
    """endpoint -> form field names, read from every page the person can open."""
    adapter = app.url_map.bind("localhost")
    forms: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        values = {name: (own.get(name) or ["1"])[0] for name in rule.arguments}
        path = _fill(rule.rule, values)
        page = client.get(path)
        if page.mimetype != "text/html":
            continue
        parser = FormFields()
        parser.feed(page.get_data(as_text=True))
        for action, names in parser.forms.items():
            try:
                endpoint, _ = adapter.match(action, method="POST")
            except HTTPException:  # a GET form (the filters), or an action that is no route
                continue
            forms.setdefault(endpoint, set()).update(names)
    return forms


@pytest.fixture(scope="module")
def world(prepared_stores):
    """One app and its people for every route of this module (the fuzz changes data as it goes)."""
    app = create_app(prepared_stores)
    _empty_stores(app)
    with app.app_context():
        now = timeutil.utcnow()
        users = UserFactory()
        person = users.make(timezone="Pacific/Pago_Pago")
        other = users.make(timezone="Pacific/Kiritimati")
        client = app.test_client()
        sign_in(client, other)
        others = _some_of_everything(other, now)
        sign_in(client, person)
        own = _some_of_everything(person, now)
        found = World(app, person, own, others, _forms_on_pages(app, client, own))
        yield found
        total = sum(found.tally.values())
        print(f"\nfuzz: {total} requests; answers by status: {dict(sorted(found.tally.items()))}")
        db.session.remove()
        db.engine.dispose()
    _empty_stores(app)
    mongo.cx.close()


_PARAMETER = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")


def _fill(rule: str, values: dict[str, str]) -> str:
    return _PARAMETER.sub(lambda match: quote(values[match.group(3)], safe=""), rule)


def _hostile_text() -> st.SearchStrategy[str]:
    return st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


def _parameter(world: World, converter: str | None, options: str | None, name: str) -> st.SearchStrategy[str]:
    if converter == "any":
        return st.sampled_from([option.strip(" '\"") for option in options.split(",")])
    known = world.own.get(name, []) + world.others.get(name, [])
    if converter in {"id", "int"}:
        return st.sampled_from(known + NUMBERS) | st.integers(-(2**70), 2**70).map(str)
    return st.sampled_from(known + HOSTILE_SEGMENTS) | _hostile_text().filter(bool)


def _value(world: World) -> st.SearchStrategy[str]:
    known = [value for values in world.own.values() for value in values]
    classic = st.sampled_from(CLASSIC)
    return st.one_of(
        classic, classic, st.sampled_from(NUMBERS + DATES + MOMENTS + PLACES + WORDS + known), _hostile_text()
    )


@st.composite
def _fields(draw, world: World, names: list[str]) -> list[tuple[str, str]]:
    """Each of `names` or not, with one value or several (a multiple choice), and now and then a name the form lacks."""
    fields = []
    for name in [*names, "unexpected"]:
        if draw(st.integers(0, 3), name) == 0:  # a quarter of the fields left out
            continue
        for value in draw(st.lists(_value(world), min_size=1, max_size=3 if name.endswith(("ids", "tag")) else 1)):
            fields.append((name, value))
    return fields


def _json_value() -> st.SearchStrategy:
    """What a JSON body can hold where a form holds text: numbers, booleans, null, lists, objects."""
    scalar = st.one_of(st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False), _hostile_text())
    return st.recursive(scalar, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner))


def _routes_to(world: World, path: str, method: str) -> str | None:
    """The endpoint `path` reaches, as the app routes it (a hostile parameter may reach none, or another)."""
    try:
        return world.app.url_map.bind("localhost").match(unquote(path), method=method)[0]
    except HTTPException:
        return None


def _check(world: World, endpoint: str, response, sent_json: bool) -> None:
    world.tally[response.status_code] += 1
    # The readiness probe's 503 is its answer while no worker heartbeats (none runs here).
    probe_answer = (endpoint, response.status_code) == ("health.readyz", 503)
    assert response.status_code < 500 or probe_answer, f"{endpoint}: {response.status_code}"
    if sent_json and endpoint not in NOT_FORMS:
        assert response.status_code == 415, f"{endpoint} took a JSON body: {response.status_code}"
    if 300 <= response.status_code < 400:
        location = response.headers["Location"]
        parts = urlsplit(location)
        assert parts.netloc in SAME_SITE or parts.netloc.endswith(".stripe.com"), f"{endpoint} -> {location}"
        assert location.startswith("/") or parts.scheme in {"http", "https"}, f"{endpoint} -> {location}"


def _rule(world: World, endpoint: str):
    return next(rule for rule in world.app.url_map.iter_rules() if rule.endpoint == endpoint)


def _fuzz(world: World, endpoint: str, send) -> None:
    """Run `send(data)` for as many examples as the route deserves (few when it reads no input)."""
    rule = _rule(world, endpoint)
    reads_input = rule.arguments or ROUTES[endpoint] or "POST" in rule.methods
    examples = EXAMPLES_PER_ROUTE if reads_input else EXAMPLES_WITHOUT_INPUT
    fuzz = settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )(given(data=st.data())(send))
    fuzz()


def _fuzz_route(world: World, client, endpoint: str, data) -> None:
    rule = _rule(world, endpoint)
    values = {
        match.group(3): data.draw(_parameter(world, match.group(1), match.group(2), match.group(3)), match.group(3))
        for match in _PARAMETER.finditer(rule.rule)
    }
    path = _fill(rule.rule, values)
    method = "POST" if "POST" in rule.methods else "GET"
    if method == "GET" or ("GET" in rule.methods and data.draw(st.booleans(), "get")):
        query = data.draw(_fields(world, list(ROUTES[endpoint])), "query")
        _check(world, endpoint, client.get(f"{path}?{urlencode(query)}" if query else path), False)
        return
    names = sorted(set(ROUTES[endpoint]) | world.forms.get(endpoint, set()))
    if endpoint in NOT_FORMS or data.draw(st.integers(0, 9), "json") == 0:
        body = data.draw(st.fixed_dictionaries({}, optional={name: _json_value() for name in names}), "json body")
        sent_to_form = _routes_to(world, path, "POST") == endpoint
        _check(world, endpoint, client.post(path, json=body), sent_json=sent_to_form)
        return
    fields = data.draw(_fields(world, names), "form")
    body = MultiDict(fields)
    if data.draw(st.booleans(), "multipart"):
        upload = data.draw(st.binary(max_size=64), "file")
        body.add(data.draw(st.sampled_from(["photo", "voice_note", "archive"]), "file field"), (upload, "x.png"))
    _check(world, endpoint, client.post(path, data=body), False)


def test_every_route_is_in_the_table(world):
    """A new route joins ROUTES, so that it is fuzzed too."""
    endpoints = {rule.endpoint for rule in world.app.url_map.iter_rules()}
    assert endpoints == set(ROUTES)
    assert set(PUBLIC) <= endpoints


def test_the_pages_showed_their_forms(world):
    """The form fields come from the pages: most forms were found there (so the table is only a supplement)."""
    assert {"mood.create", "journal.create", "prompts.answer", "exports.create", "account.update_profile"} <= set(
        world.forms
    )
    assert "profile-timezone" in world.forms["account.update_profile"]


@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_signed_in_person_never_gets_a_server_error(world, endpoint):
    client = world.app.test_client()
    sign_in(client, world.person)

    def send(data):
        if endpoint in SIGN_OUT:
            sign_in(client, world.person)
        _fuzz_route(world, client, endpoint, data)

    _fuzz(world, endpoint, send)


@pytest.mark.parametrize("endpoint", PUBLIC)
def test_visitor_never_gets_a_server_error(world, endpoint):
    _fuzz(world, endpoint, lambda data: _fuzz_route(world, world.app.test_client(), endpoint, data))
