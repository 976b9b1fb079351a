"""Daily prompts over HTTP: the page, answering (htmx and plain forms), swaps, history, refusals."""

from datetime import timedelta

import pytest
from bson import ObjectId

from mindnotes.documents import journal_entries
from mindnotes.services import prompts
from mindnotes.timeutil import utcnow
from tests.journal.helpers import leave_slots
from tests.prompts.helpers import stored_sets

HTMX = {"HX-Request": "true"}


@pytest.fixture
def person(users, login):
    user = users.make(display_name="Robin")
    login(user)
    return user


def todays(client, user) -> dict:
    assert client.get("/prompts/").status_code == 200
    return stored_sets(user.id)[-1]


def answer_url(prompt_set: dict, prompt_id: int) -> str:
    return f"/prompts/{prompt_set['_id']}/{prompt_id}/answer"


def swap_url(prompt_set: dict, prompt_id: int) -> str:
    return f"/prompts/{prompt_set['_id']}/{prompt_id}/swap"


def answer_data(prompt_id: int, answer: str, mood: str = "", shown: str = "") -> dict:
    return {f"p{prompt_id}-answer": answer, f"p{prompt_id}-mood": mood, f"p{prompt_id}-shown": shown}


def responses(user, prompt_set: dict) -> list[dict]:
    entry = journal_entries.get_entry(user.id, prompt_set["entry_id"])
    return entry["prompt_responses"] if entry else []


def test_todays_page_shows_the_set_and_the_same_set_on_reload(client, person):
    response = client.get("/prompts/")
    body = response.get_data(as_text=True)
    prompt_set = stored_sets(person.id)[0]
    assert response.status_code == 200
    for prompt in prompt_set["prompts"]:
        assert prompt["question"].replace("'", "&#39;") in body
    assert "0 of 3</strong> answered" in body
    client.get("/prompts/")
    assert len(stored_sets(person.id)) == 1
    assert 'href="/prompts/"' in client.get("/home").get_data(as_text=True)


def test_plain_form_answer_saves_and_redirects_back_to_today(client, person):
    prompt_set = todays(client, person)
    first = prompt_set["prompts"][0]["prompt_id"]
    response = client.post(answer_url(prompt_set, first), data=answer_data(first, "A quiet morning.", "6"))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/prompts/#prompt-{first}"
    [saved] = responses(person, prompt_set)
    assert (saved["answer"], saved["mood"], saved["prompt_id"]) == ("A quiet morning.", 6, first)
    page = client.get("/prompts/").get_data(as_text=True)
    assert "A quiet morning." in page and "1 of 3</strong> answered" in page and "Saved in your journal." in page
    entry_page = client.get(f"/journal/{prompt_set['entry_id']}")
    assert entry_page.status_code == 200 and "A quiet morning." in entry_page.get_data(as_text=True)


