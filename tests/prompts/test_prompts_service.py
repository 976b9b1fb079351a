"""Daily prompts, through the service: today's set, choosing prompts, answers, swaps, history, streak."""

import random
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import update

from mindnotes.documents import collection, daily_activity_logs, journal_entries
from mindnotes.extensions import db
from mindnotes.models import Profile, User
from mindnotes.services import journal, prompts
from mindnotes.services.prompts import days as prompt_days
from mindnotes.services.prompts.selection import AnswerHistory, choose_prompts
from tests.journal.helpers import entries_used, leave_slots
from tests.prompts.helpers import NOON, TODAY, days_ago, past_set, stored_sets


@pytest.fixture
def catalogue(app):
    return prompts.prompt_catalogue()


def set_prompt_count(user, count: int) -> None:
    db.session.execute(update(Profile).where(Profile.user_id == user.id).values(daily_prompt_count=count))
    db.session.commit()


def ids(prompt_set: dict) -> list[int]:
    return [prompt["prompt_id"] for prompt in prompt_set["prompts"]]


# --- today's set ---------------------------------------------------------------------------------


def test_todays_set_has_the_profiles_count_from_different_categories(users):
    user = users.make()
    set_prompt_count(user, 5)
    prompt_set = prompts.todays_set(user, NOON, random.Random(1))
    assert len(prompt_set["prompts"]) == 5
    assert len({prompt["category_id"] for prompt in prompt_set["prompts"]}) == 5
    assert prompt_set["local_date"] == TODAY.isoformat()
    assert not any(prompt["answered"] for prompt in prompt_set["prompts"])


def test_default_set_has_three_prompts_and_stays_the_same_all_day(users):
    user = users.make()
    morning = prompts.todays_set(user, NOON - timedelta(hours=11), random.Random(1))
    evening = prompts.todays_set(user, NOON + timedelta(hours=11), random.Random(2))
    assert len(morning["prompts"]) == 3
    assert evening["_id"] == morning["_id"] and ids(evening) == ids(morning)
    tomorrow = prompts.todays_set(user, NOON + timedelta(days=1), random.Random(3))
    assert tomorrow["_id"] != morning["_id"]
    assert len(stored_sets(user.id)) == 2


def test_the_day_is_the_persons_local_day(users):
    user = users.make(timezone="Pacific/Auckland")
    prompt_set = prompts.todays_set(user, NOON.replace(hour=20))
    assert prompt_set["local_date"] == "2026-06-16"


def test_two_first_views_at_the_same_moment_make_one_set(app, users):
    user_id = users.make().id
    barrier = threading.Barrier(8)

    def first_view(seed: int):
        with app.app_context():
            try:
                person = db.session.get(User, user_id)
                barrier.wait(timeout=10)
                return prompts.todays_set(person, NOON, random.Random(seed))["_id"]
            finally:
                db.session.remove()

    with ThreadPoolExecutor(8) as pool:
        seen = list(pool.map(first_view, range(8)))
    assert len(set(seen)) == 1
    assert len(stored_sets(user_id)) == 1


# --- choosing prompts ----------------------------------------------------------------------------


def test_prompts_answered_in_the_last_90_days_never_come_back(users, catalogue):
    user = users.make()
    answered = catalogue[:54]
    for offset, start in enumerate(range(0, 54, 3)):
        past_set(user.id, days_ago(5 * offset + 1), answered[start : start + 3])
    allowed = {choice.prompt_id for choice in catalogue[54:]}
    for seed in range(10):
        collection("daily_prompt_sets").delete_many({"user_id": user.id, "local_date": TODAY.isoformat()})
        chosen = ids(prompts.todays_set(user, NOON, random.Random(seed)))
        assert set(chosen) <= allowed


