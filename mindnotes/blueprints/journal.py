"""The journal: list and search, the editor (with drafts and preview), reading, favorites, trash.

Photos and voice notes have their routes in `journal_media.py`, on this blueprint.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField

from mindnotes.htmx import is_htmx_request, render_page_or_partial
from mindnotes.services import journal
from mindnotes.services.billing.plans import plan_for
from mindnotes.services.journal import drafts as journal_drafts
from mindnotes.services.journal import search as journal_search
from mindnotes.services.journal.markdown import render_markdown
from mindnotes.services.journal.tags import TagInvalid, find_or_create_tag, tag_names, tags_for
from mindnotes.timeutil import local_now, zone
from mindnotes.web import render_error

bp = Blueprint("journal", __name__, url_prefix="/journal")


@bp.errorhandler(journal.EntryNotFound)
def entry_not_found(error: journal.EntryNotFound):
    """Another person's entry, photo, voice note or draft, or none at all: the same 404."""
    return render_error(404)


ENTRY_TYPE_CHOICES = [("text", "Text"), ("photo", "Photo"), ("voice", "Voice"), ("mixed", "Mixed")]
PRIVACY_CHOICES = [("private", "Private: only me"), ("shared", "Shared: may go into exports I share")]
DATE_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


class EntryForm(FlaskForm):
    title = StringField("Title")
    content = TextAreaField("Entry (Markdown)")
    entry_type = SelectField("Entry type", choices=ENTRY_TYPE_CHOICES, validate_choice=False)
    entry_date = StringField("Date and time")
    privacy = SelectField("Privacy", choices=PRIVACY_CHOICES, validate_choice=False)
    mood = StringField("Mood, 1 to 10 (optional)")
    location_name = StringField("Place (optional)")
    latitude = StringField("Latitude (optional)")
    longitude = StringField("Longitude (optional)")
    weather = StringField("Weather (optional)")
    tag_ids = SelectMultipleField("Tags", validate_choice=False)
    new_tag = StringField("New tag (optional)")
    is_favorite = BooleanField("Favorite")
    revision = HiddenField()


def _local_input(moment) -> str:
    return moment.astimezone(zone(current_user.timezone)).strftime(DATE_INPUT_FORMAT)


@bp.app_template_filter("journal_when")
def journal_when(moment) -> str:
    """A stored UTC moment as the person reads it, in their zone."""
    if not moment or isinstance(moment, str):
        return moment or ""
    return moment.astimezone(zone(current_user.timezone)).strftime("%a %d %b %Y, %H:%M")


@bp.app_template_filter("journal_minutes")
def journal_minutes(seconds) -> str:
    minutes = max(1, round((seconds or 0) / 60))
    return f"{minutes} min read"


def _fields_from(form: EntryForm) -> dict:
    """The service's fields from the form; a new tag typed inline is made (or found) first."""
    tag_ids = list(form.tag_ids.data or [])
    if (form.new_tag.data or "").strip():
        try:
            tag = find_or_create_tag(current_user.id, form.new_tag.data)
        except TagInvalid as error:
            raise journal.EntryInvalid({"new_tag": str(error)}) from error
        tag_ids.append(str(tag.id))
        form.tag_ids.data = tag_ids
        form.new_tag.data = ""
    return {
        "title": form.title.data,
        "content": form.content.data,
        "entry_type": form.entry_type.data,
        "entry_date": form.entry_date.data,
        "privacy": form.privacy.data,
        "mood": form.mood.data,
        "location": {"name": form.location_name.data, "lat": form.latitude.data, "lng": form.longitude.data},
        "weather": form.weather.data,
        "tag_ids": tag_ids,
        "is_favorite": form.is_favorite.data,
    }


def _form_data_from_entry(entry: dict) -> dict:
    location = entry.get("location") or {}
    return {
        "title": entry["title"],
        "content": entry["content"],
        "entry_type": entry["entry_type"],
        "entry_date": _local_input(entry["entry_date"]),
        "privacy": entry.get("privacy", "private"),
        "mood": entry.get("mood") or "",
        "location_name": location.get("name", ""),
        "latitude": "" if location.get("lat") is None else location["lat"],
        "longitude": "" if location.get("lng") is None else location["lng"],
        "weather": entry.get("weather", ""),
        "tag_ids": [str(tag_id) for tag_id in entry.get("tag_ids", [])],
        "is_favorite": entry.get("is_favorite", False),
        "revision": entry.get("revision", 0),
    }


