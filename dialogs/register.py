"""Registrera ungdom: the guided conversation that puts a youth into the KAA register.

A personnummer already in the register opens that case instead of a duplicate; a youth
whose case is closed is offered a new registration period.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dialogs.cards import fill_card
from dialogs.choices import choice_list, parse_choice, parse_yes_no
from dialogs.context import FlowContext
from dialogs.dates import DateInputError, format_date, parse_past_date, parse_swedish_date
from dialogs.engine import Flow, InputError, NotAnAnswer, Reply, Step, Turn
from dialogs.flow_names import FlowName
from dialogs.show_case import case_reply
from dialogs.steps import ask, confirm_step, field_step
from storage import codes
from storage.cases import GuardianInput, RegistrationInput
from storage.codes import CaseStatus, Role
from storage.eligibility import EligibilityFacts, check_eligibility
from storage.personnummer import PersonnummerError, format_personnummer, parse_personnummer
from storage.youth_fields import GUARDIAN_FIELDS, YOUTH_FIELDS

NAME = FlowName.REGISTER
ME = "jag"


def _personnummer_parser(context: FlowContext) -> Any:
    async def parse(turn: Turn, data: dict[str, Any]) -> str:
        try:
            pnr = parse_personnummer(turn.plain, turn.today)
        except PersonnummerError as error:
            # Anything but digits and separators is no attempt at a number (a question?).
            attempt = turn.plain.replace(" ", "").replace("-", "").replace("+", "").isdigit()
            raise (InputError if attempt else NotAnAnswer)(str(error)) from error
        facts = EligibilityFacts.from_age(pnr.birth_date)
        eligibility = check_eligibility(facts, turn.today)
        if not eligibility.eligible:
            raise InputError(
                "Ungdomen hör inte till aktivitetsansvarets målgrupp: "
                + " ".join(eligibility.reasons)
            )
        data["under_18"] = pnr.age_on(turn.today) < 18
        for key in ("existing_case", "closed_case"):
            data.pop(key, None)
        found = await context.queries.by_personnummer(context.actor, pnr.digits)
        active = [brief for brief in found if brief.status == CaseStatus.ACTIVE]
        if active:
            data["existing_case"] = active[0].case_id
        elif found:
            data["closed_case"] = found[0].case_id
            data["first_name"] = found[0].first_name
            data["last_name"] = found[0].last_name
        return pnr.digits

    return parse


def _parse_registered_on(turn: Turn, _data: dict[str, Any]) -> str:
    try:
        parse_swedish_date(turn.plain or "idag", turn.today)
    except DateInputError as error:
        raise NotAnAnswer(str(error)) from error
    try:
        return parse_past_date(turn.plain or "idag", turn.today).isoformat()
    except DateInputError as error:
        raise InputError(str(error)) from error


def _parse_protected(turn: Turn, _data: dict[str, Any]) -> bool:
    if not turn.plain:
        return False
    return parse_yes_no(turn, "protected_identity")


def _summary(data: dict[str, Any]) -> list[str]:
    lines = [
        f"Personnummer: {format_personnummer(data['personnummer'])}",
        f"Namn: {data['first_name']} {data['last_name']}",
        f"Registrerad: {format_date(date.fromisoformat(data['registered_on']))}",
        f"Orsak: {codes.label(codes.REGISTRATION_REASONS, data['reason'])}",
        f"Källa: {codes.label(codes.SOURCES, data['source'])}",
        f"Handläggare: {(data.get('staff_choices') or {}).get(data.get('assigned_staff'), 'du')}",
    ]
    if data.get("closed_case"):
        lines.append(f"Ny period – kontaktuppgifterna från ärende {data['closed_case']} finns kvar")
    elif data.get("protected_identity"):
        lines.append("Skyddade personuppgifter – ingen adress sparas")
    else:
        place = " ".join(p for p in (data.get("postal_code"), data.get("city")) if p)
        address = ", ".join(p for p in (data.get("address"), place) if p)
        lines.append(f"Adress: {address or '–'}")
    if not data.get("closed_case"):
        lines.append(f"Telefon: {data.get('phone') or '–'}, e-post: {data.get('email') or '–'}")
    if data.get("guardian_name"):
        reach = ", ".join(p for p in (data.get("guardian_phone"), data.get("guardian_email")) if p)
        lines.append(f"Vårdnadshavare: {data['guardian_name']}" + (f" ({reach})" if reach else ""))
    if data.get("school"):
        lines.append(f"Skola: {data['school']}")
    return lines


def _stop(data: dict[str, Any]) -> bool:
    """Nothing more to ask: the youth has an active case, or no new period is wanted."""
    return bool(data.get("existing_case")) or data.get("new_period") is False


def _new_period(data: dict[str, Any]) -> bool:
    return bool(data.get("closed_case"))


def _skip_details(data: dict[str, Any]) -> bool:
    """Contact details are kept from the earlier period; for a protected youth, no address."""
    return _stop(data) or _new_period(data)


def _skip_address(data: dict[str, Any]) -> bool:
    return _skip_details(data) or bool(data.get("protected_identity"))


def _skip_guardian(data: dict[str, Any]) -> bool:
    return _skip_details(data) or not data.get("under_18")


def register_flow(context: FlowContext) -> Flow:
    async def staff_choices(data: dict[str, Any]) -> dict[str, str]:
        if "staff_choices" not in data:
            staff = await context.cases.municipality_staff(context.actor)
            data["staff_choices"] = {
                str(member.id): member.name
                + (" (jag)" if member.id == context.actor.staff_id else "")
                for member in staff
                if member.role != Role.MANAGER
            }
        return dict(data["staff_choices"])

    async def staff_prompt(data: dict[str, Any]) -> Reply:
        choices = await staff_choices(data)
        return Reply(
            text="Vem ska vara handläggare? Svara **jag**, eller välj:\n" + choice_list(choices),
            suggestions=(ME,),
        )

    async def parse_staff(turn: Turn, data: dict[str, Any]) -> str:
        choices = await staff_choices(data)
        if turn.plain.lower() in {"", ME, "mig", "jag själv"}:
            return str(context.actor.staff_id)
        return parse_choice(turn, "assigned_staff", choices)

    async def card(data: dict[str, Any]) -> dict[str, Any]:
        return fill_card(
            "register",
            {"assigned_staff": str(context.actor.staff_id), **data},
            choices={
                "reason": codes.REGISTRATION_REASONS,
                "source": codes.SOURCES,
                "assigned_staff": await staff_choices(data),
            },
        )

    async def finish(data: dict[str, Any], turn: Turn) -> list[Reply]:
        if data.get("existing_case"):
            return [
                Reply(
                    text=f"Ungdomen finns redan i registret, i ärende {data['existing_case']}. "
                    "Jag skapade inget nytt ärende – här är det:"
                ),
                await case_reply(
                    context,
                    await context.queries.view(context.actor, data["existing_case"]),
                    turn.today,
                ),
            ]
        if data.get("new_period") is False:
            return [Reply(text="Okej, jag registrerade ingen ny period.")]
        # A guardian living with the youth gets the letters at the youth's address.
        shared = (
            {key: data.get(key) for key in ("address", "postal_code", "city")}
            if data.get("guardian_same_address")
            else {}
        )
        guardians = (
            (
                GuardianInput(
                    name=data["guardian_name"],
                    phone=data.get("guardian_phone"),
                    email=data.get("guardian_email"),
                    **shared,
                ),
            )
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
                school=data.get("school"),
                address=data.get("address"),
                postal_code=data.get("postal_code"),
                city=data.get("city"),
                phone=data.get("phone"),
                email=data.get("email"),
                protected_identity=bool(data.get("protected_identity")),
                guardians=guardians,
                assigned_staff_id=int(data["assigned_staff"])
                if data.get("assigned_staff")
                else None,
            ),
            today=turn.today,
            new_period=_new_period(data),
        )
        if result.created:
            period = " för en ny period" if _new_period(data) else ""
            return [
                Reply(
                    text=f"Klart! Ungdomen är registrerad{period} i ärende {result.case_id}. "
                    f"Skriv **logga kontakt** när du har tagit första kontakten.",
                    suggestions=("logga kontakt",),
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
                ask("Vad är ungdomens personnummer eller samordningsnummer? (ÅÅÅÅMMDD-NNNN)"),
                _personnummer_parser(context),
                "Jag behöver personnumret för att kunna registrera ungdomen, "
                "till exempel 20080315-1234. Tio siffror går också bra.",
            ),
            Step(
                "new_period",
                "Ny period",
                lambda data: Reply(
                    text=f"Ungdomen har ett avslutat ärende ({data['closed_case']}). "
                    "Vill du registrera en ny period? Svara **ja** eller **nej**.",
                    suggestions=("ja", "nej"),
                ),
                lambda turn, _data: parse_yes_no(turn, "new_period"),
                "En ungdom som kommer tillbaka till aktivitetsansvaret får en ny period; "
                "det gamla ärendet finns kvar som det var.",
                skip_if=lambda data: not _new_period(data),
            ),
            field_step(
                "first_name",
                YOUTH_FIELDS["first_name"],
                "Förnamn",
                "Vad är ungdomens förnamn?",
                "Skriv förnamnet som det står i folkbokföringen.",
                skip_if=_stop,
            ),
            field_step(
                "last_name",
                YOUTH_FIELDS["last_name"],
                "Efternamn",
                "Och efternamnet?",
                "Skriv efternamnet som det står i folkbokföringen.",
                skip_if=_stop,
            ),
            Step(
                "registered_on",
                "Registreringsdatum",
                ask("Vilket datum registreras ungdomen? (till exempel idag eller 15 mars)", "idag"),
                _parse_registered_on,
                "Datumet då ungdomen kom till aktivitetsansvaret, inte ett datum i framtiden.",
                skip_if=_stop,
            ),
            Step(
                "reason",
                "Orsak",
                ask(
                    "Vad är orsaken till registreringen?\n"
                    + choice_list(codes.REGISTRATION_REASONS)
                ),
                lambda turn, _data: parse_choice(turn, "reason", codes.REGISTRATION_REASONS),
                "Svara med siffran framför orsaken, eller skriv orsaken.",
                skip_if=_stop,
            ),
            Step(
                "source",
                "Källa",
                ask("Varifrån kom uppgiften om ungdomen?\n" + choice_list(codes.SOURCES)),
                lambda turn, _data: parse_choice(turn, "source", codes.SOURCES),
                "Svara med siffran framför källan, eller skriv källan.",
                skip_if=_stop,
            ),
            field_step(
                "school",
                YOUTH_FIELDS["school"],
                "Skola",
                "Vilken gymnasieskola kom ungdomen från? (skriv - om du inte vet)",
                "Skolan används i statistiken över avhopp per skola.",
                skip_if=lambda data: _stop(data) or data.get("source") != codes.SCHOOL_SOURCE,
                suggestions=("-",),
            ),
            Step(
                "protected_identity",
                "Skyddade personuppgifter",
                ask("Har ungdomen skyddade personuppgifter? (ja/nej)", "nej", "ja"),
                _parse_protected,
                "Skyddade personuppgifter (sekretessmarkering, skyddad folkbokföring): då "
                "sparar jag ingen adress och visar den aldrig.",
                skip_if=_skip_details,
                optional=True,
            ),
            field_step(
                "phone",
                YOUTH_FIELDS["phone"],
                "Telefon",
                "Ungdomens telefonnummer? (skriv - om du inte har det)",
                "Ett telefonnummer, till exempel 070-123 45 67, eller - om du inte har något.",
                skip_if=_skip_details,
                suggestions=("-",),
            ),
            field_step(
                "email",
                YOUTH_FIELDS["email"],
                "E-post",
                "Ungdomens e-postadress? (skriv - om du inte har den)",
                "En e-postadress, eller - om du inte har någon.",
                skip_if=_skip_details,
                suggestions=("-",),
            ),
            field_step(
                "address",
                YOUTH_FIELDS["address"],
                "Adress",
                "Ungdomens gatuadress? (skriv - om du inte har den)",
                "Gatuadressen från folkbokföringen, till exempel Storgatan 1.",
                skip_if=_skip_address,
                suggestions=("-",),
            ),
            field_step(
                "postal_code",
                YOUTH_FIELDS["postal_code"],
                "Postnummer",
                "Postnummer?",
                "Fem siffror, till exempel 582 22.",
                skip_if=lambda data: _skip_address(data) or not data.get("address"),
            ),
            field_step(
                "city",
                YOUTH_FIELDS["city"],
                "Ort",
                "Ort?",
                "Postorten, till exempel Linköping.",
                skip_if=lambda data: _skip_address(data) or not data.get("address"),
            ),
            field_step(
                "guardian_name",
                GUARDIAN_FIELDS["name"],
                "Vårdnadshavare",
                "Ungdomen är under 18. Vad heter vårdnadshavaren?",
                "Första kontakten går till vårdnadshavaren när ungdomen är under 18.",
                skip_if=_skip_guardian,
            ),
            field_step(
                "guardian_phone",
                GUARDIAN_FIELDS["phone"],
                "Vårdnadshavarens telefon",
                "Vårdnadshavarens telefonnummer? (skriv - om du inte har det)",
                "Ett telefonnummer, eller - om du inte har något.",
                skip_if=_skip_guardian,
                suggestions=("-",),
            ),
            field_step(
                "guardian_email",
                GUARDIAN_FIELDS["email"],
                "Vårdnadshavarens e-post",
                "Vårdnadshavarens e-postadress? (skriv - om du inte har den)",
                "En e-postadress, eller - om du inte har någon.",
                skip_if=_skip_guardian,
                suggestions=("-",),
            ),
            Step(
                "guardian_same_address",
                "Samma adress",
                ask("Bor vårdnadshavaren på samma adress som ungdomen? (ja/nej)", "ja", "nej"),
                lambda turn, _data: parse_yes_no(turn, "guardian_same_address"),
                "Svara ja om vårdnadshavaren bor på ungdomens adress: då får vårdnadshavaren "
                "breven dit.",
                skip_if=lambda data: (
                    _skip_guardian(data) or _skip_address(data) or not data.get("address")
                ),
                optional=True,
            ),
            Step(
                "assigned_staff",
                "Handläggare",
                staff_prompt,
                parse_staff,
                "Vem som ska ha ärendet. Svara **jag** om det är du.",
                skip_if=_stop,
                optional=True,
            ),
            confirm_step(_summary, skip_if=_stop),
        ),
        finish=finish,
        card=card,
    )
