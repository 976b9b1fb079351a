"""Time in the person's zone: "a day" is always their local day."""

from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


@cache
def timezone_choices() -> list[str]:
    """The real IANA zone names, sorted, for the profile's select."""
    return sorted(z for z in available_timezones() if "/" in z or z == "UTC")


def is_valid_timezone(name: str) -> bool:
    return name in set(timezone_choices())


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def utcnow() -> datetime:
    return datetime.now(UTC)


def local_date(moment: datetime, tz_name: str) -> str:
    """YYYY-MM-DD of `moment` in the zone `tz_name` (the stored `local_date`)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone(tz_name)).date().isoformat()


def local_now(tz_name: str) -> datetime:
    return utcnow().astimezone(zone(tz_name))


# The parts of a local day, in order, with the hour each starts; night runs past midnight to morning.
PARTS_OF_DAY = (("morning", 5), ("afternoon", 12), ("evening", 17), ("night", 22))


def part_of_day(hour: int) -> str:
    """The part of the day a local hour (0-23) falls in: morning 5-12, afternoon 12-17, evening 17-22, else night."""
    name = "night"
    for part, start in PARTS_OF_DAY:
        if hour >= start:
            name = part
    return name
