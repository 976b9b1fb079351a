"""The mood share and factor charts on a phone and a desktop: every word is on screen, whole, and at least 11 px.

The person's moods carry names of 30+ characters and bars as long as they get (one mood far more often than the
others, a factor value with the best score), the cases that pushed a label past the chart's right edge.
"""

import pytest

from mindnotes.services.mood import MoodForm, log_mood, own
from tests.browser.helpers import sign_in
from tests.conftest import save_screenshot
from tests.mood.helpers import category_id, factor_id

pytestmark = pytest.mark.browser

RENAMED = {
    "Calm": ("😌", "1", "Calm after a long walk by the river"),
    "Sad": ("😢", "-1", "Sad about the news from home today"),
}
OUTDOORS = {
    "name": "time spent outdoors in daylight",
    "valence": "1",
    "allowed_values": "none at all, a little while, most of the day",
}
# (category, score, sleep, exercise, outdoors): Calm eleven times out of twelve, every Calm mood great.
MOODS = [("Calm", "5", "good", "hard", "most of the day")] * 11 + [("Sad", "2", "poor", "none", "none at all")]
# The longest words of each chart: a mood's name with its emoji, a factor's value with its count.
LONGEST = {"😌 Calm after a long walk by the river", "5.0 (n=11)"}
PAGES = ("/mood/trends?days=7", "/mood/trends/categories?days=7", "/mood/trends/factors?days=7")
CHARTS = "#mood-chart-categories, #mood-chart-factors"

# Every piece of text shown in one chart figure, as the browser laid it out: where each line of it lies,
# how large it is on screen (an SVG's words are scaled with their chart), and the SVG that clips it, if any.
CHART_WORDS = """(figure) => {
  const edges = (rect) => ({left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom});
  const words = [];
  const walker = document.createTreeWalker(figure, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const holder = node.parentElement;
    if (!node.textContent.trim() || !holder.checkVisibility() || holder.closest("title, desc")) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const lines = [...range.getClientRects()].filter((rect) => rect.width > 0 && rect.height > 0);
    if (!lines.length) continue;
    const chart = holder.closest("svg");
    const scale = holder instanceof SVGElement ? holder.getScreenCTM().a : 1;
    words.push({
      text: node.textContent.trim(),
      lines: lines.map(edges),
      size: parseFloat(getComputedStyle(holder).fontSize) * scale,
      chart: chart ? edges(chart.getBoundingClientRect()) : null,
    });
  }
  const bars = [...figure.querySelectorAll("rect")].map((bar) => edges(bar.getBoundingClientRect()));
  return {figure: edges(figure.getBoundingClientRect()), words, bars, width: window.innerWidth};
}"""


def _inside(line: dict, frame: dict) -> bool:
    # Half a pixel for subpixel rounding.
    return line["left"] >= frame["left"] - 0.5 and line["right"] <= frame["right"] + 0.5


def _overlap(one: dict, other: dict) -> bool:
    # A pixel of slack each way: a line's box includes its font's ascent and descent.
    return (
        min(one["right"], other["right"]) - max(one["left"], other["left"]) > 1
        and min(one["bottom"], other["bottom"]) - max(one["top"], other["top"]) > 1
    )


def problems_in(drawn: dict) -> list[str]:
    problems = []
    # Across only: the page is taller than the screen, and scrolling down is fine.
    viewport = {"left": 0, "right": drawn["width"]}
    lines = [(word["text"], line) for word in drawn["words"] for line in word["lines"]]
    for word in drawn["words"]:
        text = word["text"]
        if word["size"] < 11:
            problems.append(f"{text!r} is {word['size']:.1f} px")
        for line in word["lines"]:
            frames = {"the screen": viewport, "its figure": drawn["figure"], "its chart": word["chart"]}
            for name, frame in frames.items():
                if frame and not _inside(line, frame):
                    problems.append(f"{text!r} ({line['left']:.0f} to {line['right']:.0f} px) runs out of {name}")
            if any(_overlap(line, bar) for bar in drawn["bars"]):
                problems.append(f"{text!r} lies on a bar")
    for index, (text, line) in enumerate(lines):
        problems += [f"{text!r} lies on {other!r}" for other, line2 in lines[index + 1 :] if _overlap(line, line2)]
    return problems


@pytest.fixture
def long_named_moods(users):
    """A person whose two moods are renamed to long names, with an own factor of long values, and twelve moods."""
    person = users.make(email="charts@example.com")
    for default, (emoji, valence, name) in RENAMED.items():
        own.save(person.id, "categories", category_id(default), {"name": name, "emoji": emoji, "valence": valence})
    outdoors = own.save(person.id, "factors", None, OUTDOORS).id
    for category, score, sleep, exercise, outside in MOODS:
        factors = {str(factor_id("sleep")): sleep, str(factor_id("exercise")): exercise, str(outdoors): outside}
        log_mood(person, MoodForm(category=str(category_id(category)), score=score, intensity="8", factors=factors))
    return person


@pytest.fixture(params=[360, 1280], ids=["phone", "desktop"])
def signed_in(request, browser, live_server, long_named_moods):
    """A page as wide as a phone or a desktop, signed in as the person with long-named moods."""
    context = browser.new_context(viewport={"width": request.param, "height": 800})
    page = context.new_page()
    sign_in(page, live_server, "charts@example.com")
    yield page
    context.close()


def test_every_chart_label_is_whole_on_screen_and_readable(signed_in, live_server):
    page, width = signed_in, signed_in.viewport_size["width"]
    problems = []
    for path in PAGES:
        page.goto(f"{live_server}{path}")
        figures = page.locator(CHARTS)
        figures.first.wait_for(timeout=10_000)
        found = []
        for index in range(figures.count()):
            figure = figures.nth(index)
            # The table under the chart is its text alternative: opened, it must fit as well.
            figure.locator("details").evaluate_all("(all) => all.forEach((details) => { details.open = true; })")
            drawn = figure.evaluate(CHART_WORDS)
            shown = {word["text"] for word in drawn["words"]}
            assert shown & LONGEST, f"{path}: the chart shows none of {LONGEST}"
            found += problems_in(drawn)
        if page.evaluate("document.scrollingElement.scrollWidth") > width:
            found.append("the page scrolls sideways")
        if found:
            save_screenshot(page, f"chart-labels-{width}-{path.strip('/').replace('/', '-').split('?')[0]}")
        problems += [f"{path}: {problem}" for problem in found]
    assert not problems, "\n".join(problems)
