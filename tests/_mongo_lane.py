"""A pytest plugin (listed in conftest's `pytest_plugins`): which MongoDB the app's `mongo` talks to.

`--mongo=server` (the default) is the MongoDB-wire server of the run (nx-27017,
or MONGO_URI). `--mongo=mongomock` swaps, in every app the tests build, the
client Flask-PyMongo made for a `mongomock.MongoClient` (one for the whole run,
so several apps of one test share their data) and `mongo.db` for its database
of the same name: a second opinion on what the documents layer means, from an
emulator written independently of nx-27017 (`make test-mongomock`).

What mongomock cannot do is skipped on that lane only, with the reason, by
`not_on_mongomock(reason)` on the test concerned.
"""

import mongomock
import pytest
from flask_pymongo import PyMongo
from pymongo import uri_parser

MONGOMOCK = "mongomock"


def pytest_addoption(parser):
    parser.addoption(
        "--mongo",
        choices=("server", MONGOMOCK),
        default="server",
        help="the app's MongoDB: the run's MongoDB-wire server (default) or mongomock",
    )


def not_on_mongomock(reason: str) -> pytest.MarkDecorator:
    """Skips the test on the mongomock lane only, saying what mongomock lacks."""
    return pytest.mark.skipif(f"config.getoption('mongo') == {MONGOMOCK!r}", reason=f"mongomock: {reason}")


def pytest_configure(config):
    if config.getoption("mongo") != MONGOMOCK:
        return
    clients: dict[bool, mongomock.MongoClient] = {}
    init_app = PyMongo.init_app

    def init_app_on_mongomock(self, app, uri=None, *args, **kwargs):
        init_app(self, app, uri, *args, **kwargs)
        self.cx.close()  # made with connect=False: it never opened a connection
        tz_aware = bool(kwargs.get("tz_aware"))  # the one client option mongomock honours that the app sets
        client = clients.setdefault(tz_aware, mongomock.MongoClient(tz_aware=tz_aware))
        self.cx = client
        self.db = client[uri_parser.parse_uri(uri or app.config["MONGO_URI"])["database"]]

    PyMongo.init_app = init_app_on_mongomock
    config.add_cleanup(lambda: setattr(PyMongo, "init_app", init_app))
    _accept_bulk_sort(config)


def _accept_bulk_sort(config) -> None:
    """pymongo 4.10+ hands `sort` to each bulk update/replace; mongomock 4.3 predates it.

    The app sends none (a `sort` would say which of several matches to change,
    and its filters name one document), so an unset `sort` is dropped and a set
    one refused rather than ignored.
    """
    builder = mongomock.collection.BulkOperationBuilder
    for name in ("add_update", "add_replace"):
        original = getattr(builder, name)

        def without_sort(self, *args, _original=original, sort=None, **kwargs):
            if sort is not None:
                raise NotImplementedError("mongomock: a bulk write with `sort`")
            return _original(self, *args, **kwargs)

        setattr(builder, name, without_sort)
        config.add_cleanup(lambda name=name, original=original: setattr(builder, name, original))


def pytest_report_header(config):
    if config.getoption("mongo") == MONGOMOCK:
        return ["mongo: mongomock (the app's MongoDB client is a mongomock.MongoClient)"]
    return []
