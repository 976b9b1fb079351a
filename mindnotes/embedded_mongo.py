"""The embedded MongoDB-wire server (nx-27017) used when no MONGO_URI is given."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pymongo
from pymongo.errors import PyMongoError


def _executable() -> str:
    beside_python = Path(sys.executable).with_name("nx-27017")
    return str(beside_python) if beside_python.exists() else (shutil.which("nx-27017") or "nx-27017")


def is_reachable(uri: str, timeout_ms: int = 500) -> bool:
    client = pymongo.MongoClient(uri, serverSelectionTimeoutMS=timeout_ms)
    try:
        client.admin.command("ping")
        return True
    except PyMongoError:
        return False
    finally:
        client.close()


def start(uri: str, data_dir: str, log_file: str, wait_seconds: float = 15) -> subprocess.Popen:
    """Start nx-27017 for `uri`'s host and port, storing under `data_dir`; wait until it answers."""
    address = urlparse(uri)
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [
            _executable(),
            "--data-dir",
            data_dir,
            "--host",
            address.hostname or "127.0.0.1",
            "--port",
            str(address.port or 27017),
            "--log-file",
            log_file,
            "--pid-file",
            os.path.join(data_dir, "nx-27017.pid"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nx-27017 exited early; see {log_file}")
        if is_reachable(uri):
            return process
        time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"nx-27017 did not answer within {wait_seconds} s; see {log_file}")
