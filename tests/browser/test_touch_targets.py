"""On a phone, signed in: everything tapped on the main pages is at least 44 by 44 px (WCAG 2.5.5, --mn-touch).

Measured: buttons (and links that look like one), fields (a checkbox or radio by the label that takes its taps),
selects, and the links of the site header's navigation and of the bottom tab bar, its "More" sheet opened. Other
links are left out: they sit in running text (paragraphs, list items, table cells), where WCAG 2.5.8's inline
exception lets a target be as tall as its line. What is not shown, or disabled, is not measured.
"""

from datetime import timedelta

import pytest

from mindnotes import timeutil
from tests.browser.helpers import sign_in
from tests.factories import make_entry, make_mood

pytestmark = pytest.mark.browser

PAGES = ("/home", "/journal/", "/journal/new", "/mood/", "/focus/", "/calendar/", "/account/")
TOUCH = 44

# How many tap targets the page shows, and each one smaller than TOUCH px either way: what it is and its size.
SMALL_TARGETS = """(touch) => {
  const shown = (element) =>
    element.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}) && element.getClientRects().length > 0;
  const tappable = document.querySelectorAll(
    'button, [role="button"], input:not([type="hidden"]), select, textarea, ' +
    ".site-header nav a, nav.tabbar a, nav.tabbar summary"
  );
  const small = [];
  let measured = 0;
  for (const element of tappable) {
    // A checkbox or radio is tapped through its label (the mood chips hide the radio itself).
    const choice = element.matches('input[type="checkbox"], input[type="radio"]');
    const target = choice ? element.closest("label") || element.labels[0] || element : element;
    if (element.disabled || !shown(target)) continue;
    measured += 1;
    const box = target.getBoundingClientRect();
    if (box.width + 0.5 < touch || box.height + 0.5 < touch) {
      const name = (element.getAttribute("aria-label") || target.textContent || element.name || "").trim();
      small.push(`${target.tagName.toLowerCase()}${element.type ? "[" + element.type + "]" : ""} ` +
        `"${name.replace(/\\s+/g, " ").slice(0, 40)}" ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return {measured, small};
}"""


@pytest.fixture
def phone(browser, live_server, users):
    """A 390 px wide page, signed in as a person with a few entries and moods."""
    person = users.make(email="thumbs@example.com")
    now = timeutil.utcnow()
    for day in range(3):
        make_entry(person, now - timedelta(days=day, hours=1), title=f"Day {day}")
        make_mood(person, now - timedelta(days=day, hours=2))
    context = browser.new_context(viewport={"width": 390, "height": 800}, has_touch=True)
    page = context.new_page()
    sign_in(page, live_server, "thumbs@example.com")
    yield page
    context.close()


def test_every_tap_target_on_the_main_pages_is_at_least_44_px(phone, live_server):
    small = []
    for path in PAGES:
        phone.goto(f"{live_server}{path}")
        phone.wait_for_load_state("load")
        phone.locator("nav.tabbar details").evaluate("(more) => { more.open = true; }")
        found = phone.evaluate(SMALL_TARGETS, TOUCH)
        assert found["measured"] >= 5, f"{path}: only {found['measured']} tap targets found"
        small += [f"{path}: {target}" for target in found["small"]]
    assert not small, "\n".join(small)
