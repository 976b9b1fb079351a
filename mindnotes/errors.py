"""The one family of errors a person can cause: a message for them, the form
field it belongs to, and the HTTP status the answer carries.

Services raise these; views show them beside the field (`web.show_errors`) or,
when a view does not catch one, the app answers with the error page and the
error's status (registered in `web.init_app`).
"""


class UserError(Exception):
    """Something the person can fix or should know.

    `errors` maps form field names to messages when there are several;
    `field` names the one field a single message belongs to.
    """

    status = 422

    def __init__(
        self,
        message: str = "",
        field: str | None = None,
        status: int | None = None,
        errors: dict[str, str] | None = None,
    ) -> None:
        self.errors = dict(errors) if errors else ({field: message} if field and message else {})
        self.message = message or "; ".join(self.errors.values())
        super().__init__(self.message)
        self.field = field
        if status is not None:
            self.status = status


class NotFound(UserError):
    """What was asked for does not exist, or is not this person's: a 404."""

    status = 404


class Forbidden(UserError):
    status = 403


class Conflict(UserError):
    """The change clashes with the current state (a second running session, a stale revision)."""

    status = 409


class TooLarge(UserError):
    status = 413


class TooMany(UserError):
    status = 429
