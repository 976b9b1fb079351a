"""The optional check-in around a focus session: an intention and a mood before, a mood after.

Both are kept on the session (`checkin`: intention, before_score, after_score,
after_mood_id). The mood after becomes a mood log through the mood service,
under the category of the person's list that fits the score best, so it counts
in every mood figure. Patterns reads `before_score` for the completion rate by
the mood a session started in.
"""

from datetime import datetime

from mindnotes import timeutil
from mindnotes.documents import compare_and_swap, focus_sessions
from mindnotes.inputs import parse_int
from mindnotes.models import User
from mindnotes.services import mood
from mindnotes.services.focus import SessionInvalid, get_session

INTENTION_MAX = 200
SCORES = {1: "Awful", 2: "Bad", 3: "Okay", 4: "Good", 5: "Great"}


def parse_score(text: str | None, field: str, errors: dict[str, str]) -> int | None:
    """A check-in score from 1 to 5, None when skipped; a message in `errors` when it is neither."""
    if not text:
        return None
    score = parse_int(text)
    if score is None or score not in SCORES:
        errors[field] = "Choose how you feel, from 1 (awful) to 5 (great), or skip it."
        return None
    return score


def before_checkin(intention: str, before_score: str | None) -> dict | None:
    """The check-in a session starts with, or None when the person skipped it; SessionInvalid when it breaks a rule."""
    errors: dict[str, str] = {}
    intention = " ".join((intention or "").split())
    if len(intention) > INTENTION_MAX:
        errors["intention"] = f"Keep the intention under {INTENTION_MAX} characters."
    score = parse_score(before_score, "before_score", errors)
    if errors:
        raise SessionInvalid(errors)
    if not intention and score is None:
        return None
    return {"intention": intention, "before_score": score}


def after_score(text: str | None) -> int | None:
    """The mood after a session (1 to 5), None when skipped; SessionInvalid when it is neither."""
    errors: dict[str, str] = {}
    score = parse_score(text, "after_score", errors)
    if errors:
        raise SessionInvalid(errors)
    return score


def imported_checkin(value: object) -> dict | None:
    """The check-in of a session read from an export: its intention and scores where they are valid.

    The mood id after is left out: the mood comes in on its own, under a new id.
    """
    if not isinstance(value, dict):
        return None
    intention = value.get("intention")
    kept: dict = {"intention": " ".join(intention.split())[:INTENTION_MAX] if isinstance(intention, str) else ""}
    for name in ("before_score", "after_score"):
        score = value.get(name)
        if isinstance(score, int) and not isinstance(score, bool) and score in SCORES:
            kept[name] = score
    return kept if kept["intention"] or len(kept) > 1 else None


def check_out(user: User, session_id: str, after_score: int, now: datetime | None = None) -> dict:
    """Log how the person feels after the session as a mood, and keep it on the session; returns the session."""
    now = now or timeutil.utcnow()
    session = get_session(user.id, session_id)
    category = mood.category_for_score(user.id, after_score)
    task = session.get("task") or "a focus session"
    form = mood.MoodForm(
        category=str(category.id),
        score=str(after_score),
        note=f"After focusing on {task}.",
    )
    logged = mood.log_mood(user, form, now)

    def read() -> dict:
        return get_session(user.id, session_id)

    def changed(current: dict) -> dict:
        checkin = {**(current.get("checkin") or {}), "after_score": after_score, "after_mood_id": logged["_id"]}
        return {**current, "checkin": checkin, "updated_at": now}

    swapped = compare_and_swap(focus_sessions.NAME, user.id, read, changed)
    return swapped[1] if swapped is not None else session
