"""Delivering one staff member's digest: one message a day, whatever happens.

The delivery ledger (storage/deliveries.py) is the guard: a sender claims the day's
digest, sends only when it holds the claim, then confirms it (with the reminders it
showed) or gives the claim back. Once delivered, no later run that day sends another
digest: what fell due since, or did not fit on the card, waits for tomorrow or for
"vad har jag idag?". A digest whose send failed is tried again with growing waits
(``DIGEST_RETRY``), on its own, without touching anyone else's; after
``DIGEST_ATTEMPTS`` failures the municipality's managers are told. Sending is the
caller's: a ``Send`` function from the bot.
"""

from __future__ import annotations

import asyncio
import logging
import random
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, NamedTuple

from scheduler.backoff import Backoff
from scheduler.loading import StaffRow
from scheduler.messages import (
    MAX_DIGEST_ITEMS,
    CaseLabel,
    PersonalDigest,
    Send,
    SendOutcome,
    StaffNotice,
)
from scheduler.rules import DueReminder, group_for_digest
from storage.audit import Actor
from storage.codes import Role
from storage.conversations import ConversationStore
from storage.deliveries import DeliveredCase, DeliveryLedger, DigestRecord

log = logging.getLogger(__name__)

# Waits after a failed digest, in seconds: 2.5–5 minutes, then 5–10, 10–20. The send
# itself already retried throttling and gateway errors for about a minute.
DIGEST_RETRY = Backoff(base=300.0, cap=3600.0, floor=0.5)
DIGEST_ATTEMPTS = 4


class Status(StrEnum):
    """What happened to one reminder for one recipient in this run."""

    SENT = "sent"
    ALREADY_SENT = "already_sent"
    CLAIMED_ELSEWHERE = "claimed_elsewhere"
    DRY_RUN = "dry_run"
    NO_CONVERSATION = "no_conversation"
    STALE = "stale"
    FAILED = "failed"  # this run's send failed; tried again later
    RETRY_LATER = "retry_later"  # an earlier send failed; waiting for the next attempt
    GAVE_UP = "gave_up"  # still failing after every attempt; the managers were told
    LATER = "later"
    UNASSIGNED = "unassigned"


OUTCOME_STATUS = {
    SendOutcome.SENT: Status.SENT,
    SendOutcome.STALE: Status.STALE,
    SendOutcome.FAILED: Status.FAILED,
}


class ItemResult(NamedTuple):
    """One reminder for one recipient in this run (a named tuple: a national run makes one
    for each of 70 000 items, and each object kept is one more for the cycle collector)."""

    kind: str
    key: str
    case_id: int | None
    personnummer: str | None
    due: date
    staff: str | None
    status: Status

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "key": self.key,
            "case_id": self.case_id,
            "personnummer": self.personnummer,
            "due": self.due.isoformat(),
            "staff": self.staff,
            "status": str(self.status),
        }


@dataclass(frozen=True)
class Outbox:
    """What sending needs: the ledger, the stored conversations, the bot's ``send``,
    ``limit`` bounding how many sends run at once, a clock and the jitter's randomness."""

    ledger: DeliveryLedger
    conversations: ConversationStore
    send: Send
    limit: asyncio.Semaphore
    clock: Callable[[], datetime]
    rng: random.Random


@dataclass(frozen=True)
class Recipient:
    """One staff member with what the day's run knows about their digest."""

    member: StaffRow
    reference: Any  # their usable 1:1 conversation (storage.models.ConversationRef), or None
    record: DigestRecord | None  # the day's digest row, if there is one
    delivered: frozenset[str]  # keys of the reminders their digest already showed today
    managers: Sequence[StaffRow]  # who hears of it when the digest keeps failing


@dataclass
class DigestResult:
    items: list[ItemResult] = field(default_factory=list)
    # When a later run could deliver what this one could not (None: nothing left today).
    retry_at: datetime | None = None


