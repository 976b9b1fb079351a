"""Logging, editing and deleting moods, and the rules a mood must follow.

Every write lands in the person's day totals (`moods`, `mood_score_sum`)
and their profile's `moods_logged` counter in the same call. Reference ids
(category, factors) are checked against PostgreSQL before they are stored, and
a journal link only to an entry of the same person. The document itself is
built by `fields.mood_document_fields` (the score and how it defaults are
explained there).

A new mood's `_id` is made when its form is shown (`MoodForm.mood_id`) and
posted with it: the same form sent twice (a double press, a retry after an
error) stores one mood, and the second answer is the first mood.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bson import ObjectId
from pymongo.errors import DuplicateKeyError
from sqlalchemy import update
from werkzeug.datastructures import MultiDict

from mindnotes import timeutil
from mindnotes.documents import journal_entries, mood_entries, parse_object_id
from mindnotes.errors import UserError
from mindnotes.extensions import db
from mindnotes.inputs import parse_id, parse_int, parse_local_minute
from mindnotes.models import Profile, User
from mindnotes.services.mood import own
from mindnotes.services.mood.fields import SCORE_MAX, SCORE_MIN, mood_document_fields
from mindnotes.services.mood.own import Category, Factor
from mindnotes.services.overview.activity import record_activity
from mindnotes.timeutil import zone

NOTE_MAX = 2000
PLACE_MAX = 80
OTHER_FACTOR_MAX = 40
OTHER_FACTORS_MAX_COUNT = 10
FUTURE_GRACE = timedelta(minutes=1)
LOCAL_MINUTE = "%Y-%m-%dT%H:%M"
EARLIEST = datetime(2000, 1, 1)
# No person: the shared default categories and factors, as a new account has them.
NOBODY = 0


class MoodInvalid(UserError):
    """The form breaks a rule; `errors` maps each field to its message (422)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors=errors)


@dataclass
class MoodForm:
    """The picker's fields as the person typed them, kept for a re-render."""

    category: str = ""
    # Empty: the score comes from the category's valence and the intensity (fields.score_from).
    score: str = ""
    intensity: str = "5"
    factors: dict[str, str] = field(default_factory=dict)
    other_factors: str = ""
    note: str = ""
    felt_at: str = ""
    place: str = ""
    journal_entry_id: str = ""
    # The new mood's id, made when the form is shown (empty on the edit form).
    mood_id: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_formdata(cls, formdata: MultiDict) -> "MoodForm":
        factors = {key.removeprefix("factor-"): value for key, value in formdata.items() if key.startswith("factor-")}
        return cls(
            category=formdata.get("category", ""),
            score=formdata.get("score", "").strip(),
            intensity=formdata.get("intensity", "").strip(),
            factors=factors,
            other_factors=formdata.get("other_factors", ""),
            note=formdata.get("note", ""),
            felt_at=formdata.get("felt_at", "").strip(),
            place=formdata.get("place", ""),
            journal_entry_id=formdata.get("journal_entry_id", "").strip(),
            mood_id=formdata.get("mood_id", "").strip(),
        )

    @classmethod
    def blank(cls, timezone: str, now: datetime | None = None, journal_entry_id: str = "") -> "MoodForm":
        moment = (now or timeutil.utcnow()).astimezone(zone(timezone))
        return cls(felt_at=moment.strftime(LOCAL_MINUTE), journal_entry_id=journal_entry_id, mood_id=str(ObjectId()))

    @classmethod
    def from_mood(cls, mood: dict, timezone: str) -> "MoodForm":
        return cls(
            category=str(mood["category_id"]),
            score=str(mood["score"]),
            intensity=str(mood["intensity"]),
            factors={str(f["factor_id"]): f["value"] for f in mood["factors"] if f["factor_id"] is not None},
            other_factors=", ".join(f["name"] for f in mood["factors"] if f["factor_id"] is None),
            note=mood.get("note", ""),
            felt_at=mood["felt_at"].astimezone(zone(timezone)).strftime(LOCAL_MINUTE),
            place=(mood.get("context") or {}).get("place") or "",
            journal_entry_id=str(mood["journal_entry_id"]) if mood.get("journal_entry_id") else "",
        )


