"""Bringing text stored beside an entry up to date when the way it is made changes.

An entry's excerpt is made when the entry is written (fields.make_excerpt). Entries
written before excerpts became the plain text of the rendered Markdown still show
marks, URLs and rules in lists and on the dashboard until they are saved again;
`flask journal refresh-excerpts` remakes them once, person by person.
"""

from sqlalchemy import select

from mindnotes.documents import journal_entries
from mindnotes.extensions import db
from mindnotes.models import User
from mindnotes.services.journal.fields import make_excerpt

_TEXT = {"content": 1, "prompt_responses": 1, "excerpt": 1, "revision": 1}


def refresh_excerpts(user_id: int) -> int:
    """Remake the person's stored excerpts that differ from what writing the entry now makes; how many changed.

    An entry edited meanwhile is left alone: its save made a current excerpt.
    """
    changed = 0
    for entry in journal_entries.find_entries(user_id, {}, [("_id", 1)], 0, _TEXT):
        answers = entry.get("prompt_responses") or []
        excerpt = make_excerpt(entry.get("content") or (answers[0]["answer"] if answers else ""))
        if excerpt != entry.get("excerpt") and journal_entries.set_excerpt(
            user_id, entry["_id"], entry.get("revision"), excerpt
        ):
            changed += 1
    return changed


def refresh_all_excerpts() -> int:
    """`refresh_excerpts` for every person; how many excerpts changed in all."""
    return sum(refresh_excerpts(user_id) for user_id in db.session.scalars(select(User.id).order_by(User.id)))
