"""Daily prompts: today's set, answering into the journal, swaps.

A set is made the first time the person's local day is shown; the unique
(user_id, local_date) index makes two first views end with one set. Every
change to a set is a compare-and-swap on its `version` (see
documents/daily_prompt_sets.py), so the same prompt can never be answered
twice and swaps never exceed the day's allowance.

Answers live in the journal: the first answer of the day creates the day's
entry under the `entry_id` made with the set (through the journal service, so
it counts toward the plan's entry limit), later answers are added to it.
Reading past days (answers, history, streak) is `prompt_days`. The answer
form carries notes made when it was shown (`form_notes`): when (the time
spent on an answer) and a key. The claim in the set keeps that key, so the
same form sent again answers with the first answer instead of a refusal, and
never writes the answer twice.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

from bson import ObjectId
from pymongo.errors import DuplicateKeyError
from sqlalchemy import select

from mindnotes import timeutil
from mindnotes.documents import (
    compare_and_swap,
    daily_activity_logs,
    daily_prompt_sets,
    journal_entries,
    parse_object_id,
)
from mindnotes.errors import Conflict, NotFound, UserError
from mindnotes.extensions import db
from mindnotes.models import DailyPrompt, PromptCategory
from mindnotes.services import journal
from mindnotes.services.overview.activity import record_activity
from mindnotes.services.prompts.days import answers_of, day_label, prompt_streak
from mindnotes.services.prompts.form_notes import (  # noqa: F401  (the answer form's notes, used as prompts.<name>)
    new_answer_key,
    seconds_since_shown,
    shown_token,
)
from mindnotes.services.prompts.selection import (
    REPEAT_WINDOW_DAYS,
    AnswerHistory,
    PromptChoice,
    choose_prompts,
)

ANSWER_MAX = 10_000
MAX_SWAPS = 3
# Time spent on an answer is kept within this (a page left open overnight is not effort).
TIME_SPENT_MAX_SECONDS = 3 * 60 * 60
# Compare-and-swap attempts before telling the person to try again.
CHANGE_ATTEMPTS = 5

T = TypeVar("T")


class PromptError(UserError):
    """A prompt action that cannot be done; the message is for the person (422 unless a subclass says otherwise)."""


class PromptSetNotFound(PromptError, NotFound):
    """No such set, or not this person's (404)."""


class PromptNotInSet(PromptError):
    """The prompt is not in the set, or the set is not today's (422)."""


class AnswerInvalid(PromptError):
    """Input the person can fix; `errors` maps form field names to messages (422)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors=errors)


class PromptAlreadyAnswered(PromptError, Conflict):
    pass


class SwapRefused(PromptError, Conflict):
    pass


class PromptSetBusy(PromptError, Conflict):
    """The set kept changing under every attempt (409)."""


class DaysEntryInTrash(PromptError, Conflict):
    """The day's journal entry is in the trash, so an answer cannot join it (409, shown beside the answer)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="answer")


@dataclass
class AnswerOutcome:
    prompt_set: dict
    prompt: dict
    # the prompt response as stored in the journal entry
    response: dict


@dataclass
class TodaysPrompts:
    prompt_set: dict
    # prompt id -> its response in the day's journal entry
    answers: dict[int, dict]
    streak: int

    @property
    def swaps_left(self) -> int:
        return max(MAX_SWAPS - self.prompt_set.get("swaps_used", 0), 0)

    @property
    def answered_count(self) -> int:
        return sum(1 for prompt in self.prompt_set["prompts"] if prompt.get("answered"))

    @property
    def completed(self) -> bool:
        return bool(self.prompt_set.get("completed"))


def prompt_catalogue() -> list[PromptChoice]:
    rows = db.session.execute(
        select(DailyPrompt.id, DailyPrompt.text, PromptCategory.id, PromptCategory.name)
        .join(PromptCategory, PromptCategory.id == DailyPrompt.category_id)
        .where(DailyPrompt.is_active.is_(True))
    )
    return [PromptChoice(*row) for row in rows]


