"""Deleting an account: the RQ job erases the person from MongoDB, the disk and PostgreSQL."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from bson import ObjectId
from rq import SimpleWorker
from sqlalchemy import select

from mindnotes import timeutil
from mindnotes.documents.indexes import INDEXES
from mindnotes.extensions import db, mongo, queue
from mindnotes.jobs.deletion import delete_account, resume_pending_deletions
from mindnotes.jobs.schedule import SCHEDULE
from mindnotes.jobs.security import prune_security_records
from mindnotes.models import (
    ExportRequest,
    FocusProgram,
    Payment,
    ProgramEnrollment,
    ProviderEvent,
    SecurityEvent,
    Subscription,
    Tag,
    User,
    UserSession,
)
from mindnotes.services.account import deletion, security, two_factor
from mindnotes.services.overview.dashboard import keep_dashboard
from tests.account.helpers import empty_mailbox, mails_to, totp_for
from tests.account.test_auth import register
from tests.factories import PASSWORD

EXTRA_COLLECTION = "scratch_notes"


def seed_history(app, user) -> dict:
    """A bit of everything a person leaves behind, written straight into each store."""
    now = timeutil.utcnow()
    for name in [*INDEXES, EXTRA_COLLECTION]:
        mongo.db[name].insert_one(
            {
                "user_id": user.id,
                "entry_id": ObjectId(),
                "active_key": f"user:{user.id}",
                "local_date": "2026-03-01",
                "search_text": f"private words of {user.email}",
                "created_at": now,
            }
        )
    mongo.db.journal_entries.insert_one(
        {
            "user_id": user.id,
            "local_date": "2026-03-02",
            "photos": [{"filename": "photo.jpg"}],
            "voice_notes": [{"filename": "voice.ogg"}],
        }
    )
    uploads = Path(app.config["UPLOAD_DIR"]) / str(user.id)
    exports = Path(app.config["EXPORT_DIR"]) / str(user.id)
    uploads.mkdir(parents=True, exist_ok=True)
    exports.mkdir(parents=True, exist_ok=True)
    files = [uploads / "photo.jpg", uploads / "voice.ogg", exports / "mindnotes-export-1.json"]
    for path in files:
        path.write_bytes(b"private bytes")

    subscription = db.session.scalar(select(Subscription).where(Subscription.user_id == user.id))
    subscription.provider_customer_id = f"cus_{user.id}"
    program = db.session.scalars(select(FocusProgram)).first()
    db.session.add_all(
        [
            Tag(user_id=user.id, name="private"),
            ProgramEnrollment(user_id=user.id, program_id=program.id),
            ExportRequest(user_id=user.id, format="json", status="ready", file_path="mindnotes-export-1.json"),
            ExportRequest(user_id=user.id, format="csv", date_from=date(2026, 1, 1)),
            Payment(
                subscription_id=subscription.id,
                amount_minor=500,
                currency="EUR",
                status="succeeded",
                provider="stripe",
                provider_reference=f"ch_{user.id}",
            ),
            ProviderEvent(
                provider="stripe",
                event_id=f"evt_{user.id}",
                event_type="invoice.paid",
                payload={"customer": f"cus_{user.id}", "customer_email": user.email},
            ),
        ]
    )
    db.session.commit()
    return {"files": files}


def run_worker() -> None:
    SimpleWorker([queue.queue], connection=queue.redis).work(burst=True)


def run_worker_in_its_own_app(app_factory) -> None:
    """As `flask serve`'s worker runs a job: its own app and context, no request, nobody signed in."""
    with app_factory().app_context():
        SimpleWorker([queue.queue], connection=queue.redis).work(burst=True)
        assert queue.queue.failed_job_registry.count == 0


def events_of(user_id: int) -> list[str]:
    return list(db.session.scalars(select(SecurityEvent.kind).where(SecurityEvent.user_id == user_id)))


def rows_mentioning(user_id: int, email: str) -> list[str]:
    """Every PostgreSQL row that names the person, by user id or anywhere in its text."""
    found = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)).mappings():
            by_id = (table.name == "users" and row["id"] == user_id) or row.get("user_id") == user_id
            if by_id or email in str(dict(row)) or f"cus_{user_id}" in str(dict(row)):
                found.append(f"{table.name}: {dict(row)}")
    return found


