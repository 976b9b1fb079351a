"""The colour scheme a person chooses on the account page: every page follows it, or the device's."""

import re


def _theme(body: str) -> str | None:
    found = re.search(r'<html lang="en"(?: data-theme="(\w+)")?>', body)
    assert found, "the page has no <html> tag"
    return found.group(1)


def test_pages_follow_the_device_until_a_person_chooses(client, users, login):
    assert _theme(client.get("/login").get_data(as_text=True)) is None
    user = users.make()
    login(user)
    body = client.get("/account/").get_data(as_text=True)
    assert _theme(body) is None
    assert re.search(r'<input checked [^>]*value="system"', body)


def test_dark_chosen_is_kept_and_every_page_is_dark(client, users, login):
    user = users.make()
    login(user)
    response = client.post("/account/appearance", data={"appearance-appearance": "dark"})
    assert response.status_code == 302
    assert user.profile.appearance == "dark"
    for page in ("/home", "/journal/", "/account/"):
        assert _theme(client.get(page).get_data(as_text=True)) == "dark"
    client.post("/account/appearance", data={"appearance-appearance": "system"})
    assert _theme(client.get("/home").get_data(as_text=True)) is None


def test_an_unknown_appearance_is_refused_and_nothing_changes(client, users, login):
    user = users.make()
    login(user)
    client.post("/account/appearance", data={"appearance-appearance": "light"})
    response = client.post("/account/appearance", data={"appearance-appearance": "neon"})
    assert response.status_code == 422
    assert "Choose light, dark or the same as this device." in response.get_data(as_text=True)
    assert user.profile.appearance == "light"
