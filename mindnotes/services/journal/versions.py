"""An entry's earlier versions: what changed, word by word, and bringing one back.

Each save that changes the title or text keeps the text it replaced as a
version (`versions_after_edit`). Version `n` is compared with the text that
followed it: version `n + 1`, or the entry as it is now for the newest one.
Restoring a version is an edit like any other: the current text becomes the
newest version, so a restore can itself be undone.
"""

import difflib
import re
from dataclasses import dataclass
from datetime import datetime

from bson import ObjectId

from mindnotes import timeutil
from mindnotes.services.journal import EntryNotFound, change_entry, versions_after_edit
from mindnotes.services.journal.fields import entry_type_for, text_figures

# Words (with their inner apostrophes and hyphens), runs of white space, and single marks.
_TOKEN = re.compile(r"\w+(?:['’-]\w+)*|\s+|[^\w\s]")


@dataclass
class Piece:
    """A stretch of text in a diff: "same", "added" or "removed"."""

    change: str
    text: str


@dataclass
class Comparison:
    """Version `number` of an entry beside the text that followed it."""

    number: int
    version: dict
    followed_by: str
    title_diff: list[Piece]
    content_diff: list[Piece]

    @property
    def changed(self) -> bool:
        return any(piece.change != "same" for piece in self.title_diff + self.content_diff)


def word_diff(before: str, after: str) -> list[Piece]:
    """`before` turned into `after`, word by word; white space counts as a word so the text reads as written."""
    old, new = _TOKEN.findall(before or ""), _TOKEN.findall(after or "")
    pieces: list[Piece] = []

    def add(change: str, tokens: list[str]) -> None:
        if not tokens:
            return
        if pieces and pieces[-1].change == change:
            pieces[-1].text += "".join(tokens)
        else:
            pieces.append(Piece(change, "".join(tokens)))

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            add("same", old[i1:i2])
            continue
        add("removed", old[i1:i2])
        add("added", new[j1:j2])
    return pieces


def _version(entry: dict, number: int) -> dict:
    versions = entry.get("versions", [])
    if not 1 <= number <= len(versions):
        raise EntryNotFound("There is no such version.")
    return versions[number - 1]


def compare_version(entry: dict, number: int) -> Comparison:
    """Version `number` (counted from 1, oldest first) and what the next save made of it."""
    version = _version(entry, number)
    versions = entry["versions"]
    following = versions[number] if number < len(versions) else entry
    return Comparison(
        number=number,
        version=version,
        followed_by=f"version {number + 1}" if number < len(versions) else "the current text",
        title_diff=word_diff(version["title"], following["title"]),
        content_diff=word_diff(version["content"], following["content"]),
    )


def restore_version(
    user, entry_id: str | ObjectId, number: int, revision: int | None = None, now: datetime | None = None
) -> dict:
    """Make version `number`'s title and text the entry's again; the text it replaces is kept as a version.

    With `revision` (the one the person saw), a save made since is refused with EntryChanged.
    """
    now = now or timeutil.utcnow()

    def restore(entry: dict) -> dict:
        version = _version(entry, number)
        title, content = version["title"], version["content"]
        return {
            "title": title,
            "content": content,
            "versions": versions_after_edit(entry, title, content),
            "entry_type": entry_type_for({**entry, "content": content}),
            **text_figures(title, content, entry.get("prompt_responses", [])),
        }

    return change_entry(user, entry_id, restore, revision=revision, now=now)
