"""On SQLite (the embedded default) an id, once given, is never given again.

Without AUTOINCREMENT SQLite hands a new row the highest freed rowid: the next
person to register became the erased one, with whatever erasure had missed.
The database here is a temporary file migrated by `flask db upgrade`.
"""

import pytest
from sqlalchemy import insert, select, text

from mindnotes import timeutil
from mindnotes.extensions import db
from mindnotes.jobs.deletion import delete_account
from mindnotes.models import UserSession
from mindnotes.seed import seed_reference_data
from tests.conftest import MIGRATIONS
from tests.factories import UserFactory


@pytest.fixture
def sqlite_app(app_factory, tmp_path):
    return app_factory(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'mindnotes.db'}")


def flask_db_upgrade(app, revision: str = "head") -> None:
    result = app.test_cli_runner().invoke(args=["db", "upgrade", "--directory", MIGRATIONS, revision])
    assert result.exit_code == 0, result.output


def new_person_id() -> int:
    return UserFactory().make().id


def test_the_id_of_an_erased_person_is_not_given_to_the_next_account(sqlite_app):
    flask_db_upgrade(sqlite_app)
    with sqlite_app.app_context():
        seed_reference_data()
        assert [new_person_id() for _ in range(3)] == [1, 2, 3]
        delete_account(3)
        assert new_person_id() == 4


def test_tag_and_export_ids_are_not_reused_either(sqlite_app):
    flask_db_upgrade(sqlite_app)
    with sqlite_app.app_context():
        for table in ("users", "tags", "export_requests"):
            schema = db.session.scalar(text("SELECT sql FROM sqlite_master WHERE name = :name"), {"name": table})
            assert "AUTOINCREMENT" in schema, table


def test_upgrade_continues_after_the_highest_id_any_row_still_names(sqlite_app):
    """An install erased under the old schema kept a row naming id 3: the next person is 4, not 3.

    The old schema is written in SQL: today's models name columns and tables it does not have yet."""
    flask_db_upgrade(sqlite_app, "security_0003")
    with sqlite_app.app_context():
        now = timeutil.utcnow()
        for number in (1, 2, 3):
            db.session.execute(
                text(
                    "INSERT INTO users (email, password_hash, display_name, timezone, created_at, is_active)"
                    " VALUES (:email, 'x', '', 'UTC', :now, 1)"
                ),
                {"email": f"person{number}@example.com", "now": now},
            )
        db.session.execute(text("DELETE FROM users WHERE id = 3"))
        db.session.execute(
            text(
                "INSERT INTO security_events (user_id, kind, created_at, ip, user_agent)"
                " VALUES (3, 'sign_in_failed', :now, '', '')"
            ),
            {"now": now},
        )
        db.session.commit()
    flask_db_upgrade(sqlite_app)
    with sqlite_app.app_context():
        seed_reference_data()
        assert new_person_id() == 4


def test_a_row_written_after_the_erasure_goes_when_it_runs_again(sqlite_app):
    """SQLite enforces no foreign key: a late row for a gone id is found by its user_id."""
    flask_db_upgrade(sqlite_app)
    with sqlite_app.app_context():
        seed_reference_data()
        gone = new_person_id()
        delete_account(gone)
        db.session.execute(insert(UserSession).values(user_id=gone, key_hash="late"))
        db.session.commit()
        assert delete_account(gone)["rows"] == 1
        assert db.session.scalars(select(UserSession.user_id)).all() == []
