"""jrnl's exports: `jrnl --format json` and the plain-text journal file itself.

JSON: `{"tags": {...}, "entries": [{"title", "body", "date": "YYYY-MM-DD",
"time": "HH:MM", "tags": ["@tag"], "starred"}]}`, read an entry at a time.
Text: each entry starts with a line `[YYYY-MM-DD HH:MM] Title. Body`; the
title is the first sentence, the rest the body, a first line ending in `*` is
starred, and `@words` (and `#words`) are its tags. jrnl keeps no zone: times
are in the importing person's zone. jrnl keeps no id either: an entry is
known again by its date, time and title.
"""

import io
import re
from collections.abc import Iterator
from datetime import datetime

from mindnotes.services.imports.checks import ImportRefused
from mindnotes.services.imports.reader import SMALL_CHUNK_CHARACTERS, read_members
from mindnotes.services.imports.sources.item import Item, Upload, named

_HEADER = re.compile(r"^\[(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})(?::\d{2})?\] ?(.*)$")
_SENTENCE = re.compile(r"^(.*?[.?!]+)(?:\s+|$)(.*)$")
_TAG = re.compile(r"(?:^|(?<=\s))[@#](\w[\w-]*)")
_JSON_ERRORS = (UnicodeDecodeError, ValueError, TypeError, RecursionError, OverflowError)


def _moment(day: object, time: object) -> datetime | None:
    try:
        return datetime.strptime(f"{day} {time}", "%Y-%m-%d %H:%M")
    except ValueError:
        return None


def _item(number: int, day: object, time: object, title: str, body: str, tags: list[str], starred: bool) -> Item:
    moment = _moment(day, time)
    name = named("jrnl entry", moment) if moment else f"jrnl entry {number}"
    return Item(
        f"{day} {time} {title}",
        name,
        title=title.strip(),
        content=body.strip(),
        moment=moment,
        tags=[tag.lstrip("@#") for tag in tags],
        is_favorite=starred,
        problem="" if moment else "its date and time are not YYYY-MM-DD and HH:MM",
    )


def _json_items(raw) -> Iterator[Item]:
    number = 0
    for key, entry in read_members(raw, lists=("entries",), chunk=SMALL_CHUNK_CHARACTERS):
        if key != "entries":
            continue
        number += 1
        if not isinstance(entry, dict):
            yield Item(f"#{number}", f"jrnl entry {number}", problem="it is not an entry")
            continue
        title, body = entry.get("title"), entry.get("body")
        tags = entry.get("tags")
        yield _item(
            number,
            entry.get("date"),
            entry.get("time"),
            title if isinstance(title, str) else "",
            body if isinstance(body, str) else "",
            [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else [],
            entry.get("starred") is True,
        )


def _text_entry(number: int, day: str, time: str, lines: list[str]) -> Item:
    first = lines[0].rstrip()
    starred = first.endswith("*")
    first = first.rstrip(" *") if starred else first
    # The title is the first line's first sentence (or the whole line); the rest is the body.
    match = _SENTENCE.match(first)
    title, rest = (match.group(1), match.group(2)) if match else (first, "")
    body = "\n".join([rest, *lines[1:]])
    return _item(number, day, time, title, body, _TAG.findall(first + "\n" + body), starred)


def _text_items(raw) -> Iterator[Item]:
    number, header, lines = 0, None, []
    for line in io.TextIOWrapper(raw, encoding="utf-8-sig"):
        found = _HEADER.match(line.rstrip("\n"))
        if found:
            if header:
                number += 1
                yield _text_entry(number, *header, lines)
            header, lines = (found.group(1), found.group(2)), [found.group(3)]
        elif header:
            lines.append(line.rstrip("\n"))
        elif line.strip():
            raise ImportRefused("This is not a jrnl journal: its first entry does not start with [YYYY-MM-DD HH:MM].")
    if header:
        yield _text_entry(number + 1, *header, lines)


def read(upload: Upload) -> Iterator[Item]:
    with upload.open_text() as raw:
        first = raw.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        raw.seek(0)
        try:
            yield from _json_items(raw) if first == b"{" else _text_items(raw)
        except _JSON_ERRORS as error:
            what = "JSON" if first == b"{" else "UTF-8 text"
            raise ImportRefused(f"This file is not valid {what}, so nothing was imported.") from error


MAPPING = (
    "jrnl's title (the first sentence) becomes the title and the rest the text.",
    "Starred entries become favorites; @tags become your tags (without the @).",
    "jrnl keeps no time zone: times are read in your time zone.",
)
