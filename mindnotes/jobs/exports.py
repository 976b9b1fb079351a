"""Export and import jobs: build one export's file, expire old ones, write an import (all safe to run twice)."""

from datetime import datetime

from mindnotes.services import exports
from mindnotes.services.imports import uploads as import_uploads


def build_export(export_id: int) -> None:
    """Build the file of export `export_id`; a finished export is not rebuilt."""
    exports.build_export_file(export_id)


def expire_exports(now: datetime | None = None) -> int:
    """Delete export files older than their lifetime (marked expired) and forgotten import uploads."""
    import_uploads.remove_stale_uploads(now)
    return exports.expire_exports(now)


def import_upload(user_id: int, token: str) -> dict:
    """Write the checked upload `token` into the person's account; its file is deleted after."""
    return import_uploads.run_import(user_id, token)