def mood_categories(user_id: int | None = None) -> list[Category]:
    """The person's moods the picker offers (not the hidden ones), in their order (pleasant first until
    they reorder); without a person, the shared defaults a new account starts with."""
    return own.categories_of(user_id or NOBODY)


def mood_factors(user_id: int | None = None) -> list[Factor]:
    """The person's factors the picker offers, in their order; without a person, the shared defaults."""
    return own.factors_of(user_id or NOBODY)


def category_for_score(user_id: int | None, score: int) -> Category:
    """The person's first listed mood whose valence is nearest the score's (for a mood given only a score)."""
    categories = mood_categories(user_id)
    wanted = score - 3
    return min(categories, key=lambda category: (abs(category.valence - wanted), categories.index(category)))


def _check_category(form: MoodForm, user: User, keep_id: int | None, errors: dict) -> Category | None:
    """One of the person's listed moods; a hidden one only for a mood that has it already (`keep_id`)."""
    category_id = parse_id(form.category)
    categories = {category.id: category for category in own.categories_of(user.id, include_hidden=True)}
    category = categories.get(category_id) if category_id is not None else None
    if category is None or (category.hidden and category.id != keep_id):
        errors["category"] = "Choose one of the listed moods." if form.category else "Choose how you feel."
        return None
    return category


def _check_intensity(form: MoodForm, errors: dict) -> int | None:
    intensity = parse_int(form.intensity)
    if intensity is None or not 1 <= intensity <= 10:
        errors["intensity"] = "Intensity is a whole number from 1 to 10."
        return None
    return intensity


def _check_score(form: MoodForm, errors: dict) -> int | None:
    if not form.score:
        return None
    score = parse_int(form.score)
    if score is None or not SCORE_MIN <= score <= SCORE_MAX:
        errors["score"] = "Choose how good it felt: 1 (awful) to 5 (great)."
    return score


def _check_factors(form: MoodForm, user: User, errors: dict) -> list[dict]:
    # Hidden factors too: a mood noted with one keeps its value when it is edited.
    known = {str(factor.id): factor for factor in own.factors_of(user.id, include_hidden=True)}
    chosen, problems = [], []
    for factor_key, value in sorted(form.factors.items(), key=lambda item: parse_int(item[0]) or 0):
        factor = known.get(factor_key)
        if factor is None:
            problems.append("One of the factors is not on the list.")
        elif value and value not in factor.allowed_values:
            problems.append(f"{factor.name.capitalize()} is one of: {', '.join(factor.allowed_values)}.")
        elif value:
            chosen.append({"factor_id": factor.id, "name": factor.name, "value": value})
    others = [name.strip() for name in form.other_factors.split(",") if name.strip()]
    if any(len(name) > OTHER_FACTOR_MAX for name in others) or len(others) > OTHER_FACTORS_MAX_COUNT:
        errors["other_factors"] = (
            f"Up to {OTHER_FACTORS_MAX_COUNT} other factors, each at most {OTHER_FACTOR_MAX} characters."
        )
    if problems:
        errors["factors"] = " ".join(problems)
    unique_others = list(dict.fromkeys(others))
    return chosen + [{"factor_id": None, "name": name, "value": None} for name in unique_others]


def _check_felt_at(form: MoodForm, timezone: str, now: datetime, errors: dict) -> datetime | None:
    if not form.felt_at:
        return now
    naive = parse_local_minute(form.felt_at)
    if naive is None:
        errors["felt_at"] = "Enter a date and time, like 2026-03-05 14:30."
        return None
    if naive < EARLIEST:
        errors["felt_at"] = "That is too far back; choose a time after 2000."
        return None
    moment = naive.replace(tzinfo=zone(timezone)).astimezone(now.tzinfo)
    if moment > now + FUTURE_GRACE:
        errors["felt_at"] = "That time is in the future; choose now or earlier."
        return None
    return moment


def linked_entry(user: User, journal_entry_id: str) -> dict | None:
    """The journal entry a mood may link to: one of the person's own, not in the trash; else None."""
    if not journal_entry_id:
        return None
    entry = journal_entries.get_entry(user.id, journal_entry_id)
    return entry if entry is not None and not entry.get("deleted_at") else None


