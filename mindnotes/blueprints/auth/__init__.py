"""Register, log in (with the two-factor step when it is on), log out.

`forms.py` also holds what the account and security pages share with these:
the password and time-zone validators and the sign-in rate limits.
"""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from mindnotes.blueprints.auth import routes  # noqa: E402, F401 - the views register themselves on `bp`
