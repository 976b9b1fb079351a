"""The installable app's addresses: the manifest, the service worker at the root with its
versioned list of static files, the offline page, the form token and logging out."""

import json

from tests.factories import PASSWORD


def test_every_page_links_the_manifest_and_the_service_worker(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<link rel="manifest" href="/static/manifest.webmanifest">' in page
    assert 'data-service-worker="/sw.js"' in page
    manifest = json.loads(client.get("/static/manifest.webmanifest").get_data())
    assert manifest["display"] == "standalone"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"] if icon["purpose"] == "maskable"}
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_the_service_worker_is_served_at_the_root_with_the_shell_it_caches(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    settings = json.loads(
        response.get_data(as_text=True).split("\n", 1)[0].removeprefix("self.MINDNOTES_SHELL = ")[:-1]
    )
    assert len(settings["version"]) == 12
    assert "/static/css/app.css" in settings["files"]
    assert "/static/icons/icon-512.png" in settings["files"]
    assert "/static/sw.js" not in settings["files"]
    assert settings["offlinePage"] == "/offline"
    assert settings["newEntryPage"] == "/journal/new"


def test_the_offline_page_names_no_one(client, users, login):
    login(users.make(email="someone@example.com"))
    page = client.get("/offline").get_data(as_text=True)
    assert "You are offline" in page
    assert "someone@example.com" not in page
    assert "Log out" not in page
    assert "csrf" not in page


def test_the_form_token_is_only_for_the_signed_in(client, users, login):
    assert client.get("/app/form-token").status_code == 401
    login(users.make())
    answer = client.get("/app/form-token")
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"


def test_logging_out_clears_what_the_browser_kept(client, users):
    users.make(email="leaving@example.com")
    client.post("/login", data={"email": "leaving@example.com", "password": PASSWORD})
    response = client.post("/logout")
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
