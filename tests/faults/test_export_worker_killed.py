"""A worker killed (SIGKILL) in the middle of an export: the sweep queues the build again and a
second worker finishes it; no `.part` file stays behind; the person can ask for another export.

Issue 14: the export sat at "Being prepared: 99%" for 31-41 minutes and every new request
answered 409. The sweep runs every minute and takes a build silent for a minute for dead, so it
is queued again within two minutes; the test runs the sweep as it would then run (its `now`
two minutes on) instead of waiting for it.
"""

import io
import json
import re
import zipfile
from datetime import timedelta
from pathlib import Path

from bson import ObjectId
from sqlalchemy import select

from mindnotes import timeutil
from mindnotes.extensions import db, mongo, queue
from mindnotes.jobs.schedule import SCHEDULE
from mindnotes.models import ExportRequest, User
from mindnotes.services.journal.fields import new_entry_document, plain_entry_fields
from tests.faults.conftest import register, wait_until
from tests.scenarios.person import Person

# Enough history that building the JSON export takes a few seconds: long enough to be caught in the middle.
ENTRIES = 5_000
SWEEP = "mindnotes.jobs.exports.requeue_stalled_exports"


def write_history(user_id: int, timezone: str) -> None:
    start = timeutil.utcnow() - timedelta(hours=ENTRIES)
    content = "The river was high this morning and the herons were back at the old weir. " * 12
    documents = []
    for number in range(ENTRIES):
        moment = start + timedelta(hours=number)
        fields = plain_entry_fields(f"Day {number}", content, moment, timezone)
        documents.append({**new_entry_document(ObjectId(), fields, moment), "user_id": user_id})
    mongo.db.journal_entries.insert_many(documents)


def ask_for_export(person: Person):
    form = person.open("/account/exports/").form("/account/exports/", button="Prepare export")
    return person.submit(form, {"format": "json", "scope": "everything"})


def export_row(export_id: int) -> ExportRequest:
    db.session.expire_all()
    return db.session.get(ExportRequest, export_id)


def parts_in(folder: Path) -> list[Path]:
    return list(folder.rglob("*.part"))


def test_an_export_whose_worker_was_killed_is_built_again_by_a_second_worker(own_redis, own_mongo, serve, start_worker):
    served = serve(redis=own_redis, mongo_server=own_mongo)
    exports_folder = Path(served.app.config["EXPORT_DIR"])
    person = served.person()
    register(person)
    user = db.session.scalar(select(User).where(User.email == "faults@example.org"))
    write_history(user.id, user.timezone)

    first_worker = start_worker(served.app)
    asked = ask_for_export(person)
    assert "Your export is being prepared" in asked.text, asked.text[:500]
    [export_id] = {int(number) for number in re.findall(r'id="export-(\d+)"', asked.html)}

    wait_until(
        lambda: export_row(export_id).status == "running" and parts_in(exports_folder),
        30,
        f"the first worker started building the export\n{first_worker.log()[-3000:]}",
        every=0.02,
    )
    first_worker.kill()
    killed = export_row(export_id)
    assert killed.status == "running" and killed.progress < 100, "the build finished before the worker was killed"
    assert parts_in(exports_folder), "the killed build left its half-written file"

    second_worker = start_worker(served.app)
    assert SWEEP in {job_path for job_path, _ in SCHEDULE}  # every minute, from the cron process
    queue.enqueue(SWEEP, timeutil.utcnow() + timedelta(minutes=2))
    ready = person.wait_for(
        f"/account/exports/{export_id}",
        lambda page: "Ready." in page.text or "This export failed" in page.text,
        seconds=60,
    )
    assert "Ready." in ready.text, f"{ready.text[:800]}\n{second_worker.log()[-3000:]}"
    [download] = ready.links(rf"/account/exports/{export_id}/download")
    archive = person.http.get(download, timeout=60)
    assert archive.status_code == 200
    with zipfile.ZipFile(io.BytesIO(archive.content)) as files:
        exported = json.loads(files.read("mindnotes-export.json"))
    assert len(exported["journal_entries"]) == ENTRIES
    assert parts_in(exports_folder) == []

    again = ask_for_export(person)
    assert again.status == 200 and "Your export is being prepared" in again.text, again.text[:500]
    assert second_worker.alive()
