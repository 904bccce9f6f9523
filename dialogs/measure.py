"""Insatser: a new measure with the seven documentation points (DESIGN §2), ending one with
date and reason, and evaluating one (date, outcome, effect).

The measure types are the municipality's own list when it has one (storage.codes).
A measure the youth declined is documented as offered and ended the same day.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dialogs.context import FlowContext
from dialogs.dates import DateInputError, parse_swedish_date
from dialogs.engine import TODAY, Flow, InputError, NotAnAnswer, Reply, Step, Turn
from dialogs.flow_names import FlowName
from dialogs.pick_case import CASE_KEY, case_card, case_step
from dialogs.steps import choice_step, confirm_step, date_step, iso, shown, text_step
from storage import codes
from storage.case_views import CaseBrief
from storage.cases import MeasureInput

NEW = FlowName.NEW_MEASURE
END = FlowName.END_MEASURE
EVALUATE = FlowName.EVALUATE_MEASURE

OFFER_ANSWERS = {"ja": "ungdomen tackade ja", "nej": "ungdomen tackade nej"}
_RESPONSIBILITIES = ("youth_responsibility", "municipality_responsibility", "other_actor")


def _declined(data: dict[str, Any]) -> bool:
    return data.get("offer") == "nej"


def _types(data: dict[str, Any]) -> dict[str, str]:
    return data.get("measure_types") or codes.MEASURE_TYPES


def _parse_start(turn: Turn, data: dict[str, Any]) -> str:
    try:
        value = parse_swedish_date(turn.plain, turn.today)
    except DateInputError as error:
        raise NotAnAnswer(str(error)) from error
    registered = iso(data.get("case_registered_on"))
    if registered is not None and value < registered:
        raise InputError(
            f"Ungdomen registrerades {registered}, och insatsen kan inte ligga före det. "
            f"Skriv {registered} eller ett senare datum."
        )
    if _declined(data) and value > turn.today:
        raise InputError(
            "Ungdomen har redan tackat nej, så erbjudandet har skett. "
            "Skriv dagen då insatsen erbjöds, till exempel idag eller igår."
        )
    return value.isoformat()


def _check_responsibility(data: dict[str, Any]) -> None:
    if _declined(data) or any(data.get(key) for key in _RESPONSIBILITIES):
        return
    for key in _RESPONSIBILITIES:
        data.pop(key, None)
    raise InputError(
        "Någon måste ansvara för insatsen: ungdomen, kommunen eller en annan aktör. "
        "Jag frågar igen."
    )


def _start(data: dict[str, Any]) -> tuple[date, str] | None:
    start = iso(data.get("starts_on"))
    return (start, "Datumet kan inte ligga före insatsens start.") if start else None


def _new_summary(data: dict[str, Any]) -> list[str]:
    lines = [
        f"Ungdom: {data['case_label']}",
        f"Insats: {codes.label(_types(data), data['measure_type'])}",
        f"Svar: {OFFER_ANSWERS[data['offer']]}",
        f"{'Erbjuden' if _declined(data) else 'Start'}: {data['starts_on']}",
        f"Mål: {shown(data.get('goal'))}",
        f"Beskrivning: {shown(data.get('description'))}",
    ]
    if not _declined(data):
        lines += [
            f"Ungdomen ansvarar för: {shown(data.get('youth_responsibility'))}",
            f"Kommunen ansvarar för: {shown(data.get('municipality_responsibility'))}",
            f"Annan aktör: {shown(data.get('other_actor'))}"
            + (f" – {data['other_actor_responsibility']}" if data.get("other_actor") else ""),
            f"Planerat slut: {shown(data.get('ends_on'))}",
            f"Uppföljning: {data['follow_up_on']}",
            f"Utvärdering: {data['evaluate_on']}",
        ]
    return lines


def measure_flow(context: FlowContext) -> Flow:
    async def finish(data: dict[str, Any], turn: Turn) -> list[Reply]:
        declined = _declined(data)
        await context.cases.add_measure(
            context.actor,
            data[CASE_KEY],
            MeasureInput(
                measure_type=data["measure_type"],
                description=data.get("description"),
                goal=data.get("goal"),
                youth_responsibility=data.get("youth_responsibility"),
                municipality_responsibility=data.get("municipality_responsibility"),
                other_actor=data.get("other_actor"),
                other_actor_responsibility=data.get("other_actor_responsibility"),
                starts_on=iso(data["starts_on"]),
                ends_on=iso(data.get("ends_on")),
                follow_up_on=iso(data.get("follow_up_on")),
                evaluate_on=iso(data.get("evaluate_on")),
                declined=declined,
            ),
            today=turn.today,
        )
        kind = codes.label(_types(data), data["measure_type"])
        if declined:
            return [
                Reply(
                    text=f"Klart! Jag har dokumenterat att {kind} erbjöds och att ungdomen "
                    "tackade nej. Vi fortsätter att följa upp regelbundet."
                )
            ]
        return [
            Reply(
                text=f"Klart! Insatsen {kind} är sparad i {data['case_label']}. Jag påminner "
                f"dig om uppföljningen {data['follow_up_on']} och utvärderingen "
                f"{data['evaluate_on']}."
            )
        ]

    return Flow(
        name=NEW,
        title="Ny insats",
        steps=(
            case_step(context),
            choice_step(
                "measure_type",
                "Typ av insats",
                "Vilken typ av insats?",
                _types,
                "Välj den typ som passar bäst – den används i rapporten till SCB.",
            ),
            choice_step(
                "offer",
                "Svar på erbjudandet",
                "Tackade ungdomen ja eller nej till insatsen?",
                OFFER_ANSWERS,
                "Även en insats som ungdomen tackar nej till ska dokumenteras som erbjuden.",
            ),
            Step(
                "starts_on",
                "Startdatum",
                lambda data: Reply(
                    text="Vilken dag erbjöds insatsen?"
                    if _declined(data)
                    else "När startar insatsen? (till exempel idag, på måndag eller 1/9)",
                    suggestions=("idag",),
                ),
                _parse_start,
                "Startdatumet kan ligga bakåt eller framåt i tiden. Tackade ungdomen nej: "
                "dagen då insatsen erbjöds.",
            ),
            text_step(
                "goal",
                "Mål",
                "Vad är målet med insatsen?",
                "Till exempel: hitta en utbildning inför hösten.",
                skip_if=_declined,
            ),
            text_step(
                "description",
                "Beskrivning",
                "Beskriv insatsen kort.",
                "Vad insatsen innebär, till exempel samtal varannan vecka.",
                optional=True,
            ),
            text_step(
                "youth_responsibility",
                "Ungdomens ansvar",
                "Vad ansvarar ungdomen för?",
                "Till exempel: komma på samtalen och söka utbildningar.",
                optional=True,
                skip_if=_declined,
            ),
            text_step(
                "municipality_responsibility",
                "Kommunens ansvar",
                "Vad ansvarar kommunen för?",
                "Till exempel: boka och hålla samtalen.",
                optional=True,
                skip_if=_declined,
            ),
            text_step(
                "other_actor",
                "Annan aktör",
                "Är en annan aktör ansvarig? Skriv aktörens namn.",
                "Till exempel Arbetsförmedlingen eller en folkhögskola. Någon av ungdomen, "
                "kommunen eller en annan aktör måste ansvara för insatsen.",
                optional=True,
                skip_if=_declined,
                max_length=200,
            ),
            text_step(
                "other_actor_responsibility",
                "Den andra aktörens ansvar",
                "Vad ansvarar den andra aktören för?",
                "Vad aktören gör i insatsen.",
                skip_if=lambda data: _declined(data) or not data.get("other_actor"),
            ),
            date_step(
                "ends_on",
                "Planerat slutdatum",
                "När planeras insatsen sluta? (skriv - om det inte är bestämt)",
                "Det planerade slutdatumet. Det kan inte ligga före starten.",
                when="any",
                optional=True,
                not_before=_start,
                skip_if=_declined,
            ),
            date_step(
                "follow_up_on",
                "Uppföljning",
                "När ska insatsen följas upp? (till exempel om en månad)",
                "Ett datum framåt i tiden, inte före starten. Jag påminner dig då.",
                when="future",
                not_before=_start,
                skip_if=_declined,
                suggestions=("om 2 veckor", "om en månad"),
            ),
            date_step(
                "evaluate_on",
                "Utvärdering",
                "När ska insatsen utvärderas? (till exempel om 3 månader)",
                "Ett datum framåt i tiden, senast när insatsen slutar. Utvärderingen visar "
                "vilken effekt insatsen haft – det granskar revisorerna.",
                when="future",
                skip_if=_declined,
                not_before=lambda data: (
                    (iso(data["follow_up_on"]), "Utvärderingen kan inte ligga före uppföljningen.")
                    if data.get("follow_up_on")
                    else _start(data)
                ),
                suggestions=("om 3 månader",),
            ),
            confirm_step(_new_summary, _check_responsibility),
        ),
        finish=finish,
        card=lambda data: case_card(
            "measure", NEW, data, choices={"measure_type": _types(data), "offer": OFFER_ANSWERS}
        ),
        card_after=CASE_KEY,
    )


def _pick_single(options_key: str, none_text: str) -> Any:
    """Check that the case has a measure to pick; with exactly one, it is picked already."""

    async def check(_brief: CaseBrief, data: dict[str, Any]) -> None:
        options = data.get(options_key) or {}
        if not options:
            raise InputError(none_text)
        if len(options) == 1:
            data["measure_id"] = next(iter(options))

    return check


def _measure_step(options_key: str, question: str) -> Step:
    return choice_step(
        "measure_id",
        "Insats",
        question,
        lambda data: data.get(options_key) or {},
        "Svara med siffran framför insatsen.",
    )


def _measure_start(data: dict[str, Any]) -> tuple[date, str] | None:
    start = iso((data.get("measure_starts") or {}).get(str(data.get("measure_id"))))
    return (start, "Datumet kan inte ligga före insatsens start.") if start else None


def _not_started(data: dict[str, Any]) -> bool:
    """The picked measure starts after today: it is cancelled, not ended."""
    start = _measure_start(data)
    return start is not None and TODAY in data and start[0] > date.fromisoformat(data[TODAY])


def _measure_label(data: dict[str, Any]) -> str:
    return str((data.get("measures") or {}).get(str(data["measure_id"]), data["measure_id"]))


def _end_summary(data: dict[str, Any]) -> list[str]:
    lines = [f"Ungdom: {data['case_label']}", f"Insats: {_measure_label(data)}"]
    if _not_started(data):
        lines.append("Insatsen har inte börjat och avbryts idag – den räknas inte som genomförd")
    else:
        lines.append(f"Slutdatum: {data['ended_on']}")
    return [*lines, f"Orsak: {data['end_reason']}"]


def end_measure_flow(context: FlowContext) -> Flow:
    """End a measure, or cancel one that has not started (so the case can be closed)."""

    async def finish(data: dict[str, Any], turn: Turn) -> list[Reply]:
        measure_id = int(data["measure_id"])
        if _not_started(data):
            await context.cases.cancel_measure(
                context.actor, measure_id, data["end_reason"], today=turn.today
            )
            return [Reply(text=f"Klart! Insatsen {_measure_label(data)} är avbruten.")]
        ended_on = iso(data["ended_on"])
        assert ended_on is not None
        await context.cases.end_measure(
            context.actor, measure_id, ended_on, data["end_reason"], today=turn.today
        )
        return [Reply(text=f"Klart! Insatsen {_measure_label(data)} är avslutad {ended_on}.")]

    return Flow(
        name=END,
        title="Avsluta insats",
        steps=(
            case_step(
                context,
                check=_pick_single("open_measures", "Ungdomen har ingen pågående insats."),
            ),
            _measure_step("open_measures", "Vilken insats avslutas?"),
            date_step(
                "ended_on",
                "Slutdatum",
                "Vilken dag avslutades insatsen?",
                "Dagen då insatsen tog slut – idag eller tidigare, inte före starten.",
                when="past",
                not_before=_measure_start,
                skip_if=_not_started,
                suggestions=("idag",),
            ),
            text_step(
                "end_reason",
                "Orsak",
                lambda data: (
                    "Insatsen har inte börjat än, så den avbryts i stället för att avslutas. "
                    "Varför avbryts den?"
                    if _not_started(data)
                    else "Varför avslutas insatsen?"
                ),
                "Till exempel: målet uppnått, ungdomen började studera, ungdomen avbröt. "
                "Orsaken krävs – det granskar revisorerna.",
            ),
            confirm_step(_end_summary),
        ),
        finish=finish,
        card=lambda data: case_card(
            "end_measure", END, data, choices={"measure_id": data.get("open_measures") or {}}
        ),
        card_after=CASE_KEY,
    )


def evaluate_measure_flow(context: FlowContext) -> Flow:
    async def finish(data: dict[str, Any], turn: Turn) -> list[Reply]:
        evaluated_on = iso(data["evaluated_on"])
        assert evaluated_on is not None
        await context.cases.evaluate_measure(
            context.actor,
            int(data["measure_id"]),
            evaluated_on,
            data["evaluation_outcome"],
            data["evaluation_effect"],
            today=turn.today,
        )
        return [Reply(text=f"Klart! Utvärderingen av {_measure_label(data)} är sparad.")]

    return Flow(
        name=EVALUATE,
        title="Utvärdera insats",
        steps=(
            case_step(
                context, check=_pick_single("measures", "Ungdomen har ingen insats att utvärdera.")
            ),
            _measure_step("measures", "Vilken insats utvärderar du?"),
            date_step(
                "evaluated_on",
                "Datum",
                "Vilken dag gjordes utvärderingen?",
                "Dagen då ni utvärderade insatsen – idag eller tidigare.",
                when="past",
                not_before=_measure_start,
                suggestions=("idag",),
            ),
            text_step(
                "evaluation_outcome",
                "Resultat",
                "Vad blev resultatet av insatsen?",
                "Till exempel: ungdomen har sökt till gymnasiet.",
            ),
            text_step(
                "evaluation_effect",
                "Effekt",
                "Vilken effekt hade insatsen – hjälpte den ungdomen mot målet?",
                "Revisorerna granskar att effekten av varje insats är utvärderad.",
            ),
            confirm_step(
                lambda data: [
                    f"Ungdom: {data['case_label']}",
                    f"Insats: {_measure_label(data)}",
                    f"Datum: {data['evaluated_on']}",
                    f"Resultat: {data['evaluation_outcome']}",
                    f"Effekt: {data['evaluation_effect']}",
                ]
            ),
        ),
        finish=finish,
        card=lambda data: case_card(
            "evaluate_measure", EVALUATE, data, choices={"measure_id": data.get("measures") or {}}
        ),
        card_after=CASE_KEY,
    )
