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


def wrong_current_password(client, ip: str):
    return client.post(
        "/account/password",
        data={
            "password-current_password": "a guess",
            "password-new_password": "a brand new pw",
            "password-confirm": "a brand new pw",
        },
        environ_base={"REMOTE_ADDR": ip},
    )


def test_password_change_is_rate_limited_per_account(app, app_factory, users, login):
    limited = app_factory(AUTH_RATE_LIMIT="3 per minute")
    amy = users.make(email="amy@example.com")
    browser = login(amy, limited.test_client())
    statuses = [wrong_current_password(browser, ip=f"203.0.113.{number}").status_code for number in range(4)]
    assert statuses == [422, 422, 422, 429]
    assert "Too many attempts" in wrong_current_password(browser, ip="203.0.113.9").get_data(as_text=True)
    # The budget belongs to the account: another browser of Amy's is limited too, Bob is not.
    assert wrong_current_password(login(amy, limited.test_client()), ip="198.51.100.1").status_code == 429
    bob = users.make(email="bob@example.com")
    assert wrong_current_password(login(bob, limited.test_client()), ip="203.0.113.1").status_code == 422
    assert amy.check_password(PASSWORD)
