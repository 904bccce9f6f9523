"""A small municipality whose key figures and SCB rows are worked out by hand in the tests.

Period 2026H1 unless said otherwise. A, C, E, F are women; B, D men.
- A: registered 2025-10-01 (dropout, Norra gymnasiet), reached 2025-10-05, occupation
  "ingen" from 2025-10-05, praktik 2026-02-01..2026-04-30 (ended), "arbete" from 2026-05-01.
- B: registered 2026-02-10 (dropout, Norra gymnasiet), letter 02-12 not reached, reached by
  phone 03-20 (38 days), "okänd" from 02-10, "studier – nationellt program" from 04-01.
- C: registered 2026-03-01 (inflyttad), nothing logged.
- D: registered 2026-01-15 (aldrig påbörjat), guardian reached 01-25 (10 days), "arbete"
  from 01-25, deregistered 2026-03-10 "fyllt 20".
- E: registered 2025-09-01, deregistered 2025-12-15: not in KAA during 2026H1.
- F: registered 2026-07-05: after 2026H1.
- another municipality's youth registered 2026-02-01 never counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from storage.audit import Actor
from storage.case_queries import CaseQueries
from storage.cases import (
    CaseService,
    Closing,
    ContactInput,
    MeasureInput,
    RegistrationInput,
)
from storage.demo import fictitious_personnummer

SYSTEM = Actor(label="test", municipality_id=None, role="system")
# Names have no digits (storage.youth_fields); one per serial, told apart at a glance.
FIRST_NAMES = dict(enumerate(("Alva", "Bruno", "Cilla", "Dante", "Ebba", "Fanny", "Gustav"), 1))
# The day the fixture is written, after everything it documents.
RECORDED_ON = date(2026, 7, 10)


@dataclass(frozen=True)
class Fixture:
    municipality_id: int
    coordinator: Actor
    manager: Actor
    cases: dict[str, int]
    personnummer: dict[str, str]


async def _register(
    cases: CaseService,
    actor: Actor,
    serial: int,
    birth: date,
    gender: str,
    registered: date,
    reason: str,
    school: str | None = None,
) -> tuple[int, str]:
    pnr = fictitious_personnummer(birth, serial, gender)
    registration = await cases.register_youth(
        actor,
        RegistrationInput(
            personnummer=pnr,
            first_name=FIRST_NAMES[serial],
            last_name="Testsson",
            registered_on=registered,
            registration_reason=reason,
            source="gymnasieskola",
            school=school,
        ),
        today=RECORDED_ON,
    )
    return registration.case_id, pnr


async def _close(cases: CaseService, actor: Actor, case_id: int, day: date, reason: str) -> None:
    case = await CaseQueries(cases.sessionmaker).view(actor, case_id)
    await cases.close_case(
        actor, case_id, Closing(day, reason), expected_version=case.version, today=RECORDED_ON
    )


async def build(cases: CaseService) -> Fixture:
    municipality = await cases.add_municipality(SYSTEM, "0580", "Testkommun")
    other = await cases.add_municipality(SYSTEM, "0581", "Grannkommun")
    coordinator_staff = await cases.add_staff(SYSTEM, "aad-c1", "Cia", "coordinator", "0580")
    manager_staff = await cases.add_staff(SYSTEM, "aad-m1", "Max", "manager", "0580")
    coordinator = Actor("aad-c1", municipality.id, "coordinator", coordinator_staff.id)
    manager = Actor("aad-m1", municipality.id, "manager", manager_staff.id)
    ids: dict[str, int] = {}
    pnrs: dict[str, str] = {}

    async def register(key: str, *args: object, **kwargs: object) -> int:
        ids[key], pnrs[key] = await _register(cases, coordinator, *args, **kwargs)  # type: ignore[arg-type]
        return ids[key]

    a = await register(
        "A",
        1,
        date(2007, 5, 1),
        "kvinna",
        date(2025, 10, 1),
        "avbrott_nationellt",
        "Norra gymnasiet",
    )
    await cases.log_contact(
        coordinator,
        a,
        ContactInput(date(2025, 10, 5), "telefon", "ungdomen", "nadd"),
        today=RECORDED_ON,
    )
    await cases.record_occupation(coordinator, a, "ingen", date(2025, 10, 5), today=RECORDED_ON)
    measure = await cases.add_measure(
        coordinator,
        a,
        MeasureInput("praktik", starts_on=date(2026, 2, 1), ends_on=date(2026, 4, 30)),
        today=RECORDED_ON,
    )
    await cases.end_measure(
        coordinator, measure, date(2026, 4, 30), "Praktiken klar.", today=RECORDED_ON
    )
    await cases.record_occupation(coordinator, a, "arbete", date(2026, 5, 1), today=RECORDED_ON)

    b = await register(
        "B",
        2,
        date(2007, 8, 15),
        "man",
        date(2026, 2, 10),
        "avbrott_nationellt",
        "Norra gymnasiet",
    )
    await cases.log_contact(
        coordinator,
        b,
        ContactInput(date(2026, 2, 12), "brev", "ungdomen", "ej_nadd"),
        today=RECORDED_ON,
    )
    await cases.log_contact(
        coordinator,
        b,
        ContactInput(date(2026, 3, 20), "telefon", "ungdomen", "nadd"),
        today=RECORDED_ON,
    )
    await cases.record_occupation(coordinator, b, "okand", date(2026, 2, 10), today=RECORDED_ON)
    await cases.record_occupation(
        coordinator, b, "studier_nationellt", date(2026, 4, 1), today=RECORDED_ON
    )

    await register("C", 3, date(2008, 1, 20), "kvinna", date(2026, 3, 1), "inflyttad")

    d = await register("D", 4, date(2006, 3, 10), "man", date(2026, 1, 15), "ej_paborjat")
    await cases.log_contact(
        coordinator,
        d,
        ContactInput(date(2026, 1, 25), "telefon", "vardnadshavare", "nadd"),
        today=RECORDED_ON,
    )
    await cases.record_occupation(coordinator, d, "arbete", date(2026, 1, 25), today=RECORDED_ON)
    await _close(cases, coordinator, d, date(2026, 3, 10), "fyllt_20")

    e = await register("E", 5, date(2007, 11, 11), "kvinna", date(2025, 9, 1), "inflyttad")
    await _close(cases, coordinator, e, date(2025, 12, 15), "borjat_nationellt")

    await register("F", 6, date(2008, 2, 2), "kvinna", date(2026, 7, 5), "inflyttad")

    neighbour = Actor("aad-x", other.id, "coordinator")
    await _register(cases, neighbour, 7, date(2007, 6, 6), "man", date(2026, 2, 1), "inflyttad")
    return Fixture(municipality.id, coordinator, manager, ids, pnrs)
