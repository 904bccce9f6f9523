"""Avsluta ärende: deregister a youth, always with a date and a reason.

"Annan orsak" needs a written explanation. Measures still open are ended in the same step,
on the closing date and with a reason the coordinator gives, so none is left open.
"Flyttat" asks where to (a municipality, or abroad) and when, whether the youth consents to
the handover, and, when the new municipality uses this installation, whether to transfer
the case there; the new municipality's document (överlämning or notice) comes back as a PDF.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dialogs.choices import parse_yes_no
from dialogs.context import FlowContext
from dialogs.engine import FileReply, Flow, InputError, Reply, Step, Turn
from dialogs.flow_names import FlowName
from dialogs.pick_case import CASE_KEY, case_card, case_step, remember
from dialogs.steps import ask, choice_step, confirm_step, date_step, is_skip, iso, text_step
from storage import codes
from storage.cases import CaseError, Closing, MeasureEnd, NotFound, StaleCase
from storage.kommuner import find_kommun
from storage.letters.handover import moving_document
from storage.moving import MOVED, Moving

NAME = FlowName.CLOSE_CASE
ABROAD = {"utomlands", "utlandet", "annat land"}


def _registered(data: dict[str, Any]) -> tuple[date, str] | None:
    registered = iso(data.get("case_registered_on"))
    if registered is None:
        return None
    return registered, f"Ungdomen registrerades {registered}, avslutet kan inte ligga före det."


def _open_measures(data: dict[str, Any]) -> dict[str, str]:
    return data.get("open_measures") or {}


def _summary(data: dict[str, Any]) -> list[str]:
    lines = [
        f"Ungdom: {data['case_label']}",
        f"Avslutas: {data['deregistered_on']}",
        f"Orsak: {codes.label(codes.DEREGISTRATION_REASONS, data['reason'])}",
    ]
    if data.get("note"):
        lines.append(f"Förklaring: {data['note']}")
    closed_on = iso(data["deregistered_on"])
    starts = data.get("measure_starts") or {}
    for measure_id, label in _open_measures(data).items():
        start = iso(starts.get(measure_id))
        what = (
            "har inte börjat och avbryts"
            if start and closed_on and start > closed_on
            else "avslutas samma dag"
        )
        lines.append(f"Insatsen {label} {what}: {data['measure_end_reason']}")
    return lines + _moving_summary(data)


def _moving(data: dict[str, Any]) -> bool:
    return data.get("reason") == MOVED and bool(data.get("moved_to"))


def _moving_summary(data: dict[str, Any]) -> list[str]:
    if data.get("reason") != MOVED:
        return []
    if not data.get("moved_to"):
        return ["Ny kommun: utomlands eller okänd"]
    lines = [
        f"Ny kommun: {data['moved_to_name']} ({data['moved_to']}), flyttade {data['moved_on']}",
        "Samtycke till överlämning: " + ("ja, ges idag" if data["handover_consent"] else "nej"),
    ]
    if data.get("transfer"):
        lines.append(f"Ärendet flyttas över till {data['moved_to_name']}.")
    return lines


def _moved_to_step(context: FlowContext) -> Step:
    async def parse(turn: Turn, data: dict[str, Any]) -> str | None:
        text = turn.plain
        if is_skip(text) or text.lower().rstrip(".!") in ABROAD:
            return None
        found = find_kommun(text)
        if not found:
            raise InputError(
                f"Hittar ingen kommun som heter ”{text[:40]}”. Skriv namnet eller kommunkoden, "
                "eller **utomlands**."
            )
        if len(found) > 1:
            raise InputError(
                "Menar du " + " eller ".join(f"{k.name} ({k.code})" for k in found[:6]) + "?"
            )
        kommun = found[0]
        try:
            here = await context.cases.municipality_by_code(kommun.code)
        except NotFound:
            here = None
        if here is not None and here.id == context.actor.municipality_id:
            raise InputError("Det är din egen kommun. Vilken kommun har ungdomen flyttat till?")
        data["moved_to_name"] = kommun.name
        data["moved_to_here"] = here is not None
        return kommun.code

    return Step(
        "moved_to",
        "Ny kommun",
        ask("Vilken kommun har ungdomen flyttat till? (namn eller kommunkod, eller **utomlands**)"),
        parse,
        "Kommunen ungdomen är folkbokförd i nu, till exempel Jönköping eller 0680. "
        "Har ungdomen flyttat utomlands, eller vet du inte, skriv **utomlands** eller **-**.",
        skip_if=lambda data: data.get("reason") != MOVED,
        free_text=True,
    )


def _yes_no(key: str) -> Any:
    return lambda turn, _data: parse_yes_no(turn, key)


def close_case_flow(context: FlowContext) -> Flow:
    async def finish(data: dict[str, Any], turn: Turn) -> list[Reply]:
        closed_on = iso(data["deregistered_on"])
        assert closed_on is not None
        ends = tuple(
            MeasureEnd(int(measure_id), closed_on, data["measure_end_reason"])
            for measure_id in _open_measures(data)
        )
        try:
            new_case = await context.cases.close_case(
                context.actor,
                data[CASE_KEY],
                Closing(
                    deregistered_on=closed_on,
                    reason=data["reason"],
                    note=data.get("note"),
                    measure_ends=ends,
                    moving=Moving(
                        data["moved_to"],
                        iso(data["moved_on"]) or closed_on,
                        consent_on=turn.today if data.get("handover_consent") else None,
                        transfer=bool(data.get("transfer")),
                    )
                    if _moving(data)
                    else None,
                ),
                expected_version=data["case_version"],
                today=turn.today,
            )
        except StaleCase as error:
            remember(await context.queries.brief(context.actor, data[CASE_KEY]), data)
            raise CaseError(
                "Ärendet har ändrats av någon annan sedan du började. Jag har läst in det igen "
                "– kontrollera uppgifterna."
            ) from error
        ended = f" {len(ends)} pågående insats(er) avslutades samma dag." if ends else ""
        done = Reply(text=f"Klart! {data['case_label']} är avslutat {closed_on}.{ended}")
        if not _moving(data):
            return [done]
        try:
            document = await moving_document(
                context.cases, context.actor, data[CASE_KEY], turn.today
            )
        except CaseError as error:
            # The case is closed either way; say why the document is missing.
            return [
                done,
                Reply(text=f"Dokumentet till den nya kommunen kunde inte skrivas: {error}"),
            ]
        moved = (
            f" Ärendet finns nu i {data['moved_to_name']} (ärende {new_case})."
            if new_case is not None
            else ""
        )
        what = (
            "överlämningen"
            if document.with_personal_data
            else "ett meddelande utan personuppgifter (inget samtycke till överlämning)"
        )
        return [
            done,
            Reply(
                text=f"Här är {what} till {data['moved_to_name']}.{moved}",
                file=FileReply(document.file_name, "application/pdf", document.pdf),
            ),
        ]

    return Flow(
        name=NAME,
        title="Avsluta ärende",
        steps=(
            case_step(context),
            date_step(
                "deregistered_on",
                "Avslutsdatum",
                "Vilket datum lämnar ungdomen aktivitetsansvaret? (till exempel idag)",
                "Dagen då ungdomen avregistreras – idag eller tidigare, inte före registreringen.",
                when="past",
                not_before=_registered,
                suggestions=("idag",),
            ),
            choice_step(
                "reason",
                "Orsak",
                "Vad är orsaken till avregistreringen?",
                codes.DEREGISTRATION_REASONS,
                "Ett ärende avslutas alltid med en orsak. Vid annan orsak skriver du vad.",
            ),
            text_step(
                "note",
                "Förklaring",
                "Du valde annan orsak – skriv vad orsaken är.",
                "Vid annan orsak krävs en förklaring, till exempel att ungdomen flyttat utomlands.",
                skip_if=lambda data: data.get("reason") != codes.OTHER,
            ),
            _moved_to_step(context),
            date_step(
                "moved_on",
                "Flyttdatum",
                "Vilket datum flyttade ungdomen?",
                "Dagen ungdomen flyttade (blev folkbokförd i den nya kommunen).",
                when="any",
                not_before=_registered,
                skip_if=lambda data: not _moving(data),
                suggestions=("idag",),
            ),
            Step(
                "handover_consent",
                "Samtycke till överlämning",
                lambda data: Reply(
                    text=f"Har ungdomen samtyckt till att vi lämnar över uppgifter om hen till "
                    f"{data['moved_to_name']}? Svara **ja** eller **nej**.",
                    suggestions=("ja", "nej"),
                ),
                _yes_no("handover_consent"),
                "Med samtycke får den nya kommunen en överlämning med uppgifterna i ärendet; "
                "utan samtycke bara ett meddelande om flytten, utan personuppgifter.",
                skip_if=lambda data: not _moving(data),
            ),
            Step(
                "transfer",
                "Flytta över ärendet",
                lambda data: Reply(
                    text=f"{data['moved_to_name']} använder också KAA-assistenten. Vill du flytta "
                    "över ärendet dit? Svara **ja** eller **nej**.",
                    suggestions=("ja", "nej"),
                ),
                _yes_no("transfer"),
                "Ja: ungdomen registreras i den nya kommunen som inflyttad, och det här ärendet "
                "avslutas som flyttat.",
                skip_if=lambda data: (
                    not (
                        _moving(data) and data.get("moved_to_here") and data.get("handover_consent")
                    )
                ),
            ),
            text_step(
                "measure_end_reason",
                "Orsak för pågående insatser",
                lambda data: (
                    "Ungdomen har pågående insatser: "
                    + ", ".join(_open_measures(data).values())
                    + ". De avslutas samma dag som ärendet (en som inte har börjat avbryts) "
                    "– vad är orsaken?"
                ),
                "En avslutad insats behöver en orsak, till exempel att ungdomen börjat studera.",
                skip_if=lambda data: not _open_measures(data),
            ),
            confirm_step(_summary),
        ),
        finish=finish,
        card=lambda data: case_card(
            "close_case", NAME, data, choices={"reason": codes.DEREGISTRATION_REASONS}
        ),
        card_after=CASE_KEY,
    )
