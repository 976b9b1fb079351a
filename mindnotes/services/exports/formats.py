"""MindNotes export formats. (This text also ships as README.txt in each JSON export.)

Markdown export ("Markdown with front matter"): a zip with
`journal/<date>-<title>-<id>.md` per journal entry and its photos and voice
notes beside it in `media/`. Each file's YAML front matter holds `title`,
`date` (the local day), `created` and `updated` (moments with the writer's
offset, to the millisecond), `place`, `latitude`, `longitude`, `weather`,
`tags`, `mood` (the entry's own mood: 1 awful to 5 great, its word in a
comment; null for none) and `favorite`; after it comes the entry's text as
written, then its photos as `![caption](../media/<file>)`, its voice notes as
`[transcription](../media/<file>)` and its prompt answers as `## question`
sections. MindNotes' Markdown import reads it back whole (prompt answers
come back as part of the text).
CSV export: a zip with `moods.csv` and `focus_sessions.csv`.
PDF export: the journal, to read or print.

JSON export, format "mindnotes-export" version 1
-------------------------------------------------
A zip holding:

- `mindnotes-export.json`, one JSON object:

  - `format`: always "mindnotes-export"; `version`: 1 (an importer refuses
    versions it does not know);
  - `exported_at`, `scope` (everything, journal, moods or focus), `date_from`,
    `date_to` (local days "YYYY-MM-DD" or null);
  - `journal_entries`, `mood_entries`, `focus_sessions`: the documents as
    stored (fields as in the MindNotes data contract; trashed entries are left
    out), in MongoDB Extended JSON, relaxed mode: an ObjectId is
    `{"$oid": "..."}` and a moment is `{"$date": "2026-03-01T09:30:00Z"}` (UTC);
    a list is present only when the scope includes it;
  - `reference`: the reference data the documents point at by id, so ids can
    be matched by name on another server: `tags` [{id, name, colour}],
    `mood_categories` [{id, name, emoji, valence}], `focus_programs`
    [{id, slug, name}];
  - `missing_media`: file names an entry names but that were not on disk.
- `media/<file name>`: each photo and voice note named in an entry's `photos`
  or `voice_notes` (by `filename`).
- `README.txt`: this description.
"""

import csv
import io
import json
import re
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

from bson import json_util
from flask import current_app
from pymongo.cursor import Cursor
from sqlalchemy import select

from mindnotes import timeutil
from mindnotes.documents import history, mood_entries
from mindnotes.extensions import db
from mindnotes.models import ExportRequest, FocusProgram, Tag, User
from mindnotes.services.journal.tags import tag_names
from mindnotes.services.mood.fields import SCORE_MAX, SCORE_MIN, score_word
from mindnotes.services.mood.own import categories_of

FORMAT_NAME = "mindnotes-export"
FORMAT_VERSION = 1
JSON_NAME = "mindnotes-export.json"
MEDIA_FOLDER = "media"
# Documents are read with a cursor in batches of BATCH_SIZE and written to the
# zip one at a time, so memory stays flat however long the history is.
BATCH_SIZE = 200
# part -> (collection, key in the JSON file, field to sort by)
PARTS = {
    "journal": ("journal_entries", "entry_date"),
    "moods": ("mood_entries", "felt_at"),
    "focus": ("focus_sessions", "started_at"),
}
_PLAIN_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")


# The build reports at least this often (a slow batch of large photos too): each report is
# also its heartbeat, and the sweep takes a build silent for a minute for dead.
REPORT_EVERY_SECONDS = 15


