"""Small exports of other apps, built from their published formats (no real person's data)."""

import io
import json
import zipfile

from tests.exports.helpers import png_bytes, wav_bytes


def zip_of(files: dict[str, bytes | str], dated: tuple = (2025, 2, 3, 4, 5, 6)) -> bytes:
    """A zip of `files`, each stamped with the file time `dated` (a zip keeps local times without a zone)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(zipfile.ZipInfo(name, dated), content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def dayone_entry(uuid: str, created: str, text: str, **fields) -> dict:
    return {
        "uuid": uuid,
        "creationDate": created,
        "modifiedDate": created,
        "timeZone": "Europe/Berlin",
        "text": text,
        "starred": False,
        **fields,
    }


def dayone_zip(entries: list[dict], files: dict[str, bytes] | None = None, name: str = "Journal.json") -> bytes:
    journal = {"metadata": {"version": "1.0"}, "entries": entries}
    return zip_of({name: json.dumps(journal, ensure_ascii=False), **(files or {})})


def dayone_sample() -> bytes:
    """Three entries: a titled one with two photos (shown in reverse order) and audio, one without a title
    in Unicode and emoji whose photo file is missing, and one on the night Berlin's clocks went forward."""
    red, blue = png_bytes("red", (30, 20)), png_bytes("blue", (20, 30))
    entries = [
        dayone_entry(
            "A1B2C3D4E5F60718293A4B5C6D7E8F90",
            "2025-06-01T07:15:00Z",
            "# Morning by the lake\n\nHerons everywhere. ![](dayone-moment://P2)\n\nThen ![](dayone-moment://P1)"
            "\n\n![](dayone-moment:/audio/A1)",
            tags=["Nature", "lake"],
            starred=True,
            location={
                "placeName": "Boathouse",
                "localityName": "Potsdam",
                "country": "Germany",
                "latitude": 52.4,
                "longitude": 13.06,
            },
            weather={"temperatureCelsius": 18.6, "conditionsDescription": "Partly Cloudy"},
            photos=[
                {"identifier": "P1", "md5": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "type": "png", "orderInEntry": 0},
                {"identifier": "P2", "md5": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "type": "png", "orderInEntry": 1},
            ],
            audios=[{"identifier": "A1", "md5": "cccccccccccccccccccccccccccccccc", "format": "wav"}],
        ),
        dayone_entry(
            "B1B2C3D4E5F60718293A4B5C6D7E8F90",
            "2025-06-02T20:00:00Z",
            "Grüße aus Köln 🌧️ — naïve café, 東京 too. ![](dayone-moment://GONE)",
            photos=[{"identifier": "GONE", "md5": "dddddddddddddddddddddddddddddddd", "type": "jpeg"}],
        ),
        dayone_entry("C1B2C3D4E5F60718293A4B5C6D7E8F90", "2025-03-30T01:30:00Z", "# Clocks forward\n\nLost an hour."),
    ]
    files = {
        "photos/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.png": red,
        "photos/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.png": blue,
        "audios/cccccccccccccccccccccccccccccccc.wav": wav_bytes(),
    }
    return dayone_zip(entries, files)


def jrnl_json(entries: list[dict]) -> bytes:
    tags: dict[str, int] = {}
    for entry in entries:
        for tag in entry.get("tags", []):
            tags[tag] = tags.get(tag, 0) + 1
    return json.dumps({"tags": tags, "entries": entries}, ensure_ascii=False).encode()


def jrnl_entry(date: str, time: str, title: str, body: str = "", tags=(), starred: bool = False) -> dict:
    return {"title": title, "body": body, "date": date, "time": time, "tags": list(tags), "starred": starred}


JRNL_TEXT = """[2025-07-01 23:30] Late walk with @anna. The city was quiet.
Saw a fox near the #river.

[2025-03-09 02:30] The hour that never was *
Clocks jumped; this minute does not exist in New York.

[2025-11-02 01:30] Twice. Once in daylight time, once in standard time.

[2025-08-15 12:00] Ünïcödé 🦊 title? Body after a question mark.
"""


NO_PLACE = 1.7976931348623157e308  # what Journey writes for "no latitude"


def journey_entry(journey_id: str, millis: int, text: str, **fields) -> dict:
    return {
        "id": journey_id,
        "date_modified": millis,
        "date_journal": millis,
        "timezone": "Asia/Tokyo",
        "text": text,
        "preview_text": "",
        "mood": 0,
        "lat": NO_PLACE,
        "lon": NO_PLACE,
        "address": "",
        "tags": [],
        "photos": [],
        "favourite": False,
        "weather": {"id": -1, "degree_c": NO_PLACE, "description": "", "icon": "", "place": ""},
        "type": "html",
        **fields,
    }


def journey_zip(entries: list[dict], files: dict[str, bytes] | None = None) -> bytes:
    return zip_of({f"{e['id']}.json": json.dumps(e, ensure_ascii=False) for e in entries} | (files or {}))


DAYLIO_CSV = """full_date,date,weekday,time,mood,activities,note_title,note
2025-05-03,May 3,Saturday,11:45 pm,rad,friends | sport | reading,Best day,"Long walk, then cake 🍰.
Second line."
2025-05-02,May 2,Friday,08:10,Sleepy,work,,
2025-05-01,May 1,Thursday,7:05 am,calm,,,
2025-05-01,May 1,Thursday,7:05 am,awful,,,Same minute twice
2025-04-30,Apr 30,Wednesday,25:99,meh,,,
"""
