"""When reminders fall: each reminder the person turned on makes slots at wall-clock times in
their zone, and a plan's next slot is the first one after a moment, in UTC.

A slot is named by its kind and local minute ("journal:2027-03-28T21:00"), so a day has each
slot once whatever the clocks do. Across a change of the clocks the wall-clock time is kept:
21:00 is 21:00 in winter and in summer. A time the clocks skip (02:30 on the night they go
forward) falls at the same moment after the jump (03:30); a time they repeat falls the first time.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from mindnotes.timeutil import zone

JOURNAL = "journal"
MOOD = "mood"
WEEKLY = "weekly"
# The weekly review is made on Mondays (services/overview/weekly.py): it is announced then.
REVIEW_WEEKDAY = 0


@dataclass(frozen=True)
class Slot:
    kind: str
    local: datetime  # naive, the person's wall clock
    at: datetime  # UTC
    number: int = 1  # which of the day's mood check-ins

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.local:%Y-%m-%dT%H:%M}"


def moment_of(day: date, clock: time, timezone: str) -> datetime:
    """The UTC moment of wall-clock `clock` on `day` in `timezone`."""
    return datetime.combine(day, clock, tzinfo=zone(timezone)).astimezone(UTC)


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def slots_on(plan: dict, day: date, timezone: str) -> list[Slot]:
    """The plan's slots on the person's `day`, earliest first."""
    wanted: list[tuple[str, str, int]] = []
    if plan.get("journal", {}).get("on"):
        wanted.append((JOURNAL, plan["journal"]["time"], 1))
    if plan.get("mood", {}).get("on"):
        wanted.extend((MOOD, clock, number) for number, clock in enumerate(plan["mood"]["times"], start=1))
    if plan.get("weekly", {}).get("on") and day.weekday() == REVIEW_WEEKDAY:
        wanted.append((WEEKLY, plan["weekly"]["time"], 1))
    slots = []
    for kind, clock, number in wanted:
        local = datetime.combine(day, _clock(clock))
        slots.append(Slot(kind, local, moment_of(day, local.time(), timezone), number))
    return sorted(slots, key=_order)


def _order(slot: Slot) -> tuple:
    return (slot.at, slot.kind, slot.number)


def next_slot(plan: dict, timezone: str, after: datetime, sent: Slot | None = None) -> Slot | None:
    """The plan's first slot after the moment `after` (UTC), or after the slot just `sent` (one
    at the same moment may follow it); None when the plan reminds of nothing."""
    today = after.astimezone(zone(timezone)).date()
    for offset in range(-1, 9):  # a week and a day ahead covers the weekly review
        for slot in slots_on(plan, today + timedelta(days=offset), timezone):
            if slot.at > after or (sent is not None and slot.at == after and _order(slot) > _order(sent)):
                return slot
    return None
