"""turn receipts: each chat turn handled once, across instances; dialog state without etags

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "turn_receipt",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("wrote", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index("ix_turn_receipt_created_at", "turn_receipt", ["created_at"], unique=False)
    # The state is written in the turn's transaction under a row lock: no etag to compare.
    with op.batch_alter_table("bot_state", schema=None) as batch_op:
        batch_op.drop_column("etag")


def downgrade() -> None:
    with op.batch_alter_table("bot_state", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("etag", sa.String(length=40), nullable=False, server_default="-")
        )
    op.drop_index("ix_turn_receipt_created_at", table_name="turn_receipt")
    op.drop_table("turn_receipt")
