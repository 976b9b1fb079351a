"""The journal as a PDF to read or print: a title page, then one section per entry.

Each entry shows its title, its local date, mood and tags, its text and prompt
answers, and its photos (scaled to the page). Uses DejaVu when the system has
it (all the accents and scripts a journal holds), else the built-in Times with
the characters it cannot draw replaced.
"""

from datetime import date
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from PIL import Image, UnidentifiedImageError

from mindnotes.models import ExportRequest, User
from mindnotes.services.exports.formats import Progress, media_file, stream_documents, tag_names

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf", "I": "DejaVuSerif-Italic.ttf"}
PHOTO_MAX_WIDTH_MM = 120
PHOTO_MAX_HEIGHT_MM = 150


class JournalPDF(FPDF):
    def __init__(self, owner: str) -> None:
        super().__init__(format="A4")
        self.owner = owner
        self.set_margins(22, 20, 22)
        self.set_auto_page_break(True, margin=20)
        self.unicode = all((FONT_DIR / name).is_file() for name in FONT_FILES.values())
        if self.unicode:
            for style, name in FONT_FILES.items():
                self.add_font("Journal", style, str(FONT_DIR / name))
        self.family = "Journal" if self.unicode else "Times"

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
        pdf.set_text_color(90)
        pdf.multi_cell(0, 5, pdf.text_for(caption), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _entry(pdf: JournalPDF, entry: dict, user_id: int, tags: dict[int, str]) -> None:
    if pdf.get_y() > pdf.page_break_trigger - 60:
        pdf.add_page()
    pdf.ln(6)
    pdf.line_of(entry.get("title") or "Untitled", 17, "B", 8)
    details = [_long_date(entry.get("local_date", ""))]
    if isinstance(entry.get("mood"), int):
        details.append(f"mood {entry['mood']}/10")
    names = [tags[t] for t in entry.get("tag_ids") or [] if t in tags]
    if names:
        details.append("tags: " + ", ".join(names))
    if entry.get("is_favorite"):
        details.append("favourite")
    pdf.line_of(" · ".join(details), 10, "I", 6, grey=90)
    pdf.ln(2)
    if entry.get("content"):
        pdf.line_of(entry["content"], 11.5, height=6.2)
    for response in entry.get("prompt_responses") or []:
        pdf.ln(2)
        pdf.line_of(response.get("question") or "", 11, "B", 6)
        pdf.line_of(response.get("answer") or "", 11.5, height=6.2)
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
    for entry in stream_documents("journal", user.id, export):
        _entry(pdf, entry, user.id, tags)
        written += 1
        progress.step()
    if not written:
        pdf.line_of("There are no journal entries in this period.", 12, "I", grey=90)
    pdf.output(str(target))
