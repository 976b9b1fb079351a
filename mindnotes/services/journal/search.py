"""Finding entries: the newest-first list with filters, full-text search, "on this day".

The list pages by keyset on `list_key` (entry date and id in one string), so
page 100 costs what page 1 does and nothing is counted. Search asks `$text`
for every word as a quoted phrase (real MongoDB ANDs phrases, nx-27017 ANDs
words either way), then keeps only entries holding each word as a whole word,
so "all words must match" is the same on both servers.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from markupsafe import Markup, escape
from pymongo import DESCENDING

from mindnotes import timeutil
from mindnotes.documents import journal_entries
from mindnotes.inputs import parse_day, parse_id
from mindnotes.services.journal.fields import ENTRY_TYPES, list_key
from mindnotes.timeutil import zone

PAGE_SIZE = 20
SEARCH_RESULTS = 50
# Candidates read from `$text` before the whole-word check trims them.
SEARCH_CANDIDATES = 200
SEARCH_WORDS_MAX = 10
SNIPPET_RADIUS = 80
# Entries of one month and day (all years) read for "on this day".
ON_THIS_DAY_READ = 200
_WORD = re.compile(r"\w+")
# Markdown's emphasis and heading marks, left out of a search snippet.
_MARKUP = re.compile(r"[#*_`~]+")
NEWEST_FIRST = [("list_key", DESCENDING)]
_CURSOR = re.compile(r"^\d{14}-[0-9a-f]{24}$")


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
        # A tag that cannot be an id is left out, as an unreadable date is: the list shows without it.
        tag_ids = sorted({tag_id for tag_id in map(parse_id, args.getlist("tag")) if tag_id is not None})
        return cls(
            date_from=_day_or_empty(args.get("from", "")),
            date_to=_day_or_empty(args.get("to", "")),
            tag_ids=tag_ids,
            favorites=args.get("favorites") in {"1", "on", "true"},
            entry_type=args.get("type", "") if args.get("type", "") in ENTRY_TYPES else "",
            has_photos=args.get("photos") in {"1", "on", "true"},
            text=args.get("q", "").strip()[:200],
        )

    def query(self, timezone: str, cursor: str | None = None) -> dict:
        """The MongoDB filter; the date range is the person's local days, as UTC moments.

        With a `cursor` (the last `list_key` shown), only entries after it.
        """
        local = zone(timezone)
        keys_from = keys_before = None
        if self.date_from:
            start = datetime.strptime(self.date_from, "%Y-%m-%d").replace(tzinfo=local)
            keys_from = list_key(start.astimezone(UTC))
        if self.date_to:
            end = datetime.strptime(self.date_to, "%Y-%m-%d").replace(tzinfo=local) + timedelta(days=1)
            keys_before = list_key(end.astimezone(UTC))
        if cursor:
            # The cursor came from this range, so it is before the range's end.
            keys_before = cursor
        return journal_entries.list_filter(
            keys_from=keys_from,
            keys_before=keys_before,
            tag_ids=self.tag_ids,
            favorites=self.favorites,
            entry_type=self.entry_type,
            has_photos=self.has_photos,
        )

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
    day = parse_day(value)
    return day.isoformat() if day else ""


@dataclass
class Page:
    entries: list[dict]
    next_cursor: str | None


def list_entries(user_id: int, timezone: str, filters: Filters, cursor: str | None = None) -> Page:
    """One page of live entries, newest first, after `cursor` (the last `list_key` shown) when given."""
    query = filters.query(timezone, cursor if cursor and _CURSOR.match(cursor) else None)
    rows = journal_entries.find_entries(user_id, query, NEWEST_FIRST, PAGE_SIZE + 1)
    next_cursor = rows[PAGE_SIZE - 1]["list_key"] if len(rows) > PAGE_SIZE else None
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


def search_entries(user_id: int, timezone: str, filters: Filters) -> list[dict]:
    """The best live entries holding every word of `filters.text`, each with a highlighted snippet."""
    words = search_words(filters.text)
    if not words:
        return []
    phrases = " ".join(f'"{word}"' for word in words)
    wanted = {fold(word) for word in words}
    results = []
    for entry in journal_entries.search_entries(user_id, phrases, filters.query(timezone), SEARCH_CANDIDATES):
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
    """Live entries written on today's month and day in earlier years, newest first.

    Only the indexed month_day is asked of the server; the few entries of that
    day are sorted out here (nx-27017 serves a second condition by scanning).
    """
    today = timeutil.local_now(timezone).date()
    same_day = journal_entries.on_month_day(user_id, today.strftime("%m-%d"), ON_THIS_DAY_READ)
    this_year = f"{today.year:04d}-"
    earlier = [entry for entry in same_day if not entry.get("deleted_at") and entry["local_date"] < this_year]
    return earlier[:limit]


def trashed_entries(user_id: int, limit: int = 200) -> list[dict]:
    """Entries in the trash, most recently deleted first."""
    return journal_entries.trashed_entries(user_id, limit)
