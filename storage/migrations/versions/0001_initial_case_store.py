"""initial case store

Revision ID: 0001
Revises:
Create Date: 2026-11-22 11:23:41.473871
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bot_state",
        sa.Column("key", sa.String(length=500), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("etag", sa.String(length=40), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "conversation_ref",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=300), nullable=False),
        sa.Column("conversation_type", sa.String(length=20), nullable=False),
        sa.Column("aad_object_id", sa.String(length=64), nullable=True),
        sa.Column("tenant_id", sa.String(length=64), nullable=True),
        sa.Column("team_id", sa.String(length=300), nullable=True),
        sa.Column("reference", sa.JSON(), nullable=False),
        sa.Column("stale", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conversation_id"),
    )
    with op.batch_alter_table("conversation_ref", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_conversation_ref_aad_object_id"), ["aad_object_id"], unique=False
        )

    op.create_table(
        "municipality",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=4), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("aad_object_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("aad_object_id"),
    )
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_staff_municipality_id"), ["municipality_id"], unique=False
        )

    op.create_table(
        "youth",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("personnummer", sa.String(length=12), nullable=False),
        sa.Column("is_samordningsnummer", sa.Boolean(), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("gender", sa.String(length=6), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("postal_code", sa.String(length=10), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("protected_identity", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("municipality_id", "personnummer"),
    )
    with op.batch_alter_table("youth", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_youth_municipality_id"), ["municipality_id"], unique=False
        )

    op.create_table(
        "guardian",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("youth_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["youth_id"],
            ["youth.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("guardian", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_guardian_youth_id"), ["youth_id"], unique=False)

    op.create_table(
        "kaa_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("youth_id", sa.Integer(), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("registration_reason", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("assigned_staff_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("deregistered_on", sa.Date(), nullable=True),
        sa.Column("deregistration_reason", sa.String(length=40), nullable=True),
        sa.Column("deregistration_note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_staff_id"],
            ["staff.id"],
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
        ),
        sa.ForeignKeyConstraint(
            ["youth_id"],
            ["youth.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("kaa_case", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_kaa_case_assigned_staff_id"), ["assigned_staff_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_kaa_case_municipality_id"), ["municipality_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_kaa_case_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_kaa_case_youth_id"), ["youth_id"], unique=False)

    op.create_table(
        "reminder_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key", "staff_id", "day"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("municipality_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("youth_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["kaa_case.id"],
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
        ),
        sa.ForeignKeyConstraint(
            ["youth_id"],
            ["youth.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_staff_id"), ["staff_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_youth_id"), ["youth_id"], unique=False)

    op.create_table(
        "consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("actors", sa.Text(), nullable=False),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["kaa_case.id"],
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consent_case_id"), ["case_id"], unique=False)

    op.create_table(
        "contact_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("counterpart", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["kaa_case.id"],
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("contact_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_event_case_id"), ["case_id"], unique=False)

    op.create_table(
        "home_visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("planned_on", sa.Date(), nullable=False),
        sa.Column("first_staff_id", sa.Integer(), nullable=True),
        sa.Column("second_staff_id", sa.Integer(), nullable=True),
        sa.Column("notice_sent_on", sa.Date(), nullable=True),
        sa.Column("visited_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["kaa_case.id"],
        ),
        sa.ForeignKeyConstraint(
            ["first_staff_id"],
            ["staff.id"],
        ),
        sa.ForeignKeyConstraint(
            ["second_staff_id"],
            ["staff.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("home_visit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_home_visit_case_id"), ["case_id"], unique=False)

    op.create_table(
        "measure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("measure_type", sa.String(length=40), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("goal", sa.Text(), nullable=True),
        sa.Column("youth_responsibility", sa.Text(), nullable=True),
        sa.Column("municipality_responsibility", sa.Text(), nullable=True),
        sa.Column("other_actor", sa.String(length=200), nullable=True),
        sa.Column("other_actor_responsibility", sa.Text(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("evaluate_on", sa.Date(), nullable=True),
        sa.Column("declined", sa.Boolean(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=True),
        sa.Column("evaluated_on", sa.Date(), nullable=True),
        sa.Column("evaluation_outcome", sa.Text(), nullable=True),
        sa.Column("evaluation_effect", sa.Text(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["kaa_case.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("measure", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_measure_case_id"), ["case_id"], unique=False)

    op.create_table(
        "occupation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("extent_percent", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["kaa_case.id"],
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("occupation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_occupation_case_id"), ["case_id"], unique=False)

    op.create_table(
        "plan_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("goals", sa.Text(), nullable=False),
        sa.Column("needs", sa.Text(), nullable=True),
        sa.Column("expectations", sa.Text(), nullable=True),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["kaa_case.id"],
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "revision"),
    )
    with op.batch_alter_table("plan_revision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_revision_case_id"), ["case_id"], unique=False)

    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("snoozed_until", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["kaa_case.id"],
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("municipality_id", "key"),
    )
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminder_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_reminder_municipality_id"), ["municipality_id"], unique=False
        )

    op.create_table(
        "measure_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["measure.id"],
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("measure_id", "revision"),
    )
    with op.batch_alter_table("measure_revision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_measure_revision_measure_id"), ["measure_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("measure_revision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measure_revision_measure_id"))

    op.drop_table("measure_revision")
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_reminder_case_id"))

    op.drop_table("reminder")
    with op.batch_alter_table("plan_revision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_revision_case_id"))

    op.drop_table("plan_revision")
    with op.batch_alter_table("occupation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_occupation_case_id"))

    op.drop_table("occupation")
    with op.batch_alter_table("measure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measure_case_id"))

    op.drop_table("measure")
    with op.batch_alter_table("home_visit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_home_visit_case_id"))

    op.drop_table("home_visit")
    with op.batch_alter_table("contact_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_event_case_id"))

    op.drop_table("contact_event")
    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_case_id"))

    op.drop_table("consent")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_youth_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_staff_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_case_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
    op.drop_table("reminder_delivery")
    with op.batch_alter_table("kaa_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kaa_case_youth_id"))
        batch_op.drop_index(batch_op.f("ix_kaa_case_status"))
        batch_op.drop_index(batch_op.f("ix_kaa_case_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_kaa_case_assigned_staff_id"))

    op.drop_table("kaa_case")
    with op.batch_alter_table("guardian", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guardian_youth_id"))

    op.drop_table("guardian")
    with op.batch_alter_table("youth", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_youth_municipality_id"))

    op.drop_table("youth")
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_municipality_id"))

    op.drop_table("staff")
    op.drop_table("municipality")
    with op.batch_alter_table("conversation_ref", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_ref_aad_object_id"))

    op.drop_table("conversation_ref")
    op.drop_table("bot_state")
