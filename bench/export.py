"""Export speed and the worker's memory as history grows.

Two people: one with 1,000 journal entries, one with 20,000 (about 150 words
each, in the shape the journal service writes, with tags and a prompt answer
on some). The JSON and Markdown exports of the 20,000 are timed in this
process (entries per second). Peak memory is measured the way a worker would
see it: each export runs in a fresh child process (`--child`) and reports its
own peak resident set size. The import of a 1,000-entry JSON export into a
fresh premium account is timed too (posted through the test client, then its
job), and the peak memory of checking the 20,000-entry export for import (the
check runs in the web process and reads the JSON a document at a time).
The headline is the 20,000 / 1,000 ratio of the JSON export's peak (aim: at
most 1.3, i.e. memory does not grow with history).
An optional argument replaces 20,000 (e.g. `python bench/export.py 5000` for a quick run).
"""

import json
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

from _stores import bench_app
from bson import ObjectId
from flask import session as flask_session
from rq import SimpleWorker

from mindnotes import create_app
from mindnotes.documents import collection, journal_entries
from mindnotes.extensions import db, queue
from mindnotes.models import ExportRequest, Tag, User
from mindnotes.services.account import register_user
from mindnotes.services.account.login_sessions import SESSION_KEY, start_session
from mindnotes.services.billing.plans import grant_plan
from mindnotes.services.exports import build_export_file, user_export_dir
from mindnotes.services.imports import check_upload
from mindnotes.services.journal.fields import new_entry_document, text_figures

PASSWORD = "bench password 123"
SMALL, LARGE = 1_000, int(sys.argv[1]) if len(sys.argv) == 2 else 20_000
IMPORTED = 1_000
WORDS = [
    "morning",
    "river",
    "light",
    "coffee",
    "walk",
    "quiet",
    "friend",
    "letter",
    "garden",
    "rain",
    "window",
    "city",
    "train",
    "book",
    "music",
    "evening",
    "tired",
    "grateful",
    "busy",
    "slow",
    "bright",
    "cold",
    "warm",
    "laugh",
    "worry",
    "plan",
    "finish",
    "start",
    "learn",
    "remember",
]
CONFIG_KEYS = ("SQLALCHEMY_DATABASE_URI", "MONGO_URI", "EXPORT_DIR", "UPLOAD_DIR", "PASSWORD_HASH_METHOD")


def seed_entries(user_id: int, count: int, tag_ids: list[int]) -> None:
    start = datetime(2020, 1, 1, 8, tzinfo=UTC)
    batch = []
    for number in range(count):
        moment = start + timedelta(hours=3 * number)
        content = " ".join(WORDS[(number * 7 + i) % len(WORDS)] for i in range(150))
        title = f"Day {number}: {WORDS[number % len(WORDS)]}"
        responses = []
        if number % 5 == 0:
            answer = "A long walk by the river with a friend."
            responses = [
                {
                    "prompt_id": None,
                    "question": "What made you smile?",
                    "answer": answer,
                    "word_count": 9,
                    "time_spent_seconds": 60,
                    "mood": 7,
                    "answered_at": moment,
                }
            ]
        fields = {
            "title": title,
            "content": content,
            "entry_type": "text",
            "entry_date": moment,
            "local_date": moment.date().isoformat(),
            "month_day": moment.strftime("%m-%d"),
            "privacy": "private",
            "is_favorite": number % 11 == 0,
            "tag_ids": tag_ids[: number % 3],
            "mood": 1 + number % 10,
            "location": None,
            "weather": "",
            **text_figures(title, content, responses),
        }
        batch.append(new_entry_document(ObjectId(), fields, moment, responses))
        if len(batch) == 1000:
            journal_entries.insert_entries(user_id, batch)
            batch = []
    if batch:
        journal_entries.insert_entries(user_id, batch)


def new_request(user_id: int, export_format: str) -> int:
    export = ExportRequest(user_id=user_id, format=export_format, scope="journal", status="queued", progress=0)
    db.session.add(export)
    db.session.commit()
    return export.id


def timed_export(user_id: int, export_format: str) -> float:
    export_id = new_request(user_id, export_format)
    started = time.perf_counter()
    build_export_file(export_id)
    elapsed = time.perf_counter() - started
    export = db.session.get(ExportRequest, export_id)
    assert export.status == "ready", export.error
    return elapsed


def signed_in_client(app, user: User):
    client = app.test_client()
    with app.test_request_context():
        start_session(user)
        key = flask_session[SESSION_KEY]
    with client.session_transaction() as cookie:
        cookie.update({"_user_id": str(user.id), "_fresh": True, SESSION_KEY: key})
    return client