def _answer_history(user_id: int, day: str) -> AnswerHistory:
    first = (date.fromisoformat(day) - timedelta(days=REPEAT_WINDOW_DAYS)).isoformat()
    history = AnswerHistory()
    for prompt_set in daily_prompt_sets.sets_since(user_id, first):
        for prompt in prompt_set.get("prompts", []):
            if not prompt.get("answered"):
                continue
            last = history.last_answered.get(prompt["prompt_id"])
            if last is None or last < prompt_set["local_date"]:
                history.last_answered[prompt["prompt_id"]] = prompt_set["local_date"]
            history.answers_per_category[prompt["category_id"]] += 1
    return history


def _set_prompt(choice: PromptChoice) -> dict:
    return {
        "prompt_id": choice.prompt_id,
        "question": choice.question,
        "category_id": choice.category_id,
        "category_name": choice.category_name,
        "answered": False,
        "answered_at": None,
    }


def new_prompt_set(day: str, chosen: list[PromptChoice], now: datetime) -> dict:
    """A day's set as first stored: nothing answered, no swaps, its journal entry's id made in advance."""
    return {
        "_id": ObjectId(),
        "local_date": day,
        "prompts": [_set_prompt(choice) for choice in chosen],
        "swaps_used": 0,
        "swapped_out": [],
        "entry_id": ObjectId(),
        "answered_count": 0,
        "completed": False,
        "completed_at": None,
        # days in a row with the whole set answered, ending with this one (set on completion)
        "streak": 0,
        "version": 0,
        "created_at": now,
    }


def todays_set(user, now: datetime | None = None, rng: random.Random | None = None) -> dict:
    """The person's set for their local day, made now if this is its first showing."""
    now = now or timeutil.utcnow()
    day = timeutil.local_date(now, user.timezone)
    existing = daily_prompt_sets.get_for_day(user.id, day)
    if existing is not None:
        return existing
    count = min(max(user.profile.daily_prompt_count or 3, 1), 5)
    chosen = choose_prompts(prompt_catalogue(), count, _answer_history(user.id, day), rng or random.Random())
    document = new_prompt_set(day, chosen, now)
    try:
        daily_prompt_sets.insert_set(user.id, document)
    except DuplicateKeyError:
        # Another first view of the same day won the race: everyone gets its set.
        return daily_prompt_sets.get_for_day(user.id, day)
    # The dashboard shows today's prompts: its prepared figures are stale now.
    daily_activity_logs.note_change(user.id)
    return {**document, "user_id": user.id}


def todays_prompts(user, now: datetime | None = None, rng: random.Random | None = None) -> TodaysPrompts:
    """Today's set (made if needed) with the answers already given and the streak."""
    now = now or timeutil.utcnow()
    prompt_set = todays_set(user, now, rng)
    return TodaysPrompts(prompt_set, answers_of(user, prompt_set), prompt_streak(user, now))


def get_prompt_set(user, set_id: str | ObjectId) -> dict:
    prompt_set = daily_prompt_sets.get_set(user.id, set_id)
    if prompt_set is None:
        raise PromptSetNotFound("There is no such prompt set.")
    return prompt_set


def prompt_of(prompt_set: dict, prompt_id: int) -> dict:
    """The prompt `prompt_id` as stored in `prompt_set`; PromptNotInSet when the set has no such prompt."""
    for prompt in prompt_set["prompts"]:
        if prompt["prompt_id"] == prompt_id:
            return prompt
    raise PromptNotInSet("That prompt is not in today's set. Reload the page to see today's prompts.")


def _change_set(user, set_id: str | ObjectId, change: Callable[[dict], T]) -> tuple[dict, T]:
    """Apply `change` (which edits the set in place and may refuse) until it lands unraced."""
    results: list[T] = []

    def apply(prompt_set: dict) -> dict:
        results.append(change(prompt_set))
        return prompt_set

    swapped = compare_and_swap(
        daily_prompt_sets.NAME,
        user.id,
        lambda: get_prompt_set(user, set_id),
        apply,
        attempts=CHANGE_ATTEMPTS,
        field="version",
    )
    if swapped is None:
        raise PromptSetBusy("Your prompts are being changed elsewhere right now. Reload and try again.")
    return swapped[1], results[-1]


