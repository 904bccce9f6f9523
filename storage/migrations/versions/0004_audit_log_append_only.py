"""audit log append-only in the database itself; youths anonymised by gallring are marked

Revision ID: 0004
Revises: 0003

The ORM guard in storage.audit stops the application; these triggers also stop raw SQL,
other tools and a future bug. Only a database owner who drops the triggers can change the
log, and that is a visible act outside the application.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MESSAGE = "audit_log is append-only"

_POSTGRES_UP = (
    f"""
    CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{_MESSAGE}';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER audit_log_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
    """,
    """
    CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()
    """,
)

_POSTGRES_DOWN = (
    "DROP TRIGGER audit_log_no_truncate ON audit_log",
    "DROP TRIGGER audit_log_no_update_or_delete ON audit_log",
    "DROP FUNCTION audit_log_append_only()",
)

_SQLITE_UP = tuple(
    f"""
    CREATE TRIGGER audit_log_no_{event.lower()}
    BEFORE {event} ON audit_log
    BEGIN
        SELECT RAISE(ABORT, '{_MESSAGE}');
    END
    """
    for event in ("UPDATE", "DELETE")
)

_SQLITE_DOWN = ("DROP TRIGGER audit_log_no_delete", "DROP TRIGGER audit_log_no_update")


def upgrade() -> None:
    with op.batch_alter_table("youth", schema=None) as batch_op:
        batch_op.add_column(sa.Column("anonymised_on", sa.Date(), nullable=True))
    statements = _POSTGRES_UP if op.get_context().dialect.name == "postgresql" else _SQLITE_UP
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    statements = _POSTGRES_DOWN if op.get_context().dialect.name == "postgresql" else _SQLITE_DOWN
    for statement in statements:
        op.execute(statement)
    with op.batch_alter_table("youth", schema=None) as batch_op:
        batch_op.drop_column("anonymised_on")
