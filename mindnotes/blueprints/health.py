"""Liveness and readiness probes.

/readyz answers 200 only when PostgreSQL, MongoDB and Redis answer and at least one RQ
worker on our queue has heartbeated within WORKER_SILENT_AFTER; it also reports the
queue's depth. Otherwise 503, naming what is down ("worker" when no worker is alive).
"""

from datetime import timedelta

from flask import Blueprint, jsonify
from pymongo.errors import PyMongoError
from redis.exceptions import RedisError
from rq import Worker
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from mindnotes import timeutil
from mindnotes.extensions import db, mongo, queue

bp = Blueprint("health", __name__)

# A worker heartbeats at least this often (worker.py); one silent longer is taken for dead.
WORKER_SILENT_AFTER = timedelta(minutes=1)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


def _check_postgresql() -> None:
    db.session.execute(text("SELECT 1"))


def _check_mongodb() -> None:
    mongo.cx.admin.command("ping")


def _check_redis() -> None:
    queue.redis.ping()


def _live_workers() -> list[dict]:
    """The workers on our queue that heartbeated lately, with their last heartbeat."""
    since = timeutil.utcnow() - WORKER_SILENT_AFTER
    return [
        {"name": worker.name, "last_heartbeat": worker.last_heartbeat.isoformat()}
        for worker in Worker.all(queue=queue.queue)
        if worker.last_heartbeat is not None and worker.last_heartbeat >= since
    ]


@bp.get("/readyz")
def readyz():
    checks = {"database": _check_postgresql, "mongodb": _check_mongodb, "redis": _check_redis}
    stores = {}
    for name, check in checks.items():
        try:
            check()
            stores[name] = "ok"
        except (SQLAlchemyError, PyMongoError, RedisError, OSError):
            if name == "database":
                db.session.rollback()
            stores[name] = "down"
    stores["worker"] = "unknown"  # until Redis answers, nobody can tell
    report: dict = {"workers": [], "queued_jobs": None}
    if stores["redis"] == "ok":
        try:
            report = {"workers": _live_workers(), "queued_jobs": queue.queue.count}
            stores["worker"] = "ok" if report["workers"] else "down"
        except (RedisError, OSError):
            stores["redis"] = "down"
    down = [name for name, state in stores.items() if state == "down"]
    if down:
        return jsonify(status="unavailable", down=down, stores=stores, **report), 503
    return jsonify(status="ready", stores=stores, **report)
