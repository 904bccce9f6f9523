"""Registrera ungdom: the guided conversation that puts a youth into the KAA register."""

from __future__ import annotations

from datetime import date
from typing import Any

from dialogs.cards import fill_card
from dialogs.choices import choice_list, parse_choice, parse_yes_no
from dialogs.context import FlowContext
from dialogs.dates import DateInputError, format_date, parse_past_date
from dialogs.engine import Flow, InputError, Reply, Step, Turn
from storage import codes
from storage.cases import GuardianInput, RegistrationInput
from storage.eligibility import EligibilityFacts, check_eligibility
from storage.personnummer import PersonnummerError, parse_personnummer

NAME = "registrera"


def _ask(text: str, *suggestions: str) -> Any:
    return lambda _data: Reply(text=text, suggestions=suggestions)


def _parse_personnummer(turn: Turn, data: dict[str, Any]) -> str:
    try:
        pnr = parse_personnummer(turn.plain, turn.today)
    except PersonnummerError as error:
        raise InputError(str(error)) from error
    facts = EligibilityFacts(
        birth_date=pnr.birth_date,
        completed_compulsory_school=False,
        in_upper_secondary=False,
        on_introduction_programme=False,
        has_gymnasieexamen=False,
        has_gymnasiesarskolebevis=False,
        completed_equivalent_education=False,
    )
    eligibility = check_eligibility(facts, turn.today)
    if not eligibility.eligible:
        raise InputError(
            "Ungdomen hör inte till aktivitetsansvarets målgrupp: " + " ".join(eligibility.reasons)
        )
    data["under_18"] = pnr.age_on(turn.today) < 18
    return pnr.digits


def _parse_name(what: str) -> Any:
    def parse(turn: Turn, _data: dict[str, Any]) -> str:
        name = turn.plain
        if not name or len(name) > 100 or any(char.isdigit() for char in name):
            raise InputError(f"Skriv {what} med bokstäver.")
        return name

    return parse


def _parse_registered_on(turn: Turn, _data: dict[str, Any]) -> str:
    try:
        return parse_past_date(turn.plain or "idag", turn.today).isoformat()
    except DateInputError as error:
        raise InputError(str(error)) from error


def _parse_optional(turn: Turn, _data: dict[str, Any]) -> str | None:
    text = turn.plain
    return None if text.lower() in {"", "-", "nej", "hoppa över", "hoppa over"} else text


def _summary(data: dict[str, Any]) -> Reply:
    lines = [
        "Stämmer det här?",
        f"- Personnummer: {data['personnummer'][:8]}-{data['personnummer'][8:]}",
        f"- Namn: {data['first_name']} {data['last_name']}",
        f"- Registrerad: {format_date(date.fromisoformat(data['registered_on']))}",
        f"- Orsak: {codes.label(codes.REGISTRATION_REASONS, data['reason'])}",
        f"- Källa: {codes.label(codes.SOURCES, data['source'])}",
    ]
    if data.get("guardian_name"):
        lines.append(f"- Vårdnadshavare: {data['guardian_name']}")
    lines.append("\nSvara **ja** för att spara eller **avbryt** för att låta bli.")
    return Reply(text="\n".join(lines), suggestions=("ja", "avbryt"))


def _confirm(turn: Turn, _data: dict[str, Any]) -> bool:
    if not parse_yes_no(turn, "confirm"):
        raise InputError("Skriv **avbryt** om du inte vill spara, eller **ja** för att spara.")
    return True


def _is_adult(data: dict[str, Any]) -> bool:
    return not data.get("under_18")


def _card(data: dict[str, Any]) -> dict[str, Any]:
    return fill_card(
        "register",
        data,
        choices={"reason": codes.REGISTRATION_REASONS, "source": codes.SOURCES},
    )


def register_flow(context: FlowContext) -> Flow:
    async def finish(data: dict[str, Any], turn: Turn) -> list[Reply]:
        guardians = (
            (GuardianInput(name=data["guardian_name"], phone=data.get("guardian_phone")),)
            if data.get("guardian_name")
            else ()
        )
        result = await context.cases.register_youth(
            context.actor,
            RegistrationInput(
                personnummer=data["personnummer"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                registered_on=date.fromisoformat(data["registered_on"]),
                registration_reason=data["reason"],
                source=data["source"],
                guardians=guardians,
            ),
        )
        if result.created:
            return [Reply(text=f"Klart! Ungdomen är registrerad i ärende {result.case_id}.")]
        if result.closed_case_id:
            return [
                Reply(
                    text=f"Ungdomen har ett avslutat ärende ({result.closed_case_id}). "
                    "Vill du registrera en ny period? Skriv **registrera** igen när det "
                    "stödet finns på plats, eller kontakta din administratör."
                )
            ]
        return [
            Reply(
                text=f"Ungdomen finns redan i registret, i ärende {result.case_id}. "
                "Jag skapade inget nytt ärende."
            )
        ]

    return Flow(
        name=NAME,
        title="Registrera ungdom",
        steps=(
            Step(
                "personnummer",
                "Personnummer",
                _ask("Vad är ungdomens personnummer eller samordningsnummer? (ÅÅÅÅMMDD-NNNN)"),
                _parse_personnummer,
                "Jag behöver personnumret för att kunna registrera ungdomen, "
                "till exempel 20080315-1234. Tio siffror går också bra.",
            ),
            Step(
                "first_name",
                "Förnamn",
                _ask("Vad är ungdomens förnamn?"),
                _parse_name("ungdomens förnamn"),
                "Skriv förnamnet som det står i folkbokföringen.",
            ),
            Step(
                "last_name",
                "Efternamn",
                _ask("Och efternamnet?"),
                _parse_name("ungdomens efternamn"),
                "Skriv efternamnet som det står i folkbokföringen.",
            ),
            Step(
                "registered_on",
                "Registreringsdatum",
                _ask(
                    "Vilket datum registreras ungdomen? (till exempel idag eller 15 mars)", "idag"
                ),
                _parse_registered_on,
                "Datumet då ungdomen kom till aktivitetsansvaret, inte ett datum i framtiden.",
            ),
            Step(
                "reason",
                "Orsak",
                _ask(
                    "Vad är orsaken till registreringen?\n"
                    + choice_list(codes.REGISTRATION_REASONS)
                ),
                lambda turn, _data: parse_choice(turn, "reason", codes.REGISTRATION_REASONS),
                "Svara med siffran framför orsaken, eller skriv orsaken.",
            ),
            Step(
                "source",
                "Källa",
                _ask("Varifrån kom uppgiften om ungdomen?\n" + choice_list(codes.SOURCES)),
                lambda turn, _data: parse_choice(turn, "source", codes.SOURCES),
                "Svara med siffran framför källan, eller skriv källan.",
            ),
            Step(
                "guardian_name",
                "Vårdnadshavare",
                _ask("Ungdomen är under 18. Vad heter vårdnadshavaren?"),
                _parse_name("vårdnadshavarens namn"),
                "Första kontakten går till vårdnadshavaren när ungdomen är under 18.",
                skip_if=_is_adult,
            ),
            Step(
                "guardian_phone",
                "Vårdnadshavarens telefon",
                _ask("Vårdnadshavarens telefonnummer? (skriv - om du inte har det)", "-"),
                _parse_optional,
                "Ett telefonnummer, eller - om du inte har något.",
                skip_if=_is_adult,
            ),
            Step("confirm", "Bekräftelse", _summary, _confirm, "Svara **ja** för att spara."),
        ),
        finish=finish,
        card=_card,
    )
