"""data_upgrades: the named data upgrades (jobs/upgrades.py) this install has finished.

One document per upgrade: `_id` its name, `done_at` when it finished for
everyone. It is about the install, not about a person, so it is not declared
in indexes.py (the per-person collections), needs no index beyond `_id`, and
its queries carry no `user_id`. Written by insert only: no upsert, no `$set`.
"""

from contextlib import suppress
from datetime import datetime

from pymongo.errors import DuplicateKeyError

from mindnotes.documents import collection

NAME = "data_upgrades"


def done_names() -> set[str]:
    """The names of the upgrades recorded as done."""
    return {record["_id"] for record in collection(NAME).find({}, {"_id": 1})}


def record_done(name: str, done_at: datetime) -> None:
    """Record the upgrade `name` as done (once: a second record of it is ignored)."""
    with suppress(DuplicateKeyError):
        collection(NAME).insert_one({"_id": name, "done_at": done_at})
