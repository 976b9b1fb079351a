"""The measurements of bench/http.py (run that file; it explains what is measured)."""

import http.client
import os
import random
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from _stores import _free_port, bench_app, median, percentile
from journal import seed as seed_entries

from mindnotes.extensions import db
from mindnotes.jobs.analytics import rebuild_user_analytics
from mindnotes.models import Tag
from mindnotes.services.account import register_user
from mindnotes.services.billing.plans import grant_plan
from mindnotes.services.focus import SessionRequest, start_session

HERE = Path(__file__).resolve().parent

PROJECT = HERE.parent
PASSWORD = "bench password 123"
TIMEZONE = "Europe/Berlin"
CONNECTIONS = 8
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "400"))
ROUNDS = 3
GUNICORN = [sys.executable, "-m", "gunicorn", "--workers", "2", "--worker-class", "sync", "--log-level", "warning"]
CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


class Browser:
    """A signed-in person's cookie and CSRF token; each request on a new connection."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.token = ""

    def request(
        self, method: str, path: str, form: dict | None = None, htmx: bool = False, keep_cookies: bool = True
    ) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode({**form, "csrf_token": self.token})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if htmx:
            headers["HX-Request"] = "true"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            for header, value in response.getheaders() if keep_cookies else ():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            return response.status, data
        finally:
            connection.close()

    def sign_in(self, email: str) -> "Browser":
        _status, page = self.request("GET", "/login")
        self.token = CSRF.search(page.decode()).group(1)
        status, _page = self.request("POST", "/login", {"email": email, "password": PASSWORD})
        assert status == 302, f"sign-in of {email} answered {status}"
        _status, page = self.request("GET", "/home")
        self.token = CSRF.search(page.decode()).group(1)
        return self


def drive(send, expected: set[int]) -> dict:
    """REQUESTS calls of `send()` over CONNECTIONS threads: req/s and the latencies' p50 and p95 in ms."""
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(REQUESTS))

    def work() -> None:
        while True:
            with lock:
                if next(counter, None) is None:
                    return
            started = time.perf_counter()
            status = send()
            elapsed = (time.perf_counter() - started) * 1000
            assert status in expected, f"answered {status}"
            with lock:
                latencies.append(elapsed)

    threads = [threading.Thread(target=work) for _ in range(CONNECTIONS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    return {"rps": len(latencies) / seconds, "p50": percentile(latencies, 0.5), "p95": percentile(latencies, 0.95)}


def serve(app_spec: str, port: int, env: dict) -> subprocess.Popen:
    process = subprocess.Popen(
        [*GUNICORN, "--bind", f"127.0.0.1:{port}", "--chdir", str(PROJECT), app_spec], env=env, cwd=PROJECT
    )
    for _ in range(200):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/")
            connection.getresponse().read()
            connection.close()
            return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"gunicorn did not answer on port {port}")


def people(app) -> dict:
    """The people the paths are measured for, with their histories and figures as the analytics job leaves them."""
    made = {}
    rng = random.Random(21)
    for name, entries in (("thousand", 1_000), ("ten-thousand", 10_000)):
        user = register_user(f"{name}@example.com", PASSWORD, name, TIMEZONE)
        tag = Tag(user_id=user.id, name="walks")
        db.session.add(tag)
        db.session.commit()
        seed_entries(user.id, entries, tag.id, rng)
        rebuild_user_analytics(user.id)
        made[name] = user
    made["writer"] = register_user("writer@example.com", PASSWORD, "Writer", TIMEZONE)
    grant_plan(made["writer"], "premium")
    made["focus"] = register_user("focus@example.com", PASSWORD, "Focus", TIMEZONE)
    made["session"] = start_session(made["focus"], SessionRequest(session_type="custom", custom_minutes=180))
    return made


def main() -> None:
    # Seeding 10,000 entries in one insert can outlast the default 30 s reply time on a busy machine.
    with bench_app(MONGO_SOCKET_TIMEOUT_MS=600_000) as app:
        made = people(app)
        env = {
            **os.environ,
            "SECRET_KEY": app.config["SECRET_KEY"],
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "MONGO_URI": app.config["MONGO_URI"],
            "REDIS_URL": app.config["REDIS_URL"],
            "AUTH_RATE_LIMIT": "1000 per minute",
            "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
            "UPLOAD_DIR": app.config["UPLOAD_DIR"],
            "EXPORT_DIR": app.config["EXPORT_DIR"],
        }
        ports = {"mindnotes": _free_port(), "bare": _free_port()}
        processes: list[subprocess.Popen] = []
        try:
            # From the project folder, not this one (whose http.py would hide the standard library's).
            processes.append(serve("wsgi:app", ports["mindnotes"], env))
            processes.append(serve("bench._bare_flask:app", ports["bare"], env))
            processes.append(subprocess.Popen([sys.executable, "worker.py"], env=env, cwd=PROJECT))
            measure(made, ports)
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=30)


def measure(made: dict, ports: dict) -> None:
    port = ports["mindnotes"]
    thousand = Browser(port).sign_in("thousand@example.com")
    ten_thousand = Browser(port).sign_in("ten-thousand@example.com")
    writer = Browser(port).sign_in("writer@example.com")
    focus = Browser(port).sign_in("focus@example.com")
    bare = Browser(ports["bare"])
    heartbeat = f"/focus/sessions/{made['session']['_id']}/heartbeat"
    new_entry = {"title": "A day", "content": "It went well, mostly. " * 20, "entry_type": "text"}
    paths = {
        "bare_flask": (lambda: bare.request("GET", "/")[0], {200}),
        # A browser follows the answer's redirect, and the page it opens takes the "Entry saved" message out of
        # the session cookie again; here nothing follows, so the cookie that only adds that message is not kept
        # (kept, it would carry one more message per request).
        "create": (lambda: writer.request("POST", "/journal/new", new_entry, keep_cookies=False)[0], {302}),
        "journal_1000": (lambda: thousand.request("GET", "/journal/")[0], {200}),
        "journal_10000": (lambda: ten_thousand.request("GET", "/journal/")[0], {200}),
        "dashboard": (lambda: thousand.request("GET", "/home")[0], {200}),
        "mood": (lambda: thousand.request("GET", "/mood/")[0], {200}),
        "heartbeat": (lambda: focus.request("POST", heartbeat, {}, htmx=True)[0], {200}),
    }
    for send, expected in paths.values():  # warm up every worker's connections and caches
        for _ in range(2 * CONNECTIONS):
            assert send() in expected
    rounds: dict[str, list[dict]] = {name: [] for name in paths}
    for _ in range(ROUNDS):
        for name, (send, expected) in paths.items():
            rounds[name].append(drive(send, expected))
    figures = {
        name: {key: median([run[key] for run in runs]) for key in ("rps", "p50", "p95")}
        for name, runs in rounds.items()
    }
    for name, figure in figures.items():
        print(f"{name}_req_per_s: {figure['rps']:.0f}")
        print(f"{name}_p50_ms: {figure['p50']:.1f}")
        print(f"{name}_p95_ms: {figure['p95']:.1f}")
    bare_rps = figures["bare_flask"]["rps"]
    for name in ("journal_1000", "journal_10000", "mood", "heartbeat"):
        print(f"{name}_fraction_of_bare_flask: {figures[name]['rps'] / bare_rps:.3f}")
    print(f"dashboard_fraction_of_bare_flask: {figures['dashboard']['rps'] / bare_rps:.3f}")
    print(f"create_fraction_of_bare_flask: {figures['create']['rps'] / bare_rps:.3f}")
