"""Finding entries: the newest-first list with filters, full-text search, "on this day".

The list pages by keyset on `list_key` (entry date and id in one string), so
page 100 costs what page 1 does and nothing is counted. Search finds the
entries whose stored `search_terms` hold every word searched for (compared
folded: no case, no accents, whole words, no stemming or prefixes), then keeps
those holding each quoted phrase's words side by side, in order. The same
query means the same on MongoDB, nx-27017 and mongomock, and reads only the
searching person's entries.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from markupsafe import Markup, escape
from pymongo import DESCENDING

from mindnotes import timeutil
from mindnotes.documents import journal_entries
from mindnotes.inputs import parse_day, parse_id
from mindnotes.services.journal.fields import ENTRY_TYPES, list_key
from mindnotes.services.journal.markdown import plain_text
from mindnotes.timeutil import zone

PAGE_SIZE = 20
SEARCH_RESULTS = 50
# The newest entries holding everything searched for, ranked for the best SEARCH_RESULTS.
SEARCH_CANDIDATES = 200
# Entries holding every word read for one search at most (quoted phrases may turn some away).
SEARCH_READ_MAX = 1000
SEARCH_WORDS_MAX = 10
SNIPPET_RADIUS = 80
# Markdown read around a match to make its snippet (whole lines).
SNIPPET_SOURCE_RADIUS = 400
# Entries of one month and day (all years) read for "on this day".
ON_THIS_DAY_READ = 200
# A quoted phrase: straight or curly quotes; an unclosed quote runs to the end.
_PHRASE = re.compile(r'["“”]([^"“”]*)["“”]?')
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


@dataclass
class SearchQuery:
    """What a person typed in the search box: the words every entry must hold, and the quoted phrases."""

    terms: list[str]  # folded, distinct, at most SEARCH_WORDS_MAX
    phrases: list[list[str]]  # each quoted phrase of two or more words, folded, in order

    @classmethod
    def parse(cls, text: str) -> "SearchQuery":
        phrases = [words for words in map(journal_entries.words_of, _PHRASE.findall(text)) if len(words) > 1]
        return cls(search_words(text), phrases)

    def holds_phrases(self, words: list[str]) -> bool:
        """Whether `words` (an entry's folded words, in order) hold each phrase's words side by side."""
        return all(_holds(words, phrase) for phrase in self.phrases)

    def relevance(self, words: list[str]) -> float:
        """How much of the entry is the searched words: a short entry about them ranks above a long one."""
        wanted = set(self.terms)
        return sum(word in wanted for word in words) / max(len(words), 1)


def _holds(words: list[str], phrase: list[str]) -> bool:
    size = len(phrase)
    return any(words[start : start + size] == phrase for start in range(len(words) - size + 1))


def search_words(text: str) -> list[str]:
    """The distinct folded words of a search, in the order typed, at most SEARCH_WORDS_MAX."""
    return list(dict.fromkeys(journal_entries.words_of(text)))[:SEARCH_WORDS_MAX]


def search_entries(user_id: int, timezone: str, filters: Filters) -> list[dict]:
    """The best live entries holding every word and quoted phrase of `filters.text`, each with a highlighted snippet.

    The server finds entries holding every word (`search_terms`), newest first,
    a batch at a time; phrases are checked here. The newest SEARCH_CANDIDATES
    that hold everything (at most SEARCH_READ_MAX read) are ranked by relevance,
    ties newest first, and the best SEARCH_RESULTS shown. Only the person's own
    entries are read (anyone else's cost nothing), at most SEARCH_READ_MAX.
    """
    search = SearchQuery.parse(filters.text)
    if not search.terms:
        return []
    ranked: list[tuple[float, dict]] = []
    cursor, read = None, 0
    while len(ranked) < SEARCH_CANDIDATES and read < SEARCH_READ_MAX:
        batch = journal_entries.search_entries(
            user_id, search.terms, filters.query(timezone, cursor), SEARCH_CANDIDATES
        )
        read += len(batch)
        for entry in batch:
            words = journal_entries.words_of(entry["search_text"])
            if search.holds_phrases(words):
                ranked.append((search.relevance(words), entry))
        if len(batch) < SEARCH_CANDIDATES:
            break
        cursor = batch[-1]["list_key"]
    ranked = sorted(ranked[:SEARCH_CANDIDATES], key=lambda pair: pair[0], reverse=True)
    results = []
    for _relevance, entry in ranked[:SEARCH_RESULTS]:
        text = entry.pop("search_text")
        entry["title_marked"] = highlight(entry.get("title") or "", search.terms)
        entry["snippet"] = highlight(snippet(text.split("\n", 1)[-1], search.terms), search.terms)
        results.append(entry)
    return results


def _matches(text: str, terms: list[str]) -> Iterator[re.Match[str]]:
    """The words of `text` (as written) that fold to one of `terms`."""
    wanted = set(terms)
    return (found for found in journal_entries.WORD.finditer(text) if journal_entries.fold(found.group(0)) in wanted)


def snippet(text: str, terms: list[str]) -> str:
    """A short stretch of `text` (Markdown, shown as plain text) around the first matched word.

    Only the whole lines within SNIPPET_SOURCE_RADIUS characters of the match are
    rendered, so a long entry's snippet costs what a short one's does.
    """
    found = next(_matches(text, terms), None)
    at = found.start() if found else 0
    begin = text.rfind("\n", 0, max(0, at - SNIPPET_SOURCE_RADIUS)) + 1
    finish = text.find("\n", at + SNIPPET_SOURCE_RADIUS)
    finish = len(text) if finish == -1 else finish
    plain = plain_text(text[begin:finish])
    found = next(_matches(plain, terms), None)
    start = max(0, (found.start() if found else 0) - SNIPPET_RADIUS)
    end = min(len(plain), start + 2 * SNIPPET_RADIUS + 40)
    cut_before, cut_after = begin > 0 or start > 0, finish < len(text) or end < len(plain)
    return ("…" if cut_before else "") + plain[start:end] + ("…" if cut_after else "")


def highlight(text: str, terms: list[str]) -> Markup:
    """`text` escaped, with each word that folds to one of `terms` in <mark>."""
    pieces, last = [], 0
    for found in _matches(text, terms):
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
