"""MindNotes: a private journal, mood tracker and focus timer."""

from flask import Flask

from mindnotes.config import INSTANCE_DIR, Config


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    app.config.from_object(Config)
    if config:
        app.config.update(config)

    from mindnotes.extensions import csrf, db, limiter, login_manager, migrate, mongo, queue

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True)
    mongo.init_app(
        app,
        uri=app.config["MONGO_URI"],
        serverSelectionTimeoutMS=app.config["MONGO_TIMEOUT_MS"],
        tz_aware=True,
    )
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"] or "memory://")
    limiter.init_app(app)
    queue.init_app(app)
    login_manager.init_app(app)

    from mindnotes import cli, web
    from mindnotes.blueprints import register_blueprints

    web.init_app(app)
    register_blueprints(app)
    cli.init_app(app)
    return app
