"""One URL, two answers: the whole page, or for htmx only the partial it swaps."""

from flask import render_template, request


def is_htmx_request() -> bool:
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")


def render_page_or_partial(page: str, partial: str, status: int = 200, **context):
    """`partial` for an htmx request, else `page` (which includes the partial)."""
    template = partial if is_htmx_request() else page
    return render_template(template, **context), status
