"""The journal's errors: members of the app's one family (`mindnotes.errors`).

Each carries its message for the person and its HTTP status; `EntryInvalid`
and `TagInvalid` also name the editor fields their messages belong beside.
The package re-exports them, so callers catch `journal.EntryInvalid` and
`journal.JournalError` as before.
"""

from mindnotes.errors import Conflict, Forbidden, NotFound, UserError


class JournalError(UserError):
    """A journal action that cannot be done; the message is for the person."""


class EntryInvalid(JournalError):
    """Input the person can fix; `errors` maps form field names to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors=errors)


class TagInvalid(JournalError):
    """A tag name that cannot be used; it belongs beside the editor's new-tag field."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="new_tag")


class EntryNotFound(JournalError, NotFound):
    """No such entry (or draft) of this person's: another person's is the same 404."""


class EntryLimitReached(JournalError, Forbidden):
    """The plan's entry limit is reached."""


class EntryExists(JournalError, Conflict):
    """An entry with this `_id` is already stored (a retried or racing create)."""


class EntryChanged(JournalError, Conflict):
    """The entry was saved elsewhere since this edit began."""


class JournalUnavailable(JournalError):
    """MongoDB did not take the write; nothing was kept."""

    status = 503
