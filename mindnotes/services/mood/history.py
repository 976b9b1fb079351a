"""Looking back at moods: the filtered, keyset-paginated list and the week view."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from bson import ObjectId
from werkzeug.datastructures import MultiDict

from mindnotes import timeutil
from mindnotes.documents import mood_entries, parse_object_id
from mindnotes.inputs import LAST_YEAR, parse_day, parse_id, parse_int
from mindnotes.models import User

PAGE_SIZE = 20
_LATEST_CURSOR_MS = int(datetime(LAST_YEAR + 1, 1, 1, tzinfo=UTC).timestamp() * 1000)


@dataclass
class HistoryFilter:
    """The history's filters as typed (`first`/`last` local dates, a category id) and their errors."""

    first: str = ""
    last: str = ""
    category: str = ""
    after: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_args(cls, args: MultiDict) -> "HistoryFilter":
        return cls(
            first=args.get("first", "").strip(),
            last=args.get("last", "").strip(),
            category=args.get("category", "").strip(),
            after=args.get("after", "").strip(),
        )

    def query_args(self) -> dict[str, str]:
        """The filters for links to further pages."""
        filters = {"first": self.first, "last": self.last, "category": self.category}
        return {name: value for name, value in filters.items() if value}


@dataclass
class HistoryPage:
    moods: list[dict]
    next_cursor: str | None


def _cursor_of(mood: dict) -> str:
    milliseconds = int(mood["felt_at"].timestamp() * 1000)
    return f"{milliseconds}-{mood['_id']}"


def _parse_cursor(text: str) -> tuple[datetime, ObjectId] | None:
    milliseconds_text, _, oid_text = text.partition("-")
    milliseconds = parse_int(milliseconds_text, 0, _LATEST_CURSOR_MS)
    oid = parse_object_id(oid_text)
    if milliseconds is None or oid is None:
        return None
    return datetime.fromtimestamp(milliseconds / 1000, UTC), oid


def validate_filter(history: HistoryFilter) -> None:
    """Fill `history.errors` for dates that are not dates, a range that runs backwards, a bad category."""
    first = parse_day(history.first) if history.first else None
    last = parse_day(history.last) if history.last else None
    if history.first and first is None:
        history.errors["first"] = "Enter a date like 2026-03-05."
    if history.last and last is None:
        history.errors["last"] = "Enter a date like 2026-03-05."
    if first and last and first > last:
        history.errors["last"] = "The end date comes before the start date."
    if history.category and parse_id(history.category) is None:
        history.errors["category"] = "Choose one of the listed moods."


def history_page(user: User, history: HistoryFilter) -> HistoryPage:
    """One page of the person's moods, newest first; an unreadable cursor starts from the top."""
    rows = mood_entries.page_of_moods(
        user.id,
        history.first or None,
        history.last or None,
        parse_id(history.category),
        _parse_cursor(history.after) if history.after else None,
        PAGE_SIZE + 1,
    )
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return HistoryPage(moods=rows, next_cursor=_cursor_of(rows[-1]) if more else None)


def get_mood(user: User, mood_id: str) -> dict | None:
    return mood_entries.get_mood(user.id, mood_id)


def recent_moods(user: User, count: int = 5) -> list[dict]:
    return mood_entries.page_of_moods(user.id, None, None, None, None, count)


@dataclass
class WeekDay:
    day: date
    moods: list[dict]

    @property
    def average(self) -> float | None:
        if not self.moods:
            return None
        return sum(mood["score"] for mood in self.moods) / len(self.moods)


@dataclass
class Week:
    days: list[WeekDay]
    previous: date
    following: date | None


def week_of(user: User, day_text: str = "", now: datetime | None = None) -> Week:
    """Monday to Sunday around `day_text` (this week in the person's zone when empty, unreadable
    or outside the years `inputs.parse_day` reads)."""
    today = (now or timeutil.utcnow()).astimezone(timeutil.zone(user.timezone)).date()
    chosen = parse_day(day_text)
    monday = (chosen or today) - timedelta(days=(chosen or today).weekday())
    sunday = monday + timedelta(days=6)
    by_day: dict[str, list[dict]] = {}
    for mood in mood_entries.moods_between(user.id, monday.isoformat(), sunday.isoformat()):
        by_day.setdefault(mood["local_date"], []).append(mood)
    days = [WeekDay(day, by_day.get(day.isoformat(), [])) for day in (monday + timedelta(days=n) for n in range(7))]
    following = monday + timedelta(days=7)
    return Week(days=days, previous=monday - timedelta(days=7), following=following if following <= today else None)
