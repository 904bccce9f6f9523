"""letters and moving away: guardians' addresses, letters recorded once, handover consent,
the municipality a youth moved to

Revision ID: 0007
Revises: 0006

- guardian(address, postal_code, city): a guardian of a youth under 18 gets the letters too.
- contact_event.letter_key with a unique index on (case_id, letter_key): a letter written
  again on the same day (a second printout, a second instance) records no second attempt.
- consent.handover_to: the kommunkod a consent to hand the case over applies to.
- kaa_case(moved_to, moved_on): a case closed as moved names the new municipality and day.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("guardian", schema=None) as batch_op:
        batch_op.add_column(sa.Column("address", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("postal_code", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("city", sa.String(length=100), nullable=True))
    op.add_column("contact_event", sa.Column("letter_key", sa.String(length=80), nullable=True))
    op.create_index(
        "uq_contact_event_letter", "contact_event", ["case_id", "letter_key"], unique=True
    )
    op.add_column("consent", sa.Column("handover_to", sa.String(length=4), nullable=True))
    with op.batch_alter_table("kaa_case", schema=None) as batch_op:
        batch_op.add_column(sa.Column("moved_to", sa.String(length=4), nullable=True))
        batch_op.add_column(sa.Column("moved_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("kaa_case", schema=None) as batch_op:
        batch_op.drop_column("moved_on")
        batch_op.drop_column("moved_to")
    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.drop_column("handover_to")
    op.drop_index("uq_contact_event_letter", table_name="contact_event")
    with op.batch_alter_table("contact_event", schema=None) as batch_op:
        batch_op.drop_column("letter_key")
    with op.batch_alter_table("guardian", schema=None) as batch_op:
        batch_op.drop_column("city")
        batch_op.drop_column("postal_code")
        batch_op.drop_column("address")
