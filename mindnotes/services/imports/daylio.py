"""Daylio's CSV export: each row a mood log with activities, and a note that becomes a journal entry.

Columns: `full_date` (YYYY-MM-DD), `date`, `weekday`, `time` ("8:30 pm" or
"20:30", in the person's zone), `mood` (the person's own name for it),
`activities` (separated by " | "), `note_title`, `note`. Daylio's mood names
are the person's own, so the preview maps each one to a MindNotes mood and a
score from 1 (awful) to 5 (great): Daylio's five default names are mapped for
them, another name to the MindNotes mood of the same name when there is one,
and the person can change every choice before confirming.

Every row goes in through the mood service's `log_mood` (activities become
its other factors, the first ten; intensity 5, which Daylio does not have), a
note first through the journal service, linked from the mood. Nothing twice:
a row's mood is stored under an id made from the person and the row's date
and time, so importing the file again finds it ("already imported") and the
mood service would not store it twice anyway; its note's entry keeps
`source_id` "daylio:<date> <time>". A second row with the same date and time
in one file is skipped and named.
"""

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from bson import ObjectId
from werkzeug.datastructures import MultiDict

from mindnotes.documents import imported, journal_entries, mood_entries
from mindnotes.models import User
from mindnotes.services import journal, mood
from mindnotes.services.imports.checks import NAMED_MAX, ImportRefused
from mindnotes.services.imports.sources.item import MAX_TEXT_BYTES
from mindnotes.services.imports.writing import (
    FAILED_MESSAGE,
    ImportFailed,
    ImportReport,
    Progress,
    Written,
    batches,
    counted,
    take_back,
)
from mindnotes.services.mood.fields import SCORE_MAX, SCORE_MIN, SCORE_WORDS

KEY = "daylio"
LABEL = "Daylio CSV export (.csv)"
COLUMNS = ("full_date", "time", "mood")
DEFAULT_SCORES = {"rad": 5, "good": 4, "meh": 3, "bad": 2, "awful": 1}
# The MindNotes mood a score lands on when the name says nothing more (the person can change it).
VALENCE_FOR_SCORE = {5: 2, 4: 1, 3: 1, 2: -1, 1: -2}
INTENSITY = "5"
MOOD_NAMES_MAX = 50
MAPPING = (
    "Each row becomes a mood log; its activities become the mood's other factors (the first ten).",
    "A row with a note also becomes a journal entry (the note's title as its title), linked from the mood.",
    "Daylio has no intensity: moods are logged at 5 of 10. Times are read in your time zone.",
)


@dataclass
class Row:
    number: int
    name: str
    moment: datetime | None
    mood_name: str
    activities: list[str]
    title: str
    note: str
    problem: str = ""


@dataclass
class DaylioPreview:
    source: str
    label: str
    mapping: list[str]
    moods: int = 0
    entries: int = 0
    already: int = 0
    skipped: list[str] = field(default_factory=list)
    skipped_count: int = 0
    first_day: str = ""
    last_day: str = ""
    # Daylio's mood name -> {"count", "category_id", "score"}, in the order first seen.
    mood_names: dict[str, dict] = field(default_factory=dict)

    @property
    def items(self) -> int:
        return self.moods + self.already + self.skipped_count

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> "DaylioPreview":
        return cls(**values)


def _time(value: str) -> str | None:
    """ "8:30 pm" or "20:30" as "20:30"."""
    for pattern in ("%I:%M %p", "%H:%M"):
        try:
            return datetime.strptime(value.strip().upper(), pattern).strftime("%H:%M")
        except ValueError:
            continue
    return None


def _rows(path: Path) -> Iterator[Row]:
    if path.stat().st_size > MAX_TEXT_BYTES:
        raise ImportRefused(f"That file is larger than the {MAX_TEXT_BYTES // (1024 * 1024)} MB a CSV may be.")
    with path.open("rb") as raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text:
        try:
            reader = csv.DictReader(text)
            if not reader.fieldnames or any(column not in reader.fieldnames for column in COLUMNS):
                raise ImportRefused(
                    "This is not a Daylio CSV export: it has no full_date, time and mood columns. "
                    "In Daylio: More → Export entries → CSV."
                )
            for number, values in enumerate(reader, start=1):
                yield _row(number, values)
        except (UnicodeDecodeError, csv.Error) as error:
            raise ImportRefused("This file is not a CSV file in UTF-8, so nothing was imported.") from error


