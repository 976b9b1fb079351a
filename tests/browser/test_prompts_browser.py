"""Answering and swapping today's prompts in a real browser, with JavaScript on and off."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from mindnotes.services import prompts
from mindnotes.timeutil import utcnow
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser


def log_in(page, live_server, users) -> None:
    users.make(email="prompts@example.com")
    sign_in(page, live_server, "prompts@example.com")


def test_answer_a_prompt_inline_and_see_an_empty_answer_refused(page, live_server, users):
    log_in(page, live_server, users)
    page.get_by_role("link", name="Prompts").click()
    page.wait_for_url(f"{live_server}/prompts/")
    cards = page.locator("article.prompt-card")
    expect(cards).to_have_count(3)
    first_id, second_id = cards.nth(0).get_attribute("id"), cards.nth(1).get_attribute("id")

    first = page.locator(f"#{first_id}")
    first.get_by_label("Your answer").fill("The smell of rain this morning.")
    first.get_by_label("Mood now (optional)").select_option("7")
    first.get_by_role("button", name="Save answer").click()
    expect(page.locator(f"#{first_id}")).to_contain_text("The smell of rain this morning.")
    expect(page.locator(f"#{first_id}")).to_contain_text("✓ Answered")
    expect(page.locator(f"#{first_id}")).to_contain_text("6 words · mood 7/10")
    expect(page.locator("#prompt-progress")).to_contain_text("1 of 3 answered")
    if page.javascript_enabled:
        assert page.url == f"{live_server}/prompts/"
    else:
        assert page.url == f"{live_server}/prompts/#{first_id}"

    second = page.locator(f"#{second_id}")
    second.get_by_label("Your answer").fill("   ")
    second.get_by_role("button", name="Save answer").click()
    expect(page.locator(f"#{second_id}")).to_contain_text("Write an answer first.")
    expect(page.locator(f"#{first_id}")).to_contain_text("The smell of rain this morning.")
    expect(page.locator("#prompt-progress")).to_contain_text("1 of 3 answered")


def test_swap_a_prompt_for_another(page, live_server, users):
    log_in(page, live_server, users)
    page.goto(f"{live_server}/prompts/")
    last = page.locator("article.prompt-card").nth(2)
    question = last.locator("h2").inner_text()
    last.get_by_role("button", name="Swap for another prompt").click()
    expect(page.locator("article.prompt-card").nth(2).locator("h2")).not_to_have_text(question)
    expect(page.locator("#prompt-progress")).to_contain_text("2 swaps left")


def test_history_lists_answers_by_day(page, live_server, users):
    log_in(page, live_server, users)
    person = users.make(email="history@example.com")
    for days_back in (2, 1, 0):
        moment = utcnow() - timedelta(days=days_back)
        prompt_set = prompts.todays_set(person, moment)
        for prompt in prompt_set["prompts"][: 3 - days_back]:
            prompts.answer_prompt(
                person, prompt_set["_id"], prompt["prompt_id"], f"Answer from {days_back} days ago.", 6, now=moment
            )
    page.get_by_role("button", name="Log out").click()
    sign_in(page, live_server, "history@example.com")
    page.goto(f"{live_server}/prompts/history")
    expect(page.locator("article.history-day")).to_have_count(3)
    expect(page.locator("article.history-day").first).to_contain_text("whole set answered")
    expect(page.get_by_text("Prompt streak: 1 day")).to_be_visible()
