"""The export request form and the import upload form."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, RadioField, SelectField
from wtforms.validators import InputRequired, Optional

from mindnotes.services import exports
from mindnotes.services.imports.uploads import OWN_EXPORT, source_choices


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
    source = SelectField(
        "From",
        choices=source_choices,
        default=OWN_EXPORT,
    )
    archive = FileField(
        "The file: a MindNotes JSON export (.zip) or the other app's export",
        validators=[FileRequired("Choose the file to import.")],
    )


class ConfirmImportForm(FlaskForm):
    update = BooleanField("Also update entries edited in the other app since they were imported")
