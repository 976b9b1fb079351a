"""ids are never reused: AUTOINCREMENT on SQLite for users, tags and export_requests

SQLite without AUTOINCREMENT gives a new row the highest freed rowid, so the
next person to register got the id of the account erased last (and anything
left behind under it). PostgreSQL sequences never hand a number out twice:
nothing to do there.

The recreated users table continues after the highest user id found in any
table, so an id freed before this migration is not handed out either.

Revision ID: account_0004
Revises: security_0003
Create Date: 2026-11-29 20:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "account_0004"
down_revision = "security_0003"
branch_labels = None
depends_on = None

TABLES = ("users", "tags", "export_requests")


def _recreate(autoincrement: bool) -> None:
    for name in TABLES:
        with op.batch_alter_table(name, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}):
            pass


def _highest_user_id(bind) -> int:
    inspector = sa.inspect(bind)
    columns = [("users", "id")] + [
        (table, "user_id")
        for table in inspector.get_table_names()
        if any(column["name"] == "user_id" for column in inspector.get_columns(table))
    ]
    return max(bind.scalar(sa.text(f'SELECT COALESCE(MAX("{column}"), 0) FROM "{table}"')) for table, column in columns)


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    _recreate(autoincrement=True)
    highest = _highest_user_id(bind)
    bind.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = 'users'"))
    bind.execute(sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES ('users', :seq)"), {"seq": highest})


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    _recreate(autoincrement=False)
