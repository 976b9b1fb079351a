"""The front page: someone signed out learns what MindNotes is; someone signed in goes to their day."""


def test_signed_out_front_page_says_what_it_is_and_where_the_data_lives(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "private journal" in page
    assert "Everything you write lives on the server this MindNotes runs on" in page
    assert 'href="/register"' in page and 'href="/login"' in page


def test_signed_in_front_page_opens_today(client, users, login):
    login(users.make())
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/home"
