"""`flask init-mongodb --shard`: on a mongos, each per-person collection is sharded on a hashed
user_id once its indexes exist; on anything else nothing is sharded and the command says so.

No mongos can be had here, so the cluster side is a recorder standing in for the client: it
answers `hello` as a mongos does and keeps every command sent, in order.
"""

from types import SimpleNamespace

import pytest
from pymongo.errors import OperationFailure

from mindnotes.cli import sharding as sharding_cli
from mindnotes.documents.indexes import INDEXES
from mindnotes.documents.sharding import NotAMongos, ShardingRefused, shard_by_person
from mindnotes.extensions import mongo
from tests._mongo_lane import not_on_mongomock

MONGOS_HELLO = {"isWritablePrimary": True, "msg": "isdbgrid", "ok": 1.0}


class RecordingClient:
    """A MongoClient's `admin.command` and `client[name].command`, recording (database, command, value, options)."""

    def __init__(self, hello: dict | None = None, refuse: dict[str, OperationFailure] | None = None):
        self.hello = MONGOS_HELLO if hello is None else hello
        self.refuse = refuse or {}
        self.sent: list[tuple] = []

    def __getitem__(self, database: str) -> SimpleNamespace:
        return SimpleNamespace(command=lambda command, value=1, **options: self._run(database, command, value, options))

    @property
    def admin(self) -> SimpleNamespace:
        return self["admin"]

    def _run(self, database: str, command: str, value, options: dict) -> dict:
        self.sent.append((database, command, value, options))
        if command in self.refuse:
            raise self.refuse[command]
        return self.hello if command in ("hello", "isMaster") else {"ok": 1.0}


def test_on_a_mongos_every_per_person_collection_is_sharded_on_a_hashed_user_id():
    client = RecordingClient()
    report = shard_by_person(client, "mindnotes")

    assert report.sharded == list(INDEXES)
    expected = [("admin", "hello", 1, {}), ("admin", "enableSharding", "mindnotes", {})]
    for name in INDEXES:
        expected += [
            ("mindnotes", "createIndexes", name, {"indexes": [{"key": {"user_id": "hashed"}, "name": "user_hashed"}]}),
            ("admin", "shardCollection", f"mindnotes.{name}", {"key": {"user_id": "hashed"}}),
        ]
    assert client.sent == expected


def test_a_server_that_is_not_a_mongos_is_sent_nothing_but_hello():
    client = RecordingClient(hello={"isWritablePrimary": True, "ok": 1.0})
    with pytest.raises(NotAMongos, match="not a mongos"):
        shard_by_person(client, "mindnotes")
    assert [command for _, command, _, _ in client.sent] == ["hello"]


def test_a_server_without_hello_is_asked_is_master():
    client = RecordingClient(refuse={"hello": OperationFailure("no such command: 'hello'", code=59)})
    shard_by_person(client, "mindnotes")
    assert [command for _, command, _, _ in client.sent[:3]] == ["hello", "isMaster", "enableSharding"]


def test_a_database_enabled_before_mongodb_6_is_not_an_error():
    client = RecordingClient(refuse={"enableSharding": OperationFailure("already enabled", code=23)})
    assert shard_by_person(client, "mindnotes").sharded == list(INDEXES)


def test_a_collection_the_cluster_refuses_is_named_and_stops_the_run():
    refused = OperationFailure("sharding already enabled for collection with different key", code=23)
    client = RecordingClient(refuse={"shardCollection": refused})
    first = next(iter(INDEXES))
    with pytest.raises(ShardingRefused, match=f"collection {first} was not sharded"):
        shard_by_person(client, "mindnotes")
    assert [command for _, command, _, _ in client.sent].count("shardCollection") == 1


def test_init_mongodb_shard_on_a_mongos_creates_the_indexes_then_shards(runner, app, monkeypatch):
    client = RecordingClient()
    monkeypatch.setattr(sharding_cli, "mongo", SimpleNamespace(cx=client, db=mongo.db))
    result = runner.invoke(args=["init-mongodb", "--shard"])
    assert result.exit_code == 0, result.output
    assert result.output.index("MongoDB reachable") < result.output.index("Sharded ")
    assert f"Sharded {len(INDEXES)} collection(s) of {mongo.db.name} on a hashed user_id" in result.output


def _index_names() -> dict[str, list[str]]:
    return {name: sorted(index["name"] for index in mongo.db[name].list_indexes()) for name in INDEXES}


@not_on_mongomock("no `hello` command (it raises NotImplementedError)")
def test_init_mongodb_shard_on_the_run_server_says_it_is_not_a_mongos(runner, app):
    before = _index_names()
    result = runner.invoke(args=["init-mongodb", "--shard"])
    assert result.exit_code == 1
    assert "MongoDB reachable" in result.output  # the indexes were made all the same
    assert "not a mongos" in result.output and "nothing was sharded" in result.output
    assert _index_names() == before  # no shard key index either
