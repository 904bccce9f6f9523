"""A demo municipality with fictitious youths in varied states, written through the case API."""

from __future__ import annotations

import random
from dataclasses import asdict
from datetime import date, timedelta

from sqlalchemy import select
from stdnum import luhn

from storage.audit import Actor
from storage.case_queries import CaseQueries
from storage.caseload import Taken
from storage.cases import (
    CaseError,
    CaseService,
    Closing,
    ContactInput,
    GuardianInput,
    HomeVisitInput,
    MeasureEnd,
    MeasureInput,
    PlanInput,
    RegistrationInput,
)
from storage.codes import CaseStatus, Role
from storage.eligibility import compulsory_school_age_ends
from storage.letters.settings import CONTACT_SETTING, MunicipalityContact
from storage.models import KaaCase, Staff

DEMO_CODE = "9999"
DEMO_NAME = "Demokommun"
DEMO_SIZE = 30
DEMO_CONTACT = MunicipalityContact("KAA-samordnaren", "010-000 00 00", sender="Demokommunen")
_SETTLED = timedelta(days=3)
# The first person to write in the demo gets this many of its youths.
DEMO_SHARE = 10

_FIRST = {
    "kvinna": ["Elin", "Maja", "Alva", "Saga", "Wilma", "Ebba", "Nora", "Tilda", "Ella", "Leah"],
    "man": ["Liam", "Noah", "Hugo", "Elias", "Oscar", "William", "Lucas", "Adam", "Nils", "Ali"],
}
_LAST = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Lindberg",
    "Berg",
]
_REASONS = ["avbrott_nationellt", "avbrott_introduktion", "studiebevis", "ej_paborjat", "inflyttad"]
_SOURCES = ["gymnasieskola", "inflyttad", "grundskola", "introduktionsprogram", "socialtjanst"]


def fictitious_personnummer(birth: date, serial: int, gender: str) -> str:
    """A valid-checksum 12-digit number for a fictitious person."""
    gender_digit = (serial % 5) * 2 + (1 if gender == "man" else 0)
    nine = f"{birth:%y%m%d}{serial % 100:02d}{gender_digit}"
    return f"{birth:%Y}{nine[2:]}{luhn.calc_check_digit(nine)}"


async def seed_demo(cases: CaseService, today: date, actor: Actor) -> bool:
    """Create the demo municipality once; returns False when it already exists."""
    try:
        municipality = await cases.add_municipality(
            actor, DEMO_CODE, DEMO_NAME, {CONTACT_SETTING: asdict(DEMO_CONTACT)}
        )
    except CaseError:
        return False
    demo_actor = Actor(label=actor.label, municipality_id=municipality.id, role=Role.COORDINATOR)
    rng = random.Random(2026)
    for index in range(DEMO_SIZE):
        await _seed_youth(cases, demo_actor, rng, index, today)
    return True


async def share_demo_cases(cases: CaseService, staff: Staff) -> list[int]:
    """Give the first person in the demo the active cases that have waited longest, so the
    digest, "vad har jag idag?" and "mina ärenden" show real work from the first minute;
    later ones find the rest with "fördela". Returns the cases given."""
    waiting = (KaaCase.municipality_id == staff.municipality_id) & (
        KaaCase.status == CaseStatus.ACTIVE
    )
    async with cases.sessionmaker() as session:
        if await session.scalar(
            select(KaaCase.id).where(waiting, KaaCase.assigned_staff_id.is_not(None)).limit(1)
        ):
            return []
        ids = list(
            await session.scalars(
                select(KaaCase.id)
                .where(waiting, KaaCase.assigned_staff_id.is_(None))
                .order_by(KaaCase.registered_on, KaaCase.id)
                .limit(DEMO_SHARE)
            )
        )
    actor = Actor(label="demo", municipality_id=staff.municipality_id, role=Role.SYSTEM)
    given = []
    for case_id in ids:
        try:
            await cases.assign(actor, case_id, staff.id, unassigned_only=True)
        except Taken:
            continue  # another first writer at the same moment got it
        given.append(case_id)
    return given


