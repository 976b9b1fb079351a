"""Extension singletons, bound to an app in `create_app` through `init_app`."""

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
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
from rq.job import Job
from sqlalchemy import DateTime, Engine, event
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


@event.listens_for(Engine, "connect")
def _sqlite_write_ahead_log(dbapi_connection, _record) -> None:
    """The embedded default's SQLite keeps a write-ahead log: a commit is one sync of the log, not the
    several of a rollback journal, and reading never waits for a writer (the web workers, the worker and
    the scheduler share the file). As durable as before (synchronous stays FULL); the file grows a
    `-wal` and a `-shm` beside it."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA journal_mode=WAL")


# Queue a job's commands (as RQ would send them in a pipeline) unless a job under the same id is still
# waiting (RQ's statuses queued, scheduled, deferred): the check and the enqueue in one atomic round trip.
# KEYS[1] is the job's hash; KEYS[2], when given, a key that lives ARGV[1] ms after each run queued
# through it: while it lives nothing is queued and the script answers minus the ms it still lives (the
# caller schedules the run for then). ARGV then holds each command as its length, then its words.
_ENQUEUE_UNLESS_WAITING = """
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'queued' or status == 'scheduled' or status == 'deferred' then
  return 0
end
if KEYS[2] then
  local left = redis.call('PTTL', KEYS[2])
  if left > 0 then
    return -left
  end
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[1])
end
local i = 2
while i <= #ARGV do
  local length = tonumber(ARGV[i])
  redis.call(unpack(ARGV, i + 1, i + length))
  i = i + length + 1
end
return 1
"""


class JobQueue:
    """Background jobs on RQ: the worker runs them in an app context of its own.

    Jobs are named by dotted path, not imported, so services never import `jobs/`.
    The embedded default runs a real Redis and worker too (`flask serve`): there
    is one job path everywhere. Queueing a job is one round trip to Redis.
    """

    def __init__(self) -> None:
        self.redis: Redis | None = None
        self.queue: Queue | None = None

    def init_app(self, app: Flask) -> None:
        # Fail fast when Redis is down; no read timeout: the worker blocks on its queue for minutes.
        self.redis = Redis.from_url(app.config["REDIS_URL"], socket_connect_timeout=1)
        self.queue = Queue(app.config["RQ_QUEUES"][0], connection=self.redis)
        self._script = self.redis.register_script(_ENQUEUE_UNLESS_WAITING)
        app.extensions["job_queue"] = self

    def enqueue(
        self,
        func: str | Callable,
        *args: Any,
        job_id: str | None = None,
        at_most_every: float | None = None,
        **options: Any,
    ) -> Job:
        """Queue the job `func` (a dotted path) with `args` for the worker, in one round trip.

        With a `job_id`, a job that is still waiting under that id is not queued
        a second time (at most one waiting job per id): RQ's commands for the
        job run in a Lua script that first checks the waiting job's status.
        With `at_most_every` (seconds) too, runs under that id are queued at
        most that often: the first at once, one asked for sooner is scheduled
        for when the time is up (a second round trip) and, waiting, covers
        every later ask until then. A burst of writes costs a run or two per
        period, not one per write; a single write still runs at once.
        """
        if job_id is None:
            with self.redis.pipeline() as pipe:
                job = self.queue.enqueue(func, *args, pipeline=pipe, **options)
                pipe.execute()
            return job
        throttle = (f"held-back:{job_id}", round(at_most_every * 1000)) if at_most_every else None
        job, answer = self._run_unless_waiting(
            lambda pipe: self.queue.enqueue(func, *args, job_id=job_id, pipeline=pipe, **options), throttle
        )
        if answer < 0:  # held back: scheduled for when the time is up
            later = timedelta(milliseconds=-answer)
            job, _answer = self._run_unless_waiting(
                lambda pipe: self.queue.enqueue_in(later, func, *args, job_id=job_id, pipeline=pipe, **options)
            )
        return job

    def _run_unless_waiting(
        self, make_job: Callable[[Any], Job], throttle: tuple[str, int] | None = None
    ) -> tuple[Job, int]:
        """Run the commands `make_job(pipeline)` would send, through the script; (the job, its answer)."""
        with self.redis.pipeline() as pipe:
            job = make_job(pipe)
            commands = [command for command, _options in pipe.command_stack]
            pipe.reset()
        words: list = [throttle[1] if throttle else 0]
        for command in commands:
            words += [len(command), *command]
        keys = [job.key, throttle[0]] if throttle else [job.key]
        return job, self._script(keys=keys, args=words)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
mongo = PyMongo()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)
queue = JobQueue()
