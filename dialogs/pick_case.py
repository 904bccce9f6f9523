"""Which youth a case flow is about: a name (typos allowed), a personnummer, a case number,
or one of "my recent cases" offered as buttons.

The chosen case is remembered in the flow's data with what the later steps need (open
measures, planned home visits, protected identity), so their questions can name them.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from dialogs.cards import fill_card
from dialogs.context import FlowContext
from dialogs.engine import InputError, Reply, Step, Turn
from dialogs.summary_changes import UNCONFIRMED
from storage.case_views import CaseBrief, CaseView
from storage.cases import NotFound
from storage.codes import CaseStatus
from storage.personnummer import PersonnummerError, parse_personnummer

CASE_KEY = "case_id"

_CASE_NUMBER = re.compile(r"(?:(?:ärende|arende|nr|#)\s*)?(\d{1,9})", re.IGNORECASE)
_CASE_NUMBER_IN_LABEL = re.compile(r"\((?:ärende|arende) (\d{1,9})[^)]*\)\s*$", re.IGNORECASE)
_PERSONNUMMER_LIKE = re.compile(r"\d{6}(?:\d{2})?[-+]?\d{4}")

# Reads the chosen case for the flow (an audited read): a brief for the flows that document
# something, the whole view for the case view.
CaseReader = Callable[[int], Awaitable[CaseBrief]]
# Checks the picked case fits the flow (e.g. has an open measure) and may look up more for
# the later steps; raises InputError if the case does not fit.
CaseCheck = Callable[[CaseBrief, dict[str, Any]], Awaitable[None]]


def _case_number(text: str) -> int | None:
    match = _CASE_NUMBER.fullmatch(text) or _CASE_NUMBER_IN_LABEL.search(text)
    return int(match[1]) if match else None


def remember(brief: CaseBrief, data: dict[str, Any]) -> None:
    """Keep what later steps and the summary show about the case."""
    types = brief.municipality.measure_types
    data["case_label"] = brief.label
    data["case_version"] = brief.version
    data["case_registered_on"] = brief.registered_on.isoformat()
    data["protected"] = brief.protected_identity
    data["address"] = brief.address
    data["open_measures"] = {str(m.id): m.label(types) for m in brief.open_measures}
    data["measures"] = {str(m.id): m.label(types) for m in brief.measures}
    data["measure_starts"] = {
        str(m.id): m.starts_on.isoformat() if m.starts_on else None for m in brief.measures
    }
    data["measure_types"] = types
    data["planned_visits"] = {str(v.id): v.planned_on.isoformat() for v in brief.planned_visits}


class ViewedCases:
    """The case a flow's case step opens, read whole (CaseQueries.view: one audited read) and
    kept for the rest of the turn: the case view shows it, a correction lists its records."""

    def __init__(self, context: FlowContext) -> None:
        self._context = context
        self._read: dict[int, CaseView] = {}

    async def read(self, case_id: int) -> CaseView:
        self._read[case_id] = await self._context.queries.view(self._context.actor, case_id)
        return self._read[case_id]

    async def get(self, case_id: int) -> CaseView:
        """The case as the step read it this turn, or read now."""
        return self._read.get(case_id) or await self.read(case_id)


def case_step(
    context: FlowContext,
    *,
    active_only: bool = True,
    check: CaseCheck | None = None,
    read: CaseReader | None = None,
) -> Step:
    queries = context.queries
    actor = context.actor
    open_case = read or partial(queries.brief, actor)

    async def prompt(data: dict[str, Any]) -> Reply:
        choices = data.get("case_choices") or [case.label for case in await queries.recent(actor)]
        hint = " Eller välj bland dina senaste ärenden:" if choices else ""
        return Reply(
            text="Vilken ungdom gäller det? Skriv namn, personnummer eller ärendenummer." + hint,
            suggestions=tuple(choices),
        )

    async def find(text: str, turn: Turn, data: dict[str, Any]) -> int:
        """The case the text names; when several fit, they are kept as the choices offered."""
        number = _case_number(text)
        if number is not None:
            return number
        if _PERSONNUMMER_LIKE.fullmatch(text.replace(" ", "")):
            try:
                digits = parse_personnummer(text, turn.today).digits
            except PersonnummerError as error:
                raise InputError(str(error)) from error
            found = await queries.by_personnummer(actor, digits)
            if not found:
                raise InputError(
                    "Ingen ungdom med det personnumret finns i registret. "
                    "Skriv **avbryt** och sedan **registrera** om du vill registrera ungdomen."
                )
            active = [case for case in found if case.status == CaseStatus.ACTIVE]
            return (active or found)[0].case_id
        named = await queries.by_name(actor, text, active_only=active_only)
        if not named:
            raise InputError(
                f"Jag hittar ingen ungdom som heter ”{text[:60]}” bland "
                f"{'de aktiva ärendena' if active_only else 'ärendena'} i din kommun. "
                "Prova med personnummer eller ärendenummer."
            )
        if len(named) > 1:
            shown = await queries.by_ids(actor, [name.case_id for name in named])
            data["case_choices"] = [case.label for case in shown]
            raise InputError("Jag hittade flera som passar. Vem menar du?")
        return named[0].case_id

    async def parse(turn: Turn, data: dict[str, Any]) -> int:
        text = turn.plain
        if not text:
            raise InputError("Skriv ungdomens namn, personnummer eller ärendenummer.")
        if "case_label" in data and str(data.get(CASE_KEY)) == text:
            # The same case again (a card carries it on every submission): keep what was read.
            return int(text)
        try:
            brief = await open_case(await find(text, turn, data))
        except NotFound as error:
            raise InputError(str(error)) from error
        if active_only and brief.status != CaseStatus.ACTIVE:
            raise InputError(
                f"Ärende {brief.case_id} är avslutat. Om ungdomen är tillbaka i "
                "aktivitetsansvaret: skriv **registrera** för en ny period."
            )
        remember(brief, data)
        if check is not None:
            await check(brief, data)
        data.pop("case_choices", None)
        return brief.case_id

    return Step(
        CASE_KEY,
        "Ungdom",
        prompt,
        parse,
        "Skriv ungdomens förnamn, hela namnet, personnumret (ÅÅÅÅMMDD-NNNN) eller "
        "ärendenumret. Stavar du lite fel hittar jag ändå rätt, och finns flera med samma "
        "namn får du välja.",
        free_text=True,
        fixed=True,
    )


def case_card(
    template: str,
    flow: str,
    data: dict[str, Any],
    *,
    choices: dict[str, dict[str, str]] | None = None,
) -> dict[str, Any]:
    """A flow's card for the chosen case: its name under the title, the case id in the
    submit data, and any text held back by a sensitive-data warning filled in again."""
    prefill = dict(data)
    for key, value in data.items():
        if key.endswith(UNCONFIRMED) and value:
            prefill[key.removesuffix(UNCONFIRMED)] = value
    card = fill_card(
        template,
        prefill,
        choices=choices,
        submit={"flow": flow, CASE_KEY: data[CASE_KEY], "form": True, "confirm": "ja"},
    )
    card["body"].insert(
        1,
        {"type": "TextBlock", "text": data.get("case_label", ""), "wrap": True, "spacing": "None"},
    )
    return card
