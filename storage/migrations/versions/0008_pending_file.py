"""pending files: offered with Teams' file consent card until accepted or declined

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pending_file",
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("conversation_id", sa.String(length=300), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token"),
    )
    op.create_index("ix_pending_file_created_at", "pending_file", ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_pending_file_created_at", table_name="pending_file")
    op.drop_table("pending_file")
