"""Account security costs: the server-side session check on every signed-in request, and deleting an account.

1. Every signed-in request looks up its `user_sessions` row (and touches
   `last_seen_at` at most once a minute). Measured as the median of GET /healthz
   signed in (the check runs) against anonymous (it is skipped), through the
   Flask test client after a warm-up.
2. `erase_account` for a person with a long history (journal entries, moods,
   focus sessions, prompt sets, activity logs, uploaded files, export rows) next to
   a second person with the same history, who must keep all of theirs.
The headline is the signed-in / anonymous ratio of /healthz. /healthz does
nothing else, so the ratio is large by construction; what matters is the
difference of the medians (aim: under 1 ms added per signed-in request).
"""

import tempfile
import time
from pathlib import Path

from _stores import bench_app, median, percentile

from mindnotes.extensions import db, mongo
from mindnotes.models import ExportRequest
from mindnotes.services.account import register_user
from mindnotes.services.account.deletion import erase_account
from mindnotes.timeutil import utcnow

PASSWORD = "bench password 123"
REQUESTS = 400
HISTORY = {"journal_entries": 2000, "mood_entries": 3000, "focus_sessions": 1000, "daily_prompt_sets": 365}
FILES = 300


def timed_gets(client, path: str, count: int) -> list[float]:
    for _ in range(20):
        client.get(path)
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return timings


def seed_history(app, user_id: int) -> int:
    now = utcnow()
    inserted = 0
    for name, count in HISTORY.items():
        documents = [
            {"user_id": user_id, "local_date": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}", "n": i, "created_at": now}
            for i in range(count)
        ]
        if name == "daily_prompt_sets":
            for i, document in enumerate(documents):
                document["local_date"] = f"day-{i}"
        if name == "focus_sessions":
            for i, document in enumerate(documents):
                document["active_key"] = f"{user_id}-{i}"
        mongo.db[name].insert_many(documents)
        inserted += count
    mongo.db.daily_activity_logs.insert_many(
        [{"user_id": user_id, "local_date": f"day-{i}", "entries": 1} for i in range(365)]
    )
    folder = Path(app.config["UPLOAD_DIR"]) / str(user_id)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(FILES):
        (folder / f"photo-{i}.jpg").write_bytes(b"x" * 2048)
    db.session.add_all(ExportRequest(user_id=user_id, format="json", status="failed") for _ in range(20))
    db.session.commit()
    return inserted + 365


def main() -> None:
    with bench_app(MAIL_DIR=tempfile.mkdtemp(prefix="mindnotes-bench-mail-"), WTF_CSRF_ENABLED=False) as app:
        register_user("bench@example.com", PASSWORD)
        anonymous = app.test_client()
        signed_in = app.test_client()
        assert signed_in.post("/login", data={"email": "bench@example.com", "password": PASSWORD}).status_code == 302
        anonymous_ms = timed_gets(anonymous, "/healthz", REQUESTS)
        signed_in_ms = timed_gets(signed_in, "/healthz", REQUESTS)
        sessions_page_ms = timed_gets(signed_in, "/account/security/sessions", REQUESTS // 4)

        leaving_id = register_user("leaving@example.com", PASSWORD).id
        staying_id = register_user("staying@example.com", PASSWORD).id
        documents = seed_history(app, leaving_id)
        seed_history(app, staying_id)
        started = time.perf_counter()
        erased = erase_account(leaving_id)
        deletion_seconds = time.perf_counter() - started
        started = time.perf_counter()
        erase_account(leaving_id)
        rerun_seconds = time.perf_counter() - started
        kept = sum(mongo.db[name].count_documents({"user_id": staying_id}) for name in HISTORY)

        print(f"healthz_anonymous_median_ms: {median(anonymous_ms):.2f}")
        print(f"healthz_signed_in_median_ms: {median(signed_in_ms):.2f}")
        print(f"healthz_anonymous_p95_ms: {percentile(anonymous_ms, 0.95):.2f}")
        print(f"healthz_signed_in_p95_ms: {percentile(signed_in_ms, 0.95):.2f}")
        print(f"session_check_added_ms: {median(signed_in_ms) - median(anonymous_ms):.2f}")
        print(f"sessions_page_median_ms: {median(sessions_page_ms):.2f}")
        print(f"deletion_documents: {erased['documents']} (seeded {documents})")
        print(f"deletion_files: {erased['files']}")
        print(f"deletion_rows: {erased['rows']}")
        print(f"deletion_seconds: {deletion_seconds:.2f}")
        print(f"deletion_rerun_seconds: {rerun_seconds:.2f}")
        print(f"other_person_documents_kept: {kept}")
        print(f"signed_in_vs_anonymous_ratio: {median(signed_in_ms) / median(anonymous_ms):.2f}")


if __name__ == "__main__":
    main()
