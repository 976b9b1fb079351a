"""The export request form and the import upload form."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, RadioField
from wtforms.validators import InputRequired, Optional

from mindnotes.services import exports


class ExportForm(FlaskForm):
    format = RadioField(
        "Format", choices=list(exports.FORMATS.items()), default="json", validators=[InputRequired("Choose a format.")]
    )
    scope = RadioField(
        "What to export",
        choices=list(exports.SCOPES.items()),
        default="everything",
        validators=[InputRequired("Choose what to export.")],
    )
    date_from = DateField("From (optional)", validators=[Optional()])
    date_to = DateField("To (optional)", validators=[Optional()])


class ImportForm(FlaskForm):
    archive = FileField("JSON export (.zip)", validators=[FileRequired("Choose the .zip of a MindNotes JSON export.")])
