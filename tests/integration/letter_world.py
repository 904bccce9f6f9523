"""Two municipalities with youths in every addressing situation, for the letter tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from storage.audit import Actor
from storage.cases import CaseService, ContactInput, GuardianInput, RegistrationInput
from storage.demo import fictitious_personnummer
from storage.letters.settings import LetterSettings, parse_contact

TODAY = date(2026, 3, 18)
SYSTEM = Actor(label="test", municipality_id=None, role="system")


@dataclass(frozen=True)
class LetterWorld:
    cases: CaseService
    anna: Actor
    chef: Actor
    bert: Actor
    minor: int  # 17, own address, one guardian with an address and one without
    protected: int  # 19, skyddad identitet (an address is stored but must never print)
    homeless: int  # 18, no address
    contacted: int  # already phoned: not new
    other: int  # a case of the other municipality
    other_personnummer: str
    minor_personnummer: str


def _registration(birth: date, serial: int, first: str, last: str, **changes) -> RegistrationInput:
    return RegistrationInput(
        personnummer=fictitious_personnummer(birth, serial, "kvinna"),
        first_name=first,
        last_name=last,
        registered_on=date(2026, 3, 16),
        registration_reason="avbrott_nationellt",
        source="gymnasieskola",
        **changes,
    )


async def letter_world(sessionmaker) -> LetterWorld:
    cases = CaseService(sessionmaker)
    linkoping = await cases.add_municipality(SYSTEM, "0580", "Linköping")
    nassjo = await cases.add_municipality(SYSTEM, "0682", "Nässjö")
    settings = LetterSettings(sessionmaker)
    for code in ("0580", "0682"):
        await settings.set_contact(
            SYSTEM, code, parse_contact("Kim Kontakt", "013-20 60 00", "kaa@example.se")
        )
    staff = {}
    for aad, name, role, code in (
        ("aad-anna", "Anna Andersson", "coordinator", "0580"),
        ("aad-chef", "Chef Chefsson", "manager", "0580"),
        ("aad-bert", "Bert Berg", "coordinator", "0682"),
    ):
        member = await cases.add_staff(SYSTEM, aad, name, role, code)
        municipality = linkoping if code == "0580" else nassjo
        staff[aad] = Actor(f"personal:{member.id}", municipality.id, role, member.id)
    anna = staff["aad-anna"]
    minor = _registration(
        date(2008, 9, 1),
        1,
        "Elin",
        "Ekström",
        address="Storgatan 1",
        postal_code="58222",
        city="Linköping",
        guardians=(
            GuardianInput(
                "Karin Ekström", address="Storgatan 1", postal_code="58222", city="Linköping"
            ),
            GuardianInput("Per Ekström", phone="070-111 22 33"),
        ),
    )
    protected = _registration(
        date(2006, 11, 2),
        2,
        "Sara",
        "Skydd",
        address="Hemliggatan 3",
        postal_code="58333",
        city="Linköping",
        protected_identity=True,
    )
    homeless = _registration(date(2007, 6, 3), 3, "Olle", "Utanadress")
    contacted = _registration(
        date(2007, 1, 4),
        4,
        "Nils",
        "Nådd",
        address="Ågatan 4",
        postal_code="58224",
        city="Linköping",
    )
    ids = [
        (await cases.register_youth(anna, data, today=TODAY)).case_id
        for data in (minor, protected, homeless, contacted)
    ]
    await cases.log_contact(
        anna, ids[3], ContactInput(date(2026, 3, 17), "telefon", "ungdomen", "ej_nadd"), today=TODAY
    )
    other = _registration(
        date(2007, 2, 5),
        5,
        "Karl",
        "Annanstad",
        address="Torget 1",
        postal_code="57131",
        city="Nässjö",
    )
    other_id = (await cases.register_youth(staff["aad-bert"], other, today=TODAY)).case_id
    return LetterWorld(
        cases,
        anna,
        staff["aad-chef"],
        staff["aad-bert"],
        *ids,
        other=other_id,
        other_personnummer=other.personnummer,
        minor_personnummer=minor.personnummer,
    )