def _todays_prompt(user, prompt_set: dict, prompt_id: int, now: datetime) -> dict:
    """The prompt `prompt_id` of `prompt_set`, which must be today's."""
    if prompt_set["local_date"] != timeutil.local_date(now, user.timezone):
        raise PromptNotInSet("That prompt is not in today's set. Reload the page to see today's prompts.")
    return prompt_of(prompt_set, prompt_id)


def clean_answer(answer: str | None, mood: int | None) -> tuple[str, int | None]:
    text = (answer or "").replace("\r\n", "\n").strip()
    errors = {}
    if not text:
        errors["answer"] = "Write an answer first."
    elif len(text) > ANSWER_MAX:
        errors["answer"] = f"An answer is at most {ANSWER_MAX:,} characters (this one has {len(text):,})."
    if mood is not None and not 1 <= mood <= 10:
        errors["mood"] = "Mood is a number from 1 to 10."
    if errors:
        raise AnswerInvalid(errors)
    return text, mood


def answer_prompt(
    user,
    set_id: str | ObjectId,
    prompt_id: int,
    answer: str | None,
    mood: int | None = None,
    time_spent_seconds: int = 0,
    now: datetime | None = None,
    answer_key: str = "",
) -> AnswerOutcome:
    """Answer one of today's prompts; the answer is stored in the day's journal entry.

    The prompt is claimed in the set first, under `answer_key` (so a second
    answer is refused before anything is written), then the journal is
    written. If the journal refuses (entry limit) or fails before the answer
    is in it, the claim is given back; once the answer is in the journal no
    later failure takes the claim back, so a retry cannot add it again.
    The same form sent again (the prompt claimed under the same key) writes
    nothing and answers with the first answer.
    """
    now = now or timeutil.utcnow()
    text, mood = clean_answer(answer, mood)
    answer_key = str(parse_object_id(answer_key) or "")  # a key we made, or none
    key = answer_key or new_answer_key()
    repeated: list[bool] = []

    def claim(prompt_set: dict) -> dict:
        prompt = _todays_prompt(user, prompt_set, prompt_id, now)
        repeated[:] = [bool(prompt.get("answered") and answer_key and prompt.get("answer_key") == answer_key)]
        if repeated[0]:
            return prompt
        if prompt.get("answered"):
            raise PromptAlreadyAnswered("You have already answered this prompt today.")
        prompt.update(answered=True, answered_at=now, answer_key=key)
        prompt_set["answered_count"] = sum(1 for p in prompt_set["prompts"] if p.get("answered"))
        if prompt_set["answered_count"] == len(prompt_set["prompts"]):
            prompt_set.update(completed=True, completed_at=now, streak=_streak_before(user.id, prompt_set) + 1)
        return prompt

    prompt_set, prompt = _change_set(user, set_id, claim)
    response = {
        "prompt_id": prompt_id,
        "question": prompt["question"],
        "answer": text,
        "time_spent_seconds": min(max(int(time_spent_seconds or 0), 0), TIME_SPENT_MAX_SECONDS),
        "mood": mood,
        "answered_at": now,
    }
    if repeated[0]:
        # The first press wrote (or is writing) the answer: answer with it, write nothing.
        return AnswerOutcome(prompt_set, prompt, _answer_in_journal(user, prompt_set, prompt_id) or response)
    try:
        entry = _save_in_journal(user, prompt_set, response, now)
    except Exception:
        if _answer_in_journal(user, prompt_set, prompt_id) is None:
            _change_set(user, set_id, lambda stored: _unclaim(stored, prompt_id, key))
        raise
    record_activity(user.id, now, user.timezone, prompts_answered=1)
    stored = next((r for r in reversed(entry.get("prompt_responses", [])) if r["prompt_id"] == prompt_id), response)
    return AnswerOutcome(prompt_set, prompt, stored)


def _answer_in_journal(user, prompt_set: dict, prompt_id: int) -> dict | None:
    """The answer to `prompt_id` as stored in the set's journal entry, or None when it is not there."""
    entry = journal_entries.get_entry(user.id, prompt_set["entry_id"])
    responses = entry.get("prompt_responses", []) if entry is not None else []
    return next((r for r in reversed(responses) if r["prompt_id"] == prompt_id), None)


