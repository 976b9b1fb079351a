"""Patterns: how a person's mood score goes with their focus, writing, time of day, weekday and factors.

Counted from the day logs, the mood documents and the ended focus sessions by
the analytics recount (`store_patterns`, called from the nightly rebuild), and
kept whole in the person's `user_patterns` document; the Patterns page only
reads it. Every figure carries the number of days behind each of its groups,
and a group is shown only past MINIMUM_DAYS: fewer days say more about chance
than about the person. A day's mood is the average score (1 awful .. 5 great)
of the moods logged that day; intensity never enters a figure.
"""

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from mindnotes import timeutil
from mindnotes.documents import daily_activity_logs, history, user_patterns
from mindnotes.services.overview.insights import WIDTH, Chart, bar_chart

MINIMUM_DAYS = 14
# The last mood logged this long before a session started counts as the mood it started in.
MOOD_BEFORE_WINDOW = timedelta(hours=3)
FOCUS_BANDS = ((0, "No focus"), (1, "1–29 min"), (30, "30–59 min"), (60, "1–2 hours"), (120, "2 hours or more"))
WORD_BANDS = ((0, "No words"), (1, "1–199 words"), (200, "200–499 words"), (500, "500 words or more"))
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MOOD_BEFORE_GROUPS = ((1, "Awful or bad (1–2)"), (3, "Okay (3)"), (4, "Good or great (4–5)"))
# The factor effect chart: labels left of EFFECT_LEFT, one row a value, bars up to EFFECT_SPAN points each way.
EFFECT_LEFT, EFFECT_ROW, EFFECT_SPAN = 200, 28, 2.0


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def group(label: str, values: Sequence[float], days: int) -> dict:
    """One group of a figure: its average, the days behind it, and whether that is enough to show."""
    return {"label": label, "average": _mean(values), "days": days, "shown": days >= MINIMUM_DAYS}


def figure(title: str, groups: list[dict]) -> dict:
    """A figure is shown when at least two of its groups are: a comparison needs two sides."""
    shown = sum(1 for each in groups if each["shown"])
    return {"title": title, "groups": groups, "shown": shown >= 2}


def _band(bands: tuple[tuple[int, str], ...], amount: int) -> str:
    label = bands[0][1]
    for lowest, name in bands:
        if amount >= lowest:
            label = name
    return label


def by_day_groups(day_scores: dict[str, float], group_of, labels: list[str]) -> list[dict]:
    """Days with a mood, grouped by `group_of(day)` (a label or None to leave the day out), in `labels` order."""
    grouped: dict[str, list[float]] = defaultdict(list)
    for day, score in day_scores.items():
        label = group_of(day)
        if label is not None:
            grouped[label].append(score)
    return [group(label, grouped[label], len(grouped[label])) for label in labels]


def day_scores_of(moods: list[dict]) -> dict[str, float]:
    """Each local day's average mood score, over the moods that have one."""
    scores: dict[str, list[int]] = defaultdict(list)
    for mood in moods:
        if mood.get("score") is not None:
            scores[mood["local_date"]].append(mood["score"])
    return {day: sum(values) / len(values) for day, values in scores.items()}


def focus_figures(day_scores: dict[str, float], logs: dict[str, dict]) -> list[dict]:
    def sessions(day: str) -> int:
        return (logs.get(day) or {}).get("focus_sessions") or 0

    def minutes(day: str) -> int:
        return (logs.get(day) or {}).get("focus_minutes") or 0

    labels = ["With a completed focus session", "Without one"]
    with_without = by_day_groups(day_scores, lambda day: labels[0] if sessions(day) > 0 else labels[1], labels)
    bands = by_day_groups(day_scores, lambda day: _band(FOCUS_BANDS, minutes(day)), [label for _, label in FOCUS_BANDS])
    return [
        figure("Mood on days with and without a completed focus session", with_without),
        figure("Mood by focus minutes that day", bands),
    ]


