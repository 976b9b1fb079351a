"""Finding entries: the newest-first list with filters, full-text search, "on this day".

The list pages by keyset on (entry_date, _id), so page 100 costs what page 1
does and nothing is counted. Search asks `$text` for every word as a quoted
phrase (real MongoDB ANDs phrases, nx-27017 ANDs words either way), then keeps
only entries holding each word as a whole word, so "all words must match" is
the same on both servers.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bson import ObjectId
from markupsafe import Markup, escape
from pymongo import DESCENDING

from mindnotes.documents import journal_entries
from mindnotes.services.journal import ENTRY_TYPES
from mindnotes.timeutil import local_now

PAGE_SIZE = 20
SEARCH_RESULTS = 50
# Candidates read from `$text` before the whole-word check trims them.
SEARCH_CANDIDATES = 200
SEARCH_WORDS_MAX = 10
SNIPPET_RADIUS = 80
# Entries sharing one exact moment read at once when a page ends among them (imports).
TIES_MAX = 1000
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WORD = re.compile(r"\w+")
# Markdown's emphasis and heading marks, left out of a search snippet.
_MARKUP = re.compile(r"[#*_`~]+")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
NEWEST_FIRST = [("entry_date", DESCENDING), ("_id", DESCENDING)]


@dataclass
class Filters:
    """What the person narrowed the list to; built from the query string."""

    date_from: str = ""
    date_to: str = ""
    tag_ids: list[int] = field(default_factory=list)
    favorites: bool = False
    entry_type: str = ""
    has_photos: bool = False
    text: str = ""

    @classmethod
    def from_args(cls, args) -> "Filters":
        tag_ids = sorted({int(value) for value in args.getlist("tag") if value.isdigit()})
        return cls(
            date_from=_day_or_empty(args.get("from", "")),
            date_to=_day_or_empty(args.get("to", "")),
            tag_ids=tag_ids,
            favorites=args.get("favorites") in {"1", "on", "true"},
            entry_type=args.get("type", "") if args.get("type", "") in ENTRY_TYPES else "",
            has_photos=args.get("photos") in {"1", "on", "true"},
            text=args.get("q", "").strip()[:200],
        )

    def query(self) -> dict:
        query: dict = {"deleted_at": None}
        if self.date_from or self.date_to:
            query["local_date"] = {
                **({"$gte": self.date_from} if self.date_from else {}),
                **({"$lte": self.date_to} if self.date_to else {}),
            }
        if self.tag_ids:
            query["tag_ids"] = {"$all": self.tag_ids}
        if self.favorites:
            query["is_favorite"] = True
        if self.entry_type:
            query["entry_type"] = self.entry_type
        if self.has_photos:
            query["photo_count"] = {"$gt": 0}
        return query

    def as_args(self) -> dict:
        """The filters as query-string arguments, for links to further pages."""
        args: dict = {}
        if self.date_from:
            args["from"] = self.date_from
        if self.date_to:
            args["to"] = self.date_to
        if self.tag_ids:
            args["tag"] = self.tag_ids
        if self.favorites:
            args["favorites"] = "1"
        if self.entry_type:
            args["type"] = self.entry_type
        if self.has_photos:
            args["photos"] = "1"
        if self.text:
            args["q"] = self.text
        return args

    @property
    def active(self) -> bool:
        return bool(self.as_args())


def _day_or_empty(value: str) -> str:
    value = value.strip()
    if not _DAY.match(value):
        return ""
    try:
        datetime.strptime(value, "%Y-%m-%d")
    except ValueError:
        return ""
    return value


@dataclass
class Page:
    entries: list[dict]
    next_cursor: str | None


def encode_cursor(entry: dict) -> str:
    moment = entry["entry_date"]
    return f"{(moment - EPOCH) // timedelta(milliseconds=1)}-{entry['_id']}"


def decode_cursor(cursor: str) -> tuple[datetime, ObjectId] | None:
    """The (entry_date, _id) a page continues after; None for anything we did not make."""
    millis, _, entry_id = (cursor or "").partition("-")
    if not millis.isdigit() or not ObjectId.is_valid(entry_id):
        return None
    try:
        return EPOCH + timedelta(milliseconds=int(millis)), ObjectId(entry_id)
    except OverflowError:
        return None


def list_entries(user_id: int, filters: Filters, cursor: str | None = None) -> Page:
    """One page of live entries, newest first, after `cursor` when given.

    After a cursor, the entries sharing its exact moment with a smaller `_id`
    come before the strictly older ones. That is two simple indexed queries,
    the ties' `_id` compared here: nx-27017 answers an `$or`, or an `_id` range
    next to `deleted_at: None`, with nothing.
    """
    query = filters.query()
    after = decode_cursor(cursor) if cursor else None
    rows: list[dict] = []
    if after is not None:
        moment, entry_id = after
        ties = journal_entries.find_entries(user_id, {**query, "entry_date": moment}, NEWEST_FIRST, TIES_MAX)
        rows = [row for row in ties if row["_id"] < entry_id][: PAGE_SIZE + 1]
        query["entry_date"] = {"$lt": moment}
    if len(rows) <= PAGE_SIZE:
        rows += journal_entries.find_entries(user_id, query, NEWEST_FIRST, PAGE_SIZE + 1 - len(rows))
    next_cursor = encode_cursor(rows[PAGE_SIZE - 1]) if len(rows) > PAGE_SIZE else None
    return Page(rows[:PAGE_SIZE], next_cursor)


def fold(text: str) -> str:
    """Lower-case without accents: how both servers compare words in a search."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def search_words(text: str) -> list[str]:
    words: list[str] = []
    for word in _WORD.findall(text):
        if word.casefold() not in {known.casefold() for known in words}:
            words.append(word)
    return words[:SEARCH_WORDS_MAX]


