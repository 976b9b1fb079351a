"""The journal's views: list and search, the editor (with drafts and preview),
reading, favorites, trash (`routes.py`), and an entry's photos and voice notes
(`media.py`), all on one blueprint; the editor's form is in `forms.py`.
"""

from flask import Blueprint

from mindnotes.errors import NotFound
from mindnotes.web import render_error

bp = Blueprint("journal", __name__, url_prefix="/journal")


@bp.errorhandler(NotFound)
def not_found(error: NotFound):
    """Another person's entry, photo, voice note or draft, or none at all: the same 404."""
    return render_error(404)


from mindnotes.blueprints.journal import media, routes  # noqa: E402,F401  (their views live on `bp`)