def writing_figures(day_scores: dict[str, float], logs: dict[str, dict]) -> list[dict]:
    def entries(day: str) -> int:
        return (logs.get(day) or {}).get("entries") or 0

    def words(day: str) -> int:
        return (logs.get(day) or {}).get("words") or 0

    labels = ["Days you wrote", "Days you didn't"]
    wrote = by_day_groups(day_scores, lambda day: labels[0] if entries(day) > 0 else labels[1], labels)
    bands = by_day_groups(day_scores, lambda day: _band(WORD_BANDS, words(day)), [label for _, label in WORD_BANDS])
    return [
        figure("Mood on days you wrote and days you didn't", wrote),
        figure("Mood by words written that day", bands),
    ]


def time_figures(moods: list[dict], day_scores: dict[str, float]) -> list[dict]:
    """Mood by part of the day (the moods logged in it) and by weekday (each day's average)."""
    parts: dict[str, list[int]] = defaultdict(list)
    part_days: dict[str, set[str]] = defaultdict(set)
    for mood in moods:
        if mood.get("score") is not None and mood.get("time_of_day"):
            parts[mood["time_of_day"]].append(mood["score"])
            part_days[mood["time_of_day"]].add(mood["local_date"])
    by_part = [group(name.capitalize(), parts[name], len(part_days[name])) for name, _start in timeutil.PARTS_OF_DAY]
    by_weekday = by_day_groups(day_scores, lambda day: WEEKDAYS[date.fromisoformat(day).weekday()], list(WEEKDAYS))
    return [figure("Mood by time of day", by_part), figure("Mood by weekday", by_weekday)]


def factor_effects(moods: list[dict], day_scores: dict[str, float]) -> list[dict]:
    """Each factor value's effect: the day's average with it minus without it, the same day and the next.

    "With" days are days with a mood that noted the value; "without" days are
    the other days with a mood. For the next day, the day after each one
    (when it has a mood) is averaged instead. Named as last logged.
    """
    noted: dict[tuple[int, str], set[str]] = defaultdict(set)
    names: dict[tuple[int, str], str] = {}
    for mood in sorted(moods, key=lambda each: each["felt_at"]):
        for factor in mood.get("factors") or []:
            if factor.get("factor_id") is not None and factor.get("value"):
                key = (factor["factor_id"], factor["value"])
                noted[key].add(mood["local_date"])
                names[key] = f"{factor['name'].capitalize()}: {factor['value']}"
    effects = []
    for key in sorted(noted, key=lambda each: names[each]):
        same_day = _with_and_without(day_scores, noted[key], lambda day: day)
        next_day = _with_and_without(
            day_scores, noted[key], lambda day: (date.fromisoformat(day) + timedelta(days=1)).isoformat()
        )
        effects.append({"label": names[key], "same_day": same_day, "next_day": next_day})
    return effects


def _with_and_without(day_scores: dict[str, float], with_days: set[str], measured_on) -> dict:
    sides: dict[bool, list[float]] = {True: [], False: []}
    for day in day_scores:
        later = measured_on(day)
        if later in day_scores:
            sides[day in with_days].append(day_scores[later])
    with_value, without = (
        group("With", sides[True], len(sides[True])),
        group("Without", sides[False], len(sides[False])),
    )
    shown = with_value["shown"] and without["shown"]
    effect = round(with_value["average"] - without["average"], 2) if shown else None
    return {"with": with_value, "without": without, "effect": effect, "shown": shown}


def mood_before(session: dict, scored_by_time: list[dict], times: list) -> int | None:
    """The mood a session started in: its check-in's, else the last mood logged in the hours before it.

    `scored_by_time` are the moods with a score, earliest first, and `times` their `felt_at`.
    """
    checked_in = (session.get("checkin") or {}).get("before_score")
    if checked_in is not None:
        return checked_in
    started = session["started_at"]
    last = bisect_right(times, started) - 1
    if last < 0 or times[last] < started - MOOD_BEFORE_WINDOW:
        return None
    return scored_by_time[last]["score"]


