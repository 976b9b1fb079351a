"""Reading what people send: ids, whole numbers, days, local moments, and where to go next.

Every reader answers None for text it cannot use, so the caller decides what a
person sees (a 404 for an id that cannot exist, a message beside a form field,
or a filter left out). The rules, in one place:

- Digits are ASCII digits only: `str.isdigit()` accepts "²", which `int()` refuses.
- Numbers stay inside the column they are compared with: an id above PostgreSQL's
  INTEGER (2147483647) can name nothing, and a query that reads it as one fails.
- Days lie between 1900 and 2200, so a day moved by a week, a month or a time
  zone (UTC-12 to UTC+14) never leaves the calendar Python and MongoDB can hold.
- `next` is a path on this site: no scheme, no host, no control characters
  (browsers drop tabs and line breaks, so "/\\t/evil.example" means "//evil.example").

What a person sees when a reader says None (the views and services choose, consistently):
an id in the path that cannot exist is a 404 (the `<id:...>` converter); a bad form
value is a 422 with its message beside the field; a query-string filter that cannot
be read is left out and the page shows without it (mood history, whose filters are a
form that shows messages, answers 422 beside the field); `next` falls back to the
default page.
"""

import re
from datetime import date, datetime, time
from urllib.parse import urlsplit

from werkzeug.routing import IntegerConverter, Map

MAX_ID = 2_147_483_647  # PostgreSQL INTEGER, the type of every id column
FIRST_YEAR = 1900
LAST_YEAR = 2200
_DIGITS = re.compile(r"[0-9]{1,18}")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")
_LOCAL_MINUTE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}")
# Browsers drop tabs and line breaks and read "\\" as "/"; a header cannot hold a line break.
_CONTROL = re.compile(r"[\x00-\x1f\x7f\\]")


def parse_int(value: object, low: int = 0, high: int = MAX_ID) -> int | None:
    """A whole number from `low` to `high` written in ASCII digits (or given as an int); else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not _DIGITS.fullmatch(text):
            return None
        value = int(text)
    if not isinstance(value, int) or not low <= value <= high:
        return None
    return value


def parse_id(value: object) -> int | None:
    """A database id (1 to 2147483647), or None for anything that cannot be one."""
    return parse_int(value, 1, MAX_ID)


def parse_ids(values: object) -> list[int] | None:
    """Every value of a list as an id, in order without repeats; None when any of them cannot be one."""
    if not isinstance(values, list | tuple):
        return None
    ids = [parse_id(value) for value in values]
    if any(found is None for found in ids):
        return None
    return list(dict.fromkeys(ids))  # type: ignore[arg-type]


def coerce_id(value: object) -> int:
    """`parse_id` for WTForms' `coerce=`: a ValueError (the field's "not a valid choice") for a non-id."""
    found = parse_id(value)
    if found is None:
        raise ValueError("Not an id.")
    return found


def _in_range(moment: date) -> bool:
    return FIRST_YEAR <= moment.year <= LAST_YEAR


def parse_day(value: object) -> date | None:
    """A "YYYY-MM-DD" day between 1900 and 2200; else None."""
    if not isinstance(value, str) or not _DAY.fullmatch(value.strip()):
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        return None
    return day if _in_range(day) else None


def parse_month(value: object) -> date | None:
    """The first day of a "YYYY-MM" month between 1900 and 2200; else None."""
    if not isinstance(value, str) or not _MONTH.fullmatch(value.strip()):
        return None
    return parse_day(f"{value.strip()}-01")


def parse_local_minute(value: object) -> datetime | None:
    """A naive "YYYY-MM-DDTHH:MM" (a wall-clock minute in the person's zone) between 1900 and 2200; else None."""
    if not isinstance(value, str) or not _LOCAL_MINUTE.fullmatch(value.strip()[:16]):
        return None
    try:
        moment = datetime.strptime(value.strip()[:16].replace(" ", "T"), "%Y-%m-%dT%H:%M")
    except ValueError:
        return None
    return moment if _in_range(moment) else None


def parse_clock_time(value: object) -> time | None:
    """A wall-clock "HH:MM" (00:00 to 23:59); else None."""
    if not isinstance(value, str) or not re.fullmatch(r"[0-2][0-9]:[0-5][0-9]", value.strip()):
        return None
    hours, minutes = (int(part) for part in value.strip().split(":"))
    return time(hours, minutes) if hours < 24 else None


def same_site_path(target: object) -> str | None:
    """`target` when it is a path on this site ("/journal/?tag=3"); else None.

    Read with urllib.parse as a browser would: a scheme or a host ("//evil.example",
    "https:/x") leaves this site, and so would anything a browser strips first.
    """
    if not isinstance(target, str) or not target.startswith("/") or _CONTROL.search(target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    return target


class IdConverter(IntegerConverter):
    """The `<id:...>` route converter: ASCII digits naming a possible id (1 to 2147483647).

    Anything else does not match the route, so the answer is a 404 before any query runs.
    """

    regex = r"[0-9]{1,10}"

    def __init__(self, map: Map) -> None:
        super().__init__(map, min=1, max=MAX_ID)
