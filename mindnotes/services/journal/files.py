"""Where uploaded journal media live on disk: `UPLOAD_DIR/<user_id>/<server-made name>`.

Names are made here (random hex plus the verified type's extension), never
taken from the upload, so a file name can neither escape the person's folder
nor pick how the file is served.
"""

import secrets
from pathlib import Path

from flask import current_app


def user_folder(user_id: int) -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / str(int(user_id))


def new_name(extension: str) -> str:
    return f"{secrets.token_hex(16)}.{extension}"


def path_for(user_id: int, name: str) -> Path | None:
    """The stored file's path, or None for a name we could not have made."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    return user_folder(user_id) / name


def save(user_id: int, name: str, data: bytes) -> None:
    folder = user_folder(user_id)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def remove(user_id: int, names: list[str]) -> None:
    """Delete stored files; one already gone is fine (a purge may run twice)."""
    for name in names:
        path = path_for(user_id, name)
        if path is not None:
            path.unlink(missing_ok=True)


def media_names(entry: dict) -> list[str]:
    return [item["filename"] for item in entry.get("photos", []) + entry.get("voice_notes", [])]