def completion_by_mood_before(sessions: list[dict], moods: list[dict]) -> dict:
    """The share of ended focus sessions (not breaks) completed, by the mood they started in."""
    scored_by_time = sorted((mood for mood in moods if mood.get("score") is not None), key=lambda mood: mood["felt_at"])
    times = [mood["felt_at"] for mood in scored_by_time]
    ended: dict[str, list[float]] = defaultdict(list)
    days: dict[str, set[str]] = defaultdict(set)
    for session in sessions:
        if session.get("session_type") in history.BREAK_TYPES:
            continue
        score = mood_before(session, scored_by_time, times)
        if score is None:
            continue
        label = _band(MOOD_BEFORE_GROUPS, score)
        ended[label].append(100.0 if session["status"] == "completed" else 0.0)
        days[label].add(session["local_date"])
    groups = [group(label, ended[label], len(days[label])) for _, label in MOOD_BEFORE_GROUPS]
    for each, (_, label) in zip(groups, MOOD_BEFORE_GROUPS, strict=True):
        each["sessions"] = len(ended[label])
    return figure("Focus sessions completed, by the mood you started in", groups)


def compute_patterns(logs: list[dict], moods: list[dict], sessions: list[dict]) -> dict:
    """Every Patterns figure from the person's day logs, moods and ended focus sessions."""
    by_day = {log["local_date"]: log for log in logs}
    day_scores = day_scores_of(moods)
    return {
        "days_with_mood": len(day_scores),
        "focus": focus_figures(day_scores, by_day),
        "writing": writing_figures(day_scores, by_day),
        "time": time_figures(moods, day_scores),
        "factors": factor_effects(moods, day_scores),
        "completion": completion_by_mood_before(sessions, moods),
    }


def store_patterns(user_id: int, now: datetime | None = None) -> dict:
    """Count the person's patterns from their documents and keep them (the analytics recount calls this)."""
    patterns = compute_patterns(
        daily_activity_logs.all_days(user_id),
        history.moods_for_patterns(user_id),
        history.ended_focus_sessions(user_id),
    )
    user_patterns.save_patterns(user_id, {**patterns, "computed_at": now or timeutil.utcnow()})
    return patterns


def patterns_for(user_id: int) -> dict | None:
    """The person's stored patterns, or None before the first count."""
    return user_patterns.get_patterns(user_id)


def _chart_of(stored: dict, top: float, unit: str) -> Chart:
    """A bar chart of a figure's shown groups (the table beside it lists every group)."""
    shown = [each for each in stored["groups"] if each["shown"]]
    return bar_chart(stored["title"], unit, [each["label"] for each in shown], [each["average"] for each in shown], top)


def effect_rows(effects: list[dict], lag: str) -> list[dict]:
    """Factor values whose `lag` ("same_day" or "next_day") effect is shown, largest first, as bar geometry.

    Bars grow left (worse) or right (better) from a middle line; a full half is EFFECT_SPAN points of score.
    """
    shown = sorted((each for each in effects if each[lag]["shown"]), key=lambda each: -abs(each[lag]["effect"]))
    rows = []
    half = (WIDTH - EFFECT_LEFT - 8) / 2
    middle = EFFECT_LEFT + half
    for index, each in enumerate(shown):
        effect = each[lag]["effect"]
        length = half * min(abs(effect), EFFECT_SPAN) / EFFECT_SPAN
        rows.append(
            {
                "label": each["label"],
                "effect": effect,
                "x": middle if effect >= 0 else middle - length,
                "y": 8 + index * EFFECT_ROW,
                "width": length,
            }
        )
    return rows


def patterns_page(user_id: int) -> dict | None:
    """What the Patterns page shows: the stored figures with chart geometry; None before the first count."""
    stored = patterns_for(user_id)
    if stored is None:
        return None
    mood_figures = [*stored["focus"], *stored["writing"], *stored["time"]]
    return {
        "computed_at": stored["computed_at"],
        "days_with_mood": stored["days_with_mood"],
        "minimum": MINIMUM_DAYS,
        "mood_figures": [(each, _chart_of(each, 5, "average score of 5")) for each in mood_figures],
        "completion": (stored["completion"], _chart_of(stored["completion"], 100, "% completed")),
        "factors": stored["factors"],
        "effects": {lag: effect_rows(stored["factors"], lag) for lag in ("same_day", "next_day")},
        "effect_geometry": {
            "left": EFFECT_LEFT,
            "middle": EFFECT_LEFT + (WIDTH - EFFECT_LEFT - 8) / 2,
            "row": EFFECT_ROW,
        },
    }
