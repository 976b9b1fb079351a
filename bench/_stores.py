"""Stores for a benchmark: the ones named by DATABASE_URL / MONGO_URI / REDIS_URL,
or the embedded default in a temporary folder (SQLite, nx-27017, the bundled Redis).
Jobs queued by a benchmark wait in Redis until it runs them (`run_jobs`)."""

import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402

from mindnotes import create_app, embedded  # noqa: E402
from mindnotes.documents.indexes import create_indexes  # noqa: E402
from mindnotes.extensions import mongo  # noqa: E402
from mindnotes.seed import seed_reference_data  # noqa: E402

MIGRATIONS = str(Path(__file__).resolve().parent.parent / "migrations")


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def bench_app(**overrides):
    """An app (inside its context) on prepared stores; embedded ones are thrown away after."""
    workdir = tempfile.mkdtemp(prefix="mindnotes-bench-")
    config = {
        "SECRET_KEY": "benchmark",
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        "UPLOAD_DIR": f"{workdir}/uploads",
        "EXPORT_DIR": f"{workdir}/exports",
        **overrides,
    }
    processes = []
    if not os.environ.get("DATABASE_URL"):
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{workdir}/bench.db"
    if not os.environ.get("MONGO_URI"):
        uri = f"mongodb://127.0.0.1:{_free_port()}/mindnotes_bench"
        processes.append(embedded.start_mongo(uri, f"{workdir}/mongo"))
        config["MONGO_URI"] = uri
    if not os.environ.get("REDIS_URL"):
        url = f"redis://127.0.0.1:{_free_port()}/0"
        processes.append(embedded.start_redis(url, f"{workdir}/redis"))
        config.update(REDIS_URL=url, RATELIMIT_STORAGE_URI=url)
    app = create_app(config)
    try:
        with app.app_context():
            upgrade(directory=MIGRATIONS)
            seed_reference_data()
            create_indexes(mongo.db)
            yield app
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]
