"""The RQ worker: runs MindNotes' jobs, each inside an app context of its own.

A SimpleWorker runs each job in this process (no fork), so the MongoDB client
and the database pool are never shared across a fork. Every job gets a fresh
app context, so its database session starts clean and is removed afterwards,
also when the job fails (a PostgreSQL outage never poisons later jobs). When
Redis or PostgreSQL go away, the worker waits and reconnects instead of exiting.

`python worker.py --cron` runs the cron scheduler instead: it enqueues the
periodic jobs of `mindnotes/jobs/schedule.py` when they are due (run exactly
one of it, beside any number of workers).
"""

import argparse
import logging
import threading
import time

from flask import Flask
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rq import SimpleWorker

from mindnotes import create_app
from mindnotes.extensions import queue
from mindnotes.jobs.schedule import build_cron_scheduler

log = logging.getLogger("mindnotes.worker")
RECONNECT_DELAYS = (1, 2, 5, 10, 30)  # seconds between attempts while Redis is away
REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)
# /readyz takes a worker silent for a minute for dead. RQ itself heartbeats only between jobs
# (and every ~7 minutes when idle), so a long export would look dead without this beat.
HEARTBEAT_SECONDS = 20


class AppWorker(SimpleWorker):
    """A SimpleWorker that runs each job in a fresh app context of `app`."""

    app: Flask

    def execute_job(self, job, queue):
        with self.app.app_context():
            return super().execute_job(job, queue)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._dead = threading.Event()

    def register_birth(self):
        super().register_birth()
        threading.Thread(target=self._heartbeat_until_death, name="heartbeat", daemon=True).start()

    def register_death(self):
        self._dead.set()
        super().register_death()

    def _heartbeat_until_death(self) -> None:
        while not self._dead.wait(HEARTBEAT_SECONDS):
            try:
                self.heartbeat()
            except REDIS_DOWN as error:
                log.warning("Heartbeat not sent (Redis unreachable: %s)", error.__class__.__name__)


def _backoff(failures: int, what: str, reason: str) -> None:
    delay = RECONNECT_DELAYS[min(failures, len(RECONNECT_DELAYS) - 1)]
    log.warning("%s stopped (%s); starting again in %s s", what, reason, delay)
    time.sleep(delay)


def keep_working(app: Flask) -> None:
    """Work until asked to stop; after a store outage (RQ quits its loop on one), start again."""
    failures = 0
    while True:
        worker = None
        try:
            worker = AppWorker(app.config["RQ_QUEUES"], connection=queue.redis)
            worker.work(with_scheduler=True)
            reason = "its loop ended"
        except REDIS_DOWN as error:
            reason = f"Redis unreachable: {error.__class__.__name__}"
        # RQ's own SIGTERM/SIGINT handler dates the request (`_stop_requested` is set only when it
        # comes during a job); then we leave for good.
        if worker is not None and worker._shutdown_requested_date is not None:
            return
        _backoff(failures, "The worker", reason)
        failures += 1
        if worker is not None and worker._shutdown_requested_date is not None:
            return


def keep_scheduling(app: Flask) -> None:
    failures = 0
    while True:
        try:
            build_cron_scheduler(queue.redis, app.config["RQ_QUEUES"][0]).start()
            return
        except REDIS_DOWN as error:
            _backoff(failures, "The cron scheduler", f"Redis unreachable: {error.__class__.__name__}")
            failures += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cron", action="store_true", help="enqueue the scheduled jobs when due (run one)")
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_app()
    AppWorker.app = app
    if arguments.cron:
        keep_scheduling(app)
    else:
        keep_working(app)


if __name__ == "__main__":
    main()