def test_a_prompt_answered_over_90_days_ago_may_come_back(users, catalogue):
    user = users.make()
    past_set(user.id, days_ago(120), catalogue[:3])
    for start in range(3, 60, 3):
        past_set(user.id, days_ago(start), catalogue[start : start + 3])
    assert set(ids(prompts.todays_set(user, NOON, random.Random(4)))) == {c.prompt_id for c in catalogue[:3]}


def test_when_few_are_left_the_longest_ago_answered_are_recycled(users, catalogue):
    user = users.make()
    # 58 answered over the last 58 days, oldest first; two never answered.
    for offset, choice in enumerate(catalogue[:58]):
        past_set(user.id, days_ago(80 - offset), [choice])
    chosen = set(ids(prompts.todays_set(user, NOON, random.Random(5))))
    never_answered = {choice.prompt_id for choice in catalogue[58:]}
    assert chosen == never_answered | {catalogue[0].prompt_id}


def test_with_everything_answered_lately_the_oldest_answers_come_back_first(users, catalogue):
    user = users.make()
    for offset, choice in enumerate(catalogue):
        past_set(user.id, days_ago(89 - offset), [choice])
    chosen = set(ids(prompts.todays_set(user, NOON, random.Random(6))))
    assert chosen == {choice.prompt_id for choice in catalogue[:3]}


def test_the_choice_leans_to_the_most_answered_category_and_still_mixes_in_others(catalogue):
    favourite = catalogue[0].category_id
    history = AnswerHistory(answers_per_category=Counter({favourite: 30}))
    firsts = Counter(choose_prompts(catalogue, 1, history, random.Random(seed))[0].category_id for seed in range(600))
    categories = {choice.category_id for choice in catalogue}
    assert 0.55 < firsts[favourite] / 600 < 0.85
    assert all(firsts[category] >= 10 for category in categories - {favourite})
    for seed in range(50):
        chosen = choose_prompts(catalogue, 3, history, random.Random(seed))
        assert len({choice.category_id for choice in chosen}) == 3


def test_without_history_every_category_is_equally_likely(catalogue):
    firsts = Counter(
        choose_prompts(catalogue, 1, AnswerHistory(), random.Random(seed))[0].category_id for seed in range(600)
    )
    assert len(firsts) == 6
    assert all(60 <= count <= 140 for count in firsts.values())


def test_the_same_seed_chooses_the_same_prompts(catalogue):
    first = choose_prompts(catalogue, 4, AnswerHistory(), random.Random(42))
    assert first == choose_prompts(catalogue, 4, AnswerHistory(), random.Random(42))


# --- answering -----------------------------------------------------------------------------------


def test_first_answer_creates_the_days_entry_and_later_answers_join_it(users):
    user = users.make()
    prompt_set = prompts.todays_set(user, NOON, random.Random(1))
    first, second, third = ids(prompt_set)

    outcome = prompts.answer_prompt(user, prompt_set["_id"], first, "  Sun on the balcony.  ", 7, 95, now=NOON)
    entry = journal_entries.get_entry(user.id, prompt_set["entry_id"])
    assert entry["_id"] == prompt_set["entry_id"]
    assert entry["local_date"] == TODAY.isoformat()
    [response] = entry["prompt_responses"]
    assert response["prompt_id"] == first
    assert response["question"] == prompt_set["prompts"][0]["question"]
    assert response["answer"] == "Sun on the balcony."
    assert (response["word_count"], response["time_spent_seconds"], response["mood"]) == (4, 95, 7)
    assert entries_used(user) == 1
    assert not outcome.prompt_set["completed"]

    prompts.answer_prompt(user, prompt_set["_id"], second, "My sister called.", now=NOON)
    outcome = prompts.answer_prompt(user, prompt_set["_id"], third, "Tomorrow: a walk.", now=NOON)
    entry = journal_entries.get_entry(user.id, prompt_set["entry_id"])
    assert [r["prompt_id"] for r in entry["prompt_responses"]] == [first, second, third]
    assert entries_used(user) == 1
    assert outcome.prompt_set["completed"] and outcome.prompt_set["answered_count"] == 3
    stored = stored_sets(user.id)[0]
    assert stored["completed"] and all(prompt["answered"] for prompt in stored["prompts"])
    assert daily_activity_logs.get_day(user.id, TODAY.isoformat())["prompts_answered"] == 3


