"""The journal's pages: list and search, the editor (with drafts and preview), reading, favorites, trash."""

from bson import ObjectId
from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from mindnotes.blueprints.journal import bp
from mindnotes.blueprints.journal.forms import (
    EntryForm,
    draft_fields,
    entry_fields,
    form_data_from_entry,
    local_input,
)
from mindnotes.htmx import is_htmx_request, render_page_or_partial
from mindnotes.inputs import parse_int
from mindnotes.services import journal
from mindnotes.services.billing.plans import plan_for
from mindnotes.services.journal import drafts as journal_drafts
from mindnotes.services.journal import media as journal_media
from mindnotes.services.journal import search as journal_search
from mindnotes.services.journal import versions as journal_versions
from mindnotes.services.journal.markdown import render_markdown
from mindnotes.services.journal.tags import tags_by_id, tags_for
from mindnotes.services.mood import entries as entry_moods
from mindnotes.timeutil import local_now
from mindnotes.web import confirm_page, show_errors

# In the Flask session: this browser saved or was shown a draft of a new entry, which saving the entry ends.
# A browser that never had one skips the delete (a round trip on every new entry); another device's draft stays.
NEW_DRAFT_KEY = "new_entry_draft"


@bp.app_template_filter("journal_minutes")
def journal_minutes(seconds) -> str:
    minutes = max(1, round((seconds or 0) / 60))
    return f"{minutes} min read"


def entry_page(entry: dict, media_error: str | None = None, status: int = 200):
    """An entry as its owner reads it; `media_error` is an upload's problem, shown beside its form."""
    return render_template(
        "journal/entry.html",
        entry=entry,
        body=render_markdown(entry["content"]),
        tags_by_id=tags_by_id(current_user.id),
        moods=entry_moods.linked_moods(current_user, entry["_id"]),
        trash_days=journal.TRASH_DAYS,
        media_error=media_error,
    ), status


def _editor(form: EntryForm, entry: dict | None = None, status: int = 200, **context):
    return render_page_or_partial(
        "journal/editor.html",
        "journal/_editor.html",
        status=status,
        form=form,
        entry=entry,
        tags=tags_for(current_user.id),
        entry_mood=entry_moods.editor_mood(current_user, entry["_id"]) if entry else None,
        draft_media=journal_drafts.draft_media(current_user, entry["_id"] if entry else None),
        **context,
    )


def _refused(form: EntryForm, entry: dict | None, error: journal.JournalError):
    """The editor again, with what the person typed and why it was not saved, under the error's status.

    Field errors go beside their fields (one the form lacks, beside the entry
    text); any other refusal is one message above the form.
    """
    if error.errors:
        show_errors(form, error, default_field="content")
        return _editor(form, entry, status=error.status)
    plan = plan_for(current_user.id) if isinstance(error, journal.EntryLimitReached) else None
    return _editor(form, entry, status=error.status, problem=error.message, plan=plan)


def _restored_form(entry: dict | None) -> tuple[EntryForm, dict | None]:
    """The editor's form: the person's unsaved draft when there is one, else the entry (or a blank)."""
    draft = journal_drafts.draft_for(current_user, entry["_id"] if entry else None)
    if entry is not None:
        data = form_data_from_entry(entry, current_user.timezone)
        data["mood_score"] = entry_moods.control_score(current_user, entry["_id"])
    else:
        data = {"entry_date": local_input(local_now(current_user.timezone), current_user.timezone)}
    if draft is not None:
        if entry is None:
            session[NEW_DRAFT_KEY] = True
        data.update({name: value for name, value in draft["fields"].items() if name != "is_favorite"})
        data["is_favorite"] = draft["fields"].get("is_favorite") in {"y", "on", "1", "True", "true"}
    return EntryForm(formdata=None, data=data), draft


@bp.get("/")
@login_required
def index():
    filters = journal_search.Filters.from_args(request.args)
    # One read of the tags serves both the names on the entries and the page's tag filter.
    tags = tags_for(current_user.id)
    context = {"filters": filters, "tags_by_id": {tag.id: tag for tag in tags}, "searching": bool(filters.text)}
    if filters.text:
        context["entries"] = journal_search.search_entries(current_user.id, current_user.timezone, filters)
        context["next_url"] = None
    else:
        page = journal_search.list_entries(current_user.id, current_user.timezone, filters, request.args.get("after"))
        context["entries"] = page.entries
        context["next_url"] = (
            url_for("journal.index", after=page.next_cursor, **filters.as_args()) if page.next_cursor else None
        )
        context["first_page"] = not request.args.get("after")
    if not is_htmx_request():
        context["tags"] = tags
        context["on_this_day"] = (
            [] if filters.active else journal_search.on_this_day(current_user.id, current_user.timezone)
        )
        context["plan"] = plan_for(current_user.id)
    return render_page_or_partial("journal/index.html", "journal/_entries.html", **context)


