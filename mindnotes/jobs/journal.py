"""Journal upkeep: entries trashed over 30 days ago are purged, freeing their plan slots."""

from datetime import datetime

from mindnotes.services.journal import purge_expired_trash as purge_trash


def purge_expired_trash(now: datetime | None = None) -> int:
    """Purge what has been in the trash longer than 30 days; safe to run twice (nothing left the second time)."""
    return purge_trash(now)
