"""Account security pages: reset and verification links, email, two-factor, sessions, the log, deletion."""

from flask import Blueprint

bp = Blueprint("security", __name__)

from mindnotes.blueprints.security import routes  # noqa: E402, F401 - the views register themselves on `bp`
