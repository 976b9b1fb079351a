"""What an answer form carries from when it was shown: a signed note of the moment, and the answer's key.

The moment gives the time spent on an answer (`seconds_since_shown`); the key
makes the same form sent twice store one answer (`prompts.answer_prompt`).
"""

from datetime import datetime

from bson import ObjectId
from flask import current_app
from itsdangerous import BadData, TimestampSigner

from mindnotes import timeutil


class _ShownSigner(TimestampSigner):
    """Signs with the time `at` (the app's clock by default), so the time spent follows `timeutil`."""

    def __init__(self, at: datetime | None = None) -> None:
        super().__init__(current_app.config["SECRET_KEY"], salt="prompt-shown")
        self.at = at

    def get_timestamp(self) -> int:
        return int((self.at or timeutil.utcnow()).timestamp())


def shown_token(prompt_id: int, now: datetime | None = None) -> str:
    """A signed note that the answer form of `prompt_id` was shown at `now`."""
    return _ShownSigner(now).sign(str(prompt_id)).decode()


def seconds_since_shown(token: str | None, prompt_id: int, now: datetime | None = None) -> int:
    """Seconds since the form was shown; 0 when the token is missing, forged or for another prompt."""
    try:
        value, signed_at = _ShownSigner().unsign(token or "", return_timestamp=True)
    except BadData:
        return 0
    if value.decode() != str(prompt_id):
        return 0
    return int(((now or timeutil.utcnow()) - signed_at).total_seconds())


def new_answer_key() -> str:
    """The key an answer form carries, made when it is shown (see `prompts.answer_prompt`)."""
    return str(ObjectId())
