"""The journal as a PDF to read or print: a title page, then one section per entry.

Each entry shows its title, its local date, mood and tags, its text laid out
as its Markdown reads (headings, emphasis, lists, task lists, quotes, code,
tables; links as their words), its prompt answers, and its photos (scaled to
the page). The Markdown goes through the same safe renderer as the entry page
(services/journal/markdown.py), then fpdf2's HTML layout. Uses DejaVu when the
system has it (all the accents and scripts a journal holds), else the built-in
Times and Courier with the characters they cannot draw replaced.
"""

import re
from datetime import date
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace, TextStyle
from PIL import Image, UnidentifiedImageError

from mindnotes.models import ExportRequest, User
from mindnotes.services.exports.formats import Progress, media_file, stream_documents, tag_names, with_mood_scores
from mindnotes.services.journal.markdown import render_markdown
from mindnotes.services.mood.fields import SCORE_MAX, score_word

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {
    ("Journal", ""): "DejaVuSerif.ttf",
    ("Journal", "B"): "DejaVuSerif-Bold.ttf",
    ("Journal", "I"): "DejaVuSerif-Italic.ttf",
    ("Journal", "BI"): "DejaVuSerif-BoldItalic.ttf",
    ("JournalMono", ""): "DejaVuSansMono.ttf",
    # Drawn where the serif has no glyph (the task list's ballot boxes among them).
    ("JournalSans", ""): "DejaVuSans.ttf",
}
BODY_SIZE = 11.5
PHOTO_MAX_WIDTH_MM = 120
PHOTO_MAX_HEIGHT_MM = 150
INK = 30
QUIET = 90
LINK = (25, 60, 140)
# A task list item's checkbox, as the entry page shows it, becomes a ballot box.
_CHECKED = re.compile(r"<input[^>]*\bchecked\b[^>]*>")
_CHECKBOX = re.compile(r"<input[^>]*>")
_LABEL = re.compile(r"</?label>")
# fpdf2 reads a `line-height` attribute on paragraphs and lists: a book's 1.45, not its default 1.0.
_SPACED_BLOCK = re.compile(r"<(p|ul|ol)(?=[ >])")
LINE_HEIGHT = "1.45"
# A thematic break (`---`) reads as a book's section break, not a rule across the page.
_RULE = re.compile(r"<hr\s*/?>")
SECTION_BREAK = '<p align="center">*   *   *</p>'


