"""`kaa-bot registerutdrag` shows exactly what was written about a person, on both databases."""

from __future__ import annotations

import asyncio
import json
from datetime import date, timedelta

from sqlalchemy import or_, select

from storage.audit import Actor
from storage.case_queries import CaseQueries
from storage.cases import (
    CaseService,
    Closing,
    ContactInput,
    HomeVisitInput,
    MeasureEnd,
    MeasureInput,
    PlanInput,
    RegistrationInput,
)
from storage.demo import fictitious_personnummer
from storage.models import AuditEntry, KaaCase, Reminder, Staff

SYSTEM = Actor(label="test", municipality_id=None, role="system")
TODAY = date.today()
PERSON = fictitious_personnummer(TODAY - timedelta(days=17 * 365 + 100), 41, "kvinna")
OTHER = fictitious_personnummer(TODAY - timedelta(days=18 * 365), 42, "man")
D = [TODAY - timedelta(days=days) for days in range(40, -1, -1)]  # D[-1] is today


def staff_actor(staff: Staff) -> Actor:
    return Actor(
        label=f"personal:{staff.id}",
        municipality_id=staff.municipality_id,
        role=staff.role,
        staff_id=staff.id,
    )


async def write_known_data(run, sessionmaker, tmp_path) -> dict:
    """Import the person from a file, then document a whole case period and start another."""
    cases = CaseService(sessionmaker)
    await cases.add_municipality(SYSTEM, "0580", "Linköping")
    other = await cases.add_municipality(SYSTEM, "0682", "Nässjö")
    bo = await cases.add_staff(SYSTEM, "aad-bo", "Bo Handläggare", "coordinator", "0580")
    cilla = await cases.add_staff(SYSTEM, "aad-cilla", "Cilla Samordnare", "coordinator", "0580")
    nassjo = Actor(label="test", municipality_id=other.id, role="coordinator")
    await cases.register_youth(
        nassjo, RegistrationInput(PERSON, "Annan", "Kommun", D[0], "annan", "annan"), today=TODAY
    )

    path = tmp_path / "intag.csv"
    path.write_text(
        "personnummer;fornamn;efternamn;registreringsdatum;orsak;kalla;adress;postnummer;ort;"
        "telefon;epost;vardnadshavare_namn;vardnadshavare_telefon;handlaggare\n"
        f"{PERSON};Elin;Berg;{D[0].isoformat()};avbrott_nationellt;gymnasieskola;"
        "Storgatan 1;582 23;Linköping;070-111 22 33;elin@example.se;Anna Berg;070-999 88 77;"
        "Bo Handläggare\n",
        encoding="utf-8",
    )
    imported = await asyncio.to_thread(run, "import", str(path), "--municipality", "0580")
    assert imported.exit_code == 0, imported.output
    assert "- 1 nya ungdomar registrerades." in imported.output

    actor = staff_actor(bo)
    async with sessionmaker() as session:
        first, youth_id = (
            await session.execute(
                select(KaaCase.id, KaaCase.youth_id).where(
                    KaaCase.municipality_id == bo.municipality_id
                )
            )
        ).one()
    contact = await cases.log_contact(
        actor,
        first,
        ContactInput(D[2], "telefon", "ungdomen", "nadd", "Vill börja plugga."),
        today=TODAY,
    )
    occupation = await cases.record_occupation(
        actor, first, "studier_komvux", D[3], 50, "Deltid", today=TODAY
    )
    # Each write is made on the day it happened, as the coordinator would have made it.
    await cases.revise_plan(
        actor, first, PlanInput("Börja gymnasiet", "SYV", "Snabbt", D[30]), today=D[3]
    )
    await cases.revise_plan(
        staff_actor(cilla), first, PlanInput("Börja komvux", None, None, None), today=TODAY
    )
    consent = await cases.record_consent(actor, first, D[4], "Arbetsförmedlingen", today=TODAY)
    measure = await cases.add_measure(
        actor,
        first,
        MeasureInput(
            "syv",
            description="Samtal",
            goal="Hitta utbildning",
            youth_responsibility="Komma",
            municipality_responsibility="Boka",
            other_actor="Skolan",
            other_actor_responsibility="Visa programmen",
            starts_on=D[5],
            ends_on=D[35],
            follow_up_on=D[15],
            evaluate_on=D[30],
        ),
        today=D[5],
    )
    await cases.evaluate_measure(
        actor, measure, D[10], "Har sökt", "Ledde till studier", today=TODAY
    )
    visit = await cases.plan_home_visit(
        actor, first, HomeVisitInput(D[6], bo.id, cilla.id, notice_sent_on=D[5]), today=D[5]
    )
    await cases.record_home_visit(actor, visit, D[6], "ej_hemma", "Lämnade infoblad", today=TODAY)
    async with sessionmaker() as session, session.begin():
        session.add(
            Reminder(
                municipality_id=bo.municipality_id,
                case_id=first,
                key=f"follow_up:{first}",
                kind="follow_up",
                due_on=D[38],
                snoozed_until=D[39],
            )
        )
    case = await CaseQueries(cases.sessionmaker).view(actor, first)
    await cases.close_case(
        actor,
        first,
        Closing(D[12], "annan", "Flyttar utomlands", (MeasureEnd(measure, D[12], "Klar"),)),
        expected_version=case.version,
        today=TODAY,
    )
    second = await cases.register_youth(
        staff_actor(cilla),
        RegistrationInput(PERSON, "Elin", "Berg", D[20], "inflyttad", "annan", school="Skolan"),
        new_period=True,
        today=TODAY,
    )
    return {
        "youth_id": youth_id,
        "bo": bo,
        "cilla": cilla,
        "first": first,
        "second": second.case_id,
        "contact": contact,
        "occupation": occupation,
        "consent": consent,
        "measure": measure,
        "visit": visit,
    }


