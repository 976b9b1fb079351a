"""subscriptions remember when the provider created the last applied event

Revision ID: billing_0002
Revises: 0001
Create Date: 2026-11-25 17:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "billing_0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("provider_event_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_column("provider_event_at")
