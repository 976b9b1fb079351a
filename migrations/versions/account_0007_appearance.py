"""appearance settings kept in the profile (issue 18)

Revision ID: account_0007
Revises: mood_0006
Create Date: 2026-11-29 22:40:00

"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "account_0007"
down_revision = "mood_0006"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