def who(staff: Staff) -> dict:
    return {
        "id": staff.id,
        "name": staff.name,
        "role": {"code": "coordinator", "label": "handläggare"},
    }


async def test_registerutdrag_shows_exactly_what_was_written(run, sessionmaker, tmp_path):
    known = await write_known_data(run, sessionmaker, tmp_path)
    bo, cilla = who(known["bo"]), who(known["cilla"])

    result = await asyncio.to_thread(
        run, "registerutdrag", PERSON, "--municipality", "0580", "--json"
    )

    assert result.exit_code == 0, result.output
    extract = json.loads(result.output)
    assert extract["format"] == "kaa-registerutdrag/1"
    assert extract["municipality"] == {"code": "0580", "name": "Linköping"}
    youth = extract["youth"]
    created_at = youth.pop("created_at")
    assert youth == {
        "personnummer": PERSON,
        "is_samordningsnummer": False,
        "birth_date": date(int(PERSON[:4]), int(PERSON[4:6]), int(PERSON[6:8])).isoformat(),
        "gender": "kvinna",
        "first_name": "Elin",
        "last_name": "Berg",
        "address": "Storgatan 1",
        "postal_code": "582 23",
        "city": "Linköping",
        "phone": "070-111 22 33",
        "email": "elin@example.se",
        "protected_identity": False,
        "anonymised_on": None,
        "guardians": [
            {
                "name": "Anna Berg",
                "phone": "070-999 88 77",
                "email": None,
                "address": None,
                "postal_code": None,
                "city": None,
            }
        ],
        "changes": [],
    }
    assert created_at.endswith("+00:00")

    first, second = extract["cases"]
    assert first["id"] == known["first"] and second["id"] == known["second"]
    assert {key: first[key] for key in first if not isinstance(first[key], list)} == {
        "id": known["first"],
        "status": "closed",
        "registered_on": D[0].isoformat(),
        "registration_reason": {
            "code": "avbrott_nationellt",
            "label": "avbrott från nationellt program",
        },
        "source": {"code": "gymnasieskola", "label": "gymnasieskola / avbrott"},
        "school": None,
        "assigned_staff": bo,
        "deregistered_on": D[12].isoformat(),
        "deregistration_reason": {"code": "annan", "label": "annan orsak"},
        "deregistration_note": "Flyttar utomlands",
        "moved_to": None,
        "moved_on": None,
        "created_at": first["created_at"],
        "updated_at": first["updated_at"],
    }
    assert [_without(c, "created_at") for c in first["contacts"]] == [
        {
            "id": known["contact"],
            "occurred_on": D[2].isoformat(),
            "channel": {"code": "telefon", "label": "telefon"},
            "counterpart": {"code": "ungdomen", "label": "ungdomen"},
            "outcome": {"code": "nadd", "label": "nådd"},
            "note": "Vill börja plugga.",
            "staff": bo,
        }
    ]
    assert [_without(o, "created_at") for o in first["occupations"]] == [
        {
            "id": known["occupation"],
            "kind": {"code": "studier_komvux", "label": "studier – komvux"},
            "extent_percent": 50,
            "valid_from": D[3].isoformat(),
            "note": "Deltid",
            "staff": bo,
        }
    ]
    assert [_without(p, "created_at") for p in first["plans"]] == [
        {
            "revision": 1,
            "goals": "Börja gymnasiet",
            "needs": "SYV",
            "expectations": "Snabbt",
            "follow_up_on": D[30].isoformat(),
            "staff": bo,
        },
        {
            "revision": 2,
            "goals": "Börja komvux",
            "needs": None,
            "expectations": None,
            "follow_up_on": None,
            "staff": cilla,
        },
    ]
    assert first["consents"] == [
        {
            "id": known["consent"],
            "given_on": D[4].isoformat(),
            "actors": "Arbetsförmedlingen",
            "handover_to": None,
            "withdrawn_on": None,
            "staff": bo,
        }
    ]
    (measure,) = first["measures"]
    planned = {
        "measure_type": "syv",
        "description": "Samtal",
        "goal": "Hitta utbildning",
        "youth_responsibility": "Komma",
        "municipality_responsibility": "Boka",
        "other_actor": "Skolan",
        "other_actor_responsibility": "Visa programmen",
        "starts_on": D[5].isoformat(),
        "ends_on": D[35].isoformat(),
        "follow_up_on": D[15].isoformat(),
        "evaluate_on": D[30].isoformat(),
        "declined": False,
        "cancelled": False,
        "ended_on": None,
        "end_reason": None,
        "evaluated_on": None,
        "evaluation_outcome": None,
        "evaluation_effect": None,
    }
    evaluated = planned | {
        "evaluated_on": D[10].isoformat(),
        "evaluation_outcome": "Har sökt",
        "evaluation_effect": "Ledde till studier",
    }
    ended = evaluated | {"ended_on": D[12].isoformat(), "end_reason": "Klar"}
    assert _without(measure, "created_at", "revisions") == ended | {
        "id": known["measure"],
        "measure_type": {"code": "syv", "label": "studie- och yrkesvägledning"},
        "revision": 3,
    }
    assert [
        (revision["revision"], revision["snapshot"], revision["staff"])
        for revision in measure["revisions"]
    ] == [(1, planned, bo), (2, evaluated, bo), (3, ended, bo)]
    assert first["home_visits"] == [
        {
            "id": known["visit"],
            "planned_on": D[6].isoformat(),
            "first_staff": bo,
            "second_staff": cilla,
            "notice_sent_on": D[5].isoformat(),
            "visited_on": D[6].isoformat(),
            "outcome": {"code": "ej_hemma", "label": "ej hemma – infoblad lämnat"},
            "note": "Lämnade infoblad",
        }
    ]
    assert [_without(r, "id") for r in first["reminders"]] == [
        {
            "kind": "follow_up",
            "due_on": D[38].isoformat(),
            "done_at": None,
            "snoozed_until": D[39].isoformat(),
        }
    ]
    assert second["status"] == "active" and second["registered_on"] == D[20].isoformat()
    assert second["assigned_staff"] == cilla and second["school"] == "Skolan"
    assert second["registration_reason"]["code"] == "inflyttad"
    assert all(second[key] == [] for key in ("contacts", "plans", "measures", "reminders"))

    async with sessionmaker() as session:
        stored = list(
            await session.scalars(
                select(AuditEntry)
                .where(
                    or_(
                        AuditEntry.case_id.in_([known["first"], known["second"]]),
                        AuditEntry.youth_id == known["youth_id"],
                    )
                )
                .order_by(AuditEntry.at, AuditEntry.id)
            )
        )
    assert [(e["action"], e["case_id"], e["actor"]) for e in extract["audit"]] == [
        (entry.action, entry.case_id, entry.actor) for entry in stored
    ]
    actions = [e["action"] for e in extract["audit"]]
    assert actions[:2] == ["youth.create", "case.register"]
    assert actions[-1] == "youth.extract"
    assert "case.read" in actions and "measure.evaluate" in actions
    assert extract["audit"][0]["actor"] == "cli" and extract["audit"][0]["staff"] is None
    reads = [e for e in extract["audit"] if e["action"] == "case.read"]
    assert reads[0]["staff"] == bo
    assert all("Annan" not in json.dumps(e) for e in extract["audit"])
    assert "Kommun" not in result.output