class JournalPDF(FPDF):
    def __init__(self, owner: str) -> None:
        super().__init__(format="A4")
        self.owner = owner
        self.set_margins(22, 20, 22)
        self.set_auto_page_break(True, margin=20)
        self.unicode = all((FONT_DIR / name).is_file() for name in FONT_FILES.values())
        if self.unicode:
            for (family, style), name in FONT_FILES.items():
                self.add_font(family, style, str(FONT_DIR / name))
            self.set_fallback_fonts(["JournalSans"])
        self.family = "Journal" if self.unicode else "Times"
        self.mono = "JournalMono" if self.unicode else "Courier"

    def text_for(self, text: str) -> str:
        return text if self.unicode else text.encode("latin-1", "replace").decode("latin-1")

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(self.family, "I", 9)
        self.set_text_color(120)
        self.cell(0, 8, self.text_for(f"{self.owner} · page {self.page_no()}"), align="C")

    def line_of(self, text: str, size: float, style: str = "", height: float = 6, grey: int = 0) -> None:
        self.set_font(self.family, style, size)
        self.set_text_color(grey)
        self.multi_cell(0, height, self.text_for(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def markdown(self, text: str) -> None:
        """`text` (an entry's Markdown) laid out as it reads on the entry page."""
        checked, unchecked = ("☑ ", "☐ ") if self.unicode else ("[x] ", "[ ] ")
        html = _LABEL.sub("", str(render_markdown(text)))
        html = _CHECKBOX.sub(unchecked, _CHECKED.sub(checked, html))
        html = _RULE.sub(SECTION_BREAK, html)
        html = _SPACED_BLOCK.sub(rf'<\1 line-height="{LINE_HEIGHT}"', html)
        self.set_font(self.family, "", BODY_SIZE)
        self.set_text_color(INK)
        self.write_html(
            self.text_for(html),
            font_family=self.family,
            li_prefix_color=QUIET,
            tag_styles=_tag_styles(self.mono),
        )


def _tag_styles(mono: str) -> dict:
    heading_sizes = {"h1": 15, "h2": 13.5, "h3": 12.5, "h4": 12, "h5": BODY_SIZE, "h6": BODY_SIZE}
    styles: dict = {
        name: TextStyle(font_style="B", font_size_pt=size, color=INK, t_margin=4, b_margin=1)
        for name, size in heading_sizes.items()
    }
    styles.update(
        {
            "p": TextStyle(t_margin=0, b_margin=2.5),
            "blockquote": TextStyle(font_style="I", color=QUIET, t_margin=2, l_margin=8, b_margin=2),
            "pre": TextStyle(font_family=mono, font_size_pt=9.5, color=INK, t_margin=3, b_margin=3, l_margin=4),
            "ul": TextStyle(t_margin=1, b_margin=2.5),
            "ol": TextStyle(t_margin=1, b_margin=2.5),
            "code": FontFace(family=mono, size_pt=10),
            "a": FontFace(color=LINK),
            "li": TextStyle(t_margin=1, l_margin=6),
        }
    )
    return styles


def _long_date(day: str) -> str:
    try:
        return date.fromisoformat(day).strftime("%A %-d %B %Y")
    except (TypeError, ValueError):
        return day or ""


def _title_page(pdf: JournalPDF, export: ExportRequest, owner: str) -> None:
    pdf.add_page()
    pdf.ln(60)
    pdf.line_of("Journal", 32, "B", 14)
    pdf.line_of(owner, 16, height=10, grey=80)
    span = "All entries"
    if export.date_from or export.date_to:
        start = export.date_from.strftime("%-d %B %Y") if export.date_from else "the beginning"
        end = export.date_to.strftime("%-d %B %Y") if export.date_to else "today"
        span = f"From {start} to {end}"
    pdf.line_of(span, 12, "I", grey=100)


def _photo(pdf: JournalPDF, path: Path, caption: str) -> None:
    try:
        with Image.open(path) as image:
            width, height = image.size
    except (OSError, UnidentifiedImageError):
        return
    if not width or not height:
        return
    shown_width = min(PHOTO_MAX_WIDTH_MM, pdf.epw)
    shown_height = shown_width * height / width
    if shown_height > PHOTO_MAX_HEIGHT_MM:
        shown_width, shown_height = shown_width * PHOTO_MAX_HEIGHT_MM / shown_height, PHOTO_MAX_HEIGHT_MM
    if pdf.get_y() + shown_height > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(2)
    pdf.image(str(path), x=pdf.l_margin + (pdf.epw - shown_width) / 2, w=shown_width, h=shown_height)
    if caption:
        pdf.set_font(pdf.family, "I", 9)
        pdf.set_text_color(QUIET)
        pdf.multi_cell(0, 5, pdf.text_for(caption), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _entry(pdf: JournalPDF, entry: dict, user_id: int, tags: dict[int, str], mood_score: int | None) -> None:
    if pdf.get_y() > pdf.page_break_trigger - 60:
        pdf.add_page()
    pdf.ln(6)
    pdf.line_of(entry.get("title") or "Untitled", 17, "B", 8)
    details = [_long_date(entry.get("local_date", ""))]
    if mood_score is not None:
        details.append(f"mood: {score_word(mood_score)} ({mood_score} of {SCORE_MAX})")
    names = [tags[t] for t in entry.get("tag_ids") or [] if t in tags]
    if names:
        details.append("tags: " + ", ".join(names))
    if entry.get("is_favorite"):
        details.append("favourite")
    pdf.line_of(" · ".join(details), 10, "I", 6, grey=QUIET)
    pdf.ln(3)
    if entry.get("content"):
        pdf.markdown(entry["content"])
    for response in entry.get("prompt_responses") or []:
        pdf.ln(2)
        pdf.line_of(response.get("question") or "", 11, "B", 6, grey=INK)
        pdf.line_of(response.get("answer") or "", BODY_SIZE, height=6.2, grey=INK)
    for photo in entry.get("photos") or []:
        path = media_file(user_id, photo.get("filename"))
        if path is not None:
            _photo(pdf, path, photo.get("caption") or "")
    pdf.ln(4)
    pdf.set_draw_color(200)
    pdf.line(pdf.l_margin + pdf.epw / 3, pdf.get_y(), pdf.l_margin + 2 * pdf.epw / 3, pdf.get_y())


def write_pdf(export: ExportRequest, user: User, target: Path, progress: Progress) -> None:
    owner = user.display_name or user.email
    pdf = JournalPDF(owner)
    pdf.set_title("Journal")
    pdf.set_author(owner)
    _title_page(pdf, export, owner)
    pdf.add_page()
    tags = tag_names(user.id)
    written = 0
    for entry, mood_score in with_mood_scores(user.id, stream_documents("journal", user.id, export)):
        _entry(pdf, entry, user.id, tags, mood_score)
        written += 1
        progress.step()
    if not written:
        pdf.line_of("There are no journal entries in this period.", 12, "I", grey=QUIET)
    pdf.output(str(target))
