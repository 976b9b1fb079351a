"""Export jobs: build one export's file, and expire old ones (both safe to run twice)."""

from mindnotes.services import exports


def build_export(export_id: int) -> None:
    """Build the file of export `export_id`; a finished export is not rebuilt."""
    exports.build_export_file(export_id)


def expire_exports() -> int:
    """Delete the files of exports older than their lifetime and mark them expired."""
    return exports.expire_exports()
