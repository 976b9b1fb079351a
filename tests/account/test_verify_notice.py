"""The "confirm your email" notice: a calm notice a person can hide for the rest of their session."""

NOTICE = "Please confirm your email address"


def test_hidden_notice_stays_hidden_until_the_next_sign_in(client, users, login):
    user = users.make()
    login(user)
    page = client.get("/journal/").get_data(as_text=True)
    assert NOTICE in page and 'class="notice"' in page and "flash-warning" not in page

    response = client.post("/account/security/verification/hide", data={"next": "/journal/"})
    assert response.status_code == 302 and response.headers["Location"] == "/journal/"
    for path in ("/journal/", "/home", "/account/"):
        assert NOTICE not in client.get(path).get_data(as_text=True)

    client.post("/logout")
    login(user)
    assert NOTICE in client.get("/home").get_data(as_text=True)


def test_hiding_with_htmx_answers_nothing_to_swap_in(client, users, login):
    login(users.make())
    response = client.post("/account/security/verification/hide", headers={"HX-Request": "true"})
    assert response.status_code == 200 and response.get_data(as_text=True) == ""
    assert NOTICE not in client.get("/home").get_data(as_text=True)


def test_hiding_never_sends_a_person_off_site(client, users, login):
    login(users.make())
    response = client.post("/account/security/verification/hide", data={"next": "https://evil.example/"})
    assert response.headers["Location"] == "/home"
