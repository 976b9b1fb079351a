"""`flask init-mongodb --shard`: its last step, once every index exists (mindnotes/documents/sharding.py)."""

import click

from mindnotes.documents.sharding import NotAMongos, ShardingRefused, shard_by_person
from mindnotes.extensions import mongo


def shard_collections() -> None:
    """Shard each per-person collection on a hashed user_id, or say why nothing was sharded (exit 1)."""
    assert mongo.db is not None  # init-mongodb has just created its indexes
    try:
        report = shard_by_person(mongo.cx, mongo.db.name)
    except (NotAMongos, ShardingRefused) as error:
        raise click.ClickException(str(error)) from error
    click.echo(report.summary())