def _show_errors(form: EntryForm, errors: dict[str, str]) -> None:
    """Each message beside its field (one the form lacks goes beside the entry text)."""
    for name, message in errors.items():
        target = getattr(form, name, None) or form.content
        target.errors = [*target.errors, message]


def _editor(form: EntryForm, entry: dict | None = None, status: int = 200, **context):
    return render_page_or_partial(
        "journal/editor.html",
        "journal/_editor.html",
        status=status,
        form=form,
        entry=entry,
        tags=tags_for(current_user.id),
        **context,
    )


def _restored_form(entry: dict | None) -> tuple[EntryForm, dict | None]:
    """The editor's form: the person's unsaved draft when there is one, else the entry (or a blank)."""
    draft = journal_drafts.draft_for(current_user, entry["_id"] if entry else None)
    if entry is not None:
        data = _form_data_from_entry(entry)
    else:
        data = {"entry_date": _local_input(local_now(current_user.timezone)), "entry_type": "text"}
    if draft is not None:
        data.update({name: value for name, value in draft["fields"].items() if name != "is_favorite"})
        data["is_favorite"] = draft["fields"].get("is_favorite") in {"y", "on", "1", "True", "true"}
    return EntryForm(formdata=None, data=data), draft


@bp.get("/")
@login_required
def index():
    filters = journal_search.Filters.from_args(request.args)
    context = {"filters": filters, "tag_names": tag_names(current_user.id), "searching": bool(filters.text)}
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
        context["tags"] = tags_for(current_user.id)
        context["on_this_day"] = (
            [] if filters.active else journal_search.on_this_day(current_user.id, current_user.timezone)
        )
        context["plan"] = plan_for(current_user.id)
    return render_page_or_partial("journal/index.html", "journal/_entries.html", **context)


@bp.get("/new")
@login_required
def new():
    form, draft = _restored_form(None)
    return _editor(form, draft=draft)


@bp.post("/new")
@login_required
def create():
    form = EntryForm()
    try:
        entry = journal.create_entry(current_user, _fields_from(form))
    except journal.EntryInvalid as error:
        _show_errors(form, error.errors)
        return _editor(form, status=422)
    except journal.EntryLimitReached as error:
        return _editor(form, status=403, problem=str(error), plan=plan_for(current_user.id))
    except journal.JournalUnavailable as error:
        return _editor(form, status=503, problem=str(error))
    journal_drafts.forget_draft(current_user, None)
    flash("Your entry is saved.", "success")
    return redirect(url_for("journal.read", entry_id=entry["_id"]))


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
    form = request.form.to_dict()
    form["tag_ids"] = request.form.getlist("tag_ids")
    try:
        draft = journal_drafts.save_draft(current_user, entry_id, form)
    except journal.EntryInvalid as error:
        if is_htmx_request():
            return render_template("journal/_draft_status.html", problem=str(error)), 422
        abort(422, f"Your draft was not saved: {error}")
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
    entry = journal.get_entry(current_user, entry_id, include_trashed=True)
    return render_template(
        "journal/entry.html",
        entry=entry,
        body=render_markdown(entry["content"]),
        tag_names=tag_names(current_user.id),
        trash_days=journal.TRASH_DAYS,
        media_error=None,
    )


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
    revision = int(form.revision.data) if (form.revision.data or "").isdigit() else None
    try:
        journal.update_entry(current_user, entry["_id"], _fields_from(form), revision=revision)
    except journal.EntryInvalid as error:
        _show_errors(form, error.errors)
        return _editor(form, entry, status=422)
    except journal.EntryChanged as error:
        return _editor(form, entry, status=409, problem=str(error))
    journal_drafts.forget_draft(current_user, entry["_id"])
    flash("Your changes are saved; the earlier version is kept.", "success")
    return redirect(url_for("journal.read", entry_id=entry_id))


@bp.get("/<entry_id>/versions/<int:number>")
@login_required
def version(entry_id: str, number: int):
    entry = journal.get_entry(current_user, entry_id, include_trashed=True)
    versions = entry.get("versions", [])
    if not 1 <= number <= len(versions):
        abort(404)
    earlier = versions[number - 1]
    return render_template(
        "journal/version.html", entry=entry, version=earlier, number=number, body=render_markdown(earlier["content"])
    )


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


@bp.post("/<entry_id>/purge")
@login_required
def purge(entry_id: str):
    journal.purge_trashed_entry(current_user, entry_id)
    flash("The entry is deleted for good.", "info")
    return redirect(url_for("journal.trash"))


from mindnotes.blueprints import journal_media  # noqa: E402,F401  (its routes live on `bp`)
