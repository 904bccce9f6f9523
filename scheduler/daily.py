"""The daily reminder job for one date: due reminders to each staff member, counts to channels.

The job computes every due reminder from the case store (rules.py), drops what
staff marked done or snoozed, and picks recipients: a case reminder goes to the
case's assigned staff member, an unassigned case is counted for the team
channel, an SCB deadline goes to every coordinator and manager. Each staff
member gets one digest; the delivery ledger makes sure a reminder reaches a
recipient at most once a day, across restarts and bot instances. Sending is
the caller's: the job gets a ``send`` function and never sees the Bot Framework.
Logs hold kinds and counts only.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, NamedTuple

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduler.calendar import is_digest_day, is_working_day
from scheduler.loading import (
    CaseLabel,
    LoadedCase,
    MunicipalityRow,
    StaffRow,
    for_each_part,
    load_case_labels,
    load_municipalities,
    load_reminder_states,
    load_staff,
)
from scheduler.routine import RoutineSettings, RoutineSettingsError
from scheduler.rules import (
    CaseRules,
    Digest,
    DueReminder,
    ReminderState,
    apply_states,
    group_for_digest,
    scb_deadline_reminders,
)
from scheduler.scb_incomplete import incomplete_scb_counts
from storage.audit import Actor
from storage.conversations import ConversationStore
from storage.deliveries import DeliveredCase, DeliveryLedger
from storage.scb.periods import load_periods

log = logging.getLogger(__name__)

# More items than this make a card too long to read (and too big for Teams); the rest
# stays due and is counted in the message.
MAX_DIGEST_ITEMS = 20
SCB_RECIPIENT_ROLES = frozenset({"coordinator", "manager"})
CONCURRENT_SENDS = 8
NEW_INTAKE_DAYS = 7


class SendOutcome(StrEnum):
    SENT = "sent"
    STALE = "stale"  # the bot was removed or blocked: the conversation is unusable
    FAILED = "failed"  # worth trying again later


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


@dataclass(frozen=True)
class PersonalDigest:
    """One staff member's reminders; sent only to their own 1:1 chat, so names are fine."""

    today: date
    digest: Digest
    cases: Mapping[int, CaseLabel]
    more: int = 0


@dataclass(frozen=True)
class TeamNotice:
    """A post in a team channel: counts only, never personal data."""

    text: str


Message = PersonalDigest | TeamNotice
Send = Callable[[dict[str, Any], Message], Awaitable[SendOutcome]]


class Assignment(NamedTuple):
    reminder: DueReminder
    municipality_id: int
    staff_id: int | None


@dataclass(frozen=True)
class Overview:
    """A municipality's counts for the weekly overview in the team channel."""

    active: int
    new_this_week: int
    unassigned: int
    not_reached: int
    overdue: int


@dataclass
class DayPlan:
    today: date
    assignments: list[Assignment]
    staff: dict[int, StaffRow]
    overviews: dict[int, Overview]


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


