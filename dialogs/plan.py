"""Kartläggning / plan (the youth's goals, needs, expectations and follow-up) and samtycke.

Every saved plan is a new version; earlier versions are kept for the auditor.
"""

from __future__ import annotations

from typing import Any

from dialogs.context import FlowContext
from dialogs.engine import Flow, Reply, Turn
from dialogs.flow_names import FlowName
from dialogs.pick_case import CASE_KEY, case_card, case_step
from dialogs.steps import choice_step, confirm_step, date_step, iso, shown, text_step
from storage.cases import PlanInput

PLAN = FlowName.PLAN
CONSENT = FlowName.CONSENT

CONSENT_ACTIONS = {"ge": "samtycke ges", "aterkalla": "samtycke återkallas"}


def _plan_summary(data: dict[str, Any]) -> list[str]:
    return [
        f"Ungdom: {data['case_label']}",
        f"Mål: {data['goals']}",
        f"Behov: {shown(data.get('needs'))}",
        f"Förväntningar: {shown(data.get('expectations'))}",
        f"Uppföljning: {data['follow_up_on']}",
    ]


def plan_flow(context: FlowContext) -> Flow:
    async def finish(data: dict[str, Any], turn: Turn) -> list[Reply]:
        revision = await context.cases.revise_plan(
            context.actor,
            data[CASE_KEY],
            PlanInput(
                goals=data["goals"],
                needs=data.get("needs"),
                expectations=data.get("expectations"),
                follow_up_on=iso(data["follow_up_on"]),
            ),
            today=turn.today,
        )
        return [
            Reply(
                text=f"Klart! Planen för {data['case_label']} är sparad som version {revision}. "
                f"Uppföljning {data['follow_up_on']}."
            )
        ]

    return Flow(
        name=PLAN,
        title="Kartläggning och plan",
        steps=(
            case_step(context),
            text_step(
                "goals",
                "Mål",
                "Vad är ungdomens mål? (med ungdomens egna ord, kort)",
                "Kartläggningen ska visa ungdomens mål, till exempel att börja på ett "
                "gymnasieprogram till hösten eller att få ett arbete.",
            ),
            text_step(
                "needs",
                "Behov",
                "Vilka behov har ungdomen för att nå målet?",
                "Till exempel studie- och yrkesvägledning, praktik eller hjälp att söka "
                "utbildning. Skriv inget om hälsa eller diagnoser.",
                optional=True,
            ),
            text_step(
                "expectations",
                "Förväntningar",
                "Vad förväntar sig ungdomen av oss?",
                "Vad ungdomen själv vill ha hjälp med.",
                optional=True,
            ),
            date_step(
                "follow_up_on",
                "Uppföljning",
                "När ska planen följas upp? (till exempel om en månad eller 15/4)",
                "Ett datum framåt i tiden då ni går igenom planen igen.",
                when="future",
                suggestions=("om 2 veckor", "om en månad"),
            ),
            confirm_step(_plan_summary),
        ),
        finish=finish,
        card=lambda data: case_card("plan", PLAN, data),
        card_after=CASE_KEY,
    )


def _giving(data: dict[str, Any]) -> bool:
    return data.get("consent_action") == "ge"


def _consent_summary(data: dict[str, Any]) -> list[str]:
    lines = [
        f"Ungdom: {data['case_label']}",
        f"Vad: {CONSENT_ACTIONS[data['consent_action']]}",
        f"Datum: {data['consent_on']}",
    ]
    if _giving(data):
        lines.append(f"Gäller: {data['consent_actors']}")
    return lines


def consent_flow(context: FlowContext) -> Flow:
    async def finish(data: dict[str, Any], turn: Turn) -> list[Reply]:
        given_on = iso(data["consent_on"])
        assert given_on is not None
        if _giving(data):
            await context.cases.record_consent(
                context.actor, data[CASE_KEY], given_on, data["consent_actors"], today=turn.today
            )
            return [Reply(text=f"Klart! Samtycket är sparat i {data['case_label']}.")]
        count = await context.cases.withdraw_consent(
            context.actor, data[CASE_KEY], given_on, today=turn.today
        )
        what = "samtycket" if count == 1 else f"de {count} samtyckena"
        return [Reply(text=f"Klart! Jag har markerat {what} som återkallat.")]

    return Flow(
        name=CONSENT,
        title="Samtycke",
        steps=(
            case_step(context),
            choice_step(
                "consent_action",
                "Vad",
                "Ger ungdomen samtycke, eller återkallas ett samtycke?",
                CONSENT_ACTIONS,
                "Samtycke behövs för att dela uppgifter med andra aktörer. "
                "Återkallas ett samtycke markeras alla samtycken som gäller nu.",
            ),
            date_step(
                "consent_on",
                "Datum",
                "Vilket datum? (till exempel idag)",
                "Dagen då samtycket gavs eller återkallades – inte ett datum framåt.",
                when="past",
                suggestions=("idag",),
            ),
            text_step(
                "consent_actors",
                "Aktörer",
                "Vilka aktörer gäller samtycket? (till exempel Arbetsförmedlingen, socialtjänsten)",
                "Skriv de myndigheter eller verksamheter som får dela uppgifter med oss.",
                skip_if=lambda data: not _giving(data),
                max_length=500,
            ),
            confirm_step(_consent_summary),
        ),
        finish=finish,
        card=lambda data: case_card(
            "consent", CONSENT, data, choices={"consent_action": CONSENT_ACTIONS}
        ),
        card_after=CASE_KEY,
    )
