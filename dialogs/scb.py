"""SCB in the chat: the half-year's file or check (``scb``, ``scb 2027H1``), the half-years'
deadlines and code lists (``scb perioder``), and for admins ``scb datum 2027H1 2027-09-13``
(SCB's announced date) and ``scb kodlista 2027H1`` (the code list in force holds)."""

from __future__ import annotations

from dialogs.context import FlowContext
from dialogs.dates import DateInputError, format_date, parse_swedish_date
from dialogs.engine import FileReply, Reply, Turn
from dialogs.intents import Recognition
from dialogs.lists import LIST_LIMIT, more_text
from storage import access
from storage.cases import CaseError
from storage.codes import Role
from storage.reports.period import PeriodError, next_half_year
from storage.reports.scb import Problem, scb_check, scb_file
from storage.scb.calendar import ScbCalendar
from storage.scb.codelists import CodeListError
from storage.scb.periods import ReportingPeriod, deadline_text, reporting_half_year

SHOWN_HALVES = 3
_DATE_HELP = "Skriv till exempel **scb datum 2027H1 2027-09-13**."


def period_text(period: ReportingPeriod) -> str:
    code_list = period.code_list or "ingen installerad"
    confirmed = "bekräftad" if period.code_list_confirmed else "ej bekräftad"
    return (
        f"**{period.code}** – sista dag {deadline_text(period)}; kodlista {code_list} ({confirmed})"
    )


def _problems(problems: list[Problem]) -> str:
    if not problems:
        return "Kontrollen hittade inga saknade eller motsägelsefulla uppgifter."
    lines = [
        f"- rad {p.row}: **{p.youth_name}** (ärende {p.case_id}) – {p.message}"
        for p in problems[:LIST_LIMIT]
    ]
    heading = "**Kontrollen hittade det här, som SCB skulle underkänna:**"
    return f"{heading}\n\n" + "\n".join(lines) + more_text(LIST_LIMIT, len(problems))


async def scb_answer(recognition: Recognition, turn: Turn, context: FlowContext) -> list[Reply]:
    """Managers get the checked file, coordinators the check on their own cases."""
    actor = context.actor
    calendar = ScbCalendar(context.source)
    try:
        period = await calendar.period(recognition.period or reporting_half_year(turn.today).code)
        file_maker = access.allowed(actor, access.SCB_FILE_MAKERS)
        if file_maker:
            result = await scb_file(context.source, actor, period)
        else:
            result = await scb_check(context.source, actor, period)
    except (PeriodError, CodeListError, CaseError) as error:
        return [Reply(text=str(error))]
    half = f"{period.code} ({format_date(period.start)}–{format_date(period.end)})"
    facts = (
        f"Sista dag att lämna in: {deadline_text(period)}. "
        f"Kontrollen följer kodlistan {result.code_lists.name}."
    )
    check = _problems(result.problems)
    if not file_maker:
        intro = f"**SCB {half}** – dina ärenden. {facts} Filen tar din chef fram."
        return [Reply(text=f"{intro}\n\n{check}")]
    rows = len(result.rows)
    if result.problems:
        intro = (
            f"**SCB {half}:** {rows} ungdomar. {facts} Rätta uppgifterna nedan innan "
            "filen laddas upp – annars underkänner SCB:s kontroll raderna. Filen kommer här ändå, "
            "så att du ser hur den ser ut."
        )
    else:
        intro = f"**SCB {half}:** {rows} ungdomar. {facts} Här är filen att ladda upp hos SCB."
    file = FileReply(result.file_name, "text/plain", result.to_bytes())
    return [Reply(text=f"{intro}\n\n{check}", file=file)]


async def show_periods(context: FlowContext, turn: Turn, _rest: str) -> list[Reply]:
    halves = [reporting_half_year(turn.today)]
    while len(halves) < SHOWN_HALVES:
        halves.append(next_half_year(halves[-1]))
    periods = await ScbCalendar(context.source).periods(halves)
    text = "**SCB-rapporteringens halvår**\n\n" + "\n".join(
        f"- {period_text(period)}" for period in periods
    )
    if context.actor.role == Role.ADMIN:
        text += (
            "\n\nSCB:s datum anger du med **scb datum HALVÅR ÅÅÅÅ-MM-DD**; att kodlistan "
            "gäller bekräftar du med **scb kodlista HALVÅR**."
        )
    return [Reply(text=text)]


async def set_deadline(context: FlowContext, turn: Turn, rest: str) -> list[Reply]:
    """``scb datum 2027H1 2027-09-13``: an admin records the date SCB announced."""
    code, _space, when = rest.strip().partition(" ")
    if not when.strip():
        return [Reply(text=f"Ange halvåret och SCB:s sista dag. {_DATE_HELP}")]
    try:
        day = parse_swedish_date(when, turn.today)
        period = await ScbCalendar(context.source).set_deadline(context.actor, code, day)
    except (CaseError, PeriodError, DateInputError) as error:
        return [Reply(text=f"{error} Inget ändrades. {_DATE_HELP}")]
    return [Reply(text=f"Klart. {period_text(period)}")]


async def confirm_code_list(context: FlowContext, _turn: Turn, rest: str) -> list[Reply]:
    """``scb kodlista 2027H1``: an admin confirms the code list in force for the half-year."""
    try:
        period = await ScbCalendar(context.source).confirm_code_list(context.actor, rest.strip())
    except (CaseError, PeriodError, CodeListError) as error:
        return [Reply(text=f"{error} Inget ändrades.")]
    return [Reply(text=f"Klart. {period_text(period)}")]
