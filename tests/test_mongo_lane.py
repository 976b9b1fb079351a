"""`--mongo=mongomock` really swaps the app's MongoDB, and only then (tests/_mongo_lane.py)."""

import mongomock
from pymongo import MongoClient

from mindnotes.documents import collection
from mindnotes.extensions import mongo


def test_the_app_talks_to_the_lane_the_run_asked_for(app, pytestconfig):
    on_mongomock = pytestconfig.getoption("mongo") == "mongomock"
    assert isinstance(mongo.cx, mongomock.MongoClient) is on_mongomock
    assert isinstance(mongo.cx, MongoClient) is not on_mongomock
    assert mongo.db.name == app.config["MONGO_URI"].rsplit("/", 1)[1]


def test_apps_of_one_test_share_their_documents(app_factory, app):
    collection("mood_entries").insert_one({"user_id": 1, "local_date": "2026-03-01"})
    with app_factory().app_context():
        assert collection("mood_entries").find_one({"user_id": 1})["local_date"] == "2026-03-01"