def test_time_spent_is_kept_within_a_sane_range(users):
    user = users.make()
    prompt_set = prompts.todays_set(user, NOON)
    first, second = ids(prompt_set)[:2]
    prompts.answer_prompt(user, prompt_set["_id"], first, "One", time_spent_seconds=-50, now=NOON)
    prompts.answer_prompt(user, prompt_set["_id"], second, "Two", time_spent_seconds=10**9, now=NOON)
    responses = journal_entries.get_entry(user.id, prompt_set["entry_id"])["prompt_responses"]
    assert [r["time_spent_seconds"] for r in responses] == [0, prompts.TIME_SPENT_MAX_SECONDS]


@pytest.mark.parametrize(
    ("answer", "mood", "field"),
    [("", None, "answer"), ("   \n ", None, "answer"), ("x" * 10_001, None, "answer"), ("Fine", 11, "mood")],
)
def test_invalid_answer_is_refused_and_nothing_is_stored(users, answer, mood, field):
    user = users.make()
    prompt_set = prompts.todays_set(user, NOON)
    with pytest.raises(prompts.AnswerInvalid) as refused:
        prompts.answer_prompt(user, prompt_set["_id"], ids(prompt_set)[0], answer, mood, now=NOON)
    assert field in refused.value.errors
    assert journal_entries.get_entry(user.id, prompt_set["entry_id"]) is None
    assert stored_sets(user.id)[0]["answered_count"] == 0
    assert entries_used(user) == 0


def test_an_answer_of_exactly_10000_characters_is_kept(users):
    user = users.make(plan="premium")
    prompt_set = prompts.todays_set(user, NOON)
    prompts.answer_prompt(user, prompt_set["_id"], ids(prompt_set)[0], "x" * 10_000, now=NOON)
    assert len(journal_entries.get_entry(user.id, prompt_set["entry_id"])["prompt_responses"][0]["answer"]) == 10_000


def test_answering_the_same_prompt_twice_is_refused_and_stores_nothing_more(users):
    user = users.make()
    prompt_set = prompts.todays_set(user, NOON)
    first = ids(prompt_set)[0]
    prompts.answer_prompt(user, prompt_set["_id"], first, "Once", now=NOON)
    with pytest.raises(prompts.PromptAlreadyAnswered):
        prompts.answer_prompt(user, prompt_set["_id"], first, "Twice", now=NOON)
    assert [r["answer"] for r in journal_entries.get_entry(user.id, prompt_set["entry_id"])["prompt_responses"]] == [
        "Once"
    ]
    assert daily_activity_logs.get_day(user.id, TODAY.isoformat())["prompts_answered"] == 1


def test_concurrent_answers_to_one_prompt_store_one_answer(app, users):
    user = users.make()
    prompt_set = prompts.todays_set(user, NOON)
    first = ids(prompt_set)[0]
    user_id = user.id
    barrier = threading.Barrier(5)

    def answer(number: int) -> str:
        with app.app_context():
            person = db.session.get(User, user_id)
            barrier.wait(timeout=10)
            try:
                prompts.answer_prompt(person, prompt_set["_id"], first, f"Answer {number}", now=NOON)
                return "saved"
            except prompts.PromptError as error:
                return type(error).__name__
            finally:
                db.session.remove()

    with ThreadPoolExecutor(5) as pool:
        outcomes = list(pool.map(answer, range(5)))
    assert outcomes.count("saved") == 1
    assert len(journal_entries.get_entry(user_id, prompt_set["entry_id"])["prompt_responses"]) == 1


