"""The commands about the stores themselves: `flask serve`, `init-mongodb`, `seed`, `reconcile`."""

import os
import signal
import sys
import threading

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade
from pymongo.errors import PyMongoError
from sqlalchemy import select
from werkzeug.serving import run_simple

from mindnotes import embedded_mongo
from mindnotes.documents.indexes import create_indexes, get_mongo_stats
from mindnotes.extensions import db, mongo, queue
from mindnotes.jobs.maintenance import recount_entries
from mindnotes.jobs.schedule import run_schedule_inline
from mindnotes.models import User
from mindnotes.seed import seed_reference_data


def _init_mongodb() -> list[str]:
    mongo.cx.admin.command("ping")
    return create_indexes(mongo.db)


@click.command("init-mongodb")
@click.option("--stats", is_flag=True, help="Print each collection's documents, size and indexes.")
@with_appcontext
def init_mongodb_command(stats: bool) -> None:
    """Check the MongoDB connection and create every index (safe to repeat)."""
    try:
        created = _init_mongodb()
    except PyMongoError as error:
        raise click.ClickException(
            f"Cannot reach MongoDB at {current_app.config['MONGO_URI']}: {error.__class__.__name__}. "
            "Is it running? (`make run` starts the embedded one.)"
        ) from error
    click.echo(f"MongoDB reachable; {len(created)} index(es) created.")
    if stats:
        click.echo(f"{'collection':<22}{'documents':>10}{'bytes':>12}{'indexes':>9}")
        for row in get_mongo_stats(mongo.db):
            click.echo(f"{row['collection']:<22}{row['count']:>10}{row['size']:>12}{row['indexes']:>9}")


@click.command("seed")
@with_appcontext
def seed_command() -> None:
    """Load plans and reference data (safe to repeat)."""
    counts = seed_reference_data()
    click.echo("Reference data: " + ", ".join(f"{count} {name}" for name, count in counts.items()))


@click.command("reconcile")
@with_appcontext
def reconcile_command() -> None:
    """Recount each person's entries_used from MongoDB."""
    changed = 0
    for user_id in db.session.scalars(select(User.id).order_by(User.id)):
        before, after = recount_entries(user_id)
        if before != after:
            changed += 1
            click.echo(f"user {user_id}: entries_used {before} -> {after}")
    click.echo(f"Reconciled; {changed} account(s) corrected.")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=lambda: int(os.environ.get("PORT", "5000")), show_default="5000 or $PORT")
def serve_command(host: str, port: int) -> None:
    """Prepare every store and serve MindNotes (starts the embedded MongoDB when needed)."""
    app = current_app._get_current_object()
    mongo_process = None
    stop_schedule = threading.Event()
    # A service manager stops us with SIGTERM: leave as Ctrl-C does, through `finally`.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    if app.config["MONGO_EMBEDDED"] and not embedded_mongo.is_reachable(app.config["MONGO_URI"]):
        data_dir = app.config["MONGO_DATA_DIR"]
        mongo_process = embedded_mongo.start(app.config["MONGO_URI"], data_dir, os.path.join(data_dir, "nx-27017.log"))
        click.echo(f"Started the embedded MongoDB-wire server (data in {data_dir}).")
    try:
        os.makedirs(app.instance_path, exist_ok=True)
        upgrade(directory=os.path.join(app.root_path, os.pardir, "migrations"))
        _init_mongodb()
        seed_reference_data()
        if queue.is_inline:
            threading.Thread(target=run_schedule_inline, args=(app, stop_schedule), daemon=True).start()
            click.echo("Jobs run inline (no REDIS_URL), scheduled jobs in this process.")
        else:
            click.echo("Jobs run on Redis: start `python worker.py` and one `python worker.py --cron`.")
        click.echo(f"\n  MindNotes is running: open http://{host}:{port}\n  (Ctrl-C stops it)\n")
        sys.stdout.flush()
        run_simple(host, port, app, threaded=True)
    finally:
        stop_schedule.set()
        if mongo_process is not None:
            mongo_process.terminate()
            mongo_process.wait(timeout=10)
