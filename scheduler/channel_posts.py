"""Team-channel posts: the weekly overview and the count of the youths nobody follows up.

Counts only, never personal data. A channel belongs to the municipality of the staff
member who wrote or installed the bot there; each post goes once a day per channel.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from scheduler.calendar import is_working_day
from scheduler.delivery import OUTCOME_STATUS, Outbox, Status
from scheduler.messages import SendOutcome, TeamNotice
from scheduler.planning import DayPlan, Overview
from scheduler.unattended import Unattended, unattended_text


def weekly_overview_text(overview: Overview, unattended: Unattended) -> str:
    """The week's counts; those without a coordinator are counted as in the daily notice."""
    lines = [
        "**Veckoöversikt för aktivitetsansvaret**",
        f"- Aktiva ärenden: {overview.active}",
        f"- Nya senaste veckan: {overview.new_this_week}",
        f"- Utan etablerad kontakt: {overview.not_reached}",
        f"- Försenade påminnelser: {overview.overdue}",
        f"- Utan handläggare: {unattended.unassigned}",
    ]
    if unattended.unreachable:
        lines.append(f"- Med en handläggare som jag inte når: {unattended.unreachable}")
    return "\n".join(lines)


def unattended_notice(counts: Unattended) -> TeamNotice:
    """The channel's count of the cases nobody follows up, offering the 1:1 chat to share
    them out (the channel shows no names, so the work goes on there)."""
    return TeamNotice(
        f"{unattended_text(counts)} Deras påminnelser når ingen. Skriv **fördela** till mig "
        "i 1:1-chatten, så tar du dem eller ger dem till en kollega där.",
        to_chat=True,
    )


class ChannelPoster:
    """Posts each municipality's notices to its team channels."""

    def __init__(self, outbox: Outbox) -> None:
        self._outbox = outbox

    async def post(
        self, plan: DayPlan, today: date, dry_run: bool
    ) -> list[tuple[int, str, Status]]:
        """(municipality id, key, status) of each post to each channel."""
        posts: list[tuple[int, str, Status]] = []
        weekly = _is_first_digest_day_of_week(today)
        noticed: dict[int, list[tuple[str, TeamNotice]]] = {}
        for municipality_id, overview in sorted(plan.overviews.items()):
            notices: list[tuple[str, TeamNotice]] = []
            unattended = plan.unattended.get(municipality_id, Unattended())
            if weekly:
                year, week, _ = today.isocalendar()
                notices.append(
                    (
                        f"weekly_overview:{year}-W{week:02d}",
                        TeamNotice(weekly_overview_text(overview, unattended)),
                    )
                )
            if unattended.total:
                notices.append(("unassigned_intake", unattended_notice(unattended)))
            if notices:
                noticed[municipality_id] = notices
        channels = await self._outbox.conversations.team_channels(list(noticed))
        for municipality_id, notices in noticed.items():
            for channel in _distinct_channels(channels.get(municipality_id, [])):
                for key, notice in notices:
                    status = await self._post(channel, key, notice, today, dry_run)
                    posts.append((municipality_id, key, status))
        return posts

    async def _post(
        self,
        channel: tuple[str, dict[str, Any]],
        key: str,
        notice: TeamNotice,
        today: date,
        dry_run: bool,
    ) -> Status:
        conversation_id, reference = channel
        if dry_run:
            return Status.DRY_RUN
        outbox, token = self._outbox, uuid.uuid4().hex
        if not await outbox.ledger.claim_channel(
            conversation_id, today, key, token, outbox.clock()
        ):
            return Status.ALREADY_SENT
        async with outbox.limit:
            outcome = await outbox.send(reference, notice)
        await outbox.ledger.finish_channel(
            conversation_id, today, key, token, sent=outcome == SendOutcome.SENT
        )
        if outcome == SendOutcome.STALE:
            await outbox.conversations.mark_stale(conversation_id)
        return OUTCOME_STATUS[outcome]


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
