"""Pressing "Save answer" again never adds the answer twice; no failure after the write takes it back (issue 14)."""

import re

import pytest
from pymongo.errors import AutoReconnect

from mindnotes.services import journal, prompts
from tests.prompts.helpers import stored_sets
from tests.prompts.test_prompts_web import HTMX, answer_data, answer_url, responses, todays


@pytest.fixture
def person(users, login):
    user = users.make(display_name="Robin")
    login(user)
    return user


def key_on_card(client, prompt_id: int) -> str:
    page = client.get("/prompts/").get_data(as_text=True)
    keys = re.findall(rf'name="p{prompt_id}-answer_key"[^>]*value="([0-9a-f]{{24}})"', page)
    keys += re.findall(rf'value="([0-9a-f]{{24}})"[^>]*name="p{prompt_id}-answer_key"', page)
    assert len(keys) == 1, f"the card of prompt {prompt_id} should carry one answer key"
    return keys[0]


def keyed(prompt_id: int, answer: str, key: str) -> dict:
    return {**answer_data(prompt_id, answer), f"p{prompt_id}-answer_key": key}


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_the_same_answer_sent_twice_is_stored_once_and_both_answers_are_success(client, person, headers):
    prompt_set = todays(client, person)
    first = prompt_set["prompts"][0]["prompt_id"]
    data = keyed(first, "A quiet morning.", key_on_card(client, first))
    sent = client.post(answer_url(prompt_set, first), data=data, headers=headers)
    again = client.post(answer_url(prompt_set, first), data=data, headers=headers)
    assert (sent.status_code, again.status_code) == ((200, 200) if headers else (302, 302))
    if headers:
        assert "A quiet morning." in again.get_data(as_text=True) and "✓ Answered" in again.get_data(as_text=True)
    else:
        assert sent.headers["Location"] == again.headers["Location"]
    assert [r["answer"] for r in responses(person, prompt_set)] == ["A quiet morning."]
    assert stored_sets(person.id)[0]["answered_count"] == 1


def test_two_answers_with_their_own_keys_are_both_stored(client, person):
    prompt_set = todays(client, person)
    first, second = (prompt["prompt_id"] for prompt in prompt_set["prompts"][:2])
    for prompt_id, text in ((first, "One."), (second, "Two.")):
        response = client.post(
            answer_url(prompt_set, prompt_id), data=keyed(prompt_id, text, key_on_card(client, prompt_id))
        )
        assert response.status_code == 302
    assert [r["answer"] for r in responses(person, prompt_set)] == ["One.", "Two."]


def test_another_form_for_an_answered_prompt_is_still_refused(client, person):
    prompt_set = todays(client, person)
    first = prompt_set["prompts"][0]["prompt_id"]
    client.post(answer_url(prompt_set, first), data=keyed(first, "First.", key_on_card(client, first)))
    again = client.post(answer_url(prompt_set, first), data=keyed(first, "Second.", "0123456789abcdef01234567"))
    assert again.status_code == 409
    assert [r["answer"] for r in responses(person, prompt_set)] == ["First."]


def test_a_failure_after_the_answer_was_written_keeps_it_and_a_retry_adds_nothing(client, person, monkeypatch):
    """The day's entry is stored, then its day totals fail (MongoDB went away): the claim stays."""
    prompt_set = todays(client, person)
    first = prompt_set["prompts"][0]["prompt_id"]

    def gone(*args, **kwargs):
        raise AutoReconnect("MongoDB went away")

    with monkeypatch.context() as patch:
        patch.setattr(journal, "record_activity", gone)
        with pytest.raises(AutoReconnect):
            prompts.answer_prompt(person, prompt_set["_id"], first, "Kept.", answer_key="0123456789abcdef01234567")
    assert [r["answer"] for r in responses(person, prompt_set)] == ["Kept."]
    assert stored_sets(person.id)[0]["prompts"][0]["answered"]

    retried = prompts.answer_prompt(person, prompt_set["_id"], first, "Kept.", answer_key="0123456789abcdef01234567")
    assert retried.response["answer"] == "Kept."
    assert [r["answer"] for r in responses(person, prompt_set)] == ["Kept."]


def test_a_failure_before_the_answer_was_written_gives_the_prompt_back(client, person, monkeypatch):
    prompt_set = todays(client, person)
    first = prompt_set["prompts"][0]["prompt_id"]

    def refused(*args, **kwargs):
        raise AutoReconnect("MongoDB went away")

    with monkeypatch.context() as patch:
        patch.setattr(journal.journal_entries, "insert_entry", refused)
        with pytest.raises(journal.JournalUnavailable):
            prompts.answer_prompt(person, prompt_set["_id"], first, "Lost?", answer_key="0123456789abcdef01234567")
    assert responses(person, prompt_set) == []
    assert not stored_sets(person.id)[0]["prompts"][0]["answered"]
    retried = prompts.answer_prompt(person, prompt_set["_id"], first, "Again.", answer_key="0123456789abcdef01234567")
    assert retried.response["answer"] == "Again."
    assert [r["answer"] for r in responses(person, prompt_set)] == ["Again."]