@dataclass
class DayReport:
    today: date
    digest_day: bool
    items: list[ItemResult] = field(default_factory=list)
    channel_posts: list[tuple[str, Status]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Nothing is left that a later run the same day could still deliver."""
        retry = {Status.FAILED, Status.CLAIMED_ELSEWHERE}
        return all(item.status not in retry for item in self.items) and all(
            status not in retry for _key, status in self.channel_posts
        )

    def counts(self) -> Counter[str]:
        return Counter(str(item.status) for item in self.items)


def routine_settings(municipality: MunicipalityRow) -> RoutineSettings:
    """The municipality's routine (``settings["routine"]``); defaults when it is broken, so one
    mistyped setting never stops every other municipality's reminders."""
    raw = (municipality.settings or {}).get("routine")
    try:
        return RoutineSettings.from_mapping(raw if isinstance(raw, Mapping) else None)
    except RoutineSettingsError:
        log.warning("Invalid routine settings in municipality %s; using defaults", municipality.id)
        return RoutineSettings()


async def plan_day(
    sessionmaker: async_sessionmaker[AsyncSession],
    today: date,
    municipality_ids: Collection[int] | None = None,
) -> DayPlan:
    """Every due reminder and its recipient, for the given municipalities or all."""
    with _collector_paused():
        return await _plan_day(sessionmaker, today, municipality_ids)


async def _plan_day(
    sessionmaker: async_sessionmaker[AsyncSession],
    today: date,
    municipality_ids: Collection[int] | None,
) -> DayPlan:
    periods = load_periods()
    async with sessionmaker() as session:
        municipalities = await load_municipalities(session, municipality_ids)
        ids = [m.id for m in municipalities]
        settings = {m.id: routine_settings(m) for m in municipalities}
        staff = await load_staff(session, ids)
        # Counting incomplete SCB data reads every case of the half-year, so it is done
        # only in the weeks an SCB deadline reminder is shown.
        scb_due = [m for m in ids if scb_deadline_reminders(periods, settings[m], today, 0)]
        incomplete = await incomplete_scb_counts(session, scb_due, today) if scb_due else {}
    states = await load_reminder_states(sessionmaker, ids)
    planner = _Planner(today, settings, states, staff)
    await for_each_part(sessionmaker, None if municipality_ids is None else ids, planner.add)

    scb_recipients: dict[int, list[int]] = {m: [] for m in ids}
    for member in staff.values():
        if member.role in SCB_RECIPIENT_ROLES:
            scb_recipients[member.municipality_id].append(member.id)
    assignments: list[Assignment] = []
    for municipality_id in ids:
        assignments += planner.municipalities[municipality_id].assignments
        if municipality_id in scb_due:
            scb = apply_states(
                scb_deadline_reminders(
                    periods, settings[municipality_id], today, incomplete.get(municipality_id, 0)
                ),
                states[municipality_id],
                today,
            )
            for reminder in scb:
                assignments += [
                    Assignment(reminder, municipality_id, staff_id)
                    for staff_id in scb_recipients[municipality_id]
                ]
    overviews = {m: planner.municipalities[m].tally.overview() for m in ids}
    return DayPlan(today=today, assignments=assignments, staff=staff, overviews=overviews)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a day is planned.

    A national plan builds about a million small objects without a single reference
    cycle, and the collector kept re-scanning all of them as they grew: a third of
    the run's time, for nothing to collect. Reference counting still frees
    everything; the collector resumes (if it ran before) as soon as the plan is done.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # The plan's objects go straight to the oldest generation (freeze, then unfreeze):
        # otherwise the first collection after resuming scans them all once more, only
        # to find them still in use.
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()


@dataclass
class _Tally:
    """A municipality's counts for its weekly overview, summed case by case."""

    active: int = 0
    new_this_week: int = 0
    unassigned: int = 0
    not_reached: int = 0
    overdue: int = 0

    def overview(self) -> Overview:
        return Overview(
            active=self.active,
            new_this_week=self.new_this_week,
            unassigned=self.unassigned,
            not_reached=self.not_reached,
            overdue=self.overdue,
        )


@dataclass
class _Municipality:
    """What planning one municipality's cases needs, and what it has found so far."""

    rules: CaseRules
    states: Mapping[str, ReminderState]
    assignments: list[Assignment] = field(default_factory=list)
    tally: _Tally = field(default_factory=_Tally)


class _Planner:
    """The rules run over each case as the cases are read: reminders with their recipient,
    done and snoozed ones applied, and each municipality's counts."""

    def __init__(
        self,
        today: date,
        settings: Mapping[int, RoutineSettings],
        states: Mapping[int, Mapping[str, ReminderState]],
        staff: Mapping[int, StaffRow],
    ) -> None:
        self._today = today
        self._since = today - timedelta(days=NEW_INTAKE_DAYS)
        self._staff = staff
        self.municipalities = {
            m: _Municipality(CaseRules(routine, today), states[m])
            for m, routine in settings.items()
        }

    def add(self, cases: Sequence[LoadedCase]) -> None:
        today, since, staff = self._today, self._since, self._staff
        for facts, municipality_id, assigned in cases:
            municipality = self.municipalities[municipality_id]
            due = municipality.rules.due(facts)
            if municipality.states:
                due = apply_states(due, municipality.states, today)
            staff_id = assigned if assigned in staff else None
            tally = municipality.tally
            for reminder in due:
                municipality.assignments.append(Assignment(reminder, municipality_id, staff_id))
                tally.overdue += reminder.due < today
            tally.active += 1
            tally.new_this_week += facts.registered_on > since
            tally.unassigned += staff_id is None
            tally.not_reached += not facts.ever_reached


def _is_first_digest_day_of_week(day: date) -> bool:
    """The weekly overview goes out on Monday, or the week's first working day after a holiday."""
    monday = day - timedelta(days=day.weekday())
    first = next(
        (
            monday + timedelta(days=n)
            for n in range(5)
            if is_working_day(monday + timedelta(days=n))
        ),
        None,
    )
    return first == day


def weekly_overview_text(overview: Overview) -> str:
    lines = [
        "**Veckoöversikt för aktivitetsansvaret**",
        f"- Aktiva ärenden: {overview.active}",
        f"- Nya senaste veckan: {overview.new_this_week}",
        f"- Utan etablerad kontakt: {overview.not_reached}",
        f"- Försenade påminnelser: {overview.overdue}",
        f"- Utan handläggare: {overview.unassigned}",
    ]
    return "\n".join(lines)


def unassigned_notice_text(count: int) -> str:
    who = "1 ungdom" if count == 1 else f"{count} ungdomar"
    return (
        f"{who} i registret saknar handläggare. Fördela dem i 1:1-chatten så att ingen glöms bort."
    )


class DailyJob:
    """Runs the day's reminders; ``send`` comes from the bot."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        send: Send,
        *,
        concurrency: int = CONCURRENT_SENDS,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._send = send
        self._ledger = DeliveryLedger(sessionmaker)
        self._conversations = ConversationStore(sessionmaker)
        self._limit = asyncio.Semaphore(concurrency)

    async def run(
        self,
        today: date,
        *,
        municipality_ids: Collection[int] | None = None,
        dry_run: bool = False,
    ) -> DayReport:
        if not is_digest_day(today):
            log.info("Reminders: %s is no working day, no digest", today.isoformat())
            return DayReport(today=today, digest_day=False)
        plan = await plan_day(self._sessionmaker, today, municipality_ids)
        report = DayReport(today=today, digest_day=True)
        per_staff: dict[int, list[DueReminder]] = {}
        for assignment in plan.assignments:
            if assignment.staff_id is None:
                continue
            per_staff.setdefault(assignment.staff_id, []).append(assignment.reminder)
        async with self._sessionmaker() as session:
            labels = await load_case_labels(
                session, [a.reminder.case_id for a in plan.assignments if a.reminder.case_id]
            )
        for assignment in plan.assignments:
            if assignment.staff_id is None:
                report.items.append(_result(assignment.reminder, labels, None, Status.UNASSIGNED))

        delivered = await self._ledger.delivered(today, list(per_staff))
        references = await self._conversations.reachable_personal(
            [plan.staff[staff_id].aad_object_id for staff_id in per_staff]
        )
        tasks = [
            self._deliver_digest(
                plan.staff[staff_id],
                reminders,
                labels,
                delivered,
                references.get(plan.staff[staff_id].aad_object_id),
                today,
                dry_run,
            )
            for staff_id, reminders in sorted(per_staff.items())
        ]
        for results in await asyncio.gather(*tasks):
            report.items += results
        report.channel_posts = await self._post_to_channels(plan, today, dry_run)
        counts = report.counts()
        log.info(
            "Reminders for %s: %s; channel posts %d",
            today.isoformat(),
            ", ".join(f"{status} {n}" for status, n in sorted(counts.items())) or "nothing due",
            sum(1 for _key, status in report.channel_posts if status == Status.SENT),
        )
        return report

    async def _deliver_digest(
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
            _result(r, labels, aad, Status.ALREADY_SENT)
            for r in reminders
            if (member.id, r.key) in delivered
        ]
        if not pending:
            return results
        ordered = _digest_order(pending, today)
        shown, later = ordered[:MAX_DIGEST_ITEMS], ordered[MAX_DIGEST_ITEMS:]
        results += [_result(r, labels, aad, Status.LATER) for r in later]
        if reference is None:
            return results + [_result(r, labels, aad, Status.NO_CONVERSATION) for r in shown]
        if dry_run:
            return results + [_result(r, labels, aad, Status.DRY_RUN) for r in shown]

        token = uuid.uuid4().hex
        claimed = await self._ledger.claim(member.id, today, [r.key for r in shown], token)
        results += [
            _result(r, labels, aad, Status.CLAIMED_ELSEWHERE) for r in shown if r.key not in claimed
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
            status = Status.SENT
        else:
            await self._ledger.release(member.id, today, token)
            if outcome == SendOutcome.STALE:
                await self._conversations.mark_stale(reference.conversation_id)
                status = Status.STALE
            else:
                status = Status.FAILED
        return results + [_result(r, labels, aad, status) for r in mine]

    async def _post_to_channels(
        self, plan: DayPlan, today: date, dry_run: bool
    ) -> list[tuple[str, Status]]:
        posts: list[tuple[str, Status]] = []
        weekly = _is_first_digest_day_of_week(today)
        for municipality_id, overview in sorted(plan.overviews.items()):
            notices: list[tuple[str, str]] = []
            if weekly:
                year, week, _ = today.isocalendar()
                notices.append(
                    (f"weekly_overview:{year}-W{week:02d}", weekly_overview_text(overview))
                )
            if overview.unassigned:
                notices.append(("unassigned_intake", unassigned_notice_text(overview.unassigned)))
            if not notices:
                continue
            for channel in _distinct_channels(
                await self._conversations.team_channels(municipality_id)
            ):
                for key, text in notices:
                    posts.append((key, await self._post(channel, key, text, today, dry_run)))
        return posts

    async def _post(
        self, channel: tuple[str, dict[str, Any]], key: str, text: str, today: date, dry_run: bool
    ) -> Status:
        conversation_id, reference = channel
        if dry_run:
            return Status.DRY_RUN
        token = uuid.uuid4().hex
        if not await self._ledger.claim_channel(conversation_id, today, key, token):
            return Status.ALREADY_SENT
        async with self._limit:
            outcome = await self._send(reference, TeamNotice(text))
        await self._ledger.finish_channel(
            conversation_id, today, key, token, sent=outcome == SendOutcome.SENT
        )
        if outcome == SendOutcome.STALE:
            await self._conversations.mark_stale(conversation_id)
        return {
            SendOutcome.SENT: Status.SENT,
            SendOutcome.STALE: Status.STALE,
            SendOutcome.FAILED: Status.FAILED,
        }[outcome]


def _distinct_channels(rows: list[Any]) -> list[tuple[str, dict[str, Any]]]:
    """One reference per channel: a reply thread's id (``…;messageid=…``) becomes the channel's,
    so a post starts a new thread instead of answering an old one."""
    channels: dict[str, dict[str, Any]] = {}
    for row in rows:
        base = row.conversation_id.split(";messageid=")[0]
        reference = dict(row.reference)
        reference["conversation"] = {**(reference.get("conversation") or {}), "id": base}
        channels[base] = reference
    return sorted(channels.items())


def _digest_order(reminders: list[DueReminder], today: date) -> list[DueReminder]:
    """Overdue first, then today, then this week — what a full card keeps."""
    digest = group_for_digest(reminders, today)
    return [*digest.overdue, *digest.today, *digest.this_week]


def _result(
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
