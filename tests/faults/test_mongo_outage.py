"""nx-27017 killed under a signed-in person: a quick 503 "try again", never a 500; 200 once it is back.

Unlike a store that was never there, the app had open connections to this
server when it died (issue 14: each request waited 3 s, then a generic 500).
"""

import time

import requests

from tests.faults.conftest import register, wait_until

PAGES = ["/home", "/journal/", "/mood/"]


def storage_unreachable_page(response: requests.Response) -> bool:
    text = response.text.replace("&#39;", "'")
    return "can't reach its storage right now; nothing you saved is lost" in text


def test_a_mongodb_outage_answers_503_with_retry_after_quickly_and_200_once_it_is_back(own_mongo, serve):
    served = serve(mongo_server=own_mongo)
    person = served.person()
    register(person)
    editor = person.open("/journal/new").form(button="Save entry")
    person.submit(editor, {"title": "Before the outage", "content": "Written while every store was up."})
    for path in PAGES:
        person.open(path)
    picker = person.open("/mood/").form("/mood/", button="Log mood")
    typed = {"category": picker.control("category").options[0][0], "intensity": "6"}
    mood = [(name, value) for name, value in picker.defaults if name not in typed] + list(typed.items())

    own_mongo.kill()
    # The person's browser, without the check that fails the test on any answer >= 500.
    browser = requests.Session()
    browser.cookies.update(person.http.cookies)
    for path in PAGES:
        started = time.monotonic()
        response = browser.get(served.url + path, allow_redirects=False, timeout=30)
        waited = time.monotonic() - started
        assert response.status_code == 503, f"{path} answered {response.status_code}: {response.text[:300]}"
        assert int(response.headers["Retry-After"]) > 0
        assert storage_unreachable_page(response), response.text[:500]
        assert waited < 3, f"{path} took {waited:.1f} s to answer"

    started = time.monotonic()
    response = browser.post(picker.action, data=mood, allow_redirects=False, timeout=30)
    assert response.status_code == 503, f"a mood logged during the outage answered {response.status_code}"
    assert storage_unreachable_page(response)
    assert time.monotonic() - started < 3

    own_mongo.start()
    wait_until(
        lambda: browser.get(served.url + "/journal/", timeout=30).status_code == 200,
        15,
        "the journal answered 200 again after MongoDB came back",
    )
    for path in PAGES:
        assert person.open(path).status == 200
    assert "Before the outage" in person.open("/journal/").text