def _check_journal_link(form: MoodForm, user: User, errors: dict) -> ObjectId | None:
    if not form.journal_entry_id:
        return None
    entry = linked_entry(user, form.journal_entry_id)
    if entry is None:
        errors["journal_entry_id"] = "Link one of your own journal entries."
        return None
    return entry["_id"]


def validated_fields(
    user: User, form: MoodForm, now: datetime | None = None, keep_category_id: int | None = None
) -> dict:
    """The mood document fields the form describes, or MoodInvalid with every problem at once.

    `keep_category_id`: the category of the mood being edited, kept even if the person has hidden it since.
    """
    now = now or timeutil.utcnow()
    errors: dict[str, str] = {}
    category = _check_category(form, user, keep_category_id, errors)
    score = _check_score(form, errors)
    intensity = _check_intensity(form, errors)
    factors = _check_factors(form, user, errors)
    felt_at = _check_felt_at(form, user.timezone, now, errors)
    journal_entry_id = _check_journal_link(form, user, errors)
    if len(form.note) > NOTE_MAX:
        errors["note"] = f"A note is at most {NOTE_MAX:,} characters (this one has {len(form.note):,})."
    if len(form.place.strip()) > PLACE_MAX:
        errors["place"] = f"A place is at most {PLACE_MAX} characters."
    if errors:
        raise MoodInvalid(errors)
    return mood_document_fields(
        category,
        intensity=intensity,
        score=score,
        factors=factors,
        felt_at=felt_at,
        timezone=user.timezone,
        updated_at=now,
        note=form.note,
        place=form.place,
        journal_entry_id=journal_entry_id,
    )


def _count_in_profile(user_id: int, change: int) -> None:
    db.session.execute(
        update(Profile).where(Profile.user_id == user_id).values(moods_logged=Profile.moods_logged + change)
    )
    db.session.commit()


def log_mood(user: User, form: MoodForm, now: datetime | None = None) -> dict:
    """Store a new mood and add it to the person's day; MoodInvalid when a rule is broken.

    Under the form's `mood_id` when it has one: if that mood is stored already
    (the same form sent again), it is returned and nothing is counted twice.
    """
    fields = validated_fields(user, form, now)
    mood_id = parse_object_id(form.mood_id) or ObjectId()
    try:
        mood = mood_entries.insert_mood(user.id, {**fields, "_id": mood_id, "created_at": fields["updated_at"]})
    except DuplicateKeyError:
        stored = mood_entries.get_mood(user.id, mood_id)
        if stored is None:
            # Not this person's id: a form they did not get from us. Log it as a new mood.
            return log_mood(user, replace(form, mood_id=""), now)
        return stored
    record_activity(user.id, mood["felt_at"], user.timezone, moods=1, mood_score_sum=mood["score"])
    _count_in_profile(user.id, 1)
    return mood


def _take_from_day(user: User, mood: dict) -> None:
    record_activity(user.id, mood["felt_at"], user.timezone, moods=-1, mood_score_sum=-mood["score"])


def change_mood(user: User, mood_id: str, form: MoodForm, now: datetime | None = None) -> dict | None:
    """Apply the form to the person's mood (None if it is not theirs), moving it between days if needed."""
    current = mood_entries.get_mood(user.id, mood_id)
    if current is None:
        return None
    fields = validated_fields(user, form, now, keep_category_id=current["category_id"])
    before = mood_entries.replace_fields(user.id, current["_id"], fields)
    if before is None:
        return None
    _take_from_day(user, before)
    record_activity(user.id, fields["felt_at"], user.timezone, moods=1, mood_score_sum=fields["score"])
    return {**before, **fields}


def delete_mood(user: User, mood_id: str) -> dict | None:
    """Remove the person's mood and take it off its day; None if it is not theirs."""
    removed = mood_entries.delete_mood(user.id, mood_id)
    if removed is not None:
        _take_from_day(user, removed)
        _count_in_profile(user.id, -1)
    return removed
