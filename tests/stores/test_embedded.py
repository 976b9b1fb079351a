"""The embedded default, started as `make run` starts it: nx-27017, Redis, an RQ
worker and the cron scheduler under `flask serve`, supervised, stopped by Ctrl-C,
and started again on the same data."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pymongo
import pytest
from redis import Redis
from rq.job import Job

from mindnotes import embedded
from tests.conftest import PROJECT_ROOT, free_port

FLASK = str(Path(sys.executable).with_name("flask"))


class EmbeddedApp:
    """One `flask serve` on its own instance folder and ports."""

    def __init__(self, instance: Path) -> None:
        self.instance = instance
        self.port, self.mongo_port, self.redis_port = free_port(), free_port(), free_port()
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "MONGO_URI", "REDIS_URL", "SECRET_KEY"}
        }
        self.env.update(
            INSTANCE_DIR=str(instance),
            PORT=str(self.port),
            EMBEDDED_MONGO_PORT=str(self.mongo_port),
            EMBEDDED_REDIS_PORT=str(self.redis_port),
        )
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [FLASK, "--app", "wsgi", "serve"],
            cwd=PROJECT_ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                self.get("/login")
                return
            except OSError:
                if self.process.poll() is not None:
                    pytest.fail("flask serve exited:\n" + self.process.stdout.read())
                time.sleep(0.3)
        self.stop()
        pytest.fail("flask serve did not answer within 90 s")

    def get(self, path: str) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=5) as response:
            return response.read().decode()

    def readiness(self) -> str:
        """What /readyz answers, whatever its status (503 while a store or the worker is missing)."""
        try:
            return self.get("/readyz")
        except urllib.error.HTTPError as error:
            return error.read().decode()

    def is_ready(self) -> bool:
        return json.loads(self.readiness())["status"] == "ready"

    def children(self) -> dict[psutil.Process, str]:
        """The live processes under serve, with their command lines."""
        found = {}
        for child in psutil.Process(self.process.pid).children(recursive=True):
            try:
                found[child] = " ".join(child.cmdline())
            except (psutil.ZombieProcess, psutil.NoSuchProcess):
                continue
        return found

    def stop(self) -> str:
        """Ctrl-C, as a person stops `make run`; returns what serve printed."""
        self.process.send_signal(signal.SIGINT)
        return self.process.communicate(timeout=60)[0]

    def run_job(self, path: str) -> Job:
        """Queue the job `path` from another process, as a `flask` command in a second terminal would."""
        code = (
            "from mindnotes import create_app; from mindnotes.extensions import queue; "
            f"app = create_app(); app.app_context().push(); print(queue.enqueue({path!r}).id)"
        )
        job_id = subprocess.run(
            [sys.executable, "-c", code], cwd=PROJECT_ROOT, env=self.env, capture_output=True, text=True, check=True
        ).stdout.strip()
        job = Job.fetch(job_id, connection=Redis(port=self.redis_port))
        deadline = time.monotonic() + 30
        while job.get_status() != "finished" and time.monotonic() < deadline:
            time.sleep(0.2)
        return job


def _wait_for(condition, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_serve_runs_every_store_and_a_worker_and_starts_again_on_its_data(tmp_path):
    app = EmbeddedApp(tmp_path)
    app.start()
    try:
        assert "Log in" in app.get("/login")
        started = app.children()
        commands = list(started.values())
        assert any("nx-27017" in command for command in commands)
        assert any("redis-server" in command for command in commands)
        assert sum(command.endswith("worker.py") for command in commands) == 1
        assert sum(command.endswith("worker.py --cron") for command in commands) == 1
        assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
        # Ready once the worker, started beside the web server, has heartbeated.
        assert _wait_for(app.is_ready), app.readiness()
        stores = json.loads(app.get("/readyz"))["stores"]
        assert stores == {"database": "ok", "mongodb": "ok", "redis": "ok", "worker": "ok"}

        assert app.run_job("mindnotes.jobs.analytics.rebuild_all_analytics").get_status() == "finished"

        # A journal entry makes nx-27017 answer "constraint failed" to a second text index.
        client = pymongo.MongoClient(port=app.mongo_port)
        client.mindnotes.journal_entries.insert_one({"user_id": 1, "title": "kept", "search_text": "kept words"})
        client.close()
    finally:
        output = app.stop()
    assert f"open http://127.0.0.1:{app.port}" in output
    assert app.process.returncode == 0, output
    assert not any(process.is_running() and process.status() != psutil.STATUS_ZOMBIE for process in started)
    assert not embedded.mongo_is_reachable(f"mongodb://127.0.0.1:{app.mongo_port}/x")
    assert not embedded.redis_is_reachable(f"redis://127.0.0.1:{app.redis_port}/0")

    key = (tmp_path / "secret_key").read_text()
    app.start()
    try:
        assert _wait_for(app.is_ready), app.readiness()
        client = pymongo.MongoClient(port=app.mongo_port)
        assert client.mindnotes.journal_entries.find_one({"user_id": {"$eq": 1}})["title"] == "kept"
        client.close()
        assert (tmp_path / "secret_key").read_text() == key
    finally:
        app.stop()


def test_a_worker_that_dies_is_started_again(tmp_path):
    app = EmbeddedApp(tmp_path)
    app.start()
    try:
        worker = next(p for p, command in app.children().items() if command.endswith("worker.py"))
        worker.kill()

        def replaced() -> bool:
            workers = [p for p, command in app.children().items() if command.endswith("worker.py")]
            return len(workers) == 1 and workers[0].pid != worker.pid

        assert _wait_for(replaced)
        assert app.run_job("mindnotes.jobs.analytics.rebuild_all_analytics").get_status() == "finished"
    finally:
        output = app.stop()
    assert "RQ worker exited" in output and "restarting" in output


def test_without_secret_key_a_production_start_refuses_with_a_clear_message(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
    env.update(INSTANCE_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path}/x.db")
    result = subprocess.run(
        [FLASK, "--app", "wsgi", "seed"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stdout + result.stderr
    assert not (tmp_path / "secret_key").exists()
