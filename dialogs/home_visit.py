"""Hembesök: plan one (date, the two staff, notice sent) or document how it went.

A youth with protected identity (skyddade personuppgifter): the address is never shown,
and planning a home visit needs the coordinator's explicit confirmation first.
"""

from __future__ import annotations

from typing import Any

from dialogs.choices import parse_yes_no
from dialogs.context import FlowContext
from dialogs.engine import Flow, Reply, Step, Turn
from dialogs.flow_names import FlowName
from dialogs.pick_case import CASE_KEY, case_card, case_step
from dialogs.steps import choice_step, confirm_step, date_step, iso, shown, text_step
from storage import codes
from storage.case_views import CaseBrief
from storage.cases import HomeVisitInput

NAME = FlowName.HOME_VISIT
PLAN = "planera"
RESULT = "resultat"
UNPLANNED = "ny"

MODES = {PLAN: "planera ett hembesök", RESULT: "dokumentera ett gjort hembesök"}

PROTECTED_WARNING = (
    "⚠️ Ungdomen har **skyddade personuppgifter**. Adressen visas inte här, och ett hembesök "
    "kräver en särskild bedömning så att ingen uppgift om var ungdomen bor sprids. "
    "Vill du ändå planera ett hembesök? Svara **ja** eller **nej**."
)


def _declined_protected(data: dict[str, Any]) -> bool:
    return data.get("protected_ok") is False


def _planning(data: dict[str, Any]) -> bool:
    return data.get("mode") == PLAN and not _declined_protected(data)


def _recording(data: dict[str, Any]) -> bool:
    return data.get("mode") == RESULT


def _unplanned(data: dict[str, Any]) -> bool:
    return _recording(data) and (
        not data.get("planned_visits") or data.get("visit_id") == UNPLANNED
    )


def _visit_choices(data: dict[str, Any]) -> dict[str, str]:
    planned = {visit_id: f"planerat till {day}" for visit_id, day in data["planned_visits"].items()}
    return {**planned, UNPLANNED: "ett hembesök som inte planerats här"}


def _staff_name(data: dict[str, Any]) -> str:
    staff = data.get("second_staff")
    return (
        (data.get("colleagues") or {}).get(staff, "") if staff else "ingen vald – ni ska vara två"
    )


def _parse_protected_ok(turn: Turn, _data: dict[str, Any]) -> bool:
    return parse_yes_no(turn, "protected_ok")


async def _load_colleagues(context: FlowContext, _brief: CaseBrief, data: dict[str, Any]) -> None:
    staff = await context.cases.municipality_staff(context.actor)
    data["colleagues"] = {
        str(member.id): member.name for member in staff if member.id != context.actor.staff_id
    }


def _summary(data: dict[str, Any]) -> list[str]:
    lines = [f"Ungdom: {data['case_label']}"]
    if data.get("address"):
        lines.append(f"Adress: {data['address']}")
    if _planning(data):
        return [
            *lines,
            f"Planerat datum: {data['planned_on']}",
            f"Följeslagare: {_staff_name(data)}",
            f"Avisering skickad: {shown(data.get('notice_sent_on'))}",
        ]
    lines += [
        f"Datum: {data['visited_on']}",
        f"Utfall: {codes.label(codes.HOME_VISIT_OUTCOMES, data['outcome'])}",
        f"Anteckning: {shown(data.get('note'))}",
    ]
    if _unplanned(data):
        lines.append(f"Följeslagare: {_staff_name(data)}")
    return lines


def _card(data: dict[str, Any]) -> dict[str, Any]:
    colleagues = data.get("colleagues") or {}
    if data.get("mode") == PLAN:
        return case_card("home_visit_plan", NAME, data, choices={"second_staff": colleagues})
    return case_card(
        "home_visit_result",
        NAME,
        data,
        choices={
            "visit_id": _visit_choices(data),
            "outcome": codes.HOME_VISIT_OUTCOMES,
            "second_staff": colleagues,
        },
    )