async def test_registerutdrag_as_text(run, sessionmaker, tmp_path):
    known = await write_known_data(run, sessionmaker, tmp_path)
    result = await asyncio.to_thread(run, "registerutdrag", PERSON, "--municipality", "0580")
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith("REGISTERUTDRAG – Linköping (0580)")
    for expected in (
        f"Personnummer: {PERSON[:8]}-{PERSON[8:]}",
        "Namn: Elin Berg",
        "Adress: Storgatan 1, 582 23 Linköping",
        "Vårdnadshavare: Anna Berg, telefon 070-999 88 77",
        f"ÄRENDE {known['first']} (avslutat)",
        f"ÄRENDE {known['second']} (aktivt)",
        "Orsak: avbrott från nationellt program",
        "Handläggare: Bo Handläggare (handläggare)",
        f"  {D[2].isoformat()} telefon, ungdomen, nådd; anteckning: Vill börja plugga.",
        "studier – komvux 50 %",
        "version 2",
        "Börja komvux",
        "givet",
        "studie- och yrkesvägledning",
        "evaluation_effect: Ledde till studier",
        "utfall ej hemma – infoblad lämnat",
        "follow_up senast",
        "VEM HAR LÄST ELLER ÄNDRAT UPPGIFTERNA",
        "cli registrerade ärendet",
        "Bo Handläggare (handläggare) läste ärendet",
        "tog ut registerutdrag",
    ):
        assert expected in text, expected


async def test_unknown_and_invalid_personnummer(run, sessionmaker):
    cases = CaseService(sessionmaker)
    await cases.add_municipality(SYSTEM, "0580", "Linköping")
    unknown = await asyncio.to_thread(
        run, "registerutdrag", OTHER, "--municipality", "0580", "--json"
    )
    assert unknown.exit_code == 1
    assert "Det finns inga uppgifter om det personnumret i kommunen." in unknown.output
    invalid = await asyncio.to_thread(
        run, "registerutdrag", OTHER[:-1] + str((int(OTHER[-1]) + 1) % 10), "--municipality", "0580"
    )
    assert invalid.exit_code == 2
    assert "Kontrollsiffran stämmer inte" in invalid.output
    no_municipality = await asyncio.to_thread(
        run, "registerutdrag", OTHER, "--municipality", "1234"
    )
    assert no_municipality.exit_code == 1 and "ingen kommun" in no_municipality.output
    async with sessionmaker() as session:
        extracts = await session.scalars(
            select(AuditEntry).where(AuditEntry.action == "youth.extract")
        )
        assert list(extracts) == []


def _without(item: dict, *keys: str) -> dict:
    return {key: value for key, value in item.items() if key not in keys}