@bp.get("/new")
@login_required
def new():
    form, draft = _restored_form(None)
    form.entry_id.data = form.entry_id.data or str(ObjectId())
    return _editor(form, draft=draft)


def _uploads() -> tuple[list, list]:
    """The photos and voice notes sent with the editor (read, not yet checked)."""
    photos = [
        journal_media.read_upload(sent.stream, journal_media.PHOTO_MAX_BYTES)
        for sent in request.files.getlist("photo")
        if sent.filename
    ]
    voice_notes = [
        journal_media.read_upload(sent.stream, journal_media.VOICE_MAX_BYTES)
        for sent in request.files.getlist("voice_note")
        if sent.filename
    ]
    return photos, voice_notes


def _new_media(entry: dict | None) -> tuple[list, list]:
    """The photos and voice notes sent with the editor, checked before the entry is saved."""
    photos, voice_notes = _uploads()
    journal_media.check_new_media(photos, voice_notes, entry)
    return photos, voice_notes


def _add_new_media(draft_key: ObjectId | None, entry_id: ObjectId, media: tuple[list, list]) -> None:
    """Add the files sent with the save, and those kept with the draft, to the saved entry."""
    problems = journal_media.add_new_media(current_user, entry_id, *media)
    problems += journal_drafts.attach_draft_media(current_user, draft_key, entry_id)
    for problem in problems:
        flash(f"The entry is saved, but a file was not added: {problem}", "error")


@bp.post("/new")
@login_required
def create():
    form = EntryForm()
    entry_id = ObjectId(form.entry_id.data) if ObjectId.is_valid(form.entry_id.data) else None
    try:
        media = _new_media(None)
    except (journal_media.MediaInvalid, journal_media.MediaTooLarge) as error:
        return _editor(form, None, status=error.status, media_error=error.message)
    try:
        entry = journal.create_entry(current_user, entry_fields(form), entry_id=entry_id)
    except (journal.EntryExists, journal.EntryLimitReached) as error:
        # The same form sent again (a double press, a retry): answer with the entry it saved, files and all.
        entry = _saved_entry(entry_id)
        if entry is None:
            return _refused(form, None, error)
    except journal.JournalError as error:
        return _refused(form, None, error)
    else:
        _add_new_media(None, entry["_id"], media)
    if session.pop(NEW_DRAFT_KEY, False):
        journal_drafts.forget_draft(current_user, None)
    flash("Your entry is saved.", "success")
    return redirect(url_for("journal.read", entry_id=entry["_id"]))


def _saved_entry(entry_id) -> dict | None:
    if entry_id is None:
        return None
    try:
        return journal.get_entry(current_user, entry_id, include_trashed=True)
    except journal.EntryNotFound:
        return None


def _preview(entry: dict | None):
    form = EntryForm()
    preview = render_markdown(form.content.data or "")
    if is_htmx_request():
        return render_template("journal/_preview.html", preview=preview)
    return _editor(form, entry, preview=preview)


@bp.post("/new/preview")
@login_required
def preview_new():
    return _preview(None)


@bp.post("/<entry_id>/preview")
@login_required
def preview_edit(entry_id: str):
    return _preview(journal.get_entry(current_user, entry_id))


def _save_draft(entry_id: str | None):
    try:
        draft = journal_drafts.save_draft(current_user, entry_id, draft_fields(request.form))
        # Files come only with a plain "Save draft" press: autosave leaves them out (journal.js).
        journal_drafts.keep_draft_media(current_user, entry_id, *_uploads())
    except journal.EntryInvalid as error:
        if is_htmx_request():
            return render_template("journal/_draft_status.html", problem=error.message), error.status
        abort(error.status, f"Your draft was not saved: {error.message}")
    except (journal_media.MediaInvalid, journal_media.MediaTooLarge) as error:
        entry = journal.get_entry(current_user, entry_id) if entry_id else None
        return _editor(EntryForm(), entry, status=error.status, media_error=error.message)
    if entry_id is None:
        session[NEW_DRAFT_KEY] = True
    if is_htmx_request():
        return render_template("journal/_draft_status.html", draft=draft)
    flash("Your draft is saved. It is here whenever you come back.", "success")
    return redirect(url_for("journal.edit", entry_id=entry_id) if entry_id else url_for("journal.new"))


@bp.post("/new/draft")
@login_required
def save_new_draft():
    return _save_draft(None)