def home_visit_flow(context: FlowContext) -> Flow:
    async def finish(data: dict[str, Any], turn: Turn) -> list[Reply]:
        if _declined_protected(data):
            return [Reply(text="Okej, jag planerade inget hembesök.")]
        second = int(data["second_staff"]) if data.get("second_staff") else None
        if _planning(data):
            planned_on = iso(data["planned_on"])
            assert planned_on is not None
            await context.cases.plan_home_visit(
                context.actor,
                data[CASE_KEY],
                HomeVisitInput(
                    planned_on=planned_on,
                    first_staff_id=context.actor.staff_id,
                    second_staff_id=second,
                    notice_sent_on=iso(data.get("notice_sent_on")),
                ),
                today=turn.today,
            )
            reminder = "" if data.get("notice_sent_on") else " Glöm inte att avisera besöket."
            return [Reply(text=f"Klart! Hembesöket {planned_on} är planerat.{reminder}")]
        visited_on = iso(data["visited_on"])
        assert visited_on is not None
        if _unplanned(data):
            await context.cases.log_home_visit(
                context.actor,
                data[CASE_KEY],
                HomeVisitInput(
                    planned_on=visited_on,
                    first_staff_id=context.actor.staff_id,
                    second_staff_id=second,
                ),
                data["outcome"],
                data.get("note"),
                today=turn.today,
            )
        else:
            await context.cases.record_home_visit(
                context.actor,
                int(data["visit_id"]),
                visited_on,
                data["outcome"],
                data.get("note"),
                today=turn.today,
            )
        return [Reply(text=f"Klart! Hembesöket {visited_on} är dokumenterat.")]

    return Flow(
        name=NAME,
        title="Hembesök",
        steps=(
            case_step(context, check=lambda brief, data: _load_colleagues(context, brief, data)),
            choice_step(
                "mode",
                "Vad",
                "Vill du planera ett hembesök eller dokumentera ett som är gjort?",
                MODES,
                "Planera: datum, vem som går med och om aviseringen är skickad. "
                "Dokumentera: hur det gick.",
            ),
            Step(
                "protected_ok",
                "Skyddade personuppgifter",
                lambda _data: Reply(text=PROTECTED_WARNING, suggestions=("ja", "nej")),
                _parse_protected_ok,
                "Ungdomen har skyddade personuppgifter. Svara **ja** om du ändå vill planera "
                "ett hembesök, **nej** om inte.",
                skip_if=lambda data: not (data.get("mode") == PLAN and data.get("protected")),
            ),
            date_step(
                "planned_on",
                "Datum",
                "Vilken dag ska hembesöket göras? (till exempel på tisdag eller 20/4)",
                "Ett datum framåt i tiden.",
                when="future",
                skip_if=lambda data: not _planning(data),
            ),
            choice_step(
                "visit_id",
                "Vilket hembesök",
                "Vilket hembesök gäller det?",
                _visit_choices,
                "Välj det planerade hembesöket, eller att det inte var planerat här.",
                skip_if=lambda data: not _recording(data) or not data.get("planned_visits"),
            ),
            date_step(
                "visited_on",
                "Datum",
                "Vilken dag gjordes hembesöket?",
                "Dagen då ni var där – idag eller tidigare.",
                when="past",
                skip_if=lambda data: not _recording(data),
                suggestions=("idag", "igår"),
            ),
            choice_step(
                "outcome",
                "Utfall",
                "Hur gick det?",
                codes.HOME_VISIT_OUTCOMES,
                "Träffad: ni träffade ungdomen eller vårdnadshavaren. Ej hemma: lämna ett "
                "informationsblad. Fel adress: ungdomen bor inte kvar där.",
                skip_if=lambda data: not _recording(data),
            ),
            choice_step(
                "second_staff",
                "Följeslagare",
                "Vem går med dig? Hembesök görs av två personer.",
                lambda data: data.get("colleagues") or {},
                "Välj en kollega. Skriv - om det inte är bestämt än.",
                optional=True,
                skip_if=lambda data: not (_planning(data) or _unplanned(data)),
            ),
            date_step(
                "notice_sent_on",
                "Avisering",
                "När skickades aviseringen om besöket? (skriv - om den inte är skickad än)",
                "Hembesök aviseras i förväg, till exempel med brev. Dagen den skickades.",
                when="past",
                optional=True,
                skip_if=lambda data: not _planning(data),
                suggestions=("idag", "-"),
            ),
            text_step(
                "note",
                "Anteckning",
                "Vill du skriva en kort anteckning?",
                "En kort anteckning om besöket. Skriv inget om hälsa, missbruk eller andra "
                "känsliga uppgifter.",
                optional=True,
                skip_if=lambda data: not _recording(data),
            ),
            confirm_step(_summary, skip_if=_declined_protected),
        ),
        finish=finish,
        card=_card,
        card_after="mode",
    )
