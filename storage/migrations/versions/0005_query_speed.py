"""faster daily reads: a covering index on contact events, an audit log without foreign
keys, and PostgreSQL statistics on which staff work in which municipality

Revision ID: 0005
Revises: 0004

- contact_event(case_id, occurred_on, outcome, counterpart) holds every column the
  reminder rules aggregate, so a case's contacts are read from the index alone; it
  replaces the index on case_id alone, which is its prefix.
- audit_log keeps its ids as plain columns: the log must outlive what it names, and
  four key checks per entry were a third of an audited list's cost on PostgreSQL. On
  SQLite the table is rebuilt, which drops its append-only triggers (0004): they are
  created again here.
- PostgreSQL estimated "this coordinator's cases in this municipality" as two rows,
  since it took the two columns for independent, and chose nested loops that cost
  "vad har jag idag?" ten milliseconds; dependency statistics tell it otherwise.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_AUDIT_REFERENCES = {
    "staff_id": "staff",
    "municipality_id": "municipality",
    "case_id": "kaa_case",
    "youth_id": "youth",
}
# Names for 0001's unnamed keys, so that SQLite's table rebuild can find them.
_NAMING = {"fk": "fk_%(table_name)s_%(column_0_name)s"}
_STATISTICS = "kaa_case_staff_municipality"
_SQLITE_APPEND_ONLY = tuple(
    f"""
    CREATE TRIGGER audit_log_no_{event.lower()}
    BEFORE {event} ON audit_log
    BEGIN
        SELECT RAISE(ABORT, 'audit_log is append-only');
    END
    """
    for event in ("UPDATE", "DELETE")
)


def _postgresql() -> bool:
    return op.get_context().dialect.name == "postgresql"


def _swap_contact_index(create: str, create_columns: list[str], drop: str) -> None:
    with op.batch_alter_table("contact_event", schema=None) as batch_op:
        batch_op.create_index(create, create_columns, unique=False)
        batch_op.drop_index(drop)


def upgrade() -> None:
    _swap_contact_index(
        "ix_contact_event_case_facts",
        ["case_id", "occurred_on", "outcome", "counterpart"],
        "ix_contact_event_case_id",
    )
    if _postgresql():
        for column in _AUDIT_REFERENCES:
            op.drop_constraint(f"audit_log_{column}_fkey", "audit_log", type_="foreignkey")
        op.execute(
            f"CREATE STATISTICS {_STATISTICS} (dependencies) "
            "ON municipality_id, assigned_staff_id FROM kaa_case"
        )
        op.execute("ANALYZE kaa_case")
        return
    op.execute("DROP TRIGGER audit_log_no_delete")
    op.execute("DROP TRIGGER audit_log_no_update")
    with op.batch_alter_table(
        "audit_log", schema=None, recreate="always", naming_convention=_NAMING
    ) as batch_op:
        for column in _AUDIT_REFERENCES:
            batch_op.drop_constraint(f"fk_audit_log_{column}", type_="foreignkey")
    for statement in _SQLITE_APPEND_ONLY:
        op.execute(statement)


def downgrade() -> None:
    if _postgresql():
        op.execute(f"DROP STATISTICS {_STATISTICS}")
        for column, table in _AUDIT_REFERENCES.items():
            op.create_foreign_key(f"audit_log_{column}_fkey", "audit_log", table, [column], ["id"])
    else:
        op.execute("DROP TRIGGER audit_log_no_delete")
        op.execute("DROP TRIGGER audit_log_no_update")
        with op.batch_alter_table("audit_log", schema=None, recreate="always") as batch_op:
            for column, table in _AUDIT_REFERENCES.items():
                batch_op.create_foreign_key(f"fk_audit_log_{column}", table, [column], ["id"])
        for statement in _SQLITE_APPEND_ONLY:
            op.execute(statement)
    _swap_contact_index("ix_contact_event_case_id", ["case_id"], "ix_contact_event_case_facts")