@bp.post("/<entry_id>/draft")
@login_required
def save_edit_draft(entry_id: str):
    return _save_draft(entry_id)


@bp.post("/drafts/<draft_id>/discard")
@login_required
def discard_draft(draft_id: str):
    draft = journal_drafts.discard_draft(current_user, draft_id)
    flash("The draft is discarded.", "info")
    entry_id = draft.get("entry_id")
    return redirect(url_for("journal.edit", entry_id=entry_id) if entry_id else url_for("journal.new"))


@bp.get("/<entry_id>")
@login_required
def read(entry_id: str):
    return entry_page(journal.get_entry(current_user, entry_id, include_trashed=True))


@bp.get("/<entry_id>/edit")
@login_required
def edit(entry_id: str):
    entry = journal.get_entry(current_user, entry_id)
    form, draft = _restored_form(entry)
    return _editor(form, entry, draft=draft)


@bp.post("/<entry_id>/edit")
@login_required
def update(entry_id: str):
    entry = journal.get_entry(current_user, entry_id)
    form = EntryForm()
    revision = parse_int(form.revision.data)
    try:
        media = _new_media(entry)
    except (journal_media.MediaInvalid, journal_media.MediaTooLarge) as error:
        return _editor(form, entry, status=error.status, media_error=error.message)
    try:
        journal.update_entry(current_user, entry["_id"], entry_fields(form), revision=revision)
    except (journal.EntryInvalid, journal.EntryChanged) as error:
        return _refused(form, entry, error)
    _add_new_media(entry["_id"], entry["_id"], media)
    journal_drafts.forget_draft(current_user, entry["_id"])
    flash("Your changes are saved; the earlier version is kept.", "success")
    return redirect(url_for("journal.read", entry_id=entry_id))


@bp.get("/<entry_id>/versions/<id:number>")
@login_required
def version(entry_id: str, number: int):
    entry = journal.get_entry(current_user, entry_id, include_trashed=True)
    return _version_page(entry, number)


def _version_page(entry: dict, number: int, problem: str | None = None, status: int = 200):
    comparison = journal_versions.compare_version(entry, number)
    body = render_markdown(comparison.version["content"])
    return render_template(
        "journal/version.html", entry=entry, comparison=comparison, body=body, problem=problem
    ), status


@bp.post("/<entry_id>/versions/<id:number>/restore")
@login_required
def restore_version(entry_id: str, number: int):
    revision = parse_int(request.form.get("revision", ""))
    try:
        journal_versions.restore_version(current_user, entry_id, number, revision=revision)
    except journal.EntryChanged as error:
        return _version_page(journal.get_entry(current_user, entry_id), number, error.message, error.status)
    flash(f"Version {number} is back; the text it replaced is kept as the newest earlier version.", "success")
    return redirect(url_for("journal.read", entry_id=entry_id))


@bp.post("/<entry_id>/favorite")
@login_required
def favorite(entry_id: str):
    wanted = request.form.get("favorite") == "1"
    entry = journal.set_favorite(current_user, entry_id, wanted)
    if is_htmx_request():
        return render_template("journal/_favorite.html", entry=entry)
    return redirect(url_for("journal.read", entry_id=entry_id))


@bp.post("/<entry_id>/delete")
@login_required
def delete(entry_id: str):
    journal.trash_entry(current_user, entry_id)
    flash(f"The entry is in the trash. You can restore it for {journal.TRASH_DAYS} days.", "info")
    return redirect(url_for("journal.index"))


@bp.get("/trash")
@login_required
def trash():
    entries = journal_search.trashed_entries(current_user.id)
    return render_template("journal/trash.html", entries=entries, trash_days=journal.TRASH_DAYS)


@bp.post("/<entry_id>/restore")
@login_required
def restore(entry_id: str):
    journal.restore_entry(current_user, entry_id)
    flash("The entry is back in your journal.", "success")
    return redirect(url_for("journal.read", entry_id=entry_id))


@bp.get("/<entry_id>/purge")
@login_required
def confirm_purge(entry_id: str):
    entry = journal.get_entry(current_user, entry_id, include_trashed=True)
    if not entry.get("deleted_at"):
        abort(404)
    return confirm_page(
        f"Delete “{entry['title'] or 'Untitled'}” for good?",
        "The entry, its photos, voice notes and earlier versions are erased. This cannot be undone.",
        action=url_for("journal.purge", entry_id=entry_id),
        button="Delete for good",
        cancel=url_for("journal.trash"),
    )


@bp.post("/<entry_id>/purge")
@login_required
def purge(entry_id: str):
    journal.purge_trashed_entry(current_user, entry_id)
    flash("The entry is deleted for good.", "info")
    return redirect(url_for("journal.trash"))
