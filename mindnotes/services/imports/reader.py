"""Reading mindnotes-export.json a piece at a time, so an import's memory stays flat.

The file is one JSON object. Its document lists (`journal_entries`,
`mood_entries`, `focus_sessions`) are read one document at a time; every other
member (format, version, reference data) is small and read whole. Values are
MongoDB Extended JSON (relaxed): `{"$oid": ...}` and `{"$date": ...}` become
ObjectIds and aware UTC datetimes.
"""

import io
import json
import re
from collections.abc import Iterator
from datetime import UTC
from typing import IO

from bson import json_util

DOCUMENT_LISTS = ("journal_entries", "mood_entries", "focus_sessions")
CHUNK_CHARACTERS = 1024 * 1024
# Another app's entries are a few kilobytes each: a smaller window keeps an import's memory lower.
SMALL_CHUNK_CHARACTERS = 64 * 1024
_OPTIONS = json_util.JSONOptions(tz_aware=True, tzinfo=UTC)
_SPACE = re.compile(r"[ \t\n\r]*")


class NotAList:
    """Stands for a document list member that holds something else than a list."""


class _Text:
    """A window over the text: read more only when a value does not fit yet."""

    def __init__(self, stream: io.TextIOBase, chunk: int = CHUNK_CHARACTERS) -> None:
        self.stream, self.buffer, self.position, self.ended, self.chunk = stream, "", 0, False, chunk
        self.decoder = json.JSONDecoder(object_pairs_hook=lambda pairs: json_util.object_pairs_hook(pairs, _OPTIONS))

    def _read_more(self) -> bool:
        if self.ended:
            return False
        chunk = self.stream.read(self.chunk)
        if not chunk:
            self.ended = True
            return False
        self.buffer, self.position = self.buffer[self.position :] + chunk, 0
        return True

    def next_character(self) -> str:
        """The next character that is not white space, without taking it ("" at the end)."""
        while True:
            self.position = _SPACE.match(self.buffer, self.position).end()
            if self.position < len(self.buffer):
                return self.buffer[self.position]
            if not self._read_more():
                return ""

    def take(self, character: str) -> None:
        if self.next_character() != character:
            raise ValueError(f"expected {character!r}")
        self.position += 1

    def value(self) -> object:
        """The next whole JSON value; a value that ends the window is only trusted once more text is read."""
        self.next_character()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buffer, self.position)
            except json.JSONDecodeError:
                if not self._read_more():
                    raise
                continue
            # "12" at the end of the window may be the start of "123".
            if end < len(self.buffer) or not self._read_more():
                self.position = end
                return value


def read_members(
    raw: IO[bytes], lists: tuple[str, ...] = DOCUMENT_LISTS, chunk: int = CHUNK_CHARACTERS
) -> Iterator[tuple[str, object]]:
    """(key, value) for each member of the top-level object; a list named in `lists` gives one (key, item)
    per item. Another app's export (Day One's `entries`, jrnl's) is read the same way.

    Raises ValueError (and its JSONDecodeError, UnicodeDecodeError) for text that is not a JSON object.
    """
    with io.TextIOWrapper(raw, encoding="utf-8-sig") as stream:
        text = _Text(stream, chunk)
        text.take("{")
        if text.next_character() == "}":
            text.take("}")
        else:
            while True:
                key = text.value()
                if not isinstance(key, str):
                    raise ValueError("a key is not a string")
                text.take(":")
                if key in lists and text.next_character() == "[":
                    yield from _documents(text, key)
                elif key in lists:
                    text.value()
                    yield key, NotAList()
                else:
                    yield key, text.value()
                if text.next_character() != ",":
                    text.take("}")
                    break
                text.take(",")
        if text.next_character() != "":
            raise ValueError("text after the JSON object")


def _documents(text: _Text, key: str) -> Iterator[tuple[str, object]]:
    text.take("[")
    if text.next_character() == "]":
        text.take("]")
        return
    while True:
        yield key, text.value()
        if text.next_character() != ",":
            text.take("]")
            return
        text.take(",")