class Progress:
    """Counts written documents and reports a percentage once per batch, or sooner when
    REPORT_EVERY_SECONDS have passed since the last report."""

    def __init__(self, total: int, report: Callable[[int], None]) -> None:
        self.total, self.done, self.report = max(total, 1), 0, report
        self.reported_at = time.monotonic()

    def step(self) -> None:
        self.done += 1
        if self.done % BATCH_SIZE == 0 or time.monotonic() - self.reported_at >= REPORT_EVERY_SECONDS:
            self.report(self.done * 100 // self.total)
            self.reported_at = time.monotonic()


def _export_range(part: str, export: ExportRequest) -> dict:
    """The plain values that narrow one part of the export: its local days, and live entries only."""
    return {
        "first_day": export.date_from.isoformat() if export.date_from else None,
        "last_day": export.date_to.isoformat() if export.date_to else None,
        "live_only": part == "journal",
    }


def stream_documents(part: str, user_id: int, export: ExportRequest) -> Cursor:
    """The person's documents of one part, oldest first, fetched a batch at a time."""
    name, sort_field = PARTS[part]
    return history.find_for_export(name, user_id, sort_field, batch_size=BATCH_SIZE, **_export_range(part, export))


def with_mood_scores(user_id: int, entries: Iterator[dict]) -> Iterator[tuple[dict, int | None]]:
    """Each entry with its own mood's score (1-5, None for none), read one query per BATCH_SIZE entries."""
    while batch := list(islice(entries, BATCH_SIZE)):
        scores = mood_entries.scores_by_id(user_id, [entry["_id"] for entry in batch])
        for entry in batch:
            yield entry, scores.get(entry["_id"])


def count_documents(parts: list[str], user_id: int, export: ExportRequest) -> int:
    # Counting is slow on nx-27017, but this runs once per export, in the job.
    return sum(history.count_for_export(PARTS[p][0], user_id, **_export_range(p, export)) for p in parts)


def is_plain_file_name(name: object) -> bool:
    return isinstance(name, str) and bool(_PLAIN_FILE_NAME.match(name)) and ".." not in name


def media_file(user_id: int, filename: object) -> Path | None:
    """The stored media file `filename` of the person, if it is a plain name and exists."""
    if not is_plain_file_name(filename):
        return None
    path = Path(current_app.config["UPLOAD_DIR"]) / str(int(user_id)) / filename
    return path if path.is_file() else None


def media_names(entry: dict) -> Iterator[str]:
    for item in (entry.get("photos") or []) + (entry.get("voice_notes") or []):
        if isinstance(item, dict) and item.get("filename"):
            yield item["filename"]


class _ZipMedia:
    """Adds each media file once; remembers the names it could not find."""

    def __init__(self, archive: zipfile.ZipFile, user_id: int) -> None:
        self.archive, self.user_id = archive, user_id
        self.added: set[str] = set()
        self.missing: list[str] = []

    def add(self, entry: dict) -> None:
        for name in media_names(entry):
            if name in self.added:
                continue
            path = media_file(self.user_id, name)
            if path is None:
                self.missing.append(str(name))
                continue
            # Photos and audio are compressed already; storing them is faster.
            self.archive.write(path, f"{MEDIA_FOLDER}/{name}", compress_type=zipfile.ZIP_STORED)
            self.added.add(name)


def _reference(user_id: int, used: dict[str, set]) -> dict:
    tags = db.session.scalars(select(Tag).where(Tag.user_id == user_id, Tag.id.in_(used["tags"])).order_by(Tag.id))
    # The person's own names (a renamed default, their own moods), as an import into their account matches them.
    categories = [c for c in categories_of(user_id, include_hidden=True) if c.id in used["mood_categories"]]
    programs = db.session.scalars(
        select(FocusProgram).where(FocusProgram.id.in_(used["focus_programs"])).order_by(FocusProgram.id)
    )
    return {
        "tags": [{"id": t.id, "name": t.name, "colour": t.colour} for t in tags],
        "mood_categories": [{"id": c.id, "name": c.name, "emoji": c.emoji, "valence": c.valence} for c in categories],
        "focus_programs": [{"id": p.id, "slug": p.slug, "name": p.name} for p in programs],
    }


def _note_references(used: dict[str, set], doc: dict) -> None:
    for tag_id in doc.get("tag_ids") or []:
        if isinstance(tag_id, int):
            used["tags"].add(tag_id)
    if isinstance(doc.get("category_id"), int):
        used["mood_categories"].add(doc["category_id"])
    if isinstance(doc.get("program_id"), int):
        used["focus_programs"].add(doc["program_id"])


def _bson_value(value: object) -> object:
    return json_util.default(value, json_options=json_util.RELAXED_JSON_OPTIONS)


def _extended_json(doc: dict) -> bytes:
    """The same text as `json_util.dumps(doc)` in relaxed mode, several times faster (C encoder)."""
    return json.dumps(doc, default=_bson_value, ensure_ascii=False).encode()


def _json_line(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


def write_json(export: ExportRequest, user: User, archive: zipfile.ZipFile, parts: list[str], progress: Progress):
    """The documents go to a temporary file first: the zip can only write one member at a time."""
    used: dict[str, set] = {"tags": set(), "mood_categories": set(), "focus_programs": set()}
    media = _ZipMedia(archive, user.id)
    with tempfile.TemporaryFile(dir=Path(archive.filename).parent) as body:
        body.write(b'{"format": ' + _json_line(FORMAT_NAME) + b', "version": ' + _json_line(FORMAT_VERSION))
        body.write(b',\n "exported_at": ' + _json_line(timeutil.utcnow().isoformat().replace("+00:00", "Z")))
        body.write(b', "scope": ' + _json_line(export.scope))
        body.write(b', "date_from": ' + _json_line(export.date_from and export.date_from.isoformat()))
        body.write(b', "date_to": ' + _json_line(export.date_to and export.date_to.isoformat()))
        for part in parts:
            body.write(b',\n "' + PARTS[part][0].encode() + b'": [')
            separator = b"\n  "
            for doc in stream_documents(part, user.id, export):
                _note_references(used, doc)
                if part == "journal":
                    media.add(doc)
                body.write(separator + _extended_json(doc))
                separator = b",\n  "
                progress.step()
            body.write(b"\n ]")
        body.write(b',\n "reference": ' + _json_line(_reference(user.id, used)))
        body.write(b',\n "missing_media": ' + _json_line(media.missing) + b"\n}\n")
        body.seek(0)
        with archive.open(JSON_NAME, "w", force_zip64=True) as target:
            while chunk := body.read(1024 * 1024):
                target.write(chunk)
    archive.writestr("README.txt", __doc__)


def _yaml_string(value: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar: quotes, colons and
    # newlines in a title cannot break the front matter.
    return json.dumps(value, ensure_ascii=False)


def _link_text(text: object) -> str:
    """A caption or transcription as link text: brackets and line breaks would end the link early."""
    return " ".join(str(text or "").split()).replace("[", "(").replace("]", ")")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "entry"


def _local_moment(value: object, timezone: str) -> str:
    """A stored UTC moment in the person's zone, with its offset, to the millisecond (as MongoDB keeps it)."""
    if not isinstance(value, datetime):
        return ""
    moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    return moment.astimezone(timeutil.zone(timezone)).isoformat(timespec="milliseconds")


def _front_matter(entry: dict, tags: dict[int, str], timezone: str, mood_score: int | None) -> list[str]:
    names = [tags[t] for t in entry.get("tag_ids") or [] if t in tags]
    lines = [
        "---",
        f"title: {_yaml_string(entry.get('title') or '')}",
        f"date: {entry.get('local_date', '')}",
        f"created: {_yaml_string(_local_moment(entry.get('entry_date'), timezone))}",
        f"updated: {_yaml_string(_local_moment(entry.get('updated_at'), timezone))}",
    ]
    location = entry.get("location") or {}
    if location.get("name"):
        lines.append(f"place: {_yaml_string(location['name'])}")
    for key, name in (("lat", "latitude"), ("lng", "longitude")):
        if isinstance(location.get(key), (int, float)):
            lines.append(f"{name}: {location[key]!r}")
    if entry.get("weather"):
        lines.append(f"weather: {_yaml_string(entry['weather'])}")
    lines += [
        f"tags: [{', '.join(_yaml_string(n) for n in names)}]",
        _mood_line(mood_score),
        f"favorite: {'true' if entry.get('is_favorite') else 'false'}",
        "---",
    ]
    return lines


def _mood_line(score: int | None) -> str:
    if score is None:
        return "mood: null"
    return f"mood: {score}  # {score_word(score)} ({SCORE_MIN} awful to {SCORE_MAX} great)"


def entry_markdown(entry: dict, tags: dict[int, str], timezone: str, mood_score: int | None) -> str:
    """One entry as Markdown with front matter, which the Markdown import reads back whole."""
    lines = [*_front_matter(entry, tags, timezone, mood_score), "", entry.get("content") or ""]
    photos = [p for p in entry.get("photos") or [] if is_plain_file_name(p.get("filename"))]
    voices = [v for v in entry.get("voice_notes") or [] if is_plain_file_name(v.get("filename"))]
    if photos or voices:
        lines.append("")
    lines += [f"![{_link_text(p.get('caption'))}](../{MEDIA_FOLDER}/{p['filename']})" for p in photos]
    lines += [f"[{_link_text(v.get('transcription'))}](../{MEDIA_FOLDER}/{v['filename']})" for v in voices]
    for response in entry.get("prompt_responses") or []:
        lines += ["", f"## {response.get('question', 'Prompt')}", "", response.get("answer") or ""]
    return "\n".join(lines) + "\n"


def write_markdown(export: ExportRequest, user: User, archive: zipfile.ZipFile, parts: list[str], progress: Progress):
    tags = tag_names(user.id)
    media = _ZipMedia(archive, user.id)
    for entry, mood_score in with_mood_scores(user.id, stream_documents("journal", user.id, export)):
        name = f"journal/{entry.get('local_date', 'undated')}-{_slug(entry.get('title') or '')}-{entry['_id']}.md"
        archive.writestr(name, entry_markdown(entry, tags, user.timezone, mood_score))
        media.add(entry)
        progress.step()


def _spreadsheet_text(value: object) -> str:
    """Free text for a spreadsheet: a leading = + - @ would be run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _moment(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else ""


MOOD_COLUMNS = ["felt_at_utc", "local_date", "time_of_day", "category", "emoji", "valence", "score", "intensity"]
MOOD_COLUMNS += ["factors"]
MOOD_COLUMNS += ["place", "note"]
FOCUS_COLUMNS = ["started_at_utc", "local_date", "session_type", "status", "planned_minutes", "focus_minutes"]
FOCUS_COLUMNS += ["elapsed_seconds", "task", "tags", "productivity_rating", "distractions", "notes", "ended_at_utc"]


def _mood_row(mood: dict) -> list:
    factors = "; ".join(f"{f.get('name')}={f.get('value')}" for f in mood.get("factors") or [] if isinstance(f, dict))
    return [
        _moment(mood.get("felt_at")),
        mood.get("local_date", ""),
        mood.get("time_of_day", ""),
        mood.get("category_name", ""),
        mood.get("emoji", ""),
        mood.get("valence", ""),
        mood.get("score", ""),
        mood.get("intensity", ""),
        _spreadsheet_text(factors),
        _spreadsheet_text((mood.get("context") or {}).get("place")),
        _spreadsheet_text(mood.get("note")),
    ]


def _focus_row(session: dict, tags: dict[int, str]) -> list:
    return [
        _moment(session.get("started_at")),
        session.get("local_date", ""),
        session.get("session_type", ""),
        session.get("status", ""),
        session.get("planned_minutes", ""),
        session.get("focus_minutes", ""),
        session.get("elapsed_seconds", ""),
        _spreadsheet_text(session.get("task")),
        _spreadsheet_text(", ".join(tags[t] for t in session.get("tag_ids") or [] if t in tags)),
        session.get("productivity_rating", ""),
        (session.get("distractions") or {}).get("count", ""),
        _spreadsheet_text(session.get("notes")),
        _moment(session.get("ended_at")),
    ]


def write_csv(export: ExportRequest, user: User, archive: zipfile.ZipFile, parts: list[str], progress: Progress):
    tags = tag_names(user.id)
    tables = {
        "moods": ("moods.csv", MOOD_COLUMNS, _mood_row),
        "focus": ("focus_sessions.csv", FOCUS_COLUMNS, lambda s: _focus_row(s, tags)),
    }
    for part in parts:
        name, columns, row = tables[part]
        with archive.open(name, "w", force_zip64=True) as raw, io.TextIOWrapper(raw, "utf-8", newline="") as text:
            writer = csv.writer(text)
            writer.writerow(columns)
            for doc in stream_documents(part, user.id, export):
                writer.writerow(row(doc))
                progress.step()


ZIP_WRITERS = {"json": write_json, "markdown": write_markdown, "csv": write_csv}