def timed_import(app, source: User) -> float:
    """Seconds to import the JSON export of `source` into a fresh premium account, as a person does:
    the upload is posted, then the job runs (in the worker, or after the response without Redis)."""
    export_id = new_request(source.id, "json")
    build_export_file(export_id)
    path = user_export_dir(source.id) / db.session.get(ExportRequest, export_id).file_path
    fresh = register_user(f"import-{source.id}@example.com", PASSWORD, "", "UTC")
    grant_plan(fresh, "premium")
    client = signed_in_client(app, fresh)
    started = time.perf_counter()
    with path.open("rb") as upload:
        response = client.post(
            "/account/exports/import",
            data={"archive": (upload, "export.zip")},
            content_type="multipart/form-data",
            buffered=False,
        )
        response.close()
    SimpleWorker([queue.queue], connection=queue.redis).work(burst=True)
    elapsed = time.perf_counter() - started
    imported = collection("journal_entries").count_documents({"user_id": fresh.id})
    assert imported == IMPORTED, imported
    return elapsed


def peak_memory_mb(config: dict, export_id: int, mode: str = "--child") -> float:
    """Peak RSS of a fresh process that builds export `export_id` (or checks it for import: `--check`)."""
    output = subprocess.run(
        [sys.executable, __file__, mode, json.dumps(config), str(export_id)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return float(output.strip().splitlines()[-1])


def _peak_rss_mb() -> float:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def child(mode: str, config: str, export_id: str) -> None:
    app = create_app(json.loads(config))
    with app.app_context():
        export = db.session.get(ExportRequest, int(export_id))
        # Start the peak from here: app start-up (imports, time zone list) peaks higher
        # than a small export and would hide any growth. Writing 5 resets VmHWM.
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        if mode == "--check":
            check_upload(db.session.get(User, export.user_id), user_export_dir(export.user_id) / export.file_path)
        else:
            build_export_file(export.id)
            assert db.session.get(ExportRequest, export.id).status == "ready"
        print(_peak_rss_mb())


def main() -> None:
    with bench_app(WTF_CSRF_ENABLED=False) as app:
        small = register_user("small@example.com", PASSWORD, "", "UTC")
        large = register_user("large@example.com", PASSWORD, "", "UTC")
        source = register_user("source@example.com", PASSWORD, "", "UTC")
        for person in (small, large, source):
            db.session.add_all(Tag(user_id=person.id, name=name) for name in ("walks", "work", "family"))
        db.session.commit()
        started = time.perf_counter()
        for person, count in ((small, SMALL), (large, LARGE), (source, IMPORTED)):
            tag_ids = [t.id for t in db.session.query(Tag).filter_by(user_id=person.id).order_by(Tag.id)]
            seed_entries(person.id, count, tag_ids)
        print(f"seeded_entries: {SMALL + LARGE + IMPORTED} in {time.perf_counter() - started:.1f} s")

        for export_format in ("json", "markdown"):
            seconds = timed_export(large.id, export_format)
            print(f"{export_format}_export_{LARGE}_entries_seconds: {seconds:.2f}")
            print(f"{export_format}_export_entries_per_second: {LARGE / seconds:.0f}")
        sizes = {p.name: p.stat().st_size for p in user_export_dir(large.id).iterdir()}
        print("export_file_bytes: " + ", ".join(f"{name}={size:,}" for name, size in sorted(sizes.items())))

        print(f"import_{IMPORTED}_entries_per_second: {IMPORTED / timed_import(app, source):.0f}")

        config = {key: app.config[key] for key in CONFIG_KEYS}
        ratios = {}
        for export_format in ("markdown", "json"):
            peaks = {}
            for person, count in ((small, SMALL), (large, LARGE)):
                export_id = new_request(person.id, export_format)
                peaks[count] = peak_memory_mb(config, export_id)
                print(f"{export_format}_worker_peak_rss_{count}_entries_mb: {peaks[count]:.1f}")
            ratios[export_format] = peaks[LARGE] / peaks[SMALL]
        # The import's check runs in the web process: it must not grow with the export either.
        print(f"import_check_peak_rss_{LARGE}_entries_mb: {peak_memory_mb(config, export_id, '--check'):.1f}")
        export = db.session.get(ExportRequest, export_id)
        started = time.perf_counter()
        check_upload(large, user_export_dir(large.id) / export.file_path)
        print(f"import_check_{LARGE}_entries_seconds: {time.perf_counter() - started:.2f}")
        print(f"markdown_peak_memory_ratio_{LARGE}_vs_{SMALL}: {ratios['markdown']:.2f}")
        print(f"json_peak_memory_ratio_{LARGE}_vs_{SMALL}: {ratios['json']:.2f}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] in ("--child", "--check"):
        child(*sys.argv[1:])
    else:
        main()
