"""Extension singletons, bound to an app in `create_app` through `init_app`."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_pymongo import PyMongo
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from redis import Redis
from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from sqlalchemy import DateTime
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """A moment in UTC: stored naive (same on SQLite and PostgreSQL), read aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


class Base(DeclarativeBase):
    registry = registry(type_annotation_map={datetime: UTCDateTime})


class JobQueue:
    """Background jobs on RQ: the worker runs them in an app context of its own.

    Jobs are named by dotted path, not imported, so services never import `jobs/`.
    The embedded default runs a real Redis and worker too (`flask serve`): there
    is one job path everywhere.
    """

    def __init__(self) -> None:
        self.redis: Redis | None = None
        self.queue: Queue | None = None

    def init_app(self, app: Flask) -> None:
        # Fail fast when Redis is down; no read timeout: the worker blocks on its queue for minutes.
        self.redis = Redis.from_url(app.config["REDIS_URL"], socket_connect_timeout=1)
        self.queue = Queue(app.config["RQ_QUEUES"][0], connection=self.redis)
        app.extensions["job_queue"] = self

    def enqueue(self, func: str | Callable, *args: Any, job_id: str | None = None, **options: Any) -> Job:
        """Queue the job `func` (a dotted path) with `args` for the worker.

        With a `job_id`, a job that is still waiting under that id is not queued
        a second time (at most one waiting job per id).
        """
        if job_id is not None:
            try:
                waiting = Job.fetch(job_id, connection=self.redis)
            except NoSuchJobError:
                waiting = None
            if waiting is not None and waiting.get_status(refresh=False) in {
                JobStatus.QUEUED,
                JobStatus.SCHEDULED,
                JobStatus.DEFERRED,
            }:
                return waiting
        return self.queue.enqueue(func, *args, job_id=job_id, **options)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
mongo = PyMongo()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)
queue = JobQueue()
