"""mood_entries: one document per mood a person logs, and the trend pipelines over them.

Trend pipelines start with `$match` on user_id and a `local_date` range (served
by the `user_local_date` index) and group on stored fields, so they never pull
every document into Python. Factor trends group on the flat `factor_values`
({"<factor id>": value}) rather than on a compound key: nx-27017 leaves a
compound `$group` key unevaluated and is slow to `$unwind`.
"""

from datetime import datetime

from bson import ObjectId
from pymongo import ASCENDING, DESCENDING

from mindnotes.documents import collection, compare_and_swap, parse_object_id

NAME = "mood_entries"
NEWEST_FIRST = [("felt_at", DESCENDING), ("_id", DESCENDING)]


def factor_values_of(factors: list[dict]) -> dict[str, str]:
    """The flat `factor_values` a mood stores beside its `factors` list: {"<factor id>": value}.

    Every writer of mood documents (the picker, an import) sets it, or the
    mood is missing from the factor trends.
    """
    return {str(f["factor_id"]): f["value"] for f in factors if f.get("factor_id") is not None and f.get("value")}


def insert_mood(user_id: int, mood: dict) -> dict:
    mood = {**mood, "_id": mood.get("_id") or ObjectId(), "user_id": user_id}
    collection(NAME).insert_one(mood)
    return mood


def get_mood(user_id: int, mood_id: str | ObjectId) -> dict | None:
    oid = parse_object_id(mood_id)
    if oid is None:
        return None
    return collection(NAME).find_one({"_id": oid, "user_id": user_id})


class _MoodGone(LookupError):
    """The mood is not (or no longer) the person's."""


def replace_fields(user_id: int, mood_id: ObjectId, fields: dict) -> dict | None:
    """Set `fields` on the person's mood; the mood as it was before, or None if it is not theirs.

    The whole document is replaced under its `revision` guard (`$set` would
    store the datetimes as strings on nx-27017, and the mood pages would fail).
    """

    def read() -> dict:
        mood = get_mood(user_id, mood_id)
        if mood is None:
            raise _MoodGone
        return mood

    try:
        swapped = compare_and_swap(NAME, user_id, read, lambda mood: {**mood, **fields})
    except _MoodGone:
        return None
    if swapped is None:
        raise RuntimeError(f"mood {mood_id} kept changing while it was being saved")
    before, _stored = swapped
    return before


def moods_without_score(user_id: int) -> list[dict]:
    """The person's moods stored before moods had a `score` (issue 17), for the backfill."""
    query = {"user_id": user_id, "score": {"$exists": False}}
    return list(collection(NAME).find(query, {"category_id": 1, "valence": 1, "intensity": 1}))


def set_score_if_missing(user_id: int, mood_id: ObjectId, score: int) -> bool:
    """Give the person's mood `score` unless it has one by now (a number: `$set` keeps its type everywhere)."""
    guard = {"_id": mood_id, "user_id": user_id, "score": {"$exists": False}}
    return collection(NAME).update_one(guard, {"$set": {"score": score}}).modified_count == 1


def delete_mood(user_id: int, mood_id: str | ObjectId) -> dict | None:
    """Remove the person's mood; the removed document, or None if there was none of theirs."""
    oid = parse_object_id(mood_id)
    if oid is None:
        return None
    return collection(NAME).find_one_and_delete({"_id": oid, "user_id": user_id})


def moods_for_entry(user_id: int, entry_id: str | ObjectId) -> list[dict]:
    """The person's moods linked to one of their journal entries, earliest felt first."""
    oid = parse_object_id(entry_id)
    if oid is None:
        return []
    # `$in`, not plain equality: nx-27017 never matches an ObjectId outside `_id` by equality.
    query = {"user_id": user_id, "journal_entry_id": {"$in": [oid]}}
    return list(collection(NAME).find(query).sort("felt_at", ASCENDING))


def scores_by_id(user_id: int, mood_ids: list[ObjectId]) -> dict[ObjectId, int]:
    """The scores of the person's moods among `mood_ids`, in one query (an entry's own mood has the entry's id)."""
    if not mood_ids:
        return {}
    moods = collection(NAME).find({"user_id": user_id, "_id": {"$in": mood_ids}}, {"score": 1})
    return {mood["_id"]: mood["score"] for mood in moods if type(mood.get("score")) is int}


def _range_filter(user_id: int, first: str | None, last: str | None) -> dict:
    query: dict = {"user_id": user_id}
    dates = {}
    if first:
        dates["$gte"] = first
    if last:
        dates["$lte"] = last
    if dates:
        query["local_date"] = dates
    return query


def page_of_moods(
    user_id: int,
    first: str | None,
    last: str | None,
    category_id: int | None,
    after: tuple[datetime, ObjectId] | None,
    size: int,
) -> list[dict]:
    """Up to `size` moods, newest felt first, strictly after the keyset `after` (felt_at, _id).

    Keyset pages need no count and stay fast however far back a person reads.
    """
    query = _range_filter(user_id, first, last)
    if category_id is not None:
        query["category_id"] = category_id
    if after is not None:
        felt_at, oid = after
        query["$or"] = [{"felt_at": {"$lt": felt_at}}, {"felt_at": felt_at, "_id": {"$lt": oid}}]
    return list(collection(NAME).find(query).sort(NEWEST_FIRST).limit(size))


def moods_between(user_id: int, first: str, last: str) -> list[dict]:
    """The person's moods from `first` to `last` (local dates, inclusive), earliest felt first."""
    return list(collection(NAME).find(_range_filter(user_id, first, last)).sort("felt_at", ASCENDING))


def daily_averages(user_id: int, first: str, last: str) -> list[dict]:
    """Per local day with moods: {_id: "YYYY-MM-DD", average, moods}, oldest first."""
    pipeline = [
        {"$match": _range_filter(user_id, first, last)},
        {"$group": {"_id": "$local_date", "average": {"$avg": "$score"}, "moods": {"$sum": 1}}},
        {"$sort": {"_id": 1}},
    ]
    return list(collection(NAME).aggregate(pipeline))


def category_counts(user_id: int, first: str, last: str) -> list[dict]:
    """Per category: {_id: category id, moods, average}, most logged first."""
    pipeline = [
        {"$match": _range_filter(user_id, first, last)},
        {"$group": {"_id": "$category_id", "moods": {"$sum": 1}, "average": {"$avg": "$score"}}},
        {"$sort": {"moods": -1, "_id": 1}},
    ]
    return list(collection(NAME).aggregate(pipeline))


def factor_value_averages(user_id: int, first: str, last: str, factor_ids: list[int]) -> dict[int, list[dict]]:
    """Per factor: [{_id: value, average, moods}] for each of its values noted in the range.

    One small pipeline per factor, grouping on the flat `factor_values.<id>`:
    on nx-27017 that is some 20 times faster than one `$unwind` pipeline, and
    it means the same on MongoDB.
    """
    averages = {}
    for factor_id in factor_ids:
        pipeline = [
            {"$match": _range_filter(user_id, first, last)},
            {"$group": {"_id": f"$factor_values.{factor_id}", "average": {"$avg": "$score"}, "moods": {"$sum": 1}}},
        ]
        averages[factor_id] = [row for row in collection(NAME).aggregate(pipeline) if row["_id"] is not None]
    return averages
