"""The SCB calendar: every half-year's deadline and code list, and who confirmed them.

Every half-year is a period (storage/scb/periods.py). Its deadline is the one an admin
set (`kaa-bot scb deadline`, or ``scb datum`` in the chat), else the default rule's. Its
code list is the newest installed one valid from the period or earlier: those that ship
with the bot, and those imported with `kaa-bot scb kodlista import` — which confirms the
list for the period it is valid from. An admin may also confirm that the list in force
still holds for a later period. SCB's collection is national, so these hold for every
municipality of the installation; each change is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.audit import Actor, record
from storage.cases import CaseError, NotAllowed
from storage.models import ScbCodeList, ScbPeriod, utcnow
from storage.reports.period import (
    Period,
    current_half_year,
    half_year,
    previous_half_year,
)
from storage.scb.codelists import CodeListError, CodeLists, bundled_code_lists, parse_code_list
from storage.scb.periods import ReportingPeriod, default_deadline
from storage.sessions import SessionSource, transaction

# SCB's deadlines fall a couple of months after the half-year; a date beyond this is a typo.
LATEST_DEADLINE = timedelta(days=365)
_SETTERS = frozenset({"system", "admin"})


class ScbSettingError(CaseError):
    """A deadline or a code list that cannot be accepted (Swedish message)."""


class ScbCalendar:
    def __init__(self, sessionmaker: SessionSource) -> None:
        self._sessionmaker = sessionmaker

    async def period(self, text: str) -> ReportingPeriod:
        """The period of a half-year code such as ``2027H1``; PeriodError (Swedish) otherwise."""
        [period] = await self.periods([half_year(text)])
        return period

    async def near(self, today: date) -> list[ReportingPeriod]:
        """The periods whose deadline can be near ``today``: the half-year to report now
        (its deadline falls in the current one) and the current one."""
        current = current_half_year(today)
        return await self.periods([previous_half_year(current), current])

    async def periods(self, halves: Sequence[Period]) -> list[ReportingPeriod]:
        async with self._sessionmaker() as session:
            rows = {
                row.code: row
                for row in await session.scalars(
                    select(ScbPeriod).where(ScbPeriod.code.in_([h.code for h in halves]))
                )
            }
            lists = await _all_lists(session)
        return [_reporting(half, rows.get(half.code), lists) for half in halves]

    async def code_lists(self, code: str) -> CodeLists:
        """The code list in force for the half-year ``code``; CodeListError when none is."""
        async with self._sessionmaker() as session:
            lists = await _all_lists(session)
        in_force = _in_force(half_year(code), lists)
        if in_force is None:
            oldest = lists[0].valid_from
            raise CodeListError(
                f"Ingen installerad kodlista gäller för {code}: den äldsta gäller från {oldest}. "
                "Installera SCB:s kodlista för perioden med kaa-bot scb kodlista import FIL."
            )
        return in_force

    async def set_deadline(self, actor: Actor, text: str, deadline: date) -> ReportingPeriod:
        """Record the deadline SCB announced for the half-year ``text``."""
        _may_set(actor)
        half = half_year(text)
        if not half.end < deadline <= half.end + LATEST_DEADLINE:
            raise ScbSettingError(
                f"Sista dagen för {half.code} ska ligga efter halvårets slut "
                f"({half.end.isoformat()}) och inom ett år, till exempel "
                f"{default_deadline(half).isoformat()}."
            )
        await self._confirm(
            actor,
            half.code,
            {"deadline": deadline, "deadline_set_by": actor.label, "deadline_set_at": utcnow()},
            f"{half.code}: sista dag {deadline.isoformat()}",
        )
        return await self.period(half.code)

    async def confirm_code_list(self, actor: Actor, text: str) -> ReportingPeriod:
        """Confirm that the code list in force is the one to report the half-year with."""
        _may_set(actor)
        half = half_year(text)
        lists = await self.code_lists(half.code)
        await self._confirm(
            actor,
            half.code,
            {
                "code_list": lists.name,
                "code_list_confirmed_by": actor.label,
                "code_list_confirmed_at": utcnow(),
            },
            f"{half.code}: kodlista {lists.name}",
        )
        return await self.period(half.code)

    async def install(self, actor: Actor, text: str, source: str) -> CodeLists:
        """Validate and install a code list; it is in force from the half-year it names."""
        _may_set(actor)
        lists = parse_code_list(text, source)
        async with transaction(self._sessionmaker) as session:
            taken = await session.scalar(
                select(ScbCodeList.id).where(ScbCodeList.name == lists.name)
            )
            if taken is not None or lists.name in {b.name for b in bundled_code_lists()}:
                raise ScbSettingError(
                    f"Det finns redan en kodlista som heter {lists.name}. Ge den nya ett eget "
                    "namn i [kodlista] namn."
                )
            session.add(
                ScbCodeList(
                    name=lists.name,
                    valid_from=lists.valid_from,
                    document=text,
                    installed_by=actor.label,
                )
            )
            record(
                session,
                actor,
                "scb.code_list",
                detail=f"kodlista {lists.name}, giltig från {lists.valid_from}",
            )
        return lists

    async def _confirm(self, actor: Actor, code: str, values: dict[str, object], what: str) -> None:
        async with transaction(self._sessionmaker) as session:
            insert = sqlite_insert if session.bind.dialect.name == "sqlite" else pg_insert
            statement = insert(ScbPeriod).values(code=code, **values)
            await session.execute(
                statement.on_conflict_do_update(index_elements=[ScbPeriod.code], set_=values)
            )
            record(session, actor, "scb.confirm", detail=what)


def _may_set(actor: Actor) -> None:
    if actor.role not in _SETTERS:
        raise NotAllowed("Det är bara administratörer som kan ändra SCB-perioderna.")


async def _all_lists(session: AsyncSession) -> list[CodeLists]:
    """Every code list, the bundled ones first, each group in the order installed."""
    installed = await session.scalars(select(ScbCodeList).order_by(ScbCodeList.id))
    return [
        *bundled_code_lists(),
        *(parse_code_list(row.document, row.name) for row in installed),
    ]


def _in_force(half: Period, lists: Sequence[CodeLists]) -> CodeLists | None:
    """The newest list valid from ``half`` or earlier; of two valid from the same half-year,
    the one installed last."""
    valid = [
        (half_year(lists.valid_from).start, index, lists)
        for index, lists in enumerate(lists)
        if half_year(lists.valid_from).start <= half.start
    ]
    return max(valid, key=lambda item: item[:2])[2] if valid else None


def _reporting(half: Period, row: ScbPeriod | None, lists: Sequence[CodeLists]) -> ReportingPeriod:
    in_force = _in_force(half, lists)
    deadline = row.deadline if row is not None and row.deadline is not None else None
    return ReportingPeriod(
        code=half.code,
        start=half.start,
        end=half.end,
        deadline=deadline or default_deadline(half),
        deadline_confirmed=deadline is not None,
        code_list=in_force.name if in_force else None,
        code_list_confirmed=in_force is not None
        and (
            in_force.valid_from == half.code or (row is not None and row.code_list == in_force.name)
        ),
    )
