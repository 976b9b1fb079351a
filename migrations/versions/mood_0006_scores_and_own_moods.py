"""mood scores and each person's own mood categories and factors (issue 17)

Scores live on the MongoDB mood documents (`flask mood upgrade` fills them in
for moods stored before); PostgreSQL gains each person's own choices: their
changes to the shared default categories and factors, and the ones they add.

Revision ID: mood_0006
Revises: exports_0005
Create Date: 2026-11-29 22:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "mood_0006"
down_revision = "exports_0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "mood_category_choices",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("category_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=40), nullable=True),
        sa.Column("emoji", sa.String(length=16), nullable=True),
        sa.Column("valence", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "category_id"),
    )
    op.create_table(
        "mood_factor_choices",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("factor_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=40), nullable=True),
        sa.Column("valence", sa.Integer(), nullable=True),
        sa.Column("allowed_values", sa.JSON(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "factor_id"),
    )


def downgrade():
    op.drop_table("mood_factor_choices")
    op.drop_table("mood_category_choices")
