"""reminder delivery: claims with a lease, channel posts, a channel's municipality

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reminder_delivery", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("claim_token", sa.String(length=32), nullable=True))
        batch_op.create_index("ix_reminder_delivery_staff_day", ["staff_id", "day"], unique=False)

    with op.batch_alter_table("conversation_ref", schema=None) as batch_op:
        batch_op.add_column(sa.Column("municipality_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_conversation_ref_municipality_id", "municipality", ["municipality_id"], ["id"]
        )
        batch_op.create_index(
            batch_op.f("ix_conversation_ref_municipality_id"), ["municipality_id"], unique=False
        )

    op.create_table(
        "channel_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("conversation_id", sa.String(length=300), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key", "conversation_id", "day"),
    )


def downgrade() -> None:
    op.drop_table("channel_delivery")
    with op.batch_alter_table("conversation_ref", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_ref_municipality_id"))
        batch_op.drop_constraint("fk_conversation_ref_municipality_id", type_="foreignkey")
        batch_op.drop_column("municipality_id")
    with op.batch_alter_table("reminder_delivery", schema=None) as batch_op:
        batch_op.drop_index("ix_reminder_delivery_staff_day")
        batch_op.drop_column("claim_token")
        batch_op.drop_column("claimed_at")