def _row(number: int, values: dict) -> Row:
    day, time = (values.get("full_date") or "").strip(), _time(values.get("time") or "")
    try:
        moment = datetime.fromisoformat(f"{day}T{time}") if time else None
    except ValueError:
        moment = None
    activities = [a.strip() for a in (values.get("activities") or "").split(" | ") if a.strip()]
    row = Row(
        number,
        f"{day} {time}" if moment else f"row {number}",
        moment,
        (values.get("mood") or "").strip(),
        activities,
        (values.get("note_title") or "").strip(),
        (values.get("note") or "").strip(),
    )
    if moment is None:
        row.problem = "its date and time are not a date and a time"
    elif not row.mood_name:
        row.problem = "it has no mood"
    return row


def mood_id(user_id: int, row: Row) -> ObjectId:
    return ObjectId(hashlib.sha256(f"daylio:{user_id}:{row.name}".encode()).hexdigest()[:24])


def _default_choice(name: str, categories: list) -> dict:
    by_name = {c.name.casefold(): c for c in categories}
    if name.casefold() in by_name:
        category = by_name[name.casefold()]
        score = DEFAULT_SCORES.get(name.casefold(), mood.fields.score_from(category.valence, int(INTENSITY)))
        return {"category_id": category.id, "score": score}
    score = DEFAULT_SCORES.get(name.casefold(), 3)
    category = next((c for c in categories if c.valence == VALENCE_FOR_SCORE[score]), categories[0])
    return {"category_id": category.id, "score": score}


def _stored(user: User, rows: Iterator[Row]) -> Iterator[tuple[Row, bool]]:
    """Each row with whether its mood is in the person's account already; a second row of a moment is a twin."""
    seen: set[str] = set()
    for batch in batches(rows):
        ids = [str(mood_id(user.id, row)) for row in batch if not row.problem]
        here = imported.imported_items(mood_entries.NAME, user.id, ids)
        for row in batch:
            if not row.problem and row.name in seen:
                row.problem = "another row has the same date and time; the first one was kept"
            seen.add(row.name)
            yield row, not row.problem and str(mood_id(user.id, row)) in here


def preview_daylio(user: User, path: Path) -> DaylioPreview:
    preview = DaylioPreview(KEY, LABEL, list(MAPPING))
    categories = mood.mood_categories()
    for row, already in _stored(user, _rows(path)):
        if row.problem:
            preview.skipped_count += 1
            if len(preview.skipped) < NAMED_MAX:
                preview.skipped.append(f"Row {row.number} ({row.name}) skipped: {row.problem}.")
            continue
        if already:
            preview.already += 1
            continue
        assert row.moment is not None
        if row.mood_name not in preview.mood_names:
            if len(preview.mood_names) >= MOOD_NAMES_MAX:
                raise ImportRefused(f"This file names more than {MOOD_NAMES_MAX} moods; Daylio keeps fewer.")
            preview.mood_names[row.mood_name] = {"count": 0, **_default_choice(row.mood_name, categories)}
        preview.mood_names[row.mood_name]["count"] += 1
        preview.moods += 1
        preview.entries += 1 if row.title or row.note else 0
        day = row.moment.date().isoformat()
        preview.first_day = min(preview.first_day or day, day)
        preview.last_day = max(preview.last_day, day)
    if preview.skipped_count > len(preview.skipped):
        more = preview.skipped_count - len(preview.skipped)
        preview.skipped.append(f"And {counted(more, 'more row', 'more rows')} like these.")
    if not preview.moods and not preview.already:
        raise ImportRefused(
            "Nothing in this file can be imported. " + (" ".join(preview.skipped[:3]) or "It is empty.")
        )
    return preview


