"""Draws the app's PNG icons from its one SVG (mindnotes/static/icons/icon.svg) with Chromium.

Run after changing the SVG, then commit the PNGs:  .venv/bin/python tools/make_icons.py
The SVG fills the whole square and keeps its drawing inside the middle 80% circle, so each
PNG serves as a maskable icon (the launcher may crop it to any shape) and as a plain one.
"""

import os
from pathlib import Path

from playwright.sync_api import sync_playwright

ICONS = Path(__file__).resolve().parent.parent / "mindnotes" / "static" / "icons"
SIZES = (48, 72, 96, 144, 180, 192, 256, 384, 512)


def main() -> None:
    svg = (ICONS / "icon.svg").read_text()
    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        for size in SIZES:
            page = browser.new_page(viewport={"width": size, "height": size})
            sized = svg.replace("<svg ", f'<svg width="{size}" height="{size}" ', 1)
            page.set_content(f'<html><body style="margin:0">{sized}</body></html>')
            page.screenshot(path=str(ICONS / f"icon-{size}.png"), omit_background=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