def documents_of(user_id: int) -> dict[str, int]:
    counts = {name: len(list(mongo.db[name].find({"user_id": user_id}))) for name in mongo.db.list_collection_names()}
    return {name: count for name, count in counts.items() if count}


def files_of(app, user_id: int) -> list[Path]:
    roots = [Path(app.config["UPLOAD_DIR"]) / str(user_id), Path(app.config["EXPORT_DIR"]) / str(user_id)]
    return [path for root in roots if root.exists() for path in root.rglob("*")]


@pytest.fixture
def people(app, users):
    amy = users.make(email="amy@example.com")
    bob = users.make(email="bob@example.com")
    seed_history(app, amy)
    seed_history(app, bob)
    return amy, bob


def ask_to_delete(client, password=PASSWORD, code=""):
    return client.post("/account/security/delete", data={"password": password, "code": code})


def test_deletion_erases_every_store_and_keeps_payments_without_the_person(app, client, login, people):
    amy, bob = people
    empty_mailbox(app)
    for person in people:
        with app.test_request_context():
            security.send_verification(person)
    amy_id, bob_id = amy.id, bob.id
    login(amy)
    # What her dashboard keeps in Redis (her entries' titles and excerpts among it) goes with her.
    keep_dashboard(amy_id, {"listed": [{"title": "Amy's private title"}]})
    keep_dashboard(bob_id, {"listed": [{"title": "Bob's private title"}]})
    assert ask_to_delete(client).headers["Location"] == "/account/deleted"
    run_worker()
    db.session.expire_all()

    assert not queue.redis.exists(f"dashboard:{amy_id}")
    assert queue.redis.exists(f"dashboard:{bob_id}")

    assert db.session.get(User, amy_id) is None
    assert rows_mentioning(amy_id, "amy@example.com") == []
    assert documents_of(amy_id) == {}
    assert files_of(app, amy_id) == []
    assert mails_to(app, "amy@example.com") == []
    assert len(mails_to(app, "bob@example.com")) == 1

    amy_payment = db.session.scalar(select(Payment).where(Payment.provider_reference == f"ch_{amy_id}"))
    assert amy_payment.subscription_id is None
    assert amy_payment.amount_minor == 500
    assert db.session.scalar(select(ProviderEvent).where(ProviderEvent.event_id == f"evt_{amy_id}")).payload == {}

    assert rows_mentioning(bob_id, "bob@example.com") != []
    assert set(documents_of(bob_id)) == {*INDEXES, EXTRA_COLLECTION}
    assert len(files_of(app, bob_id)) == 3
    bob_event = db.session.scalar(select(ProviderEvent).where(ProviderEvent.event_id == f"evt_{bob_id}"))
    assert bob_event.payload["customer"] == f"cus_{bob_id}"

    assert app.test_client().post("/login", data={"email": "amy@example.com", "password": PASSWORD}).status_code == 422


def test_worker_erases_the_person_and_the_address_can_register_again(app, app_factory, client, login, people):
    amy, bob = people
    amy_id = amy.id
    login(amy)
    assert ask_to_delete(client).headers["Location"] == "/account/deleted"
    run_worker_in_its_own_app(app_factory)
    db.session.expire_all()

    assert db.session.get(User, amy_id) is None
    assert rows_mentioning(amy_id, "amy@example.com") == []
    assert documents_of(amy_id) == {}
    assert files_of(app, amy_id) == []
    assert set(documents_of(bob.id)) == {*INDEXES, EXTRA_COLLECTION}

    assert register(app.test_client(), email="amy@example.com").headers["Location"] == "/home"
    assert db.session.scalar(select(User.id).where(User.email == "amy@example.com")) != amy_id


def test_refused_sign_in_to_an_account_being_erased_leaves_nothing_for_the_next_person(app, app_factory, users):
    amy = users.make(email="amy@example.com")
    amy_id = amy.id
    deletion.mark_deletion_pending(amy_id)
    queue.enqueue("mindnotes.jobs.deletion.delete_account", amy_id)

    refused = app.test_client().post("/login", data={"email": "amy@example.com", "password": "not it"})
    assert refused.status_code == 422
    assert events_of(amy_id) == []
    run_worker_in_its_own_app(app_factory)
    assert events_of(amy_id) == []

    newcomer = app.test_client()
    assert register(newcomer, email="sam@example.com").status_code == 302
    assert "Failed sign-in" not in newcomer.get("/account/security/events").get_data(as_text=True)


