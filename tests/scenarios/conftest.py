"""The app started exactly as `make run` starts it, for the scenario tests.

`flask --app wsgi serve` runs as a subprocess from the project root with the
embedded default: no DATABASE_URL, MONGO_URI, REDIS_URL or SECRET_KEY, a
temporary INSTANCE_DIR and free ports. `EmbeddedApp.stop()` stops it with
SIGINT, as Ctrl-C does, and returns every process it had started that is still
alive; `start()` starts it again on the same instance folder and ports.
"""

import contextlib
import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import psutil
import pytest
import requests

from tests.scenarios.person import Person

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FLASK = PROJECT_ROOT / ".venv" / "bin" / "flask"
START_SECONDS = 60
STOP_SECONDS = 30
# What `make run` is started without: every store is the embedded one.
UNSET = ("DATABASE_URL", "MONGO_URI", "REDIS_URL", "SECRET_KEY")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _describe(process: psutil.Process) -> str:
    try:
        return f"{process.pid}: {' '.join(process.cmdline())}"
    except psutil.NoSuchProcess:
        return f"{process.pid}: (gone)"


class EmbeddedApp:
    """One instance folder and its ports, and the `flask serve` process running on them."""

    def __init__(self, instance_dir: Path) -> None:
        self.instance_dir = instance_dir
        self.port = free_port()
        self.mongo_port = free_port()
        self.redis_port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.mongo_uri = f"mongodb://127.0.0.1:{self.mongo_port}"
        self.database = instance_dir / "mindnotes.db"
        self.log_path = instance_dir.parent / f"{instance_dir.name}-serve.log"
        self.process: subprocess.Popen | None = None
        self.started: dict[int, psutil.Process] = {}

    @property
    def env(self) -> dict[str, str]:
        env = {name: value for name, value in os.environ.items() if name not in UNSET}
        env.update(
            INSTANCE_DIR=str(self.instance_dir),
            PORT=str(self.port),
            EMBEDDED_MONGO_PORT=str(self.mongo_port),
            EMBEDDED_REDIS_PORT=str(self.redis_port),
        )
        return env

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def start(self) -> None:
        assert self.process is None, "The app is already running."
        with open(self.log_path, "a") as log:
            log.write(f"\n===== flask serve started {time.strftime('%H:%M:%S')} =====\n")
            log.flush()
            # A session of its own: a Ctrl-C in the terminal running pytest reaches only pytest.
            self.process = subprocess.Popen(
                [str(FLASK), "--app", "wsgi", "serve"],
                cwd=PROJECT_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_SECONDS
        while True:
            if self.process.poll() is not None:
                code = self.process.returncode
                self.process = None
                pytest.fail(f"`flask serve` exited with {code} before answering /healthz.\n{self.log()[-8000:]}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                self._kill()
                pytest.fail(f"/healthz did not answer 200 within {START_SECONDS} s.\n{self.log()[-8000:]}")
            time.sleep(0.25)
        self._remember_children()

    def _remember_children(self) -> None:
        assert self.process is not None
        for child in psutil.Process(self.process.pid).children(recursive=True):
            self.started[child.pid] = child

    def _leftovers(self) -> list[psutil.Process]:
        """Processes this app started, or that name its folder or ports, and that still run."""
        alive = []
        for process in self.started.values():
            try:
                if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                    alive.append(process)
            except psutil.NoSuchProcess:
                pass
        ours = re.compile(rf"{re.escape(str(self.instance_dir))}|(?<!\d)({self.mongo_port}|{self.redis_port})(?!\d)")
        for process in psutil.process_iter(["pid", "cmdline", "status"]):
            if process.pid == os.getpid() or process.info["status"] == psutil.STATUS_ZOMBIE:
                continue
            if ours.search(" ".join(process.info["cmdline"] or [])) and process.pid not in {p.pid for p in alive}:
                alive.append(process)
        return alive

    def _ours(self, process: psutil.Process) -> bool:
        """Started by this app, or working in its own temporary folder: safe to kill."""
        try:
            return process.pid in self.started or str(self.instance_dir) in " ".join(process.cmdline())
        except psutil.NoSuchProcess:
            return False

    def stop(self) -> list[str]:
        """Ctrl-C: SIGINT to `flask serve`, then wait for it. Returns what it left running."""
        assert self.process is not None, "The app is not running."
        self._remember_children()
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self._kill()
            pytest.fail(f"`flask serve` was still running {STOP_SECONDS} s after Ctrl-C.\n{self.log()[-8000:]}")
        self.process = None
        # A child told to stop by its parent may take a moment to exit.
        deadline = time.monotonic() + 10
        while self._leftovers() and time.monotonic() < deadline:
            time.sleep(0.2)
        left = self._leftovers()
        descriptions = [_describe(process) for process in left]
        self._kill_ours(left)
        return descriptions

    def _kill(self) -> None:
        """Only when it would not stop: kill it and what it started, by pid."""
        if self.process is not None:
            self._remember_children()
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None
        self._kill_ours(self._leftovers())

    def _kill_ours(self, processes: list[psutil.Process]) -> None:
        for process in processes:
            if self._ours(process):
                with contextlib.suppress(psutil.NoSuchProcess):
                    process.kill()
        self.started.clear()

    def flask(self, *args: str) -> subprocess.CompletedProcess:
        """A `flask` command typed in another terminal: same folder, same environment."""
        return subprocess.run(
            [str(FLASK), "--app", "wsgi", *args],
            cwd=PROJECT_ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def person(self) -> Person:
        return Person(self.url, server_log=self.log)


@pytest.fixture(scope="module")
def embedded_app(tmp_path_factory):
    """The app as `make run` starts it, for every test of the module; stopped at the end."""
    app = EmbeddedApp(tmp_path_factory.mktemp("scenario") / "instance")
    app.start()
    yield app
    if app.process is not None:
        left = app.stop()
        assert left == [], f"Still running after Ctrl-C (now killed): {left}"
