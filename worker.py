"""The RQ worker: runs MindNotes' jobs inside an app context.

A SimpleWorker runs each job in this process (no fork), so the MongoDB client
and the database pool are never shared across a fork.
"""

from rq import SimpleWorker

from mindnotes import create_app
from mindnotes.extensions import queue


def main() -> None:
    app = create_app()
    if queue.is_inline:
        raise SystemExit("REDIS_URL is not set: jobs already run inline, no worker is needed.")
    with app.app_context():
        worker = SimpleWorker(app.config["RQ_QUEUES"], connection=queue.redis)
        worker.work(with_scheduler=True)


if __name__ == "__main__":
    main()