def test_a_prompt_outside_todays_set_is_refused(users, catalogue):
    user = users.make()
    prompt_set = prompts.todays_set(user, NOON)
    outside = next(c.prompt_id for c in catalogue if c.prompt_id not in ids(prompt_set))
    with pytest.raises(prompts.PromptNotInSet):
        prompts.answer_prompt(user, prompt_set["_id"], outside, "Sneaky", now=NOON)
    yesterday = past_set(user.id, days_ago(1), catalogue[:3], answered=False)
    with pytest.raises(prompts.PromptNotInSet):
        prompts.answer_prompt(user, yesterday["_id"], catalogue[0].prompt_id, "Late", now=NOON)
    assert journal_entries.get_entry(user.id, prompt_set["entry_id"]) is None


def test_another_persons_set_is_not_found(users):
    owner, other = users.make(), users.make()
    prompt_set = prompts.todays_set(owner, NOON)
    with pytest.raises(prompts.PromptSetNotFound):
        prompts.answer_prompt(other, prompt_set["_id"], ids(prompt_set)[0], "Not mine", now=NOON)
    with pytest.raises(prompts.PromptSetNotFound):
        prompts.swap_prompt(other, prompt_set["_id"], ids(prompt_set)[0], now=NOON)
    assert stored_sets(owner.id)[0]["answered_count"] == 0


def test_at_the_entry_limit_the_first_answer_is_refused_and_the_prompt_stays_open(users):
    user = users.make()
    leave_slots(user, 0)
    prompt_set = prompts.todays_set(user, NOON)
    with pytest.raises(journal.EntryLimitReached, match="Free plan"):
        prompts.answer_prompt(user, prompt_set["_id"], ids(prompt_set)[0], "Over the limit", now=NOON)
    stored = stored_sets(user.id)[0]
    assert stored["answered_count"] == 0 and not any(prompt["answered"] for prompt in stored["prompts"])
    assert journal_entries.get_entry(user.id, prompt_set["entry_id"]) is None
    assert daily_activity_logs.get_day(user.id, TODAY.isoformat()) is None


# --- swaps ---------------------------------------------------------------------------------------


def test_a_swap_brings_a_new_prompt_and_three_swaps_is_the_most(users):
    user = users.make()
    prompt_set = prompts.todays_set(user, NOON, random.Random(1))
    target = ids(prompt_set)[1]
    seen = set(ids(prompt_set))
    for number in range(1, 4):
        prompt_set, new_prompt = prompts.swap_prompt(user, prompt_set["_id"], target, NOON, random.Random(number))
        assert new_prompt["prompt_id"] not in seen
        assert ids(prompt_set)[1] == new_prompt["prompt_id"] and prompt_set["swaps_used"] == number
        assert len({prompt["category_id"] for prompt in prompt_set["prompts"]}) == 3
        seen.add(new_prompt["prompt_id"])
        target = new_prompt["prompt_id"]
    with pytest.raises(prompts.SwapRefused, match="3 swaps"):
        prompts.swap_prompt(user, prompt_set["_id"], ids(prompt_set)[0], NOON)
    assert ids(stored_sets(user.id)[0]) == ids(prompt_set)


def test_an_answered_prompt_cannot_be_swapped(users):
    user = users.make()
    prompt_set = prompts.todays_set(user, NOON)
    first = ids(prompt_set)[0]
    prompts.answer_prompt(user, prompt_set["_id"], first, "Done", now=NOON)
    with pytest.raises(prompts.SwapRefused, match="only unanswered"):
        prompts.swap_prompt(user, prompt_set["_id"], first, NOON)


# --- history and streak --------------------------------------------------------------------------


def test_history_groups_answers_by_day_newest_first_and_pages(users):
    user = users.make()
    for offset in (3, 2, 1):
        day_set = prompts.todays_set(user, NOON - timedelta(days=offset))
        prompts.answer_prompt(
            user, day_set["_id"], ids(day_set)[0], f"Answer {offset} days ago", now=NOON - timedelta(days=offset)
        )
    prompts.todays_set(user, NOON)  # today's, not answered: not in the history
    days, older = prompt_days.prompt_history(user, days=2)
    assert [day.local_date for day in days] == [days_ago(1), days_ago(2)]
    assert days[0].answers[0]["answer"] == "Answer 1 days ago"
    assert days[0].entry_available and not days[0].completed
    assert older == days_ago(2)
    days, older = prompt_days.prompt_history(user, before=older, days=2)
    assert [day.local_date for day in days] == [days_ago(3)] and older is None


