"""A pytest plugin (listed in conftest's `pytest_plugins`): every MongoDB command the app issues
on a per-person collection must target one person, so that on a cluster sharded by `user_id`
it reaches one shard.

A pymongo `CommandListener` is registered when this module is imported, before
any client exists. It runs in the thread that sends the command, so the Python
stack says who sent it: the innermost frame outside pymongo/flask_pymongo/bson.
Only commands sent from code under mindnotes/ are checked (a test's own
`count_documents({})` is not the app's query).

A command is targeted when its filter has `user_id` equality: `5`, `{"$eq": 5}`
or `{"$in": [5]}`. Checked: find `filter`, update `updates[].q` (upserts
included), delete `deletes[].q`, the first `$match` of an aggregate `pipeline`,
count/distinct/findAndModify `query`; every inserted document must carry
`user_id`. Commands that read no document (`count` without a query, as
`estimated_document_count` sends it, and a pipeline opening with
`$collStats`/`$indexStats`) are about the collection, not about anybody's
documents. The sweeps named in `mindnotes.documents.sweeps.CROSS_PERSON_SWEEPS`
may cross people; their filters are kept for tests/test_query_targeting.py.

After each test the autouse fixture `every_query_targets_one_person` fails
the test (at teardown) if the app sent an untargeted command meanwhile; the
terminal summary lists every one seen during the session.
"""

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import bson
import flask_pymongo
import pymongo
import pytest
from pymongo import monitoring

import mindnotes
from mindnotes.documents.indexes import INDEXES
from mindnotes.documents.sweeps import CROSS_PERSON_SWEEPS

# Every collection declared in documents/indexes.py holds one person's documents each (DESIGN.md).
PER_PERSON_COLLECTIONS = frozenset(INDEXES)
APP_ROOT = str(Path(mindnotes.__file__).resolve().parent) + "/"
DRIVER_ROOTS = tuple(str(Path(module.__file__).resolve().parent) + "/" for module in (pymongo, flask_pymongo, bson))
METADATA_STAGES = {"$collStats", "$indexStats"}
THIS_FILE = str(Path(__file__).resolve())


@dataclass(frozen=True)
class AppCommand:
    """One filter (or inserted document) of a command the app sent to a per-person collection."""

    collection: str
    command: str
    filter: object
    issuer: str  # "<module>.<function>" of the mindnotes code that sent it

    def describe(self) -> str:
        return f"{self.collection}: {self.command} {self.filter!r} sent by {self.issuer}"


def has_user_id_equality(query: object) -> bool:
    """Whether `query` pins `user_id` to one value: 5, {"$eq": 5} or {"$in": [5]}."""
    if not isinstance(query, Mapping) or "user_id" not in query:
        return False
    value = query["user_id"]
    if isinstance(value, Mapping):
        if "$eq" in value:
            value = value["$eq"]
        elif set(value) == {"$in"} and len(value["$in"]) == 1:
            value = value["$in"][0]
        else:
            return False
    return value is not None and not isinstance(value, Mapping | list | tuple)


def issuer_in_app() -> str | None:
    """The innermost frame outside the driver as "<module>.<function>", when it is mindnotes code."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(DRIVER_ROOTS + (THIS_FILE,)):
        frame = frame.f_back
    if frame is None or not frame.f_code.co_filename.startswith(APP_ROOT):
        return None
    return f"{frame.f_globals.get('__name__')}.{frame.f_code.co_qualname}"


def filters_of(name: str, command: Mapping) -> list[tuple[str, object]]:
    """(what, filter) pairs of one command, each of which must pin `user_id`; none when it reads no document.

    An inserted document stands for its own filter: it must carry the owner's `user_id`.
    """
    if name == "insert":
        return [("insert", {k: d[k] for k in ("_id", "user_id") if k in d}) for d in command.get("documents", [])]
    if name == "find":
        return [("find", command.get("filter", {}))]
    if name == "update":
        return [("upsert" if u.get("upsert") else "update", u.get("q", {})) for u in command.get("updates", [])]
    if name == "delete":
        return [("delete", d.get("q", {})) for d in command.get("deletes", [])]
    if name == "aggregate":
        first = (command.get("pipeline") or [{}])[0]
        if set(first) & METADATA_STAGES:
            return []
        return [("aggregate $match", first.get("$match", f"no $match first: {first!r}"))]
    if name == "count":
        return [("count", command["query"])] if "query" in command else []
    if name in ("distinct", "findAndModify"):
        return [(name, command.get("query", {}))]
    return []


class TargetingRecorder(monitoring.CommandListener):
    """Keeps every untargeted app command and every sweep's filter, for the whole session."""

    def __init__(self) -> None:
        self.violations: list[AppCommand] = []
        self.sweeps: list[AppCommand] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        name = event.command_name
        collection = event.command.get(name)
        if not isinstance(collection, str) or collection not in PER_PERSON_COLLECTIONS:
            return
        filters = filters_of(name, event.command)
        issuer = issuer_in_app() if filters else None
        if issuer is None:
            return
        for what, query in filters:
            command = AppCommand(collection, what, query, issuer)
            if issuer in CROSS_PERSON_SWEEPS:
                self.sweeps.append(command)
            elif not has_user_id_equality(query):
                self.violations.append(command)

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


RECORDER = TargetingRecorder()
monitoring.register(RECORDER)


@pytest.fixture(autouse=True)
def every_query_targets_one_person():
    """Fails the test when the app sent a command during it that does not target one person."""
    first = len(RECORDER.violations)
    yield
    found = RECORDER.violations[first:]
    if found:
        listed = "\n  ".join(dict.fromkeys(command.describe() for command in found))
        pytest.fail(
            "MongoDB commands without user_id equality in their filter (add it, or name the function in "
            f"mindnotes/documents/sweeps.py CROSS_PERSON_SWEEPS with its index):\n  {listed}",
            pytrace=False,
        )


def pytest_terminal_summary(terminalreporter):
    """Each untargeted (collection, command, function) once, with the first filter seen."""
    first_seen: dict[tuple[str, str, str], AppCommand] = {}
    for command in RECORDER.violations:
        first_seen.setdefault((command.collection, command.command, command.issuer), command)
    if first_seen:
        terminalreporter.section("MongoDB commands that did not target one person")
        for command in first_seen.values():
            terminalreporter.write_line(command.describe())
