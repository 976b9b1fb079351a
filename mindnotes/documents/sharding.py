"""Sharding every per-person collection on a hashed `user_id` (`flask init-mongodb --shard`).

User ids are serial: a ranged key on `user_id` would send every new person to
the last chunk, a hashed one spreads them over the shards. All of a person's
documents then live on one shard, so every query with `user_id` equality
(all of them but the sweeps in `sweeps.py`) reaches that one shard. The unique
indexes all start with `user_id`, which MongoDB requires of a unique index on
a sharded collection (the shard key's fields must be its prefix); a hashed
shard key cannot be unique itself, and need not be.

Only a `mongos` can shard: `hello` there answers `msg: "isdbgrid"`. A plain
server (nx-27017 among them) may answer `enableSharding` with ok and do
nothing, so nothing is sent before that check. Since MongoDB 6.0
`enableSharding` is optional (it only creates the database); it is sent anyway
so that 5.0 works too. A non-empty collection can be sharded only once an
index supports the key: the hashed `{user_id}` index is created first. It is
made here and not in `indexes.INDEXES`, since a server that is not sharded has
no use for it. Sending the same `shardCollection` again is answered ok.
"""

from dataclasses import dataclass, field
from typing import Any

from pymongo.errors import OperationFailure

from mindnotes.documents.indexes import INDEXES

SHARD_KEY = {"user_id": "hashed"}
SHARD_KEY_INDEX = {"key": SHARD_KEY, "name": "user_hashed"}
ALREADY_INITIALIZED = 23  # enableSharding on a database that has it (before MongoDB 6.0)
INDEX_OPTIONS_CONFLICT = 85  # the hashed index exists under another name: it supports the key all the same


class NotAMongos(Exception):
    """The server is not a mongos: nothing was sharded."""


class ShardingRefused(Exception):
    """The mongos refused to shard a collection (e.g. it is sharded on another key already)."""


@dataclass
class ShardReport:
    database: str
    sharded: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"Sharded {len(self.sharded)} collection(s) of {self.database} on a hashed user_id: "
            f"{', '.join(self.sharded)}."
        )


def is_mongos(client: Any) -> bool:
    try:
        answer = client.admin.command("hello")
    except OperationFailure:  # servers older than MongoDB 4.4.2 know only isMaster
        answer = client.admin.command("isMaster")
    return answer.get("msg") == "isdbgrid"


def shard_by_person(client: Any, database: str) -> ShardReport:
    """Shard each per-person collection of `database` on `{user_id: "hashed"}`; safe to repeat.

    `client` is a MongoClient connected to a mongos; NotAMongos when it is not,
    ShardingRefused (naming the collection) when the cluster says no.
    """
    if not is_mongos(client):
        raise NotAMongos(
            "The server is not a mongos (hello did not answer msg: isdbgrid), so nothing was sharded. "
            "Point MONGO_URI at the cluster's mongos and run `flask init-mongodb --shard` again."
        )
    try:
        client.admin.command("enableSharding", database)
    except OperationFailure as error:
        if error.code != ALREADY_INITIALIZED:
            raise ShardingRefused(f"enableSharding {database}: {error}") from error
    report = ShardReport(database)
    for name in INDEXES:
        try:
            _create_shard_key_index(client, database, name)
            client.admin.command("shardCollection", f"{database}.{name}", key=SHARD_KEY)
        except OperationFailure as error:
            raise ShardingRefused(f"MongoDB collection {name} was not sharded: {error}") from error
        report.sharded.append(name)
    return report


def _create_shard_key_index(client: Any, database: str, name: str) -> None:
    try:
        client[database].command("createIndexes", name, indexes=[SHARD_KEY_INDEX])
    except OperationFailure as error:
        if error.code != INDEX_OPTIONS_CONFLICT:
            raise
