"""one digest a day per staff member, retried with backoff; SCB periods without an end

Revision ID: 0010
Revises: 0009

- digest_delivery: the day's digest of each staff member, unique per staff and day, with
  its claim, failures, next attempt and when the managers were told it kept failing.
- reminder_delivery keeps only what a delivered digest showed: unconfirmed claims are
  dropped with their columns.
- scb_period: per SCB half-year, the deadline an admin set and the code list confirmed;
  scb_code_list: the code lists installed with `kaa-bot scb kodlista import`.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "digest_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("retry_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("staff_id", "day"),
    )
    # A digest already sent today counts as the day's digest.
    op.execute(
        """
        INSERT INTO digest_delivery (staff_id, day, delivered_at, failures)
        SELECT staff_id, day, MAX(delivered_at), 0 FROM reminder_delivery
        WHERE delivered_at IS NOT NULL GROUP BY staff_id, day
        """
    )
    op.execute("DELETE FROM reminder_delivery WHERE delivered_at IS NULL")
    op.create_table(
        "scb_period",
        sa.Column("code", sa.String(length=6), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("deadline_set_by", sa.String(length=80), nullable=True),
        sa.Column("deadline_set_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("code_list", sa.String(length=40), nullable=True),
        sa.Column("code_list_confirmed_by", sa.String(length=80), nullable=True),
        sa.Column("code_list_confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "scb_code_list",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("valid_from", sa.String(length=6), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("installed_by", sa.String(length=80), nullable=False),
        sa.Column("installed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    with op.batch_alter_table("reminder_delivery", schema=None) as batch_op:
        batch_op.drop_column("claim_token")
        batch_op.drop_column("claimed_at")
        batch_op.alter_column(
            "delivered_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("reminder_delivery", schema=None) as batch_op:
        batch_op.alter_column(
            "delivered_at", existing_type=sa.DateTime(timezone=True), nullable=True
        )
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("claim_token", sa.String(length=32), nullable=True))
    op.drop_table("scb_code_list")
    op.drop_table("scb_period")
    op.drop_table("digest_delivery")
