"""The export and import views: ask, watch, download; import a JSON export."""

from flask import current_app, flash, redirect, request, send_file, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from mindnotes.blueprints.exports import bp
from mindnotes.blueprints.exports.forms import ConfirmImportForm, ExportForm, ImportForm
from mindnotes.errors import TooLarge, UserError
from mindnotes.extensions import csrf
from mindnotes.htmx import is_htmx_request, render_page_or_partial
from mindnotes.services import exports, imports
from mindnotes.services.imports import daylio
from mindnotes.services.imports import uploads as import_uploads
from mindnotes.web import found_or_404, show_errors


@bp.context_processor
def export_choices():
    return {
        "FORMATS": exports.FORMATS,
        "SCOPES": exports.SCOPES,
        # Called by the Daylio preview only: each reads the mood list.
        "import_mood_choices": daylio.mood_choices,
        "import_score_choices": daylio.score_choices,
    }


def _render_index(export_form: ExportForm, import_form: ImportForm, status: int = 200, **context):
    return render_page_or_partial(
        "exports/index.html",
        context.pop("partial", "exports/_request.html"),
        status,
        export_form=export_form,
        import_form=import_form,
        past_exports=exports.list_exports(current_user.id),
        **context,
    )


def _refused_import(form: ImportForm, error: UserError):
    """The import form again, with why the file was refused beside it."""
    show_errors(form, error, "archive")
    return _render_index(ExportForm(formdata=None), form, error.status, partial="exports/_import.html")


@bp.get("/")
@login_required
def index():
    return _render_index(ExportForm(formdata=None), ImportForm(formdata=None))


@bp.post("/")
@login_required
def create():
    form = ExportForm()
    if form.validate_on_submit():
        choice = exports.ExportChoice(form.format.data, form.scope.data, form.date_from.data, form.date_to.data)
        try:
            export = exports.request_export(current_user, choice)
        except exports.ExportError as error:
            show_errors(form, error, "format")
            return _render_index(form, ImportForm(formdata=None), error.status)
        if is_htmx_request():
            fresh = ExportForm(formdata=None)
            return _render_index(fresh, ImportForm(formdata=None), partial="exports/_requested.html", new_export=export)
        flash("Your export is being prepared; it shows below.", "success")
        return redirect(url_for("exports.index"))
    return _render_index(form, ImportForm(formdata=None), 422)


@bp.get("/<id:export_id>")
@login_required
def status(export_id: int):
    export = found_or_404(exports.get_export(current_user.id, export_id))
    return render_page_or_partial("exports/status.html", "exports/_status.html", export=export)


@bp.get("/<id:export_id>/download")
@login_required
def download(export_id: int):
    export, path = found_or_404(exports.ready_file(current_user.id, export_id))
    response = send_file(path, as_attachment=True, download_name=exports.download_name(export))
    # A person's whole journal: never kept by a browser or proxy cache.
    response.headers["Cache-Control"] = "no-store, private"
    return response


# Exempt from the app-wide CSRF check only because that check reads the body
# under the general size limit; the check runs below, after the import limit is set.
@bp.post("/import")
@csrf.exempt
@login_required
def import_archive():
    request.max_content_length = imports.MAX_UPLOAD_BYTES
    try:
        if current_app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()
        form = ImportForm()
        valid = form.validate_on_submit()
    except RequestEntityTooLarge:
        return _refused_import(ImportForm(formdata=None), TooLarge(imports.too_large_message()))
    if not valid:
        return _render_index(ExportForm(formdata=None), form, 422, partial="exports/_import.html")
    try:
        started = import_uploads.start_import(current_user, form.archive.data, form.source.data)
    except imports.ImportRefused as error:
        return _refused_import(form, error)
    if is_htmx_request():
        state = import_uploads.import_state(current_user.id, started)
        return _render_index(
            ExportForm(formdata=None),
            ImportForm(formdata=None),
            partial="exports/_import.html",
            import_token=started,
            import_state=state,
            confirm_form=ConfirmImportForm(formdata=None),
        )
    return redirect(url_for("exports.import_status", token=started))


@bp.get("/imports/<token>")
@login_required
def import_status(token: str):
    state = found_or_404(import_uploads.import_state(current_user.id, token))
    return render_page_or_partial(
        "exports/import_status.html",
        "exports/_import_status.html",
        import_token=token,
        import_state=state,
        confirm_form=ConfirmImportForm(formdata=None),
    )


@bp.post("/imports/<token>")
@login_required
def confirm_import(token: str):
    """The person confirms the preview: the import is queued (once)."""
    # The app-wide CSRF check has run; the checkbox and Daylio's mood choices are all there is to read.
    update = bool(ConfirmImportForm().update.data)
    try:
        state = found_or_404(import_uploads.confirm_import(current_user.id, token, update, request.form))
    except imports.ImportRefused as error:
        return render_page_or_partial(
            "exports/import_status.html",
            "exports/_import_status.html",
            error.status,
            import_token=token,
            import_state=import_uploads.import_state(current_user.id, token),
            confirm_form=ConfirmImportForm(formdata=None),
            mapping_error=str(error),
        )
    if is_htmx_request():
        return render_page_or_partial(
            "exports/import_status.html", "exports/_import_status.html", import_token=token, import_state=state
        )
    return redirect(url_for("exports.import_status", token=token))