async def _seed_youth(
    cases: CaseService, actor: Actor, rng: random.Random, index: int, today: date
) -> None:
    gender = "kvinna" if index % 2 == 0 else "man"
    age_days = rng.randint(16 * 365 + 30, 20 * 365 - 5)
    # Past compulsory school age by a few days at least: only then in the target group.
    while compulsory_school_age_ends(today - timedelta(days=age_days)) >= today - _SETTLED:
        age_days += 365
    birth = today - timedelta(days=age_days)
    registered = max(
        today - timedelta(days=rng.randint(3, 200)),
        compulsory_school_age_ends(birth) + timedelta(days=1),
    )
    under_18 = age_days < 18 * 365
    registration = await cases.register_youth(
        actor,
        RegistrationInput(
            personnummer=fictitious_personnummer(birth, index, gender),
            first_name=rng.choice(_FIRST[gender]),
            last_name=rng.choice(_LAST),
            registered_on=registered,
            registration_reason=rng.choice(_REASONS),
            source=rng.choice(_SOURCES),
            address=f"Demogatan {index + 1}",
            postal_code="99999",
            city="Demostad",
            phone=f"070-000 00 {index:02d}",
            protected_identity=index == 7,
            guardians=(
                GuardianInput(
                    name="Vårdnadshavare Demo",
                    phone="070-000 99 99",
                    address=f"Demogatan {index + 1}",
                    postal_code="99999",
                    city="Demostad",
                ),
            )
            if under_18
            else (),
        ),
        today=today,
    )
    case_id = registration.case_id
    stage = index % 6
    if stage == 0:
        return
    await cases.log_contact(
        actor,
        case_id,
        ContactInput(
            occurred_on=registered + timedelta(days=2),
            channel="brev",
            counterpart="vardnadshavare" if under_18 else "ungdomen",
            outcome="ej_nadd",
        ),
        today=today,
    )
    if stage == 1:
        return
    if stage == 2:
        # Each write is made on the day it happened, as a coordinator would have made it.
        visit_day = min(today, registered + timedelta(days=60))
        visit = await cases.plan_home_visit(
            actor,
            case_id,
            HomeVisitInput(planned_on=visit_day, first_staff_id=None, second_staff_id=None),
            today=visit_day,
        )
        await cases.record_home_visit(actor, visit, visit_day, "ej_hemma", today=today)
        return
    reached = min(today, registered + timedelta(days=rng.randint(5, 25)))
    await cases.log_contact(
        actor,
        case_id,
        ContactInput(
            occurred_on=reached, channel="telefon", counterpart="ungdomen", outcome="nadd"
        ),
        today=today,
    )
    await cases.record_occupation(
        actor, case_id, rng.choice(["ingen", "arbete", "okand"]), reached, today=today
    )
    if stage == 3:
        return
    await cases.revise_plan(
        actor,
        case_id,
        PlanInput(
            goals="Börja studera på gymnasiet till hösten.",
            needs="Studie- och yrkesvägledning.",
            expectations="Vill veta vilka program som passar.",
            follow_up_on=reached + timedelta(days=30),
        ),
        today=reached,
    )
    measure = await cases.add_measure(
        actor,
        case_id,
        MeasureInput(
            measure_type=rng.choice(["syv", "praktik", "motiverande_samtal"]),
            description="Samtal varannan vecka.",
            goal="Hitta en utbildning inför nästa termin.",
            youth_responsibility="Komma på samtalen.",
            municipality_responsibility="Boka och hålla samtalen.",
            starts_on=reached,
            ends_on=reached + timedelta(days=90),
            follow_up_on=reached + timedelta(days=30),
            evaluate_on=reached + timedelta(days=90),
        ),
        today=reached,
    )
    if stage == 4:
        return
    ended = min(today, reached + timedelta(days=20))
    await cases.evaluate_measure(
        actor,
        measure,
        ended,
        "Har sökt till gymnasiet.",
        "Insatsen ledde till studier.",
        today=today,
    )
    if index % 12 == 5:
        case = await CaseQueries(cases.sessionmaker).brief(actor, case_id)
        await cases.close_case(
            actor,
            case_id,
            Closing(
                deregistered_on=ended,
                reason="borjat_nationellt",
                measure_ends=(
                    MeasureEnd(
                        measure_id=measure, ended_on=ended, reason="Ungdomen började studera."
                    ),
                ),
            ),
            expected_version=case.version,
            today=today,
        )
        return
    await cases.end_measure(actor, measure, ended, "Målet uppnått.", today=today)
