"""Reminders a person turns on in their account, each off until they do: a daily journaling
reminder at a local time, mood check-ins (up to 3 a day) and the weekly review on Mondays;
sent as a Web Push notification to their devices and/or by email (`sending.py`), paused
with one click from any message. The plan keeps its next slot's moment in UTC (schedule.py),
recomputed whenever the plan changes or a slot is sent.
"""

import re
from collections.abc import Mapping
from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from mindnotes import timeutil
from mindnotes.documents import reminders as plans
from mindnotes.errors import Conflict, UserError
from mindnotes.extensions import db
from mindnotes.inputs import parse_clock_time
from mindnotes.models import User
from mindnotes.services.reminders.schedule import next_slot

MOOD_CHECK_INS = 3
DEFAULT_PLAN = {
    "journal": {"on": False, "time": "21:00"},
    "mood": {"on": False, "times": ["09:00", "14:00", "20:00"]},
    "weekly": {"on": False, "time": "09:00"},
    "by_push": True,
    "by_email": False,
    "paused": False,
}
PAUSE_SALT = "reminders-pause"
# A push endpoint is the push service's https address; its keys are base64url (RFC 8291).
_KEY = re.compile(r"[A-Za-z0-9_-]{16,100}={0,2}")


class ReminderInvalid(UserError):
    """A reminder setting that cannot be used, named beside its field."""


def plan_of(user) -> dict:
    """The person's plan: stored, or the defaults (everything off)."""
    return plans.get_plan(user.id) or {**DEFAULT_PLAN, "user_id": user.id}


def form_values(plan: dict) -> dict:
    """The plan as the settings form shows it."""
    times = [*plan["mood"]["times"], "", "", ""][:MOOD_CHECK_INS]
    return {
        "journal_on": plan["journal"]["on"],
        "journal_time": plan["journal"]["time"],
        "mood_on": plan["mood"]["on"],
        **{f"mood_time_{number}": times[number - 1] for number in range(1, MOOD_CHECK_INS + 1)},
        "weekly_on": plan["weekly"]["on"],
        "weekly_time": plan["weekly"]["time"],
        "by_push": plan["by_push"],
        "by_email": plan["by_email"],
        "paused": plan["paused"],
    }


def _checked(form: Mapping, name: str) -> bool:
    return form.get(name) in {"y", "on", "1", "true", True}


def _time(form: Mapping, name: str, errors: dict, required: bool) -> str | None:
    text = str(form.get(name) or "").strip()
    if not text and not required:
        return None
    clock = parse_clock_time(text)
    if clock is None:
        errors[name] = "Give a time as HH:MM, from 00:00 to 23:59."
        return None
    return clock.strftime("%H:%M")


def plan_from_form(form: Mapping, stored: dict) -> dict:
    """The plan the settings form asks for (times kept for reminders turned off); ReminderInvalid names each problem."""
    errors: dict[str, str] = {}
    journal_on, mood_on, weekly_on = (_checked(form, f"{kind}_on") for kind in ("journal", "mood", "weekly"))
    journal_time = _time(form, "journal_time", errors, required=journal_on)
    weekly_time = _time(form, "weekly_time", errors, required=weekly_on)
    names = [f"mood_time_{number}" for number in range(1, MOOD_CHECK_INS + 1)]
    mood_times = [clock for name in names if (clock := _time(form, name, errors, required=False))]
    if len(set(mood_times)) < len(mood_times):
        errors["mood_time_1"] = "Choose different times for your check-ins."
    elif mood_on and not mood_times and "mood_time_1" not in errors:
        errors["mood_time_1"] = "Give at least one time for the mood check-in."
    by_push, by_email = _checked(form, "by_push"), _checked(form, "by_email")
    if (journal_on or mood_on or weekly_on) and not (by_push or by_email):
        errors["by_push"] = "Choose how to be reminded: a notification, an email or both."
    if errors:
        raise ReminderInvalid(errors=errors)
    return {
        **stored,
        "journal": {"on": journal_on, "time": journal_time or stored["journal"]["time"]},
        "mood": {"on": mood_on, "times": sorted(mood_times) or stored["mood"]["times"]},
        "weekly": {"on": weekly_on, "time": weekly_time or stored["weekly"]["time"]},
        "by_push": by_push,
        "by_email": by_email,
        "paused": _checked(form, "paused"),
    }


def scheduled(plan: dict, timezone: str, after: datetime, sent=None) -> dict:
    """`plan` with its next slot after `after` (or after the slot just `sent`); none while paused."""
    slot = None if plan["paused"] else next_slot(plan, timezone, after, sent)
    return {
        **plan,
        "timezone": timezone,
        "next_due_at": slot.at if slot else None,
        "next_slot": {"kind": slot.kind, "local": slot.local.isoformat(), "number": slot.number} if slot else None,
    }


def _store(user, plan: dict) -> dict:
    stored = plans.save_plan(user.id, plan)
    if stored is None:
        raise Conflict("Your reminders were changed in another window just now. Reload and try again.")
    return stored


def save_reminders(user, form: Mapping, now: datetime | None = None) -> dict:
    """Store the reminders the form asks for and schedule the next one; the stored plan."""
    now = now or timeutil.utcnow()
    plan = scheduled(plan_from_form(form, plan_of(user)), user.timezone, now)
    return _store(user, {**plan, "updated_at": now})


def pause_reminders(user, now: datetime | None = None) -> dict:
    """Stop every reminder until the person turns them on again in their account."""
    now = now or timeutil.utcnow()
    plan = plan_of(user)
    if plan["paused"]:
        return plan
    return _store(user, {**scheduled({**plan, "paused": True}, user.timezone, now), "updated_at": now})


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=PAUSE_SALT)


def pause_token(user_id: int) -> str:
    """The signed token of a message's "pause reminders" link."""
    return _serializer().dumps(user_id)


def user_id_for_pause_token(token: str) -> int | None:
    try:
        user_id = _serializer().loads(token)
    except BadSignature:
        return None
    return user_id if isinstance(user_id, int) else None


def pause_by_link(token: str, now: datetime | None = None) -> bool:
    """Pause the reminders of the person a message's link names; False for a link that names no one."""
    user_id = user_id_for_pause_token(token)
    user = db.session.get(User, user_id) if user_id is not None else None
    if user is None:
        return False
    pause_reminders(user, now)
    return True


def subscribe_device(user, endpoint: str, p256dh: str, auth: str) -> None:
    """Keep this browser's push subscription; the push service's address must be https."""
    if not endpoint.startswith("https://") or len(endpoint) > 1000 or any(ch.isspace() for ch in endpoint):
        raise ReminderInvalid("This browser's push address cannot be used.", field="endpoint")
    if not (_KEY.fullmatch(p256dh or "") and _KEY.fullmatch(auth or "")):
        raise ReminderInvalid("This browser's push keys cannot be used.", field="endpoint")
    plans.add_subscription(user.id, endpoint, p256dh, auth, timeutil.utcnow())


def unsubscribe_device(user, endpoint: str) -> None:
    plans.remove_subscription(user.id, endpoint)


def device_count(user) -> int:
    return len(plans.subscriptions_of(user.id))
