"""Insights: weekly words, focus minutes and mood, and when focus sessions end, as chart geometry.

The figures come from the person's `user_analytics` document (the rebuild job
keeps them); the templates draw the SVG from the numbers here and show the
same numbers as a table.
"""

from dataclasses import dataclass, field
from datetime import date

from mindnotes.documents import user_analytics

WEEKS_SHOWN = 12
WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 12, 36


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: float


@dataclass
class Point:
    x: float
    y: float
    label: str
    value: float


@dataclass
class Chart:
    """Geometry of one chart in a WIDTH x HEIGHT box, plus its numbers for the table."""

    title: str
    unit: str
    labels: list[str]
    values: list[float | None]
    top_value: float
    bars: list[Bar] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)

    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    plot_top: int = TOP
    baseline: int = HEIGHT - BOTTOM

    @property
    def has_data(self) -> bool:
        return any(value for value in self.values)

    @property
    def polyline(self) -> str:
        return " ".join(f"{point.x:.1f},{point.y:.1f}" for point in self.points)

    @property
    def label_step(self) -> int:
        """Show every label when they fit, else every second or third one."""
        return 1 if len(self.labels) <= 12 else (2 if len(self.labels) <= 16 else 3)


def nice_top(largest: float) -> float:
    """A round upper end for the axis, at least the largest value."""
    if largest <= 0:
        return 1
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000):
        if largest <= step * 5:
            return step * -(-largest // step)
    return largest


def bar_chart(title: str, unit: str, labels: list[str], values: list[float], top: float | None = None) -> Chart:
    chart = Chart(title, unit, labels, list(values), top or nice_top(max(values, default=0)))
    plot_height = chart.baseline - TOP
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(values))
    for index, value in enumerate(values):
        height = plot_height * max(0, value) / chart.top_value
        chart.bars.append(
            Bar(LEFT + index * slot + slot * 0.15, chart.baseline - height, slot * 0.7, height, labels[index], value)
        )
    return chart


def line_chart(title: str, unit: str, labels: list[str], values: list[float | None], top: float) -> Chart:
    chart = Chart(title, unit, labels, list(values), top)
    plot_height = chart.baseline - TOP
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(values))
    for index, value in enumerate(values):
        if value is not None:
            y = chart.baseline - plot_height * value / top
            chart.points.append(Point(LEFT + index * slot + slot / 2, y, labels[index], value))
    return chart


def week_label(start: str) -> str:
    return date.fromisoformat(start).strftime("%-d %b")


def peak_hours(hours: list[int]) -> str | None:
    """A sentence naming when sessions are completed most, or None before the first one."""
    if not any(hours):
        return None
    best = max(hours)
    peaks = [hour for hour, count in enumerate(hours) if count == best]
    spans = ", ".join(f"{hour:02d}:00–{(hour + 1) % 24:02d}:00" for hour in peaks[:3])
    return f"You complete focus sessions most often between {spans} ({best} session{'s' if best != 1 else ''})."


def insights_for(user_id: int) -> dict:
    analytics = user_analytics.get_analytics(user_id) or {}
    weeks = analytics.get("weeks", [])[-WEEKS_SHOWN:]
    labels = [week_label(week["start"]) for week in weeks]
    mood = [round(week.get("mood_score_sum", 0) / week["moods"], 1) if week["moods"] > 0 else None for week in weeks]
    hours = analytics.get("focus_hours", [0] * 24)
    return {
        "rebuilt_at": analytics.get("rebuilt_at"),
        "words": bar_chart("Words per week", "words", labels, [week["words"] for week in weeks]),
        "focus": bar_chart("Focus minutes per week", "minutes", labels, [week["focus_minutes"] for week in weeks]),
        "mood": line_chart("Average mood score per week", "of 5", labels, mood, top=5),
        "hours": bar_chart(
            "Focus sessions completed by hour of the day", "sessions", [f"{h:02d}" for h in range(24)], hours
        ),
        "peak_hours": peak_hours(hours),
    }
