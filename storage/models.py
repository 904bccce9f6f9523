"""The case store's tables. Change data only through the case API in `storage.cases`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """A stored timestamp as an aware UTC time: SQLite hands them back without a zone."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        datetime: DateTime(timezone=True),
    }


class Municipality(Base):
    __tablename__ = "municipality"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(4), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    aad_object_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    municipality: Mapped[Municipality] = relationship()


class Youth(Base):
    __tablename__ = "youth"
    __table_args__ = (UniqueConstraint("municipality_id", "personnummer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    personnummer: Mapped[str] = mapped_column(String(12))
    is_samordningsnummer: Mapped[bool] = mapped_column(Boolean, default=False)
    birth_date: Mapped[date] = mapped_column(Date)
    gender: Mapped[str] = mapped_column(String(6))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(10))
    city: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    protected_identity: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set by gallring (storage.retention): the personal data is gone, statistics remain.
    anonymised_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    guardians: Mapped[list[Guardian]] = relationship(
        back_populates="youth", cascade="all, delete-orphan", order_by="Guardian.id"
    )
    cases: Mapped[list[KaaCase]] = relationship(back_populates="youth", order_by="KaaCase.id")


class Guardian(Base):
    __tablename__ = "guardian"

    id: Mapped[int] = mapped_column(primary_key=True)
    youth_id: Mapped[int] = mapped_column(ForeignKey("youth.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    # Where the guardian gets letters; storage.privacy decides whether it may be printed.
    address: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(10))
    city: Mapped[str | None] = mapped_column(String(100))

    youth: Mapped[Youth] = relationship(back_populates="guardians")


class KaaCase(Base):
    """One registration period of a youth in the municipality's KAA register."""

    __tablename__ = "kaa_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    youth_id: Mapped[int] = mapped_column(ForeignKey("youth.id"), index=True)
    registered_on: Mapped[date] = mapped_column(Date)
    registration_reason: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(40))
    # The upper-secondary school the youth left or came from, for dropouts per school.
    school: Mapped[str | None] = mapped_column(String(200))
    assigned_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="active", index=True)
    deregistered_on: Mapped[date | None] = mapped_column(Date)
    deregistration_reason: Mapped[str | None] = mapped_column(String(40))
    deregistration_note: Mapped[str | None] = mapped_column(Text)
    # Closed as moved: the new municipality's kommunkod and the day of the move.
    moved_to: Mapped[str | None] = mapped_column(String(4))
    moved_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    youth: Mapped[Youth] = relationship(back_populates="cases")
    assigned_staff: Mapped[Staff | None] = relationship()
    contacts: Mapped[list[ContactEvent]] = relationship(order_by="ContactEvent.occurred_on")
    occupations: Mapped[list[Occupation]] = relationship(order_by="Occupation.valid_from")
    plan_revisions: Mapped[list[PlanRevision]] = relationship(order_by="PlanRevision.revision")
    consents: Mapped[list[Consent]] = relationship(order_by="Consent.id")
    measures: Mapped[list[Measure]] = relationship(order_by="Measure.id")
    home_visits: Mapped[list[HomeVisit]] = relationship(order_by="HomeVisit.planned_on")


