"""Team-channel posts: the weekly overview and the count of unassigned youths.

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
                await self._outbox.conversations.team_channels(municipality_id)
            ):
                for key, text in notices:
                    status = await self._post(channel, key, text, today, dry_run)
                    posts.append((municipality_id, key, status))
        return posts

    async def _post(
        self, channel: tuple[str, dict[str, Any]], key: str, text: str, today: date, dry_run: bool
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
            outcome = await outbox.send(reference, TeamNotice(text))
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
