"""appearance settings kept in the profile (issue 18)

Revision ID: account_0007
Revises: mood_0006
Create Date: 2026-11-29 22:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "account_0007"
down_revision = "mood_0006"
branch_labels = None
depends_on = None


def upgrade():
    # Light, dark, or "system": follow the device's prefers-color-scheme.
    op.add_column("profiles", sa.Column("appearance", sa.String(6), nullable=False, server_default="system"))


def downgrade():
    op.drop_column("profiles", "appearance")
