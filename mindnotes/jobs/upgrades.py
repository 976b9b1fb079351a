"""Data upgrades: changes to stored data that a new version needs, run once per install, by themselves.

Each upgrade is one person's step, safe to run twice and safe beside the
person using the app (each guards its writes by revision or by the values it
read). `run_pending_upgrades` runs every upgrade not yet recorded in
`documents.data_upgrades` for every person, then records it; `flask serve`
and `flask init-mongodb` (the deploy step) queue it for the worker
(`queue_pending_upgrades`), and `flask upgrade-data` runs it in the foreground.
A new install has nobody to upgrade: each upgrade is recorded at once.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from redis.exceptions import RedisError
from sqlalchemy import select

from mindnotes import timeutil
from mindnotes.documents import data_upgrades
from mindnotes.documents.repair import repair_person
from mindnotes.extensions import db, queue
from mindnotes.jobs.mood import upgrade_person_moods
from mindnotes.models import User
from mindnotes.services.journal.upkeep import refresh_excerpts

JOB_ID = "data-upgrades"
# A large install's first run can take long; cut short, it starts over on the next start (each step skips done work).
JOB_TIMEOUT_SECONDS = 6 * 3600


@dataclass(frozen=True)
class Upgrade:
    name: str
    run_for: Callable[[int], object]  # the step for one person, by user id


# In the order they run: types and search terms first, then moods, then excerpts.
UPGRADES = (
    Upgrade("repair-documents", repair_person),  # entries' search_terms; types stored as text
    Upgrade("mood-scores", upgrade_person_moods),  # old moods' 1-5 score; entries' 1-10 mood as a linked log
    Upgrade("plain-excerpts", refresh_excerpts),  # excerpts as the plain text of the rendered Markdown
)


def pending_upgrades() -> list[Upgrade]:
    """The upgrades not yet recorded as done on this install, in order."""
    done = data_upgrades.done_names()
    return [upgrade for upgrade in UPGRADES if upgrade.name not in done]


def run_pending_upgrades() -> list[str]:
    """Run each pending upgrade for every person, one at a time, recording each when done; their names."""
    ran = []
    for upgrade in pending_upgrades():
        for user_id in db.session.scalars(select(User.id).order_by(User.id)).all():
            upgrade.run_for(user_id)
        data_upgrades.record_done(upgrade.name, timeutil.utcnow())
        ran.append(upgrade.name)
    return ran


def queue_pending_upgrades() -> bool:
    """Queue `run_pending_upgrades` for the worker; False (logged, never raised) when Redis is unreachable."""
    try:
        queue.enqueue("mindnotes.jobs.upgrades.run_pending_upgrades", job_id=JOB_ID, job_timeout=JOB_TIMEOUT_SECONDS)
    except RedisError as error:
        current_app.logger.warning(
            "The data upgrades could not be queued (%s: %s); the next start queues them, or run `flask upgrade-data`",
            error.__class__.__name__,
            error,
        )
        return False
    return True
