"""Headers, error pages and health probes every page relies on."""

from mindnotes.extensions import mongo


def test_every_response_carries_security_headers(client):
    response = client.get("/login")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "HX-Request" in response.headers["Vary"]


def test_session_cookie_is_httponly_and_lax(client, users):
    users.make(email="c@example.com")
    response = client.post("/login", data={"email": "c@example.com", "password": "correct horse battery"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_pages_have_no_inline_script(client):
    body = client.get("/login").get_data(as_text=True)
    assert "<script>" not in body and "onclick" not in body


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "not yours to see" in response.get_data(as_text=True)


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_readyz_when_all_stores_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["stores"] == {"database": "ok", "mongodb": "ok", "redis": "ok"}


def test_readyz_names_the_store_that_is_down(app_factory):
    app = app_factory(
        MONGO_URI="mongodb://127.0.0.1:1/nothing",
        MONGO_TIMEOUT_MS=200,
        REDIS_URL="redis://127.0.0.1:1/0",
        RATELIMIT_STORAGE_URI="memory://",
    )
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert sorted(response.get_json()["down"]) == ["mongodb", "redis"]
    mongo.cx.close()


def test_readyz_names_postgresql_when_it_is_down(app_factory):
    app = app_factory(SQLALCHEMY_DATABASE_URI="postgresql+psycopg2://postgres@127.0.0.1:1/none")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["down"] == ["database"]
