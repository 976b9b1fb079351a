"""MindNotes: a private journal, mood tracker and focus timer."""

import contextlib
import os
import secrets
from pathlib import Path

from flask import Flask

from mindnotes.config import INSTANCE_DIR, Config


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    app.config.from_object(Config)
    if config:
        app.config.update(config)
    _require_secret_key(app)

    from mindnotes.extensions import csrf, db, limiter, login_manager, migrate, mongo, queue

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True)
    mongo.init_app(
        app,
        uri=app.config["MONGO_URI"],
        serverSelectionTimeoutMS=app.config["MONGO_TIMEOUT_MS"],
        connectTimeoutMS=app.config["MONGO_TIMEOUT_MS"],
        socketTimeoutMS=app.config["MONGO_SOCKET_TIMEOUT_MS"],
        tz_aware=True,
    )
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"])
    limiter.init_app(app)
    queue.init_app(app)
    login_manager.init_app(app)

    from mindnotes import cli, web
    from mindnotes.blueprints import register_blueprints

    web.init_app(app)
    register_blueprints(app)
    cli.init_app(app)
    return app


def _require_secret_key(app: Flask) -> None:
    """The embedded default makes a random key once and keeps it; anywhere else a key must be given."""
    if app.config["SECRET_KEY"]:
        return
    if not app.config["EMBEDDED"]:
        raise RuntimeError(
            "SECRET_KEY is not set. MindNotes signs sessions with it: set it to a long random value, e.g. "
            "SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
        )
    key_file = Path(app.instance_path) / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        draft = key_file.with_name(f"secret_key.{os.getpid()}")
        draft.touch(mode=0o600)
        draft.write_text(secrets.token_hex(32))
        # A hard link appears whole or not at all: two processes starting at once keep one key.
        with contextlib.suppress(FileExistsError):
            os.link(draft, key_file)
        draft.unlink()
    app.config["SECRET_KEY"] = key_file.read_text().strip()