def test_htmx_answer_swaps_the_card_and_refreshes_the_progress(client, person):
    prompt_set = todays(client, person)
    first = prompt_set["prompts"][0]["prompt_id"]
    response = client.post(answer_url(prompt_set, first), data=answer_data(first, "Warm bread."), headers=HTMX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<article id="prompt-{first}"')
    assert "Warm bread." in body and "✓ Answered" in body and "2 words" in body
    assert 'id="prompt-progress"' in body and 'hx-swap-oob="true"' in body and "1 of 3</strong>" in body
    assert "<html" not in body


def test_answering_every_prompt_completes_the_set(client, person):
    prompt_set = todays(client, person)
    for prompt in prompt_set["prompts"]:
        prompt_id = prompt["prompt_id"]
        response = client.post(answer_url(prompt_set, prompt_id), data=answer_data(prompt_id, "Yes."), headers=HTMX)
    assert "All done for today" in response.get_data(as_text=True)
    assert stored_sets(person.id)[0]["completed"]
    assert "prompt streak: <strong>1 day</strong>" in client.get("/prompts/").get_data(as_text=True)


def test_time_spent_comes_from_the_signed_time_the_form_was_shown(client, person):
    prompt_set = todays(client, person)
    first, second = (prompt["prompt_id"] for prompt in prompt_set["prompts"][:2])
    shown = prompts.shown_token(first, now=utcnow() - timedelta(seconds=125))
    client.post(answer_url(prompt_set, first), data=answer_data(first, "Timed.", shown=shown))
    client.post(answer_url(prompt_set, second), data=answer_data(second, "Forged.", shown="1234.forged"))
    timed, forged = responses(person, prompt_set)
    assert 124 <= timed["time_spent_seconds"] <= 127
    assert forged["time_spent_seconds"] == 0


@pytest.mark.parametrize(("answer", "message"), [("   ", "Write an answer first."), ("x" * 10_001, "at most 10,000")])
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_empty_or_too_long_answer_is_a_422_keeping_the_text_and_storing_nothing(
    client, person, answer, message, headers
):
    prompt_set = todays(client, person)
    first = prompt_set["prompts"][0]["prompt_id"]
    response = client.post(answer_url(prompt_set, first), data=answer_data(first, answer, "4"), headers=headers)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in body and 'aria-invalid="true"' in body
    assert '<option selected value="4">' in body
    if answer.strip():
        assert answer in body
    assert responses(person, prompt_set) == []
    assert stored_sets(person.id)[0]["answered_count"] == 0


def test_answering_the_same_prompt_twice_is_a_409(client, person):
    prompt_set = todays(client, person)
    first = prompt_set["prompts"][0]["prompt_id"]
    client.post(answer_url(prompt_set, first), data=answer_data(first, "First."))
    again = client.post(answer_url(prompt_set, first), data=answer_data(first, "Second."))
    assert again.status_code == 409
    assert "already answered" in again.get_data(as_text=True)
    htmx_again = client.post(answer_url(prompt_set, first), data=answer_data(first, "Third."), headers=HTMX)
    assert htmx_again.status_code == 409 and "First." in htmx_again.get_data(as_text=True)
    assert [r["answer"] for r in responses(person, prompt_set)] == ["First."]


def test_a_prompt_not_in_todays_set_is_a_422(client, person):
    prompt_set = todays(client, person)
    outside = next(
        p.prompt_id
        for p in prompts.prompt_catalogue()
        if p.prompt_id not in {prompt["prompt_id"] for prompt in prompt_set["prompts"]}
    )
    response = client.post(answer_url(prompt_set, outside), data=answer_data(outside, "Hm."))
    assert response.status_code == 422
    assert "not in today" in response.get_data(as_text=True)
    assert client.post(swap_url(prompt_set, outside)).status_code == 422
    assert responses(person, prompt_set) == []


def test_another_persons_prompt_set_is_a_404(client, person, users, login, app):
    other = users.make()
    other_client = login(other, app.test_client())
    theirs = todays(other_client, other)
    prompt_id = theirs["prompts"][0]["prompt_id"]
    assert client.post(answer_url(theirs, prompt_id), data=answer_data(prompt_id, "Mine?")).status_code == 404
    assert client.post(swap_url(theirs, prompt_id)).status_code == 404
    assert client.post(f"/prompts/{ObjectId()}/{prompt_id}/answer", data=answer_data(prompt_id, "x")).status_code == 404
    assert client.post(f"/prompts/not-an-id/{prompt_id}/swap").status_code == 404
    assert responses(other, theirs) == [] and stored_sets(other.id)[0]["swaps_used"] == 0


def test_at_the_entry_limit_the_journals_message_is_shown_and_nothing_stored(client, person):
    leave_slots(person, 0)
    prompt_set = todays(client, person)
    first = prompt_set["prompts"][0]["prompt_id"]
    response = client.post(answer_url(prompt_set, first), data=answer_data(first, "One more."), headers=HTMX)
    body = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Free plan keeps up to" in body and "One more." in body
    assert stored_sets(person.id)[0]["answered_count"] == 0


def test_swapping_replaces_the_card_and_the_fourth_swap_is_refused(client, person):
    prompt_set = todays(client, person)
    target = prompt_set["prompts"][0]["prompt_id"]
    response = client.post(swap_url(prompt_set, target), headers=HTMX)
    new_id = stored_sets(person.id)[0]["prompts"][0]["prompt_id"]
    assert response.status_code == 200 and new_id != target
    assert f'id="prompt-{new_id}"' in response.get_data(as_text=True)
    assert "2 swaps left" in response.get_data(as_text=True)
    assert client.post(swap_url(prompt_set, new_id)).status_code == 302
    last = stored_sets(person.id)[0]["prompts"][0]["prompt_id"]
    assert client.post(swap_url(prompt_set, last)).status_code == 302
    last = stored_sets(person.id)[0]["prompts"][0]["prompt_id"]
    refused = client.post(swap_url(prompt_set, last), headers=HTMX)
    assert refused.status_code == 409 and "all 3 swaps" in refused.get_data(as_text=True)
    assert stored_sets(person.id)[0]["swaps_used"] == 3
    assert "Swap for another prompt" not in client.get("/prompts/").get_data(as_text=True)


def test_history_shows_answers_by_day(client, person):
    prompt_set = todays(client, person)
    first = prompt_set["prompts"][0]["prompt_id"]
    client.post(answer_url(prompt_set, first), data=answer_data(first, "Grateful for tea.", "8"))
    body = client.get("/prompts/history").get_data(as_text=True)
    assert prompt_set["prompts"][0]["question"].replace("'", "&#39;") in body
    assert "Grateful for tea." in body and "mood 8/10" in body
    assert f"/journal/{prompt_set['entry_id']}" in body
    assert client.get("/prompts/history?before=garbage").status_code == 200


def test_history_without_answers_invites_to_answer(client, person):
    assert "No answers yet" in client.get("/prompts/history").get_data(as_text=True)


def test_prompt_pages_need_a_login(client):
    assert client.get("/prompts/").headers["Location"].startswith("/login")
    assert client.get("/prompts/history").headers["Location"].startswith("/login")
