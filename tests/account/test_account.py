"""A person's own profile and password."""

from tests.factories import PASSWORD


def test_profile_update_saves_timezone_and_prompt_count(client, users, login):
    user = users.make()
    login(user)
    response = client.post(
        "/account/profile",
        data={"profile-display_name": "Robin", "profile-timezone": "Asia/Tokyo", "profile-daily_prompt_count": "5"},
    )
    assert response.status_code == 302
    assert (user.display_name, user.timezone, user.profile.daily_prompt_count) == ("Robin", "Asia/Tokyo", 5)


def test_profile_with_unknown_timezone_or_prompt_count_is_422_and_kept(client, users, login):
    user = users.make(timezone="UTC")
    login(user)
    response = client.post(
        "/account/profile",
        data={"profile-display_name": "Robin", "profile-timezone": "Nowhere/Land", "profile-daily_prompt_count": "9"},
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Choose a time zone" in body
    assert 'value="Robin"' in body
    assert user.timezone == "UTC"


def test_change_password_needs_the_current_one(client, users, login):
    user = users.make()
    login(user)
    wrong = client.post(
        "/account/password",
        data={
            "password-current_password": "nope",
            "password-new_password": "a brand new pw",
            "password-confirm": "a brand new pw",
        },
    )
    assert wrong.status_code == 422
    assert user.check_password(PASSWORD)
    right = client.post(
        "/account/password",
        data={
            "password-current_password": PASSWORD,
            "password-new_password": "a brand new pw",
            "password-confirm": "a brand new pw",
        },
    )
    assert right.status_code == 302
    assert user.check_password("a brand new pw")


def test_account_pages_need_login(client):
    assert client.get("/account/").headers["Location"].startswith("/login")