class ContactEvent(Base):
    __tablename__ = "contact_event"
    # Holds every column the reminder rules aggregate, so the daily job and "vad har jag
    # idag?" read a case's contacts from the index alone (it also serves case_id lookups).
    __table_args__ = (
        Index("ix_contact_event_case_facts", "case_id", "occurred_on", "outcome", "counterpart"),
        # A letter written twice on a day (a second printout) records one attempt.
        Index("uq_contact_event_letter", "case_id", "letter_key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("kaa_case.id"))
    occurred_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(20))
    counterpart: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set for an attempt recorded by writing a letter: kind, day and recipient (no names).
    letter_key: Mapped[str | None] = mapped_column(String(80))


class Occupation(Base):
    """Occupation history: each row holds from `valid_from` until the next row."""

    __tablename__ = "occupation"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("kaa_case.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    extent_percent: Mapped[int] = mapped_column(Integer, default=100)
    valid_from: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PlanRevision(Base):
    """Kartläggning / individual plan; every revision is kept, the highest is current."""

    __tablename__ = "plan_revision"
    __table_args__ = (UniqueConstraint("case_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("kaa_case.id"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    goals: Mapped[str] = mapped_column(Text)
    needs: Mapped[str | None] = mapped_column(Text)
    expectations: Mapped[str | None] = mapped_column(Text)
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Consent(Base):
    __tablename__ = "consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("kaa_case.id"), index=True)
    given_on: Mapped[date] = mapped_column(Date)
    actors: Mapped[str] = mapped_column(Text)
    # A consent to hand the case over to this municipality (kommunkod) when the youth moves.
    handover_to: Mapped[str | None] = mapped_column(String(4))
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))


class Measure(Base):
    """An insats with the seven documentation points an auditor checks."""

    __tablename__ = "measure"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("kaa_case.id"), index=True)
    measure_type: Mapped[str] = mapped_column(String(40))
    description: Mapped[str | None] = mapped_column(Text)
    goal: Mapped[str | None] = mapped_column(Text)
    youth_responsibility: Mapped[str | None] = mapped_column(Text)
    municipality_responsibility: Mapped[str | None] = mapped_column(Text)
    other_actor: Mapped[str | None] = mapped_column(String(200))
    other_actor_responsibility: Mapped[str | None] = mapped_column(Text)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    evaluate_on: Mapped[date | None] = mapped_column(Date)
    declined: Mapped[bool] = mapped_column(Boolean, default=False)
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(Text)
    evaluated_on: Mapped[date | None] = mapped_column(Date)
    evaluation_outcome: Mapped[str | None] = mapped_column(Text)
    evaluation_effect: Mapped[str | None] = mapped_column(Text)
    # Called off before it started (ended_on is the day): it never happened, so it is not
    # reported, counted or reminded of.
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    revisions: Mapped[list[MeasureRevision]] = relationship(order_by="MeasureRevision.revision")


class MeasureRevision(Base):
    """A snapshot of a measure's documentation as it was after each change."""

    __tablename__ = "measure_revision"
    __table_args__ = (UniqueConstraint("measure_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any]] = mapped_column()
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class HomeVisit(Base):
    __tablename__ = "home_visit"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("kaa_case.id"), index=True)
    planned_on: Mapped[date] = mapped_column(Date)
    first_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    second_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    notice_sent_on: Mapped[date | None] = mapped_column(Date)
    visited_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)


class Correction(Base):
    """One field of a saved record corrected afterwards, with the value it had before.

    `record` names the kind (youth, guardian, case, contact, occupation, plan, home_visit,
    measure) and `record_id` the row; values are kept as text (dates as 2026-03-15). The
    history a registerutdrag shows; a measure also keeps a revision per change.
    """

    __tablename__ = "correction"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"))
    youth_id: Mapped[int] = mapped_column(ForeignKey("youth.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("kaa_case.id"), index=True)
    record: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class RemovedEntry(Base):
    """A record removed as a mistake (a duplicate contact), with its values, why and by whom.

    The row itself is gone, so reminders, key figures, the SCB file and the case view never
    see it; this keeps it for the audit trail and the registerutdrag.
    """

    __tablename__ = "removed_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("kaa_case.id"), index=True)
    record: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any]] = mapped_column()
    reason: Mapped[str] = mapped_column(Text)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    removed_at: Mapped[datetime] = mapped_column(default=utcnow)


class Reminder(Base):
    """A reminder's state as staff left it; `key` is the rule's stable identity of the situation."""

    __tablename__ = "reminder"
    __table_args__ = (UniqueConstraint("municipality_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("kaa_case.id"), index=True)
    key: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(40))
    due_on: Mapped[date] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column()
    snoozed_until: Mapped[date | None] = mapped_column(Date)


class DigestDelivery(Base):
    """One staff member's digest of one day: the unique key makes it one message a day.

    A sender claims the row (`claim_token`, `claimed_at`) before sending and sets
    `delivered_at` after the send succeeded; an unfinished claim can be taken over once
    its lease has run out. A failed send gives the claim back, counts in `failures` and
    may be tried again from `retry_at`; `reported_at` is when the managers were told that
    it kept failing.
    """

    __tablename__ = "digest_delivery"
    __table_args__ = (UniqueConstraint("staff_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    day: Mapped[date] = mapped_column(Date)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None] = mapped_column()
    delivered_at: Mapped[datetime | None] = mapped_column()
    failures: Mapped[int] = mapped_column(Integer, default=0)
    retry_at: Mapped[datetime | None] = mapped_column()
    reported_at: Mapped[datetime | None] = mapped_column()


class ReminderDelivery(Base):
    """A reminder that reached a recipient in the day's digest (written with the digest's
    delivery), so a later digest never repeats it the same day."""

    __tablename__ = "reminder_delivery"
    __table_args__ = (
        UniqueConstraint("key", "staff_id", "day"),
        Index("ix_reminder_delivery_staff_day", "staff_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    day: Mapped[date] = mapped_column(Date)
    delivered_at: Mapped[datetime] = mapped_column()


class ChannelDelivery(Base):
    """A team-channel post (weekly overview, unassigned intake) sent once per day and channel."""

    __tablename__ = "channel_delivery"
    __table_args__ = (UniqueConstraint("key", "conversation_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120))
    conversation_id: Mapped[str] = mapped_column(String(300))
    day: Mapped[date] = mapped_column(Date)
    claimed_at: Mapped[datetime | None] = mapped_column()
    claim_token: Mapped[str | None] = mapped_column(String(32))
    delivered_at: Mapped[datetime | None] = mapped_column()


class ScbPeriod(Base):
    """What someone confirmed for one SCB half-year: the deadline SCB announced, and that
    the code list in force (`code_list`, its name) is the one to report with."""

    __tablename__ = "scb_period"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    deadline: Mapped[date | None] = mapped_column(Date)
    deadline_set_by: Mapped[str | None] = mapped_column(String(80))
    deadline_set_at: Mapped[datetime | None] = mapped_column()
    code_list: Mapped[str | None] = mapped_column(String(40))
    code_list_confirmed_by: Mapped[str | None] = mapped_column(String(80))
    code_list_confirmed_at: Mapped[datetime | None] = mapped_column()


class ScbCodeList(Base):
    """An SCB code list installed with `kaa-bot scb kodlista import`: the validated TOML."""

    __tablename__ = "scb_code_list"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    valid_from: Mapped[str] = mapped_column(String(6))
    document: Mapped[str] = mapped_column(Text)
    installed_by: Mapped[str] = mapped_column(String(80))
    installed_at: Mapped[datetime] = mapped_column(default=utcnow)


class ConversationRef(Base):
    """Where the bot can reach a user, channel or group chat proactively."""

    __tablename__ = "conversation_ref"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(300), unique=True)
    conversation_type: Mapped[str] = mapped_column(String(20))
    aad_object_id: Mapped[str | None] = mapped_column(String(64), index=True)
    tenant_id: Mapped[str | None] = mapped_column(String(64))
    team_id: Mapped[str | None] = mapped_column(String(300))
    reference: Mapped[dict[str, Any]] = mapped_column()
    stale: Mapped[bool] = mapped_column(Boolean, default=False)
    # A team channel's municipality: that of the staff member who wrote or installed there.
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    """Append-only: who did what to which case, and when. Never personal data in `detail`.

    The ids are plain columns, not foreign keys: the log records what happened and must
    outlive what it names, and checking four keys on every entry slowed each audited read.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(80))
    staff_id: Mapped[int | None] = mapped_column(index=True)
    municipality_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(60))
    case_id: Mapped[int | None] = mapped_column(index=True)
    youth_id: Mapped[int | None] = mapped_column(index=True)
    detail: Mapped[str | None] = mapped_column(Text)


class TurnReceipt(Base):
    """A chat turn already handled, by what the user meant: a card's submission id, else the
    activity id (hashed with the conversation id). Written in the turn's own transaction,
    so a double click or a redelivered activity is handled once, on every instance."""

    __tablename__ = "turn_receipt"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Whether the turn changed case data: a repeat is then told it is already saved.
    wrote: Mapped[bool] = mapped_column(Boolean, default=False)


class PendingFile(Base):
    """A file offered in a 1:1 chat with Teams' file consent card, kept until the user
    accepts or declines it (or it is swept away after a day: it may hold personal data)."""

    __tablename__ = "pending_file"

    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(300))
    name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class BotStateItem(Base):
    """A conversation's dialog state (storage.bot_state), written in the turn's transaction."""

    __tablename__ = "bot_state"

    key: Mapped[str] = mapped_column(String(500), primary_key=True)
    data: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
