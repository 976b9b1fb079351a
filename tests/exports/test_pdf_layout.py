"""The PDF export reads as a book: Markdown laid out (not printed as marks), task lists as boxes, photos shown."""

import os
import shutil

import pytest
from pypdf import PdfReader

from tests.conftest import ARTIFACTS
from tests.exports.helpers import add_entry, add_entry_mood, add_photo, export_file, latest_export, make_tag
from tests.jobs import run_jobs

WEEK = [
    (
        "2026-03-02",
        "Fresh start",
        "# Day Highlight\n\nA **bright** morning and an *unhurried* coffee. Notes from "
        "[OpenStreetMap](https://www.openstreetmap.org/#map=12/48.85/2.35) for the walk.\n\n"
        "## To do\n\n- [x] water the plants\n- [ ] call Ana\n\n---\n\n> Slow is smooth, smooth is fast.",
    ),
    ("2026-03-03", "Groceries", "1. bread\n2. eggs\n3. `olive oil`\n\n```\nlist = ['done']\n```"),
    ("2026-03-05", "By the river", "The herons were back. *Three* of them, standing very still."),
]


@pytest.fixture(autouse=True)
def own_files(app, tmp_path):
    app.config.update(UPLOAD_DIR=str(tmp_path / "uploads"), EXPORT_DIR=str(tmp_path / "exports"))


def week_pdf(client, login, users) -> PdfReader:
    person = users.make(plan="premium")
    login(person)
    walks = make_tag(person, "walks")
    for day, title, content in WEEK:
        photos = [add_photo(person, caption="Herons at dusk")] if title == "By the river" else []
        entry = add_entry(
            person,
            day=day,
            title=title,
            content=content,
            photos=photos,
            photo_count=len(photos),
            tag_ids=[walks.id],
        )
        if title != "Groceries":
            add_entry_mood(person, entry, 4 if title == "Fresh start" else 2)
    client.post(
        "/account/exports/",
        data={"format": "pdf", "scope": "journal", "date_from": "2026-03-02", "date_to": "2026-03-08"},
    )
    run_jobs()
    export = latest_export(person)
    assert export.status == "ready"
    path = export_file(export.id)
    if os.environ.get("SCREENSHOTS") == "1":
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copy(path, ARTIFACTS / "journal-week.pdf")
    return PdfReader(path)


def test_pdf_lays_out_markdown_as_text_a_reader_sees(client, users, login):
    reader = week_pdf(client, login, users)
    text = "\n".join(page.extract_text() for page in reader.pages)
    for words in (
        "Day Highlight",
        "bright",
        "OpenStreetMap",
        "To do",
        "water the plants",
        "Slow is smooth",
        "bread",
        "olive oil",
        "list = ['done']",
        "Three",
        "Herons at dusk",
    ):
        assert words in text, words
    for mark in ("# Day", "## To", "**", "*unhurried*", "](", "https://", "[x]", "[ ]", "---", "> Slow", "```"):
        assert mark not in text, mark
    assert "☑" in text and "☐" in text


def test_pdf_shows_each_entrys_own_mood_by_its_word_and_score(client, users, login):
    reader = week_pdf(client, login, users)
    lines = [line for page in reader.pages for line in page.extract_text().splitlines()]
    details = {title: lines[lines.index(title) + 1] for _day, title, _content in WEEK}
    assert details["Fresh start"] == "Monday 2 March 2026 · mood: good (4 of 5) · tags: walks"
    assert details["By the river"] == "Thursday 5 March 2026 · mood: bad (2 of 5) · tags: walks"
    assert details["Groceries"] == "Tuesday 3 March 2026 · tags: walks"


def test_pdf_shows_headings_larger_and_the_photo(client, users, login):
    reader = week_pdf(client, login, users)
    sizes: dict[str, float] = {}

    def note_size(text, matrix, text_matrix, font, size):
        if text.strip():
            sizes.setdefault(text.strip(), size * text_matrix[0])

    for page in reader.pages:
        page.extract_text(visitor_text=note_size)
    assert sizes["Day Highlight"] > sizes["The herons were back."]
    assert sum(len(page.images) for page in reader.pages) == 1
