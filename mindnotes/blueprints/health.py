"""Liveness and readiness probes."""

from flask import Blueprint, jsonify
from pymongo.errors import PyMongoError
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from mindnotes.extensions import db, mongo, queue

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


def _check_postgresql() -> None:
    db.session.execute(text("SELECT 1"))


def _check_mongodb() -> None:
    mongo.cx.admin.command("ping")


def _check_redis() -> None:
    queue.redis.ping()


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
    down = [name for name, state in stores.items() if state == "down"]
    if down:
        return jsonify(status="unavailable", down=down, stores=stores), 503
    return jsonify(status="ready", stores=stores)
