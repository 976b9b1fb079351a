"""Extension singletons, bound to an app in `create_app` through `init_app`."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, current_app, g, has_request_context
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
from werkzeug.utils import import_string


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
    """Background jobs: RQ on Redis when `REDIS_URL` is set, else run inline.

    Jobs take ids only and need an app context, which the request (inline) or
    `worker.py` (RQ) provides.
    """

    def __init__(self) -> None:
        self.redis: Redis | None = None
        self.queue: Queue | None = None

    def init_app(self, app: Flask) -> None:
        url = app.config["REDIS_URL"]
        if url:
            self.redis = Redis.from_url(url)
            self.queue = Queue(app.config["RQ_QUEUES"][0], connection=self.redis)
        else:
            self.redis = None
            self.queue = None
            app.after_request(_run_deferred_jobs_after_response)
        app.extensions["job_queue"] = self

    @property
    def is_inline(self) -> bool:
        return self.queue is None

    def enqueue(self, func: str | Callable, *args: Any, job_id: str | None = None, **options: Any):
        """Run the job named by the dotted path `func` with `args` in the worker;
        without Redis, right after the response.

        Jobs are named, not imported, so services never import `jobs/`.

        With a `job_id`, a job that is still waiting under that id is not queued
        a second time (at most one waiting job per id; inline, one per request).
        Outside a request (CLI, jobs) an inline job runs at once.
        """
        if self.queue is None:
            if not has_request_context():
                return _job_function(func)(*args)
            deferred = g.setdefault("deferred_jobs", {})
            deferred.setdefault(job_id or f"job-{len(deferred)}", (func, args))
            return None
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


def _run_deferred_jobs_after_response(response: Response) -> Response:
    """Inline jobs of this request run once the person has their answer."""
    deferred = g.pop("deferred_jobs", None)
    if deferred:
        app = current_app._get_current_object()

        def run_jobs() -> None:
            for func, args in deferred.values():
                with app.app_context():
                    try:
                        _job_function(func)(*args)
                    except Exception:
                        # The response is already sent: the log is where this failure can go.
                        app.logger.exception("Inline job %s failed", func)

        response.call_on_close(run_jobs)
    return response


def _job_function(func: str | Callable) -> Callable:
    return import_string(func) if isinstance(func, str) else func


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
mongo = PyMongo()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)
queue = JobQueue()
