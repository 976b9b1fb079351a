"""Exports and import, under the account: ask for an export, watch it, download it;
import a JSON export (`routes.py`); their two forms are in `forms.py`."""

from flask import Blueprint

bp = Blueprint("exports", __name__, url_prefix="/account/exports")

from mindnotes.blueprints.exports import routes  # noqa: E402,F401  (its views live on `bp`)
