"""Registering and logging in from a real browser, with JavaScript on and off."""

import pytest

pytestmark = pytest.mark.browser


def test_register_log_out_and_log_in(page, live_server):
    page.goto(f"{live_server}/register")
    page.get_by_label("Email").fill("browser@example.com")
    page.get_by_label("Password", exact=True).fill("a long browser password")
    page.get_by_label("Repeat password").fill("a long browser password")
    page.get_by_label("Time zone").select_option("Europe/Berlin")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(f"{live_server}/home")
    assert "Hello, browser" in page.content()

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server}/login")
    page.get_by_label("Email").fill("browser@example.com")
    page.get_by_label("Password").fill("a long browser password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server}/home")
    assert page.get_by_role("heading", name="Hello, browser").is_visible()


def test_wrong_password_shows_error_beside_the_field(page, live_server, users):
    users.make(email="shown@example.com")
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill("shown@example.com")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_text("do not match").is_visible()
    assert page.get_by_label("Email").input_value() == "shown@example.com"
