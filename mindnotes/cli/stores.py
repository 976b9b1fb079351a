"""The commands about the stores themselves: `flask serve`, `init-mongodb`, `seed`, `reconcile`, `queue-followups`.

`serve` and `init-mongodb` also queue the data upgrades not yet run (jobs/upgrades.py)."""

import os
import signal
import sys
from functools import partial

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade
from pymongo.errors import PyMongoError
from sqlalchemy import select
from werkzeug.serving import run_simple

from mindnotes import embedded
from mindnotes.cli import sharding
from mindnotes.documents.indexes import IndexConflict, IndexReport, create_indexes, get_mongo_stats
from mindnotes.extensions import db, mongo
from mindnotes.jobs.followups import queue_outbox_followups
from mindnotes.jobs.upgrades import queue_pending_upgrades
from mindnotes.models import User
from mindnotes.seed import seed_reference_data
from mindnotes.services.overview.counters import correct_counters, counter_drift


def _init_mongodb() -> IndexReport:
    mongo.cx.admin.command("ping")
    return create_indexes(mongo.db)


@click.command("init-mongodb")
@click.option("--stats", is_flag=True, help="Print each collection's documents, size and indexes.")
@click.option("--shard", is_flag=True, help="On a mongos: then shard each per-person collection on a hashed user_id.")
@with_appcontext
def init_mongodb_command(stats: bool, shard: bool) -> None:
    """Check the MongoDB connection and create every index (safe to repeat)."""
    try:
        report = _init_mongodb()
    except IndexConflict as error:
        raise click.ClickException(str(error)) from error
    except PyMongoError as error:
        raise click.ClickException(
            f"Cannot reach MongoDB at {current_app.config['MONGO_URI']}: {error.__class__.__name__}. "
            "Is it running? (`make run` starts the embedded one.)"
        ) from error
    click.echo(f"MongoDB reachable; {report.summary()}")
    _queue_data_upgrades()
    if stats:
        click.echo(f"{'collection':<22}{'documents':>10}{'bytes':>12}{'indexes':>9}")
        for row in get_mongo_stats(mongo.db):
            click.echo(f"{row['collection']:<22}{row['count']:>10}{row['size']:>12}{row['indexes']:>9}")
    if shard:
        sharding.shard_collections()


@click.command("seed")
@with_appcontext
def seed_command() -> None:
    """Load plans and reference data (safe to repeat)."""
    counts = seed_reference_data()
    click.echo("Reference data: " + ", ".join(f"{count} {name}" for name, count in counts.items()))


@click.command("reconcile")
@click.option("--dry-run", is_flag=True, help="Only print each drifted counter; change nothing.")
@with_appcontext
def reconcile_command(dry_run: bool) -> None:
    """Recount every counter (entries_used, moods_logged, focus_minutes, words_written,
    the day logs and the analytics totals) from the documents, person by person."""
    drifted = 0
    for user in db.session.scalars(select(User).order_by(User.id)):
        drifts = counter_drift(user.id)
        if not drifts:
            continue
        drifted += 1
        for drift in drifts:
            click.echo(f"user {user.id}: {drift.describe()}")
        if not dry_run:
            correct_counters(user, drifts)
    if dry_run:
        click.echo(f"Dry run; {drifted} account(s) with drifted counters, nothing changed.")
    else:
        click.echo(f"Reconciled; {drifted} account(s) corrected.")


@click.command("queue-followups")
@with_appcontext
def queue_followups_command() -> None:
    """Queue the follow-up jobs that writes kept in the outbox while Redis was unreachable."""
    click.echo(f"Queued {queue_outbox_followups()} follow-up job(s) from the outbox.")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=lambda: int(os.environ.get("PORT", "5000")), show_default="5000 or $PORT")
def serve_command(host: str, port: int) -> None:
    """Prepare every store and serve MindNotes; on the embedded default, start and
    supervise MongoDB-wire, Redis, an RQ worker and the cron scheduler too."""
    app = current_app._get_current_object()
    supervisor = embedded.Supervisor(say=partial(click.echo, err=True))
    # A service manager stops us with SIGTERM: leave as Ctrl-C does, through `finally`.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    try:
        _start_embedded_stores(app, supervisor)
        os.makedirs(app.instance_path, exist_ok=True)
        upgrade(directory=os.path.join(app.root_path, os.pardir, "migrations"))
        _init_mongodb()
        seed_reference_data()
        _queue_data_upgrades()
        if app.config["REDIS_EMBEDDED"]:
            logs = os.path.join(app.instance_path, "logs")
            for name, arguments in (("RQ worker", []), ("cron scheduler", ["--cron"])):
                command = [sys.executable, os.path.join(embedded.PROJECT_ROOT, "worker.py"), *arguments]
                log_path = os.path.join(logs, name.split()[-1] + ".log")
                supervisor.start(embedded.Child(name, command, log_path=log_path))
            click.echo(f"Started an RQ worker and the cron scheduler (logs in {logs}).")
            supervisor.watch()
        else:
            click.echo("Jobs run on the Redis of REDIS_URL: run `python worker.py` and one `python worker.py --cron`.")
        click.echo(f"\n  MindNotes is running: open http://{host}:{port}\n  (Ctrl-C stops it)\n")
        sys.stdout.flush()
        run_simple(host, port, app, threaded=True)
    except KeyboardInterrupt:
        click.echo("\nStopping MindNotes and the servers it started…")
    finally:
        supervisor.stop()


def _queue_data_upgrades() -> None:
    """Have the worker run the data upgrades this install has not run yet (a failure to queue is only told)."""
    if queue_pending_upgrades():
        click.echo("Queued the data upgrades not yet run, for the worker (`flask upgrade-data` runs them now).")
    else:
        click.echo("Could not queue the data upgrades (Redis unreachable): run `flask upgrade-data`.", err=True)


def _start_embedded_stores(app: Flask, supervisor: embedded.Supervisor) -> None:
    """nx-27017 and Redis, each unless its URL is set or it already answers."""
    config = app.config
    if config["MONGO_EMBEDDED"] and not embedded.mongo_is_reachable(config["MONGO_URI"]):
        command = embedded.mongo_command(config["MONGO_URI"], config["MONGO_DATA_DIR"])
        ready = partial(embedded.mongo_is_reachable, config["MONGO_URI"])
        supervisor.start(embedded.Child("MongoDB-wire server (nx-27017)", command, ready, config["MONGO_DATA_DIR"]))
        click.echo(f"Started the embedded MongoDB-wire server (data in {config['MONGO_DATA_DIR']}).")
    if config["REDIS_EMBEDDED"] and not embedded.redis_is_reachable(config["REDIS_URL"]):
        command = embedded.redis_command(config["REDIS_URL"], config["REDIS_DATA_DIR"])
        ready = partial(embedded.redis_is_reachable, config["REDIS_URL"])
        supervisor.start(embedded.Child("Redis", command, ready, config["REDIS_DATA_DIR"]))
        click.echo(f"Started the embedded Redis (data in {config['REDIS_DATA_DIR']}).")