def search_entries(user_id: int, filters: Filters) -> list[dict]:
    """The best live entries holding every word of `filters.text`, each with a highlighted snippet."""
    words = search_words(filters.text)
    if not words:
        return []
    phrases = " ".join(f'"{word}"' for word in words)
    wanted = {fold(word) for word in words}
    results = []
    for entry in journal_entries.search_entries(user_id, phrases, filters.query(), SEARCH_CANDIDATES):
        text = entry.pop("search_text", "")
        if not wanted <= {fold(word) for word in _WORD.findall(text)}:
            continue
        entry["title_marked"] = highlight(entry.get("title") or "", words)
        entry["snippet"] = highlight(snippet(text.split("\n", 1)[-1], words), words)
        results.append(entry)
        if len(results) == SEARCH_RESULTS:
            break
    return results


def _word_pattern(words: list[str]) -> re.Pattern:
    return re.compile(r"\b(" + "|".join(re.escape(word) for word in words) + r")\b", re.IGNORECASE)


def snippet(text: str, words: list[str]) -> str:
    """A short stretch of `text` around the first matched word."""
    text = " ".join(_MARKUP.sub(" ", text).split())
    found = _word_pattern(words).search(text)
    start = max(0, (found.start() if found else 0) - SNIPPET_RADIUS)
    end = min(len(text), start + 2 * SNIPPET_RADIUS + 40)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def highlight(text: str, words: list[str]) -> Markup:
    """`text` escaped, with each whole-word match of `words` in <mark>."""
    pattern = _word_pattern(words)
    pieces, last = [], 0
    for found in pattern.finditer(text):
        pieces.append(escape(text[last : found.start()]))
        pieces.append(Markup("<mark>%s</mark>") % found.group(0))
        last = found.end()
    pieces.append(escape(text[last:]))
    return Markup("").join(pieces)


def on_this_day(user_id: int, timezone: str, limit: int = 10) -> list[dict]:
    """Live entries written on today's month and day in earlier years, newest first."""
    today = local_now(timezone).date()
    query = {
        "month_day": today.strftime("%m-%d"),
        "local_date": {"$lt": f"{today.year:04d}-"},
        "deleted_at": None,
    }
    return journal_entries.find_entries(user_id, query, NEWEST_FIRST, limit)


def trashed_entries(user_id: int, limit: int = 200) -> list[dict]:
    """Entries in the trash, most recently deleted first."""
    return journal_entries.find_entries(user_id, {"deleted_at": {"$ne": None}}, [("deleted_at", DESCENDING)], limit)