def test_history_says_when_the_days_entry_is_in_the_trash(users):
    user = users.make()
    prompt_set = prompts.todays_set(user, NOON)
    prompts.answer_prompt(user, prompt_set["_id"], ids(prompt_set)[0], "Private thought", now=NOON)
    journal.trash_entry(user, prompt_set["entry_id"])
    [day], _ = prompt_days.prompt_history(user)
    assert not day.entry_available and day.answers[0]["answer"] is None


def test_streak_counts_whole_sets_on_consecutive_local_days(users, catalogue):
    user = users.make()
    assert prompt_days.prompt_streak(user, NOON) == 0
    past_set(user.id, days_ago(4), catalogue[12:15])
    past_set(user.id, days_ago(3), catalogue[30:33], completed=False)
    past_set(user.id, days_ago(2), catalogue[6:9])
    past_set(user.id, days_ago(1), catalogue[3:6])
    assert prompt_days.prompt_streak(user, NOON) == 2
    today = prompts.todays_set(user, NOON)
    for prompt_id in ids(today):
        prompts.answer_prompt(user, today["_id"], prompt_id, "Yes", now=NOON)
    assert prompt_days.prompt_streak(user, NOON) == 3
    assert prompt_days.prompt_streak(user, NOON + timedelta(days=2)) == 0


def test_a_long_streak_is_counted_back_to_the_first_gap(users, catalogue):
    user = users.make()
    for offset in range(140, 0, -1):
        if offset != 131:
            past_set(user.id, days_ago(offset), catalogue[offset % 20 : offset % 20 + 3])
    assert prompt_days.prompt_streak(user, NOON) == 130


def test_with_the_days_entry_in_the_trash_another_answer_is_refused(users):
    user = users.make()
    prompt_set = prompts.todays_set(user, NOON)
    first, second = ids(prompt_set)[:2]
    prompts.answer_prompt(user, prompt_set["_id"], first, "Before the trash", now=NOON)
    journal.trash_entry(user, prompt_set["entry_id"])
    with pytest.raises(prompts.DaysEntryInTrash, match="Restore"):
        prompts.answer_prompt(user, prompt_set["_id"], second, "Lost?", now=NOON)
    assert [p["answered"] for p in stored_sets(user.id)[0]["prompts"]][:2] == [True, False]
    journal.restore_entry(user, prompt_set["entry_id"])
    prompts.answer_prompt(user, prompt_set["_id"], second, "After restoring", now=NOON)
    assert len(journal_entries.get_entry(user.id, prompt_set["entry_id"])["prompt_responses"]) == 2


def test_first_answers_to_different_prompts_at_once_share_one_entry(app, users):
    user = users.make()
    prompt_set = prompts.todays_set(user, NOON)
    user_id = user.id
    barrier = threading.Barrier(3)

    def answer(prompt_id: int) -> None:
        with app.app_context():
            try:
                person = db.session.get(User, user_id)
                barrier.wait(timeout=10)
                prompts.answer_prompt(person, prompt_set["_id"], prompt_id, f"Answer to {prompt_id}", now=NOON)
            finally:
                db.session.remove()

    with ThreadPoolExecutor(3) as pool:
        list(pool.map(answer, ids(prompt_set)))
    entry = journal_entries.get_entry(user_id, prompt_set["entry_id"])
    assert sorted(r["prompt_id"] for r in entry["prompt_responses"]) == sorted(ids(prompt_set))
    assert entries_used(user) == 1
    assert stored_sets(user_id)[0]["completed"]
