"""The entry editor's form, and the service's fields to and from it."""

from datetime import datetime

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField

from mindnotes.timeutil import zone

PRIVACY_CHOICES = [("private", "Private: only me"), ("shared", "Shared: may go into exports I share")]
DATE_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


class EntryForm(FlaskForm):
    title = StringField("Title")
    content = TextAreaField("Entry (Markdown)")
    entry_date = StringField("Date and time")
    privacy = SelectField("Privacy", choices=PRIVACY_CHOICES, validate_choice=False)
    # The mood control (journal/_mood_control.html): how good it felt, 1 to 5; empty for no mood.
    mood_score = StringField("How did you feel?")
    location_name = StringField("Place (optional)")
    # Filled from the browser's location when the person asks for it (static/js/journal.js).
    latitude = HiddenField()
    longitude = HiddenField()
    weather = StringField("Weather (optional)")
    tag_ids = SelectMultipleField("Tags", validate_choice=False)
    new_tag = StringField("Add tags")
    is_favorite = BooleanField("Favorite")
    revision = HiddenField()
    # A new entry's id, made when the editor is shown: the same form sent twice saves one entry.
    entry_id = HiddenField()


def local_input(moment: datetime, timezone: str) -> str:
    """A stored UTC moment as the date-and-time field shows it, in the person's zone."""
    return moment.astimezone(zone(timezone)).strftime(DATE_INPUT_FORMAT)


def entry_fields(form: EntryForm) -> dict:
    """The service's fields from the form, as typed; new tags' names go as `new_tag`, comma separated.

    No entry type: the service sets it from what the entry holds.
    """
    return {
        "title": form.title.data,
        "content": form.content.data,
        "entry_date": form.entry_date.data,
        "privacy": form.privacy.data,
        # Sent only when the form has the mood control: without it, the entry's mood is left as it is.
        **({"mood_score": form.mood_score.data} if form.mood_score.raw_data else {}),
        "location": {"name": form.location_name.data, "lat": form.latitude.data, "lng": form.longitude.data},
        "weather": form.weather.data,
        "tag_ids": list(form.tag_ids.data or []),
        "new_tag": form.new_tag.data,
        "is_favorite": form.is_favorite.data,
    }


def form_data_from_entry(entry: dict, timezone: str) -> dict:
    """The form's data for editing a stored entry."""
    location = entry.get("location") or {}
    return {
        "title": entry["title"],
        "content": entry["content"],
        "entry_date": local_input(entry["entry_date"], timezone),
        "privacy": entry.get("privacy", "private"),
        "location_name": location.get("name", ""),
        "latitude": "" if location.get("lat") is None else location["lat"],
        "longitude": "" if location.get("lng") is None else location["lng"],
        "weather": entry.get("weather", ""),
        "tag_ids": [str(tag_id) for tag_id in entry.get("tag_ids", [])],
        "is_favorite": entry.get("is_favorite", False),
        "revision": entry.get("revision", 0),
    }


def draft_fields(sent: MultiDict) -> dict:
    """What the editor sent, as typed, for keeping as a draft (the tags as a list)."""
    return {**sent.to_dict(), "tag_ids": sent.getlist("tag_ids")}
