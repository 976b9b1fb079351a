"""Mood trends, shaped for server-drawn SVG charts and their text alternatives.

Figures come from the aggregation pipelines in `documents/mood_entries.py`;
this module only lays out the few grouped rows they return (at most one per
day, category or factor value), never the moods themselves. Every average is
of the mood score (1 awful to 5 great, `fields.py`), never of intensity.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from mindnotes import timeutil
from mindnotes.documents import mood_entries
from mindnotes.inputs import parse_int
from mindnotes.models import User
from mindnotes.services.mood import mood_categories, mood_factors
from mindnotes.services.mood.fields import SCORE_MAX, SCORE_MIN

RANGES = (7, 30, 90)
# Moods can be dated back to 2000 (services/mood.py), so years start there.
FIRST_YEAR = 2000
DEFAULT_RANGE = 30
# Viridis in five steps, dark (awful) to light (great): readable for colour-blind people and in greyscale.
PALETTE = ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"]

CHART_WIDTH, CHART_HEIGHT = 720, 240
PLOT_LEFT, PLOT_TOP, PLOT_BOTTOM = 32, 12, 212
BAR_MAX = 440  # a bar chart's full bar, in its track's units (mood/_chart_bar.html)
PIXEL, PIXEL_LEFT, PIXEL_TOP = 20, 30, 22


def rounded(average: float) -> int:
    """Half up, as the number printed in a pixel (Python's round() would send 6.5 to 6)."""
    return int(average + 0.5)


def colour_for(average: float) -> str:
    return PALETTE[min(SCORE_MAX, max(SCORE_MIN, rounded(average))) - 1]


def text_colour_for(average: float) -> str:
    return "#ffffff" if rounded(average) <= 3 else "#1a1a1a"


def today_for(user: User, now: datetime | None = None) -> date:
    """The person's local date at `now` (the clock's now by default)."""
    return (now or timeutil.utcnow()).astimezone(timeutil.zone(user.timezone)).date()


def chosen_range(text: str | None) -> int:
    """7, 30 or 90 days; anything else falls back to 30."""
    days = parse_int(text)
    return days if days in RANGES else DEFAULT_RANGE


@dataclass
class DayBar:
    day: date
    average: float | None
    moods: int
    x: float
    y: float
    width: float
    height: float


@dataclass
class DailyChart:
    days: int
    first: date
    last: date
    bars: list[DayBar]
    label_every: int

    @property
    def logged(self) -> list[DayBar]:
        return [bar for bar in self.bars if bar.average is not None]

    @property
    def overall(self) -> float | None:
        moods = sum(bar.moods for bar in self.logged)
        return sum(bar.average * bar.moods for bar in self.logged) / moods if moods else None


def daily_chart(user: User, days: int, today: date | None = None) -> DailyChart:
    """Average mood score per local day over the last `days` days (today included)."""
    last = today or today_for(user)
    first = last - timedelta(days=days - 1)
    rows = {row["_id"]: row for row in mood_entries.daily_averages(user.id, first.isoformat(), last.isoformat())}
    slot = (CHART_WIDTH - PLOT_LEFT) / days
    scale = (PLOT_BOTTOM - PLOT_TOP) / SCORE_MAX
    bars = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        row = rows.get(day.isoformat())
        average = round(row["average"], 2) if row else None
        height = average * scale if average is not None else 0
        bars.append(
            DayBar(
                day=day,
                average=average,
                moods=row["moods"] if row else 0,
                x=round(PLOT_LEFT + offset * slot + slot * 0.15, 2),
                y=round(PLOT_BOTTOM - height, 2),
                width=round(slot * 0.7, 2),
                height=round(height, 2),
            )
        )
    return DailyChart(days=days, first=first, last=last, bars=bars, label_every={7: 1, 30: 5, 90: 14}[days])


@dataclass
class CategoryShare:
    name: str
    emoji: str
    moods: int
    share: float
    average: float
    bar_width: float


def category_chart(user: User, days: int, today: date | None = None) -> list[CategoryShare]:
    """Each category's share of the moods logged in the last `days` days, most logged first."""
    last = today or today_for(user)
    first = last - timedelta(days=days - 1)
    rows = mood_entries.category_counts(user.id, first.isoformat(), last.isoformat())
    names = {category.id: category for category in mood_categories(user.id)}
    total = sum(row["moods"] for row in rows)
    shares = []
    for row in rows:
        category = names.get(row["_id"])
        share = row["moods"] / total
        shares.append(
            CategoryShare(
                name=category.name if category else "Retired mood",
                emoji=category.emoji if category else "·",
                moods=row["moods"],
                share=round(share * 100, 1),
                average=round(row["average"], 2),
                bar_width=round(max(share * BAR_MAX, 1), 2),
            )
        )
    return shares


@dataclass
class FactorValue:
    value: str
    average: float | None
    moods: int
    bar_width: float


@dataclass
class FactorRow:
    name: str
    values: list[FactorValue]


def factor_chart(user: User, days: int, today: date | None = None) -> list[FactorRow]:
    """Average mood score for each value of each factor noted in the last `days` days, with counts.

    Values are listed in the factor's own order (poor, ok, good), including
    ones never noted (count 0), so good-sleep days sit beside poor-sleep days.
    """
    last = today or today_for(user)
    first = last - timedelta(days=days - 1)
    factors = mood_factors(user.id)
    averages = mood_entries.factor_value_averages(
        user.id, first.isoformat(), last.isoformat(), [factor.id for factor in factors]
    )
    chart = []
    for factor in factors:
        rows = {row["_id"]: row for row in averages[factor.id]}
        if not rows:
            continue
        values = []
        for value in factor.allowed_values:
            row = rows.get(value)
            average = round(row["average"], 2) if row else None
            values.append(
                FactorValue(
                    value=value,
                    average=average,
                    moods=row["moods"] if row else 0,
                    bar_width=round(average / SCORE_MAX * BAR_MAX, 2) if average else 0,
                )
            )
        chart.append(FactorRow(name=factor.name, values=values))
    return chart


@dataclass
class Pixel:
    day: date
    average: float | None
    moods: int
    x: int
    y: int

    @property
    def fill(self) -> str:
        return colour_for(self.average) if self.average is not None else "#f1f3f5"

    @property
    def label(self) -> int | None:
        return rounded(self.average) if self.average is not None else None

    @property
    def text_fill(self) -> str:
        return text_colour_for(self.average) if self.average is not None else "#6c757d"


@dataclass
class YearInPixels:
    year: int
    pixels: list[Pixel]
    days_logged: int
    previous: int | None
    following: int | None


def year_in_pixels(user: User, year: int, today: date | None = None) -> YearInPixels:
    """One square per day of `year` (months across, days down), coloured and labelled by the day's average."""
    today = today or today_for(user)
    rows = {row["_id"]: row for row in mood_entries.daily_averages(user.id, f"{year}-01-01", f"{year}-12-31")}
    pixels = []
    day = date(year, 1, 1)
    while day.year == year:
        row = rows.get(day.isoformat())
        pixels.append(
            Pixel(
                day=day,
                average=round(row["average"], 2) if row else None,
                moods=row["moods"] if row else 0,
                x=PIXEL_LEFT + (day.month - 1) * (PIXEL + 2),
                y=PIXEL_TOP + (day.day - 1) * (PIXEL + 2),
            )
        )
        day += timedelta(days=1)
    return YearInPixels(
        year=year,
        pixels=pixels,
        days_logged=len(rows),
        previous=year - 1 if year > FIRST_YEAR else None,
        following=year + 1 if year < today.year else None,
    )


def chosen_year(text: str | None, user: User, now: datetime | None = None) -> int:
    """The year asked for, or this year for anything unreadable or out of range."""
    this_year = today_for(user, now).year
    year = parse_int(text, FIRST_YEAR, this_year)
    return this_year if year is None else year


@dataclass
class MonthSummary:
    name: str
    days_logged: int
    average: float | None


def month_summaries(pixels: YearInPixels) -> list[MonthSummary]:
    """Per month of the grid: days with moods and the average over their moods (the grid's text alternative)."""
    summaries = []
    for month in range(1, 13):
        days = [p for p in pixels.pixels if p.day.month == month and p.average is not None]
        moods = sum(p.moods for p in days)
        average = round(sum(p.average * p.moods for p in days) / moods, 1) if moods else None
        summaries.append(MonthSummary(date(pixels.year, month, 1).strftime("%B"), len(days), average))
    return summaries
