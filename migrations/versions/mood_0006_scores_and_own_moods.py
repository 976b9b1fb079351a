"""mood scores and each person's own mood categories and factors (issue 17)

Revision ID: mood_0006
Revises: exports_0005
Create Date: 2026-11-29 22:40:00

"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "mood_0006"
down_revision = "exports_0005"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
