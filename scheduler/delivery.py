"""Delivering one staff member's digest: at most once a day per reminder, across instances.

The delivery ledger (storage/deliveries.py) is the guard: a sender claims the
reminders it is about to send, sends only what it claimed, then confirms or gives the
claim back. Sending is the caller's: a ``Send`` function from the bot.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from scheduler.loading import StaffRow
from scheduler.messages import MAX_DIGEST_ITEMS, CaseLabel, PersonalDigest, Send, SendOutcome
from scheduler.rules import DueReminder, group_for_digest
from storage.audit import Actor
from storage.conversations import ConversationStore
from storage.deliveries import DeliveredCase, DeliveryLedger


class Status(StrEnum):
    """What happened to one reminder for one recipient in this run."""

    SENT = "sent"
    ALREADY_SENT = "already_sent"
    CLAIMED_ELSEWHERE = "claimed_elsewhere"
    DRY_RUN = "dry_run"
    NO_CONVERSATION = "no_conversation"
    STALE = "stale"
    FAILED = "failed"
    LATER = "later"
    UNASSIGNED = "unassigned"


OUTCOME_STATUS = {
    SendOutcome.SENT: Status.SENT,
    SendOutcome.STALE: Status.STALE,
    SendOutcome.FAILED: Status.FAILED,
}


@dataclass(frozen=True)
class ItemResult:
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
    """What sending needs: the ledger, the stored conversations, the bot's ``send``, and
    ``limit`` bounding how many sends run at once."""

    ledger: DeliveryLedger
    conversations: ConversationStore
    send: Send
    limit: asyncio.Semaphore


class DigestDelivery:
    """Sends each staff member's digest through the ledger."""

    def __init__(self, outbox: Outbox) -> None:
        self._ledger = outbox.ledger
        self._conversations = outbox.conversations
        self._send = outbox.send
        self._limit = outbox.limit

    async def deliver(
        self,
        member: StaffRow,
        reminders: list[DueReminder],
        labels: Mapping[int, CaseLabel],
        delivered: set[tuple[int, str]],
        reference: Any,
        today: date,
        dry_run: bool,
    ) -> list[ItemResult]:
        aad = member.aad_object_id
        pending = [r for r in reminders if (member.id, r.key) not in delivered]
        results = [
            result(r, labels, aad, Status.ALREADY_SENT)
            for r in reminders
            if (member.id, r.key) in delivered
        ]
        if not pending:
            return results
        ordered = _digest_order(pending, today)
        shown, later = ordered[:MAX_DIGEST_ITEMS], ordered[MAX_DIGEST_ITEMS:]
        results += [result(r, labels, aad, Status.LATER) for r in later]
        if reference is None:
            return results + [result(r, labels, aad, Status.NO_CONVERSATION) for r in shown]
        if dry_run:
            return results + [result(r, labels, aad, Status.DRY_RUN) for r in shown]

        token = uuid.uuid4().hex
        claimed = await self._ledger.claim(member.id, today, [r.key for r in shown], token)
        results += [
            result(r, labels, aad, Status.CLAIMED_ELSEWHERE) for r in shown if r.key not in claimed
        ]
        mine = [r for r in shown if r.key in claimed]
        if not mine:
            return results
        message = PersonalDigest(
            today=today,
            digest=group_for_digest(mine, today),
            cases={r.case_id: labels[r.case_id] for r in mine if r.case_id in labels},
            more=len(later),
        )
        async with self._limit:
            outcome = await self._send(reference.reference, message)
        if outcome == SendOutcome.SENT:
            actor = Actor(
                label="påminnelser", municipality_id=member.municipality_id, role="system"
            )
            await self._ledger.confirm(
                member.id,
                today,
                token,
                actor,
                [DeliveredCase(r.case_id, str(r.kind)) for r in mine if r.case_id is not None],
            )
        else:
            await self._ledger.release(member.id, today, token)
            if outcome == SendOutcome.STALE:
                await self._conversations.mark_stale(reference.conversation_id)
        return results + [result(r, labels, aad, OUTCOME_STATUS[outcome]) for r in mine]


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
