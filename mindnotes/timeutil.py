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
