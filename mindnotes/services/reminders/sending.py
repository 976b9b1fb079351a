"""Sending the reminders that are due: run each minute by the scheduled job (jobs/reminders.py).

It reads only the plans whose next slot has come (`reminder_plans.next_due_at`, indexed) and
claims each slot by moving its plan on to the following one under the plan's revision: one
worker wins, and only the winner sends, so a slot is never sent twice, even by two workers or
a job run twice. A slot is then skipped when the person already did what it reminds of that
day (the day log: an entry written, as many moods logged as check-ins so far), when the
weekly review is not ready, or when it is more than an hour late (the workers were down).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app

from mindnotes import timeutil
from mindnotes.documents import daily_activity_logs
from mindnotes.documents import reminders as plans
from mindnotes.extensions import db
from mindnotes.models import User
from mindnotes.services.account.mail import MailNotSent, app_path, external_url, send_mail
from mindnotes.services.overview.weekly import latest_review, week_to_review
from mindnotes.services.reminders import pause_token, scheduled
from mindnotes.services.reminders.push import push_to_devices
from mindnotes.services.reminders.schedule import JOURNAL, MOOD, WEEKLY, Slot

SWEEP_SIZE = 500
LATE_AFTER = timedelta(hours=1)

MESSAGES = {
    JOURNAL: ("Time to write", "A few lines about today? Your journal is open.", "journal.new"),
    MOOD: ("How are you feeling?", "Take a moment to log your mood.", "mood.index"),
    WEEKLY: (
        "Your weekly review is ready",
        "Look back at last week: moods, focus, an entry to reread.",
        "main.home",
    ),
}


@dataclass
class Outcome:
    sent: int = 0
    skipped: int = 0


def _slot_of(plan: dict) -> Slot:
    due = plan["next_slot"]
    return Slot(due["kind"], datetime.fromisoformat(due["local"]), plan["next_due_at"], due["number"])


def _claim(user: User, plan: dict, slot: Slot) -> bool:
    """Move the plan past `slot`; True for the one caller that did (it sends the slot)."""
    following = scheduled(plan, user.timezone, slot.at, sent=slot)
    return plans.save_plan(user.id, {**following, "last_slot": slot.key}) is not None


def already_done(user: User, slot: Slot, now: datetime) -> bool:
    """Whether the person did today what the slot reminds of, or there is nothing to announce."""
    if slot.kind == WEEKLY:
        review = latest_review(user)
        return review is None or review["week_start"] != week_to_review(user.timezone, now).isoformat()
    day = daily_activity_logs.get_day(user.id, date.isoformat(slot.local.date())) or {}
    if slot.kind == JOURNAL:
        return day.get("entries", 0) > 0
    return day.get("moods", 0) >= slot.number


def message_for(user: User, slot: Slot) -> dict:
    title, body, endpoint = MESSAGES[slot.kind]
    return {
        "title": title,
        "body": body,
        "url": app_path(endpoint),
        "pause_url": app_path("reminders.pause", token=pause_token(user.id)),
        "tag": slot.key,
    }


def deliver(user: User, plan: dict, slot: Slot) -> None:
    """The slot's message to the person's devices and/or mailbox, as their plan says."""
    message = message_for(user, slot)
    if plan["by_push"]:
        push_to_devices(user.id, message)
    if plan["by_email"]:
        try:
            link = external_url("reminders.pause", token=pause_token(user.id))
            body = (
                f"{message['body']}\n\n{external_url(MESSAGES[slot.kind][2])}\n\n"
                f"Pause these reminders with one click: {link}\n"
            )
            # RFC 8058: the mail app's own "unsubscribe" button pauses them in one click too.
            one_click = {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
            send_mail(user.email, f"MindNotes: {message['title']}", body, headers=one_click)
        except MailNotSent:
            current_app.logger.warning("Reminder mail to user %s not sent", user.id)


def send_due_reminders(now: datetime | None = None) -> Outcome:
    """Send every reminder due by `now`, each slot once; how many were sent and skipped."""
    now = now or timeutil.utcnow()
    outcome = Outcome()
    for plan in plans.due_plans(now, SWEEP_SIZE):
        user = db.session.get(User, plan["user_id"])
        if user is None:
            continue
        if plan.get("timezone") != user.timezone:
            # The person moved: their times are now in the new zone.
            plans.save_plan(user.id, scheduled(plan, user.timezone, now))
            continue
        slot = _slot_of(plan)
        if not _claim(user, plan, slot):
            continue
        if now - slot.at > LATE_AFTER or already_done(user, slot, now):
            outcome.skipped += 1
            continue
        deliver(user, plan, slot)
        outcome.sent += 1
    return outcome
