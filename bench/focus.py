"""Focus heartbeats against gunicorn (2 workers) with 200 sessions running at once.

Prepares the bench stores (the embedded default: a temporary SQLite and
nx-27017; or DATABASE_URL / MONGO_URI / REDIS_URL), starts gunicorn on a free
port of 127.0.0.1 pointing at them, signs 200 people in, and starts one session
for each. Every simulated page then sends its heartbeat at the interval the
session page itself asks for (its `hx-trigger="... every Ns"`), from a random
phase, for a fixed window; the page counts down by itself in between, so
heartbeats are its only requests. Then all 200 pages send a heartbeat at the
same instant (the worst alignment). Requests go to 127.0.0.1 only, bounded in
number and time.

Headline: heartbeat requests per session-minute (aim: at most 2, against 60 for
a tick every second).
"""

import argparse
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from _stores import _free_port, bench_app, median, percentile

from mindnotes.services.account import register_user

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench password 123"
CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')
TRIGGER = re.compile(r'hx-trigger="[^"]*every (\d+)s')
SESSION_URL = re.compile(r"/focus/sessions/([0-9a-f]{24})$")


def start_gunicorn(app, port: int, workdir: str) -> subprocess.Popen:
    environment = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "MONGO_URI": app.config["MONGO_URI"],
        "REDIS_URL": app.config["REDIS_URL"],
        "SECRET_KEY": "bench-secret",
        "INSTANCE_DIR": workdir,
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        "AUTH_RATE_LIMIT": "100000 per minute",
    }
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--workers=2",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
            "--timeout=60",
            "wsgi:app",
        ],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=open(Path(workdir) / "gunicorn.log", "ab"),  # noqa: SIM115 (closed with the process)
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).ok:
                return process
        except requests.RequestException:
            time.sleep(0.5)
    process.kill()
    raise SystemExit(f"gunicorn did not answer within 60 s; see {workdir}/gunicorn.log")


class Person:
    """One browser: signed in, with one focus session page open."""

    def __init__(self, base: str, email: str) -> None:
        self.base = base
        self.email = email
        self.http = requests.Session()
        self.csrf = ""
        self.heartbeat_url = ""
        self.interval = 0

    def sign_in_and_start(self) -> None:
        login_page = self.http.get(f"{self.base}/login", timeout=30)
        token = CSRF.search(login_page.text).group(1)
        signed_in = self.http.post(
            f"{self.base}/login", data={"email": self.email, "password": PASSWORD, "csrf_token": token}, timeout=30
        )
        focus_page = self.http.get(f"{self.base}/focus/", timeout=30)
        if not signed_in.ok or "/focus/" not in focus_page.url:
            raise RuntimeError(f"{self.email} could not sign in")
        self.csrf = CSRF.search(focus_page.text).group(1)
        started = self.http.post(
            f"{self.base}/focus/sessions",
            data={"session_type": "deep_work", "task": "Bench", "csrf_token": self.csrf},
            timeout=30,
        )
        session_id = SESSION_URL.search(started.url).group(1)
        self.interval = int(TRIGGER.search(started.text).group(1))
        self.heartbeat_url = f"{self.base}/focus/sessions/{session_id}/heartbeat"

    def heartbeat(self) -> float:
        """One htmx heartbeat; returns its latency in milliseconds."""
        began = time.perf_counter()
        response = self.http.post(
            self.heartbeat_url, headers={"HX-Request": "true", "X-CSRFToken": self.csrf}, timeout=30
        )
        elapsed = (time.perf_counter() - began) * 1000
        if response.status_code != 200 or 'id="focus-timer"' not in response.text:
            raise RuntimeError(f"heartbeat answered {response.status_code}")
        return elapsed


def run_window(people: list[Person], seconds: float) -> tuple[int, list[float]]:
    """Every page beats at its own interval from a random phase; returns (requests, latencies)."""
    latencies: list[float] = []
    lock = threading.Lock()
    began = time.monotonic()
    stop_at = began + seconds

    def page(person: Person, phase: float) -> None:
        due = began + phase
        while due < stop_at:
            time.sleep(max(0.0, due - time.monotonic()))
            latency = person.heartbeat()
            with lock:
                latencies.append(latency)
            due += person.interval

    threads = [threading.Thread(target=page, args=(person, random.uniform(0, person.interval))) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies), latencies


def run_burst(people: list[Person]) -> list[float]:
    """All pages send one heartbeat at the same instant."""
    barrier = threading.Barrier(len(people))

    def beat(person: Person) -> float:
        barrier.wait()
        return person.heartbeat()

    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        return list(pool.map(beat, people))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=95, help="length of the steady heartbeat window")
    arguments = parser.parse_args()
    random.seed(5)
    with bench_app() as app:
        emails = [f"focus-bench-{number}@example.com" for number in range(arguments.people)]
        for email in emails:
            register_user(email, PASSWORD)
        workdir = str(Path(app.config["UPLOAD_DIR"]).parent)
        port = _free_port()
        server = start_gunicorn(app, port, workdir)
        try:
            people = [Person(f"http://127.0.0.1:{port}", email) for email in emails]
            # A few at a time: the embedded default keeps accounts in SQLite.
            with ThreadPoolExecutor(max_workers=4) as pool:
                list(pool.map(Person.sign_in_and_start, people))
            interval = people[0].interval
            requests_sent, latencies = run_window(people, arguments.seconds)
            burst = run_burst(people)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    session_minutes = len(people) * arguments.seconds / 60
    print(f"sessions_running_at_once: {len(people)}")
    print(f"heartbeat_interval_seconds: {interval}")
    print(f"window_seconds: {arguments.seconds:.0f}")
    print(f"heartbeat_requests: {requests_sent}")
    print(f"heartbeat_median_ms: {median(latencies):.1f}")
    print(f"heartbeat_p95_ms: {percentile(latencies, 0.95):.1f}")
    print(f"burst_{len(people)}_at_once_median_ms: {median(burst):.1f}")
    print(f"burst_{len(people)}_at_once_p95_ms: {percentile(burst, 0.95):.1f}")
    print("per_second_tick_requests_per_session_minute: 60")
    print(f"heartbeat_requests_per_session_minute: {requests_sent / session_minutes:.2f}")


if __name__ == "__main__":
    main()
