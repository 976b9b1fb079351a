"""Export and import jobs: build one export's file, start stalled builds again, expire old
exports, write an import (all safe to run twice)."""

from datetime import datetime

from mindnotes.services import exports
from mindnotes.services.exports import recovery
from mindnotes.services.imports import uploads as import_uploads


def build_export(export_id: int) -> None:
    """Build the file of export `export_id`; a finished export is not rebuilt."""
    exports.build_export_file(export_id)


def requeue_stalled_exports(now: datetime | None = None) -> int:
    """Queue again the builds nothing is working on (never queued, or their worker died) and
    delete `.part` files no build writes; every minute, so no export waits more than two."""
    return recovery.requeue_stalled_exports(now)


def expire_exports(now: datetime | None = None) -> int:
    """Delete export files older than their lifetime (marked expired) and forgotten import uploads."""
    import_uploads.remove_stale_uploads(now)
    return exports.expire_exports(now)


def import_upload(user_id: int, token: str, update: bool = False) -> dict:
    """Write the checked upload `token` into the person's account (`update`: entries edited in the other
    app since an earlier import take the edits); its file is deleted after."""
    return import_uploads.run_import(user_id, token, update)
