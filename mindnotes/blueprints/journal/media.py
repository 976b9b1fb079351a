"""Photos and voice notes of an entry: upload, serve (to their owner only), remove; and those kept
with a draft before the entry is saved: serve, remove."""

from flask import flash, redirect, request, send_file, url_for
from flask_login import current_user, login_required

from mindnotes.blueprints.journal import bp
from mindnotes.blueprints.journal.forms import draft_fields
from mindnotes.blueprints.journal.routes import entry_page
from mindnotes.services import journal
from mindnotes.services.journal import drafts as journal_drafts
from mindnotes.services.journal import media as journal_media

KINDS = {"photos": "photos", "voice-notes": "voice_notes"}


def _upload(entry_id: str, kind: str):
    upload_field = "photo" if kind == "photos" else "voice_note"
    limit = journal_media.PHOTO_MAX_BYTES if kind == "photos" else journal_media.VOICE_MAX_BYTES
    sent = request.files.get(upload_field)
    journal.get_entry(current_user, entry_id)
    try:
        if sent is None or not sent.filename:
            raise journal_media.MediaInvalid("Choose a file to upload.")
        upload = journal_media.read_upload(sent.stream, limit)
        if kind == "photos":
            journal_media.add_photo(current_user, entry_id, upload, request.form.get("caption", ""))
        else:
            journal_media.add_voice_note(current_user, entry_id, upload, request.form.get("transcription", ""))
    except (journal_media.MediaInvalid, journal_media.MediaTooLarge, journal.EntryChanged) as error:
        return entry_page(journal.get_entry(current_user, entry_id), media_error=error.message, status=error.status)
    flash("The photo is added." if kind == "photos" else "The voice note is added.", "success")
    return redirect(url_for("journal.read", entry_id=entry_id))


@bp.post("/<entry_id>/photos")
@login_required
def add_photo(entry_id: str):
    return _upload(entry_id, "photos")


@bp.post("/<entry_id>/voice-notes")
@login_required
def add_voice_note(entry_id: str):
    return _upload(entry_id, "voice_notes")


@bp.get("/<entry_id>/<any(photos, 'voice-notes'):kind>/<media_id>")
@login_required
def media_file(entry_id: str, kind: str, media_id: str):
    item, path = journal_media.find_media(current_user, entry_id, KINDS[kind], media_id)
    return _private_file(path, item["content_type"])


def _private_file(path, mimetype: str | None = None):
    """A person's own file, never cached or sniffed as another type."""
    response = send_file(path, mimetype=mimetype, conditional=True, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/<entry_id>/<any(photos, 'voice-notes'):kind>/<media_id>/delete")
@login_required
def remove_media(entry_id: str, kind: str, media_id: str):
    journal_media.remove_media(current_user, entry_id, KINDS[kind], media_id)
    flash("Removed.", "info")
    return redirect(url_for("journal.read", entry_id=entry_id))


def _draft_file(entry_id: str | None, name: str):
    return _private_file(journal_drafts.draft_media_path(current_user, entry_id, name))


@bp.get("/new/draft-media/<name>")
@login_required
def new_draft_media(name: str):
    return _draft_file(None, name)


@bp.get("/<entry_id>/draft-media/<name>")
@login_required
def edit_draft_media(entry_id: str, name: str):
    return _draft_file(entry_id, name)


def _remove_draft_file(entry_id: str | None, name: str):
    """The editor's form, sent by a file's Remove button: keep the typed text as the draft, drop the file."""
    journal_drafts.remove_draft_media(current_user, entry_id, name)
    try:
        journal_drafts.save_draft(current_user, entry_id, draft_fields(request.form))
    except journal.EntryInvalid as error:
        flash(f"The file is removed, but your draft was not saved: {error.message}", "error")
    else:
        flash("The file is removed from your draft.", "info")
    return redirect(url_for("journal.edit", entry_id=entry_id) if entry_id else url_for("journal.new"))


@bp.post("/new/draft-media/<name>/remove")
@login_required
def remove_new_draft_media(name: str):
    return _remove_draft_file(None, name)


@bp.post("/<entry_id>/draft-media/<name>/remove")
@login_required
def remove_edit_draft_media(entry_id: str, name: str):
    return _remove_draft_file(entry_id, name)
