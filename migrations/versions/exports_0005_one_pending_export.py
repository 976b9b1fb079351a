"""one pending export per person, held by a partial unique index; a build's heartbeat and restarts

Two concurrent requests could both pass the old check-then-insert and build two exports
at once. The index `uq_export_requests_one_pending` (user_id, WHERE status IN
('queued', 'running')) lets only one in, on PostgreSQL and SQLite alike. Rows that already
break the rule keep their newest pending request; the older ones are marked failed.

`heartbeat_at` is the build's last sign of life and `restarts` counts how often the sweep
started a dead build again.

Revision ID: exports_0005
Revises: account_0004
Create Date: 2026-12-02 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "exports_0005"
down_revision = "account_0004"
branch_labels = None
depends_on = None

PENDING = sa.text("status IN ('queued', 'running')")


def upgrade():
    op.add_column("export_requests", sa.Column("heartbeat_at", sa.DateTime(), nullable=True))
    op.add_column("export_requests", sa.Column("restarts", sa.Integer(), nullable=False, server_default="0"))
    op.execute(
        "UPDATE export_requests SET status = 'failed', "
        "error = 'The export did not finish (the server was interrupted). Please ask for it again.' "
        "WHERE status IN ('queued', 'running') AND id NOT IN "
        "(SELECT MAX(id) FROM export_requests WHERE status IN ('queued', 'running') GROUP BY user_id)"
    )
    op.create_index(
        "uq_export_requests_one_pending",
        "export_requests",
        ["user_id"],
        unique=True,
        postgresql_where=PENDING,
        sqlite_where=PENDING,
    )


def downgrade():
    op.drop_index("uq_export_requests_one_pending", table_name="export_requests")
    # SQLite recreates the table for this: it keeps AUTOINCREMENT (account_0004).
    with op.batch_alter_table("export_requests", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_column("restarts")
        batch_op.drop_column("heartbeat_at")
