"""An entry's Markdown as safe HTML, and as plain text for excerpts and snippets.

HTML is rendered by markdown-it-py, then sanitized by nh3. Raw HTML in an entry
is shown as text, and whatever Markdown produces passes an allow-list: no
scripts, no event handlers, no `hx-*` or `style` attributes, no images (photos
are uploaded, and remote images would leak that the entry was read). Links open
in a new tab without passing on who opened them. Task lists (`- [ ]`, `- [x]`)
become disabled checkboxes inside their item's label.

Plain text is made from that same rendered HTML, so an excerpt never shows
Markdown marks, a link's URL or a rule's `---`: only the words a reader sees.
"""

import html

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup
from mdit_py_plugins.tasklists import tasklists_plugin

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
_markdown.enable("strikethrough").use(tasklists_plugin, label=True)

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "label", "input",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start", "class"},
    "ul": {"class"},
    "li": {"class"},
    "th": {"align"},
    "td": {"align"},
    "input": {"class", "checked"},
}


def render_markdown(text: str) -> Markup:
    html_text = _markdown.render(text or "")
    clean = nh3.clean(
        html_text,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        # Only the task list plugin makes inputs (raw HTML is off): each is a disabled checkbox.
        set_tag_attribute_values={"a": {"target": "_blank"}, "input": {"type": "checkbox", "disabled": "disabled"}},
    )
    return Markup(clean)


def plain_text(text: str) -> str:
    """The words of `text` as its rendered Markdown shows them, on one line: no marks, no URLs."""
    words = nh3.clean(str(render_markdown(text)), tags=set())
    return " ".join(html.unescape(words).split())


def shorten(text: str, length: int) -> str:
    """`text` cut at a word to at most `length` characters, with "…" when cut."""
    if len(text) <= length:
        return text
    return text[: length - 1].rsplit(" ", 1)[0] + "…"