def _streak_before(user_id: int, prompt_set: dict) -> int:
    """The streak the day before `prompt_set` ended with (0 unless that day's set was completed).

    Final once stored: only today's set can be answered, so an earlier day never changes.
    """
    day_before = (date.fromisoformat(prompt_set["local_date"]) - timedelta(days=1)).isoformat()
    previous = daily_prompt_sets.get_for_day(user_id, day_before)
    return previous.get("streak", 1) if previous and previous.get("completed") else 0


def _unclaim(prompt_set: dict, prompt_id: int, key: str) -> None:
    """Give back the claim made under `key` (a claim made since under another key stays)."""
    claimed = [p for p in prompt_set["prompts"] if p["prompt_id"] == prompt_id and p.get("answer_key") == key]
    if not claimed:
        return
    claimed[0].update(answered=False, answered_at=None, answer_key=None)
    prompt_set["answered_count"] = sum(1 for p in prompt_set["prompts"] if p.get("answered"))
    prompt_set.update(completed=False, completed_at=None, streak=0)


def _save_in_journal(user, prompt_set: dict, response: dict, now: datetime) -> dict:
    """The day's entry after `response` joined it (created with the set's `entry_id` if it is the first)."""
    entry_id = prompt_set["entry_id"]
    entry = journal_entries.get_entry(user.id, entry_id)
    if entry is not None and entry.get("deleted_at"):
        # An answer added there would vanish with the trash.
        raise DaysEntryInTrash("Today's prompt answers are in the trash. Restore that entry to add more answers.")
    if entry is None:
        title = f"Daily prompts, {day_label(prompt_set['local_date'])}"
        try:
            return journal.create_entry(
                user, {"title": title, "entry_date": now, "prompt_responses": [response]}, entry_id=entry_id, now=now
            )
        except journal.EntryExists:
            # The day's other answer created the entry a moment ago: add to it.
            pass
    return journal.add_prompt_response(user, entry_id, response, now=now)


def swap_prompt(
    user, set_id: str | ObjectId, prompt_id: int, now: datetime | None = None, rng: random.Random | None = None
) -> tuple[dict, dict]:
    """Replace an unanswered prompt of today's set by another; returns (set, new prompt)."""
    now = now or timeutil.utcnow()
    rng = rng or random.Random()
    catalogue = prompt_catalogue()
    history = _answer_history(user.id, timeutil.local_date(now, user.timezone))

    def swap(prompt_set: dict) -> dict:
        prompt = _todays_prompt(user, prompt_set, prompt_id, now)
        if prompt.get("answered"):
            raise SwapRefused("You have answered this prompt; only unanswered prompts can be swapped.")
        if prompt_set.get("swaps_used", 0) >= MAX_SWAPS:
            raise SwapRefused(f"You have used all {MAX_SWAPS} swaps for today.")
        replacement = _replacement(prompt_set, prompt_id, catalogue, history, rng)
        index = prompt_set["prompts"].index(prompt)
        prompt_set["prompts"][index] = _set_prompt(replacement)
        prompt_set["swaps_used"] = prompt_set.get("swaps_used", 0) + 1
        prompt_set["swapped_out"] = prompt_set.get("swapped_out", []) + [prompt_id]
        return prompt_set["prompts"][index]

    swapped = _change_set(user, set_id, swap)
    daily_activity_logs.note_change(user.id)
    return swapped


def _replacement(
    prompt_set: dict, prompt_id: int, catalogue: list[PromptChoice], history: AnswerHistory, rng: random.Random
) -> PromptChoice:
    """A prompt not in the set nor swapped out today, from a category the set lacks when one is fresh."""
    exclude = {p["prompt_id"] for p in prompt_set["prompts"]} | set(prompt_set.get("swapped_out", []))
    kept_categories = {p["category_id"] for p in prompt_set["prompts"] if p["prompt_id"] != prompt_id}
    other_categories = [choice for choice in catalogue if choice.category_id not in kept_categories]
    chosen = choose_prompts(other_categories, 1, history, rng, exclude)
    if not chosen or chosen[0].prompt_id in history.last_answered:
        chosen = choose_prompts(catalogue, 1, history, rng, exclude)
    if not chosen:
        raise SwapRefused("There is no other prompt to swap in today.")
    return chosen[0]
