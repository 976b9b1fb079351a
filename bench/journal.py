"""Journal list, filtered list and search for a person with 5,000 entries and one with 50.

Prints the median and 95th percentile (ms) of each request for both people and
the ratio large/small of the medians; the list pages should stay within 1.5.
Each request fills a whole page for both people (the filter keeps half the
entries), so the ratio compares the same amount of rendering.

Then the same search of the person with 5,000 entries, alone (beside the one
with 50) and among 49 other people with 5,000 entries each (250,000 in all,
bulk-inserted as the journal service builds them): a search must read one
person's entries, not everybody's (`search_ratio_50_people_vs_1`, aim <= 1.5).
The crowd lives in a second database on the same server, holding a copy of the
person's entries, and the app is pointed at one database, then the other, for
each request in turn, so a change in the machine's load hits both alike.
"""

import random
import time
from datetime import UTC, datetime, timedelta

from _stores import bench_app, median, percentile
from bson import ObjectId
from pymongo.database import Database

from mindnotes.documents import journal_entries
from mindnotes.documents.indexes import create_indexes
from mindnotes.extensions import db, mongo
from mindnotes.models import Tag
from mindnotes.services.account import register_user
from mindnotes.services.billing.plans import grant_plan
from mindnotes.services.journal.fields import new_entry_document, text_figures

LARGE, SMALL = 5000, 50
RUNS = 100
PEOPLE = 50  # the searching person and 49 others, LARGE entries each
OTHERS_FIRST_ID = 1_000_000  # the others need no account: a search never reads theirs
SEARCH_URL = "/journal/?q=garden+river"
PASSWORD = "a long bench password"
WORDS = [
    "morning",
    "walk",
    "coffee",
    "rain",
    "sunlight",
    "work",
    "meeting",
    "friend",
    "family",
    "dinner",
    "book",
    "music",
    "garden",
    "river",
    "tired",
    "calm",
    "anxious",
    "grateful",
    "quiet",
    "city",
    "train",
    "letter",
    "dream",
    "sleep",
    "run",
    "market",
    "bread",
    "tea",
    "window",
    "winter",
    "summer",
    "hope",
]


def seed(user_id: int, count: int, tag_id: int, rng: random.Random) -> None:
    """`count` entries, one every ~9 hours back from now; every 2nd tagged, every 10th a favorite."""
    now = datetime.now(UTC)
    documents = []
    for number in range(count):
        moment = now - timedelta(hours=9 * number, minutes=rng.randrange(60))
        title = " ".join(rng.choices(WORDS, k=3)).capitalize()
        content = " ".join(rng.choices(WORDS, k=rng.randrange(40, 160)))
        fields = {
            "title": title,
            "content": content,
            "entry_type": "text",
            "entry_date": moment,
            "local_date": moment.date().isoformat(),
            "month_day": moment.strftime("%m-%d"),
            "privacy": "private",
            "is_favorite": number % 10 == 0,
            "tag_ids": [tag_id] if number % 2 == 0 else [],
            "mood": rng.randrange(1, 11),
            "location": None,
            "weather": "",
            **text_figures(title, content, []),
        }
        document = new_entry_document(ObjectId(), fields, moment)
        document["photo_count"] = 1 if number % 15 == 0 else 0
        documents.append(document)
    journal_entries.insert_entries(user_id, documents)


def timed_in_turn(requests: dict[str, tuple]) -> dict[str, list[float]]:
    """Milliseconds per request, the people's requests taken in turn so load on the machine hits both alike."""
    times: dict[str, list[float]] = {label: [] for label in requests}
    for client, url in requests.values():
        client.get(url)  # warm up
    for _ in range(RUNS):
        for label, (client, url) in requests.items():
            start = time.perf_counter()
            response = client.get(url)
            times[label].append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
    return times


def crowded_database(searcher_id: int, rng: random.Random) -> Database:
    """A second database on the same server: a copy of the searcher's entries beside 49 other people's."""
    alone = mongo.db
    crowd = alone.client[f"{alone.name}_crowd"]
    create_indexes(crowd)
    crowd.journal_entries.insert_many(alone.journal_entries.find({"user_id": {"$eq": searcher_id}}))
    mongo.db = crowd
    try:
        for number in range(PEOPLE - 1):
            seed(OTHERS_FIRST_ID + number, LARGE, tag_id=0, rng=rng)
    finally:
        mongo.db = alone
    return crowd


def search_times_in_turn(client, databases: dict[str, Database]) -> dict[str, list[float]]:
    """Milliseconds per search on each database, taken in turn; the first round only warms up."""
    alone = mongo.db
    times: dict[str, list[float]] = {label: [] for label in databases}
    try:
        for run in range(RUNS + 1):
            pages = set()
            for label, database in databases.items():
                mongo.db = database
                start = time.perf_counter()
                response = client.get(SEARCH_URL)
                elapsed = (time.perf_counter() - start) * 1000
                assert response.status_code == 200, response.status_code
                pages.add(response.get_data(as_text=True).count('class="entry-row"'))
                if run:
                    times[label].append(elapsed)
            assert len(pages) == 1, f"the databases answered different results: {pages}"
    finally:
        mongo.db = alone
    return times


def main() -> None:
    rng = random.Random(7)
    # Seeding 245,000 entries on a busy machine: one insert of 5,000 may take longer than the app allows a reply.
    with bench_app(WTF_CSRF_ENABLED=False, MONGO_SOCKET_TIMEOUT_MS=600_000) as app:
        people, user_ids = {}, {}
        for label, count in (("large", LARGE), ("small", SMALL)):
            user = register_user(f"{label}@example.com", PASSWORD, label, "UTC")
            grant_plan(user, "premium")
            tag = Tag(user_id=user.id, name="walks")
            db.session.add(tag)
            db.session.commit()
            seed(user.id, count, tag.id, rng)
            client = app.test_client()
            signed_in = client.post("/login", data={"email": f"{label}@example.com", "password": PASSWORD})
            assert signed_in.status_code == 302, signed_in.status_code
            people[label] = (client, tag.id)
            user_ids[label] = user.id

        requests = {
            "first_list_page": lambda tag_id: "/journal/",
            "filtered_list_page": lambda tag_id: f"/journal/?tag={tag_id}&type=text",
            "search": lambda tag_id: SEARCH_URL,
        }
        medians = {}
        for name, url_for in requests.items():
            times = timed_in_turn({label: (client, url_for(tag_id)) for label, (client, tag_id) in people.items()})
            for label, values in times.items():
                medians[(name, label)] = median(values)
                print(f"{name}_{label}_median_ms: {median(values):.2f}")
                print(f"{name}_{label}_p95_ms: {percentile(values, 0.95):.2f}")

        crowd = crowded_database(user_ids["large"], rng)
        try:
            searches = search_times_in_turn(people["large"][0], {"alone": mongo.db, "crowd": crowd})
        finally:
            crowd.client.drop_database(crowd.name)
        lone, among_people = median(searches["alone"]), median(searches["crowd"])
        print(f"search_ms_one_of_{PEOPLE}_people: {among_people:.2f}")
        print(f"search_ms_lone_person: {lone:.2f}")
        print(f"search_ratio_{PEOPLE}_people_vs_1: {among_people / lone:.2f}")
        for name in ("search", "filtered_list_page", "first_list_page"):
            print(f"{name}_ratio_large_small: {medians[(name, 'large')] / medians[(name, 'small')]:.2f}")


if __name__ == "__main__":
    main()
