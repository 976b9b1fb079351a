"""MongoDB documents: one module per collection, plus `indexes.py`.

Every function here takes the owner's `user_id` (the PostgreSQL user id) and
puts it in its filter, so no caller can reach another person's document by id.
"""

from bson import ObjectId
from bson.errors import InvalidId
from pymongo.collection import Collection

from mindnotes.extensions import mongo


def collection(name: str) -> Collection:
    return mongo.db[name]


def parse_object_id(value: str | ObjectId | None) -> ObjectId | None:
    """The ObjectId in `value`, or None when it is not one (answered as a 404)."""
    if isinstance(value, ObjectId):
        return value
    try:
        return ObjectId(value)
    except (InvalidId, TypeError):
        return None
