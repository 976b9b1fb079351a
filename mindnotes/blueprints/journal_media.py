"""Photos and voice notes of an entry: upload, serve (to their owner only), remove."""

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from mindnotes.blueprints.journal import bp
from mindnotes.services import journal
from mindnotes.services.journal import media as journal_media
from mindnotes.services.journal.markdown import render_markdown
from mindnotes.services.journal.tags import tag_names

KINDS = {"photos": "photos", "voice-notes": "voice_notes"}


def _entry_page_with_problem(entry_id: str, message: str, status: int):
    """The entry page again, the upload's problem shown beside its form."""
    entry = journal.get_entry(current_user, entry_id)
    return render_template(
        "journal/entry.html",
        entry=entry,
        body=render_markdown(entry["content"]),
        tag_names=tag_names(current_user.id),
        trash_days=journal.TRASH_DAYS,
        media_error=message,
    ), status


def _upload(entry_id: str, kind: str):
    upload_field = "photo" if kind == "photos" else "voice_note"
    limit = journal_media.PHOTO_MAX_BYTES if kind == "photos" else journal_media.VOICE_MAX_BYTES
    sent = request.files.get(upload_field)
    try:
        journal.get_entry(current_user, entry_id)
        if sent is None or not sent.filename:
            raise journal_media.MediaInvalid("Choose a file to upload.")
        upload = journal_media.read_upload(sent.stream, limit)
        if kind == "photos":
            journal_media.add_photo(current_user, entry_id, upload, request.form.get("caption", ""))
        else:
            journal_media.add_voice_note(current_user, entry_id, upload, request.form.get("transcription", ""))
    except journal_media.MediaTooLarge as error:
        return _entry_page_with_problem(entry_id, str(error), 413)
    except (journal_media.MediaInvalid, journal.EntryChanged) as error:
        return _entry_page_with_problem(entry_id, str(error), 422)
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
    try:
        item, path = journal_media.find_media(current_user, entry_id, KINDS[kind], media_id)
    except (journal.EntryNotFound, journal_media.MediaNotFound):
        abort(404)
    response = send_file(path, mimetype=item["content_type"], conditional=True, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/<entry_id>/<any(photos, 'voice-notes'):kind>/<media_id>/delete")
@login_required
def remove_media(entry_id: str, kind: str, media_id: str):
    try:
        journal_media.remove_media(current_user, entry_id, KINDS[kind], media_id)
    except (journal.EntryNotFound, journal_media.MediaNotFound):
        abort(404)
    flash("Removed.", "info")
    return redirect(url_for("journal.read", entry_id=entry_id))
