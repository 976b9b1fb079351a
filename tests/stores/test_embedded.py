"""The embedded default: SQLite, a local nx-27017 and inline jobs, from one command."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from mindnotes import embedded_mongo
from tests.conftest import PROJECT_ROOT, free_port


def test_serve_boots_embedded_default_and_serves_login(tmp_path):
    port, mongo_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "MONGO_URI", "REDIS_URL"}}
    env.update(INSTANCE_DIR=str(tmp_path), EMBEDDED_MONGO_PORT=str(mongo_port), PORT=str(port))
    flask = str(Path(sys.executable).with_name("flask"))
    process = subprocess.Popen(
        [flask, "--app", "wsgi", "serve"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        body = None
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as response:
                    body = response.read().decode()
            except OSError:
                assert process.poll() is None, process.stdout.read()
                time.sleep(0.3)
        assert body is not None and "Log in" in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as response:
            assert b"jobs run inline" in response.read()
        assert (tmp_path / "mindnotes.db").exists()
        assert (tmp_path / "mongo").is_dir()
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0]
    assert f"open http://127.0.0.1:{port}" in output
    assert not embedded_mongo.is_reachable(f"mongodb://127.0.0.1:{mongo_port}/x"), "the embedded MongoDB outlived serve"
