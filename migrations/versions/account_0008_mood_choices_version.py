"""a version of each person's mood choices, kept in the profile (issue 21)

The picker's lists are kept in each web process under (person, version); every
change to the person's categories or factors counts the version up in the same
transaction, so a kept list is never older than the person's choices.

Revision ID: account_0008
Revises: account_0007
Create Date: 2026-11-30 02:05:00

"""

import sqlalchemy as sa
from alembic import op

revision = "account_0008"
down_revision = "account_0007"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("profiles", sa.Column("mood_choices_version", sa.Integer(), nullable=False, server_default="0"))


def downgrade():
    op.drop_column("profiles", "mood_choices_version")
