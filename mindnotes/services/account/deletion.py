"""Deleting an account: every MongoDB document, every file and every PostgreSQL row about the person.

`request_deletion` confirms it is really them, marks the account inactive and
"deletion pending" (every session ends; signing in fails from then on) and
queues `jobs.deletion.delete_account`. `erase_account` does the work, in an
order that can be interrupted anywhere and run again: documents, then files
(export file names are read from PostgreSQL) and the dashboard kept in Redis,
then the rows, the user's own row last.
Payments are kept for the books, cut loose from the person (subscription_id NULL).
"""

import shutil
from pathlib import Path

from flask import current_app
from flask import session as cookie_session
from flask_login import logout_user
from rq import Retry
from sqlalchemy import JSON, Table, Text, cast, delete, or_, select, update
from sqlalchemy.sql.elements import ColumnElement

from mindnotes import documents, timeutil
from mindnotes.extensions import db
from mindnotes.models import AccountSecurity, ExportRequest, ProviderEvent, Subscription, User
from mindnotes.services.account import AccountError, two_factor
from mindnotes.services.account import login_sessions as sessions
from mindnotes.services.account.mail import remove_messages_to
from mindnotes.services.account.security_events import record_event
from mindnotes.services.followups import queue_followup
from mindnotes.services.overview.dashboard import forget_dashboard


def request_deletion(user: User, password: str, code: str) -> None:
    """Check the password (and a code when two-factor is on), sign out everywhere, queue the erasure."""
    if not user.check_password(password or ""):
        raise AccountError("Your password is not right.", field="password")
    if two_factor.is_enabled(user) and two_factor.use_second_factor(user, code) is None:
        raise AccountError("That code is not right, or was already used.", field="code")
    user_id = user.id
    record_event(user_id, "deletion_requested", commit=False)
    mark_deletion_pending(user_id)
    logout_user()
    cookie_session.clear()
    # Retried by RQ; `resume_pending_deletions` (hourly) finishes any that still failed or were lost.
    queue_followup(
        user_id,
        "mindnotes.jobs.deletion.delete_account",
        user_id,
        job_id=f"delete-account-{user_id}",
        retry=Retry(max=3, interval=[60, 600]),
    )


def mark_deletion_pending(user_id: int) -> None:
    """Inactive, with every session ended: the person is signed out and cannot sign in again."""
    user = db.session.get(User, user_id)
    if user is None:
        return
    user.is_active = False
    security = two_factor.account_security(user_id)
    security.deletion_requested_at = security.deletion_requested_at or timeutil.utcnow()
    sessions.end_all_sessions(user_id, commit=False)
    db.session.commit()


def pending_deletion_ids() -> list[int]:
    """Accounts whose deletion was asked for and whose row still exists."""
    query = select(AccountSecurity.user_id).where(AccountSecurity.deletion_requested_at.is_not(None))
    return list(db.session.scalars(query))


def erase_account(user_id: int) -> dict[str, int]:
    """Erase everything about the person; safe to run again after an interruption or a success."""
    mark_deletion_pending(user_id)
    erased = {"documents": erase_documents(user_id), "files": erase_files(user_id)}
    forget_dashboard(user_id)
    erased["rows"] = erase_rows(user_id)
    current_app.logger.info("Account %s erased: %s", user_id, erased)
    return erased


def erase_documents(user_id: int) -> int:
    return documents.erase_person(user_id)


def _export_files(user_id: int) -> list[Path]:
    export_dir = Path(current_app.config["EXPORT_DIR"])
    paths = []
    for file_path in db.session.scalars(
        select(ExportRequest.file_path).where(ExportRequest.user_id == user_id, ExportRequest.file_path.is_not(None))
    ):
        path = Path(file_path)
        paths.extend([path] if path.is_absolute() else [export_dir / str(user_id) / path, export_dir / path])
    return paths


def erase_files(user_id: int) -> int:
    """Uploads (photos, voice notes), exports (their folder and any file named in a row), and mail files."""
    user = db.session.get(User, user_id)
    removed = remove_messages_to(user.email) if user is not None else 0
    for path in _export_files(user_id):
        if path.is_file():
            path.unlink(missing_ok=True)
            removed += 1
    for root in (current_app.config["UPLOAD_DIR"], current_app.config["EXPORT_DIR"]):
        folder = Path(root) / str(int(user_id))
        if folder.exists():
            removed += sum(1 for item in folder.rglob("*") if item.is_file())
            shutil.rmtree(folder)
    return removed


def _scrub_provider_events(user_id: int) -> None:
    """Provider events are kept (a replay must stay a no-op) but lose any payload naming the person."""
    subscription = db.session.scalar(select(Subscription).where(Subscription.user_id == user_id))
    user = db.session.get(User, user_id)
    markers = [user.email] if user is not None else []
    if subscription is not None:
        markers += [subscription.provider_customer_id, subscription.provider_subscription_id]
    markers = [marker for marker in markers if marker]
    if markers:
        payload_text = cast(ProviderEvent.payload, Text)
        db.session.execute(
            update(ProviderEvent)
            .where(or_(*(payload_text.contains(marker, autoescape=True) for marker in markers)))
            .values(payload=cast({}, JSON))
        )


def _erase_table_rows(table: Table, condition: ColumnElement, path: tuple[str, ...] = ()) -> int:
    """Delete matching rows after what refers to them: children deleted, or set NULL where the key says so.

    Done by hand rather than trusting ON DELETE CASCADE, which SQLite (the embedded default) does not enforce.
    """
    count = 0
    for child in db.metadata.sorted_tables:
        for key in child.foreign_keys:
            if key.column.table is not table or child.name in path + (table.name,):
                continue
            refers = key.parent.in_(select(key.column).where(condition))
            if (key.ondelete or "").upper() == "SET NULL":
                db.session.execute(update(child).where(refers).values({key.parent.name: None}))
            else:
                count += _erase_table_rows(child, refers, path + (table.name,))
    return count + db.session.execute(delete(table).where(condition)).rowcount


def erase_rows(user_id: int) -> int:
    """Every row about the person, in one transaction; the users row goes last.

    Rows are found by their own `user_id` as well as through the users row, so a row
    written late (after the account was marked pending, or even after a first erasure)
    goes too, and so does one in a table with no foreign key to users.
    """
    _scrub_provider_events(user_id)
    count = 0
    for table in reversed(db.metadata.sorted_tables):
        if "user_id" in table.c:
            count += _erase_table_rows(table, table.c.user_id == user_id)
    users = db.metadata.tables["users"]
    count += _erase_table_rows(users, users.c.id == user_id)
    db.session.commit()
    return count
