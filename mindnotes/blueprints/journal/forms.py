"""The entry editor's form, and the service's fields to and from it."""

from datetime import datetime

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField

from mindnotes.timeutil import zone

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
    # A new entry's id, made when the editor is shown: the same form sent twice saves one entry.
    entry_id = HiddenField()


def local_input(moment: datetime, timezone: str) -> str:
    """A stored UTC moment as the date-and-time field shows it, in the person's zone."""
    return moment.astimezone(zone(timezone)).strftime(DATE_INPUT_FORMAT)


def entry_fields(form: EntryForm) -> dict:
    """The service's fields from the form, as typed; a new tag's name goes as `new_tag`."""
    return {
        "title": form.title.data,
        "content": form.content.data,
        "entry_type": form.entry_type.data,
        "entry_date": form.entry_date.data,
        "privacy": form.privacy.data,
        "mood": form.mood.data,
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
        "entry_type": entry["entry_type"],
        "entry_date": local_input(entry["entry_date"], timezone),
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