def test_sign_in_racing_the_erasure_leaves_no_row_behind(app, app_factory, users, monkeypatch):
    """The erasure commits while the password of a sign-in attempt is being checked."""
    amy = users.make(email="amy@example.com")
    amy_id = amy.id
    worker_app = app_factory()

    def erased_meanwhile(user, password):
        with worker_app.app_context():
            deletion.erase_account(amy_id)
        return False

    monkeypatch.setattr(User, "check_password", erased_meanwhile)
    refused = app.test_client().post("/login", data={"email": "amy@example.com", "password": "not it"})
    assert refused.status_code == 422
    assert events_of(amy_id) == []
    assert rows_mentioning(amy_id, "amy@example.com") == []


def test_interrupted_deletion_keeps_the_person_out_and_the_sweep_finishes_it(app, client, login, people, monkeypatch):
    amy, _ = people
    amy_id = amy.id
    elsewhere = login(amy, app.test_client())
    login(amy)

    def disk_fails(path):
        raise OSError("disk went away")

    monkeypatch.setattr(deletion.shutil, "rmtree", disk_fails)
    ask_to_delete(client)
    run_worker()
    db.session.expire_all()
    assert db.session.get(User, amy_id).is_active is False
    assert documents_of(amy_id) == {}
    assert files_of(app, amy_id) != []
    assert elsewhere.get("/account/").headers["Location"].startswith("/login")
    assert app.test_client().post("/login", data={"email": "amy@example.com", "password": PASSWORD}).status_code == 422

    monkeypatch.undo()
    queue.enqueue(resume_pending_deletions)
    run_worker()
    db.session.expire_all()
    assert rows_mentioning(amy_id, "amy@example.com") == []
    assert files_of(app, amy_id) == []

    assert delete_account(amy_id) == {"documents": 0, "files": 0, "rows": 0}
    assert resume_pending_deletions() == 0


def test_wrong_password_deletes_nothing(client, login, people):
    amy, _ = people
    login(amy)
    response = ask_to_delete(client, password="not it")
    assert response.status_code == 422
    assert "password is not right" in response.get_data(as_text=True)
    assert queue.queue.count == 0
    assert amy.is_active and documents_of(amy.id) != {}


def test_deletion_with_two_factor_needs_a_code(app, client, login, people):
    amy, _ = people
    login(amy)
    with app.test_request_context():
        two_factor.begin_setup(amy)
        two_factor.confirm_setup(amy, totp_for(amy).now())
    assert "Authenticator code" in client.get("/account/security/delete").get_data(as_text=True)
    assert ask_to_delete(client).status_code == 422
    assert ask_to_delete(client, code="000000").status_code == 422
    assert queue.queue.count == 0


def test_deletion_page_needs_login(client):
    assert client.get("/account/security/delete").headers["Location"].startswith("/login")


def test_deletion_log_names_no_secret(app, client, login, people, caplog):
    amy, _ = people
    login(amy)
    with caplog.at_level("DEBUG"):
        ask_to_delete(client)
        run_worker()
    assert PASSWORD not in caplog.text
    assert "amy@example.com" not in caplog.text


def test_pruning_removes_long_ended_sessions_and_spent_links_only(app, client, users, login, monkeypatch):
    amy = users.make(email="amy@example.com")
    login(amy)
    ended = login(amy, app.test_client())
    ended.post("/logout")
    with app.test_request_context():
        security.send_verification(amy)
    later = timeutil.utcnow() + timedelta(days=31)
    monkeypatch.setattr(timeutil, "utcnow", lambda: later)
    assert prune_security_records() == {"sessions": 1, "tokens": 0}
    assert db.session.query(UserSession).filter_by(user_id=amy.id).count() == 1
    monkeypatch.setattr(timeutil, "utcnow", lambda: later + timedelta(days=60))
    assert prune_security_records() == {"sessions": 1, "tokens": 1}


def test_deletion_sweep_and_pruning_are_scheduled():
    paths = {path for path, _ in SCHEDULE}
    assert "mindnotes.jobs.deletion.resume_pending_deletions" in paths
    assert "mindnotes.jobs.security.prune_security_records" in paths