class DigestSender:
    """Sends each staff member's digest through the ledger."""

    def __init__(self, outbox: Outbox) -> None:
        self._outbox = outbox

    async def deliver(
        self,
        recipient: Recipient,
        reminders: list[DueReminder],
        labels: Mapping[int, CaseLabel],
        today: date,
        dry_run: bool,
        unattended: str = "",
    ) -> DigestResult:
        """``unattended``: a manager's line on the cases nobody follows up; the digest goes
        out for it even without reminders."""
        member, record = recipient.member, recipient.record
        aad = member.aad_object_id

        def results(items: Sequence[DueReminder], status: Status) -> list[ItemResult]:
            return [result(r, labels, aad, status) for r in items]

        shown_before = [r for r in reminders if r.key in recipient.delivered]
        outcome = DigestResult(results(shown_before, Status.ALREADY_SENT))
        pending = _digest_order([r for r in reminders if r.key not in recipient.delivered], today)
        if record is not None and record.delivered:
            outcome.items += results(pending, Status.LATER)
            return outcome
        shown, later = pending[:MAX_DIGEST_ITEMS], pending[MAX_DIGEST_ITEMS:]
        outcome.items += results(later, Status.LATER)
        if not shown and not unattended:
            return outcome
        now = self._outbox.clock()
        waiting = _waiting(record, now)
        if waiting is not None:
            status, outcome.retry_at = waiting
            outcome.items += results(shown, status)
            return outcome
        if recipient.reference is None:
            outcome.items += results(shown, Status.NO_CONVERSATION)
            return outcome
        if dry_run:
            outcome.items += results(shown, Status.DRY_RUN)
            return outcome

        ledger = self._outbox.ledger
        token = uuid.uuid4().hex
        if not await ledger.claim_digest(member.id, today, token, now, DIGEST_ATTEMPTS):
            # Taken meanwhile by another sender, or delivered: the next run sees which.
            outcome.items += results(shown, Status.CLAIMED_ELSEWHERE)
            outcome.retry_at = now + timedelta(seconds=DIGEST_RETRY.base)
            return outcome
        message = PersonalDigest(
            today=today,
            digest=group_for_digest(shown, today),
            cases={r.case_id: labels[r.case_id] for r in shown if r.case_id in labels},
            more=len(later),
            unattended=unattended,
        )
        async with self._outbox.limit:
            sent = await self._outbox.send(recipient.reference.reference, message)
        if sent == SendOutcome.SENT:
            actor = Actor(
                label="påminnelser", municipality_id=member.municipality_id, role=Role.SYSTEM
            )
            await ledger.confirm_digest(
                member.id,
                today,
                token,
                [r.key for r in shown],
                actor,
                [DeliveredCase(r.case_id, str(r.kind)) for r in shown if r.case_id is not None],
                self._outbox.clock(),
            )
            outcome.items += results(shown, Status.SENT)
        elif sent == SendOutcome.STALE:
            await ledger.release_digest(member.id, today, token)
            await self._outbox.conversations.mark_stale(recipient.reference.conversation_id)
            outcome.items += results(shown, Status.STALE)
        else:
            failed_at = self._outbox.clock()
            failures, outcome.retry_at = await ledger.fail_digest(
                member.id, today, token, failed_at, self._next_attempt(failed_at)
            )
            if failures >= DIGEST_ATTEMPTS:
                await self._report(recipient, today, failures)
                outcome.items += results(shown, Status.GAVE_UP)
            else:
                outcome.items += results(shown, Status.FAILED)
        return outcome

    def _next_attempt(self, failed_at: datetime) -> Callable[[int], datetime | None]:
        def after(failures: int) -> datetime | None:
            if failures >= DIGEST_ATTEMPTS:
                return None
            return failed_at + timedelta(seconds=DIGEST_RETRY.delay(failures, self._outbox.rng))

        return after

    async def _report(self, recipient: Recipient, today: date, failures: int) -> None:
        """Tell the municipality's managers, once, that this digest did not get through."""
        member = recipient.member
        if not await self._outbox.ledger.claim_report(member.id, today, self._outbox.clock()):
            return
        managers = [m.aad_object_id for m in recipient.managers if m.id != member.id]
        references = await self._outbox.conversations.reachable_personal(managers)
        notice = StaffNotice(digest_failed_text(member.name, today, failures))
        told = 0
        for reference in references.values():
            async with self._outbox.limit:
                told += await self._outbox.send(reference.reference, notice) == SendOutcome.SENT
        log.warning(
            "A digest still failed after %d attempts; %d of %d managers told",
            failures,
            told,
            len(managers),
        )


def digest_failed_text(name: str, today: date, failures: int) -> str:
    return (
        f"Dagens påminnelser till {name} ({today.isoformat()}) kom inte fram, trots "
        f"{failures} försök. {name} ser dem ändå genom att skriva **vad har jag idag?** till "
        "mig. Händer det igen: be den som sköter KAA-assistenten titta på förbindelsen med Teams."
    )


def _waiting(record: DigestRecord | None, now: datetime) -> tuple[Status, datetime | None] | None:
    """Why this run must not send the digest now, and until when; None when it may."""
    if record is None:
        return None
    if record.failures >= DIGEST_ATTEMPTS:
        return Status.GAVE_UP, None
    if record.claimed_until is not None and record.claimed_until > now:
        return Status.CLAIMED_ELSEWHERE, record.claimed_until
    if record.retry_at is not None and record.retry_at > now:
        return Status.RETRY_LATER, record.retry_at
    return None


def _digest_order(reminders: list[DueReminder], today: date) -> list[DueReminder]:
    """Overdue first, then today, then this week — what a full card keeps."""
    digest = group_for_digest(reminders, today)
    return [*digest.overdue, *digest.today, *digest.this_week]


def result(
    reminder: DueReminder,
    labels: Mapping[int, CaseLabel],
    staff: str | None,
    status: Status,
) -> ItemResult:
    label = labels.get(reminder.case_id) if reminder.case_id is not None else None
    return ItemResult(
        kind=str(reminder.kind),
        key=reminder.key,
        case_id=reminder.case_id,
        personnummer=label.personnummer if label else None,
        due=reminder.due,
        staff=staff,
        status=status,
    )
