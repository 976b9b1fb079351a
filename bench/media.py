"""Peak memory of checking a photo upload, and the CPU time of refusing a zip of many files.

Each photo is checked in a fresh child process (`--child`) that reports the
peak resident set size reached by the check alone (VmHWM, reset just before
it): the function an upload and an import both call
(`journal.media.describe_photo`), and for the 9400 x 9400 PNG also the
import's path through a zip (`imports.media.MediaFiles`). For comparison, the
same PNG decoded whole, as the check did before it read the header first.
The photos: that PNG (343 KB, refused), a 12 MP camera JPEG, and the largest
of each kind still taken (a 40 MP JPEG, a 20 MP colour PNG, a 5 MP WebP).
The zip: 1,000 entries and 99,000 empty files (11 MB), checked as an import is.
The headline is the highest peak of any check as a share of the 100 MB an
upload may take (aim: below 1). No stores are needed.
"""

import io
import json
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bson import json_util  # noqa: E402
from PIL import Image  # noqa: E402

from mindnotes.services.imports import checks as import_checks  # noqa: E402
from mindnotes.services.imports.checks import ImportRefused, read_export  # noqa: E402
from mindnotes.services.imports.media import MediaFiles  # noqa: E402
from mindnotes.services.journal import media as journal_media  # noqa: E402

BUDGET_MB = 100


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")


def solid_png(width: int, height: int) -> bytes:
    """An RGBA PNG of one colour, compressed a row at a time (never whole in this process)."""
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes((8, 6, 0, 0, 0))
    row = b"\x00" + bytes((10, 20, 30, 255)) * width
    packer = zlib.compressobj(6)
    pixels = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", pixels) + _png_chunk(b"IEND", b"")


def encoded(image: Image.Image, kind: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def camera_jpeg(width: int, height: int, quality: int = 85) -> bytes:
    """Grain over a gradient, so the JPEG decoder has real work (a few MB, as a phone's photo)."""
    grain = Image.effect_noise((width, height), 40)
    light = Image.linear_gradient("L").resize((width, height))
    return encoded(Image.merge("RGB", (grain, light, Image.blend(grain, light, 0.5))), "JPEG", quality=quality)


def photos() -> dict[str, bytes]:
    return {
        "png_9400x9400_88mp": solid_png(9400, 9400),
        "jpeg_4000x3000_12mp": camera_jpeg(4000, 3000),
        "jpeg_7300x5475_40mp": camera_jpeg(7300, 5475, quality=50),
        "png_5000x4000_20mp": solid_png(5000, 4000),
        "webp_2500x2000_5mp": encoded(Image.effect_noise((2500, 2000), 40).convert("RGB"), "WEBP", quality=80),
    }


def _peak_rss_mb() -> float:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def child(mode: str, path: str) -> None:
    """Check the photo at `path` (or decode it whole, or import it from a zip); print the check's peak in MB."""
    data = Path(path).read_bytes()
    archive = None
    if mode == "import":
        archive = zipfile.ZipFile(io.BytesIO(encoded_zip(data)))
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")
    start = _peak_rss_mb()
    try:
        if mode == "upload":
            journal_media.describe_photo(data)
        elif mode == "whole":
            with Image.open(io.BytesIO(data)) as image:
                image.load()
        else:
            MediaFiles(archive, frozenset(archive.namelist())).items([{"filename": "photo"}], photo=True)
    except journal_media.MediaTooLarge:
        pass
    print(round(_peak_rss_mb() - start, 1))


def encoded_zip(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("media/photo", data)
    return buffer.getvalue()


def peak_mb(mode: str, path: Path) -> float:
    output = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path)], check=True, capture_output=True, text=True
    ).stdout
    return float(output.strip().splitlines()[-1])


def many_files_zip(entries: int, empty_files: int) -> bytes:
    documents = [
        {
            "_id": {"$oid": f"{n:024x}"},
            "title": f"Entry {n}",
            "entry_date": {"$date": "2026-03-01T09:00:00Z"},
            "photos": [],
            "voice_notes": [],
        }
        for n in range(entries)
    ]
    export = {"format": "mindnotes-export", "version": 1, "reference": {}, "journal_entries": documents}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(import_checks.JSON_NAME, json_util.dumps(json.loads(json.dumps(export))))
        for n in range(empty_files):
            archive.writestr(f"padding/file-number-{n:06d}.txt", b"")
    return buffer.getvalue()


def zip_refusal_cpu_seconds(upload: bytes) -> float:
    started = time.process_time()
    try:
        with zipfile.ZipFile(io.BytesIO(upload)) as archive:
            read_export(archive)
    except ImportRefused:
        return time.process_time() - started
    raise AssertionError("the zip of 99,000 empty files was not refused")


def main() -> None:
    peaks = {}
    with tempfile.TemporaryDirectory(prefix="mindnotes-bench-media-") as folder:
        for name, data in photos().items():
            path = Path(folder) / name
            path.write_bytes(data)
            print(f"{name}_file_kb: {len(data) // 1024}")
            peaks[f"{name}_upload_peak_mb"] = peak_mb("upload", path)
            if name == "png_9400x9400_88mp":
                peaks[f"{name}_import_peak_mb"] = peak_mb("import", path)
                print(f"{name}_decoded_whole_peak_mb: {peak_mb('whole', path)}")
    for name, value in peaks.items():
        print(f"{name}: {value}")
    upload = many_files_zip(1000, 99_000)
    print(f"zip_99000_files_mb: {len(upload) / (1024 * 1024):.1f}")
    print(f"zip_99000_files_refusal_cpu_s: {zip_refusal_cpu_seconds(upload):.2f}")
    print(f"worst_peak_share_of_{BUDGET_MB}mb: {max(peaks.values()) / BUDGET_MB:.2f}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
