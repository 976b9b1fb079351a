"""Importing a Day One export: entries per second and whether memory grows with the export.

A Day One JSON export is generated in the published shape (`Journal.json`
with `entries[]`, one photo per ten entries in `photos/<md5>.jpeg`, referenced
as `dayone-moment://` in the text, tags, places, weather), once with 5,000
entries (500 photos) and once with 500 (50 photos). Each is previewed and
imported into a fresh premium account the way the job does it
(`preview.preview_upload`, then `foreign.import_upload`: every entry through
the journal service, every photo decoded and checked like an upload).

Speed: the 5,000-entry import, untraced. Memory: the peak of Python's own
allocations during the preview and the import (tracemalloc, started just
before, so app start-up does not hide growth), for 500 and 5,000 entries.
The headline is the 5,000 / 500 ratio of the import's peak (aim: at most 1.3,
i.e. the file is streamed, not loaded).
An optional argument replaces 5,000 (e.g. `python bench/import.py 2000`).
"""

import hashlib
import io
import json
import sys
import tempfile
import time
import tracemalloc
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _stores import bench_app
from PIL import Image

from mindnotes.documents import collection
from mindnotes.models import User
from mindnotes.services.account import register_user
from mindnotes.services.billing.plans import grant_plan
from mindnotes.services.imports.foreign import import_upload
from mindnotes.services.imports.preview import preview_upload

LARGE = int(sys.argv[1]) if len(sys.argv) == 2 else 5_000
SMALL = LARGE // 10
PHOTO_EVERY = 10
WORDS = "morning river light coffee walk quiet friend letter garden rain window city train book music".split()  # noqa: SIM905
FIRST_DAY = datetime(2020, 1, 1, 7, 30, tzinfo=UTC)


def photo(number: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (number % 256, number * 7 % 256, number * 13 % 256)).save(buffer, "JPEG")
    return buffer.getvalue()


def entry(number: int, photo_md5: str | None) -> dict:
    words = " ".join(WORDS[(number + i) % len(WORDS)] for i in range(120))
    text = f"# Day {number}\n\n{words}"
    document = {
        "uuid": hashlib.md5(f"entry {number}".encode()).hexdigest().upper(),
        "creationDate": (FIRST_DAY + timedelta(hours=7 * number)).isoformat().replace("+00:00", "Z"),
        "timeZone": "Europe/Berlin",
        "tags": [WORDS[number % 5], "bench"],
        "starred": number % 17 == 0,
        "location": {"placeName": "Park", "localityName": "Berlin", "latitude": 52.5, "longitude": 13.4},
        "weather": {"temperatureCelsius": number % 30, "conditionsDescription": "Clear"},
    }
    if photo_md5:
        text += f"\n\n![](dayone-moment://P{number})"
        document["photos"] = [{"identifier": f"P{number}", "md5": photo_md5, "type": "jpeg", "orderInEntry": 0}]
    return {**document, "text": text}


def day_one_export(path: Path, count: int) -> None:
    """Written an entry at a time, as the importer reads it."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        photos = {}
        with archive.open("Journal.json", "w") as journal:
            journal.write(b'{"metadata": {"version": "1.0"}, "entries": [')
            for number in range(count):
                md5 = None
                if number % PHOTO_EVERY == 0:
                    data = photo(number)
                    md5 = hashlib.md5(data).hexdigest()
                    photos[md5] = data
                journal.write((b"," if number else b"") + json.dumps(entry(number, md5)).encode())
            journal.write(b"]}")
        for md5, data in photos.items():
            archive.writestr(f"photos/{md5}.jpeg", data, zipfile.ZIP_STORED)


def fresh_person(label: str) -> User:
    user = register_user(f"{label}@example.com", "bench password 123", "", "Europe/Berlin")
    grant_plan(user, "premium")
    return user


def imported(path: Path, label: str, traced: bool) -> tuple[float, float, float]:
    """(seconds, preview peak MB, import peak MB) of previewing and importing the export into a fresh account."""
    user = fresh_person(label)
    peaks = []
    started = time.perf_counter()
    if traced:
        tracemalloc.start()
    preview = preview_upload(user, "dayone", path)
    if traced:
        peaks.append(tracemalloc.get_traced_memory()[1] / 2**20)
        tracemalloc.reset_peak()
    report = import_upload(user, "dayone", path, total=preview.items)
    if traced:
        peaks.append(tracemalloc.get_traced_memory()[1] / 2**20)
        tracemalloc.stop()
    seconds = time.perf_counter() - started
    stored = collection("journal_entries").count_documents({"user_id": user.id})
    assert report.entries == preview.entries == stored, (report.summary(), preview.entries, stored)
    return seconds, *(peaks or [0.0, 0.0])


def main() -> None:
    with bench_app(), tempfile.TemporaryDirectory() as folder:
        exports = {count: Path(folder) / f"dayone-{count}.zip" for count in (SMALL, LARGE)}
        for count, path in exports.items():
            day_one_export(path, count)
            print(f"export_{count}_entries_bytes: {path.stat().st_size:,}")
        peaks = {}
        for count, path in exports.items():
            _seconds, preview_peak, peaks[count] = imported(path, f"memory{count}", traced=True)
            print(f"preview_{count}_entries_peak_python_mb: {preview_peak:.2f}")
            print(f"import_{count}_entries_peak_python_mb: {peaks[count]:.2f}")
        seconds, _preview, _peak = imported(exports[LARGE], "speed", traced=False)
        print(f"import_{LARGE}_entries_with_{LARGE // PHOTO_EVERY}_photos_seconds: {seconds:.1f}")
        print(f"import_entries_per_second: {LARGE / seconds:.0f}")
        print(f"import_peak_memory_ratio_{LARGE}_vs_{SMALL}: {peaks[LARGE] / peaks[SMALL]:.2f}")


if __name__ == "__main__":
    main()
