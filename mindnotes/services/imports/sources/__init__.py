"""The apps whose exports MindNotes imports, by key: each a small reader (`Item`s) and its words.

A new format is one module with a `read(upload) -> Iterator[Item]` and a line
here; the preview, checks, "nothing twice" and writing are shared
(`services/imports/foreign.py`).
"""

from mindnotes.services.imports.sources import dayone, journey, jrnl, markdown
from mindnotes.services.imports.sources.item import Source

SOURCES = {
    source.key: source
    for source in (
        Source("dayone", "Day One JSON export (.zip)", True, dayone.read, dayone.MAPPING),
        Source("journey", "Journey JSON export (.zip)", True, journey.read, journey.MAPPING),
        Source("markdown", "Markdown notes with front matter (.zip)", True, markdown.read, markdown.MAPPING),
        Source("jrnl", "jrnl journal (JSON export or the plain-text file)", False, jrnl.read, jrnl.MAPPING),
    )
}
