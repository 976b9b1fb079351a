"""The RQ worker: runs MindNotes' jobs inside an app context.

A SimpleWorker runs each job in this process (no fork), so the MongoDB client
and the database pool are never shared across a fork.

`python worker.py --cron` runs the cron scheduler instead: it enqueues the
periodic jobs of `mindnotes/jobs/schedule.py` when they are due (run exactly
one of it, beside any number of workers).
"""

import argparse

from rq import SimpleWorker

from mindnotes import create_app
from mindnotes.extensions import queue
from mindnotes.jobs.schedule import build_cron_scheduler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cron", action="store_true", help="enqueue the scheduled jobs when due (run one)")
    arguments = parser.parse_args()
    app = create_app()
    if queue.is_inline:
        raise SystemExit("REDIS_URL is not set: jobs already run inline, no worker is needed.")
    if arguments.cron:
        build_cron_scheduler(queue.redis, app.config["RQ_QUEUES"][0]).start()
        return
    with app.app_context():
        worker = SimpleWorker(app.config["RQ_QUEUES"], connection=queue.redis)
        worker.work(with_scheduler=True)


if __name__ == "__main__":
    main()