def choose_mapping(preview: DaylioPreview, formdata: MultiDict) -> None:
    """The person's choice of a MindNotes mood and score for each Daylio mood name (`mood-<n>-category`,
    `mood-<n>-score`, in the preview's order); ImportRefused names a choice that is not one."""
    categories = {str(c.id) for c in mood.mood_categories()}
    for number, (name, choice) in enumerate(preview.mood_names.items()):
        category = formdata.get(f"mood-{number}-category", str(choice["category_id"]))
        score = formdata.get(f"mood-{number}-score", str(choice["score"]))
        if category not in categories:
            raise ImportRefused(f"Choose one of the listed moods for “{name}”.", field="mapping")
        if score not in {str(s) for s in range(SCORE_MIN, SCORE_MAX + 1)}:
            raise ImportRefused(f"Choose a score from 1 to 5 for “{name}”.", field="mapping")
        choice.update(category_id=int(category), score=int(score))


def _log(user: User, row: Row, choice: dict, written: Written, moods: list[str]) -> bool:
    """Write the row's note (as an entry) and mood; False when the entry limit stopped the note."""
    assert row.moment is not None
    entry_id = ""
    if row.title or row.note:
        fields = {"title": row.title, "content": row.note, "entry_date": row.moment}
        entry = journal.create_entry(user, fields, entry_id=ObjectId())
        written.add_entry(entry["_id"])
        source = {"source_id": f"{KEY}:{row.name}", "source_hash": hashlib.sha256(row.note.encode()).hexdigest()[:32]}
        if journal_entries.replace_entry(user.id, {**entry, **source}) is None:
            raise RuntimeError("an imported entry changed while it was being completed")
        entry_id = str(entry["_id"])
    form = mood.MoodForm(
        category=str(choice["category_id"]),
        score=str(choice["score"]),
        intensity=INTENSITY,
        other_factors=", ".join(a.replace(",", " ")[: mood.OTHER_FACTOR_MAX] for a in row.activities[:10]),
        felt_at=row.moment.strftime(mood.LOCAL_MINUTE),
        journal_entry_id=entry_id,
        mood_id=str(mood_id(user.id, row)),
    )
    moods.append(str(mood.log_mood(user, form)["_id"]))
    return True


def import_daylio(user: User, path: Path, preview: DaylioPreview, progress=None) -> ImportReport:
    """Write the file's rows as `preview` maps them; a failure takes back what this import wrote."""
    report, written = ImportReport(), Written()
    moods: list[str] = []
    steps = Progress(preview.items, progress)
    skipped = already = over_limit = 0
    limit_message = ""
    try:
        for row, here in _stored(user, _rows(path)):
            steps.step()
            if row.problem:
                skipped += 1
                if skipped <= NAMED_MAX:
                    report.skipped.append(f"Row {row.number} ({row.name}) skipped: {row.problem}.")
            elif here:
                already += 1
            elif limit_message and (row.title or row.note):
                over_limit += 1
            elif row.mood_name in preview.mood_names:
                try:
                    _log(user, row, preview.mood_names[row.mood_name], written, moods)
                except journal.EntryLimitReached as error:
                    limit_message, over_limit = str(error), over_limit + 1
                    continue
                except mood.MoodInvalid as error:
                    report.skipped.append(f"Row {row.number} ({row.name}) skipped: {' '.join(error.errors.values())}")
                    continue
                report.moods += 1
                report.entries += 1 if row.title or row.note else 0
    except ImportRefused:
        _take_back(user, written, moods)
        raise
    except Exception as error:
        _take_back(user, written, moods)
        raise ImportFailed(FAILED_MESSAGE) from error
    if limit_message:
        reason = limit_message[0].lower() + limit_message[1:]
        report.skipped.append(f"{counted(over_limit, 'row with a note', 'rows with a note')}, because {reason}")
    if already:
        report.skipped.append(f"{counted(already, 'mood', 'moods')} already imported.")
    return report


def _take_back(user: User, written: Written, moods: list[str]) -> None:
    for logged in moods:
        mood.delete_mood(user, logged)
    take_back(user, written)


def score_choices() -> list[tuple[int, str]]:
    return [(score, f"{score} ({SCORE_WORDS[score]})") for score in range(SCORE_MAX, SCORE_MIN - 1, -1)]


def mood_choices() -> list[tuple[int, str]]:
    return [(c.id, f"{c.emoji} {c.name}") for c in mood.mood_categories()]
