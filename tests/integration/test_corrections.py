"""Correcting saved data through the case API, on both databases: the rules apply again, every
change keeps the old value and is audited, and a removed entry counts nowhere but is kept."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from scheduler.loading import load_case_facts
from storage.case_errors import CaseError, NeedsConfirmation, NotAllowed, NotFound
from storage.cases import (
    CaseService,
    Closing,
    ContactInput,
    GuardianInput,
    HomeVisitInput,
    MeasureEnd,
    MeasureInput,
    PlanInput,
)
from storage.history import Record
from storage.models import (
    AuditEntry,
    ContactEvent,
    Correction,
    Guardian,
    Measure,
    MeasureRevision,
    PlanRevision,
    RemovedEntry,
    Youth,
)
from storage.registerutdrag import build_registerutdrag
from storage.registerutdrag_text import format_text
from storage.reports.kpi import key_figures
from storage.reports.period import parse_period
from storage.reports.scb import scb_file
from storage.scb.calendar import ScbCalendar
from tests.integration.capture import TODAY, count, rows
from tests.integration.report_fixture import build

TOMORROW = TODAY + timedelta(days=1)


async def _history(sessionmaker) -> list[tuple[str, str, str | None, str | None]]:
    return [
        (c.record, c.field, c.old_value, c.new_value) for c in await rows(sessionmaker, Correction)
    ]


async def _actions(sessionmaker) -> list[tuple[str, str | None]]:
    return [(a.action, a.detail) for a in await rows(sessionmaker, AuditEntry)]


async def test_the_youth_s_details_are_corrected_and_the_old_values_kept(capture, sessionmaker):
    case_id = await capture.register("Elin", serial=1, phone="070-111 22 33")
    changed = await capture.cases.correct_youth(
        capture.anna,
        case_id,
        {"phone": "070-222 33 44", "email": " elin@example.se ", "school": "X"},
    )
    assert sorted(changed) == ["email", "phone", "school"]
    assert (
        await capture.cases.correct_youth(capture.anna, case_id, {"phone": "070-222 33 44"}) == []
    )
    history = await _history(sessionmaker)
    assert ("youth", "phone", "070-111 22 33", "070-222 33 44") in history
    assert ("youth", "email", None, "elin@example.se") in history
    assert ("youth", "school", None, "X") in history
    action, detail = (await _actions(sessionmaker))[-1]
    assert action == "youth.correct" and "070" not in (detail or "")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"city": "Å" * 150}, r"Fältet ort är för långt \(högst 100 tecken\)"),
        ({"phone": "ring mamma"}, "telefonnummer med siffror"),
        ({"first_name": "Elin2"}, "Förnamn får inte innehålla siffror"),
        ({"last_name": ""}, "Efternamn saknas"),
        ({"postal_code": "5822"}, "fem siffror"),
        ({"personnummer": "200805171234"}, "Det går inte att ändra personnummer"),
    ],
)
async def test_a_refused_correction_changes_nothing(capture, sessionmaker, changes, message):
    case_id = await capture.register("Elin", serial=2)
    with pytest.raises(CaseError, match=message):
        await capture.cases.correct_youth(capture.anna, case_id, changes)
    assert await _history(sessionmaker) == []
    (youth,) = await rows(sessionmaker, Youth)
    assert (youth.city, youth.first_name) == ("Linköping", "Elin")


async def test_protected_identity_removes_the_address_and_keeps_it_nowhere(capture, sessionmaker):
    case_id = await capture.register("Saga", serial=3)
    assert await capture.cases.correct_youth(
        capture.anna, case_id, {"protected_identity": True}
    ) == ["protected_identity"]
    (youth,) = await rows(sessionmaker, Youth)
    assert (youth.address, youth.postal_code, youth.city) == (None, None, None)
    assert await _history(sessionmaker) == [("youth", "protected_identity", "nej", "ja")]
    with pytest.raises(CaseError, match="ingen adress"):
        await capture.cases.correct_youth(capture.anna, case_id, {"city": "Linköping"})
    await capture.cases.correct_youth(capture.anna, case_id, {"protected_identity": False})
    await capture.cases.correct_youth(capture.anna, case_id, {"city": "Motala"})
    assert (await rows(sessionmaker, Youth))[0].city == "Motala"


async def test_guardians_are_added_changed_and_removed_with_their_history(capture, sessionmaker):
    case_id = await capture.register("Nora", serial=4)
    guardian = await capture.cases.add_guardian(
        capture.anna, case_id, GuardianInput("Anna Berg", "070-999 88 77", "anna@example.se")
    )
    assert await capture.cases.correct_guardian(
        capture.anna, case_id, guardian, {"phone": "070-999 00 00"}
    ) == ["phone"]
    with pytest.raises(CaseError, match="Vårdnadshavarens e-postadress"):
        await capture.cases.correct_guardian(capture.anna, case_id, guardian, {"email": "nej"})
    other = await capture.register("Omar", serial=5)
    with pytest.raises(NotFound):
        await capture.cases.remove_guardian(capture.anna, other, guardian)
    await capture.cases.remove_guardian(capture.anna, case_id, guardian)
    assert await count(sessionmaker, Guardian) == 0
    history = await _history(sessionmaker)
    assert ("guardian", "email", None, "anna@example.se") in history
    assert ("guardian", "phone", "070-999 88 77", "070-999 00 00") in history
    assert ("guardian", "name", "Anna Berg", None) in history


async def test_a_contact_is_corrected_by_the_same_rules(capture, sessionmaker):
    case_id = await capture.register("Ebba", serial=6)
    contact = await capture.cases.log_contact(
        capture.anna, case_id, ContactInput(date(2026, 3, 2), "telefon", "ungdomen", "nadd"),
        today=TODAY,
    )  # fmt: skip
    correct = capture.cases.correct_record
    with pytest.raises(CaseError, match="kan inte ligga i framtiden"):
        await correct(capture.anna, Record.CONTACT, contact, {"occurred_on": TOMORROW}, today=TODAY)
    before = {"occurred_on": date(2026, 1, 5)}
    with pytest.raises(NeedsConfirmation, match="före registreringen"):
        await correct(capture.anna, Record.CONTACT, contact, before, today=TODAY)
    assert await correct(
        capture.anna, Record.CONTACT, contact, before, today=TODAY, confirmed=True
    ) == ["occurred_on"]
    # A note on a contact before the registration is not asked about again.
    await correct(capture.anna, Record.CONTACT, contact, {"note": " Ringer igen "}, today=TODAY)
    with pytest.raises(CaseError, match="Okänt värde för kanal"):
        await correct(capture.anna, Record.CONTACT, contact, {"channel": "brevduva"}, today=TODAY)
    with pytest.raises(CaseError, match="Det går inte att ändra staff_id"):
        await correct(capture.anna, Record.CONTACT, contact, {"staff_id": 9}, today=TODAY)
    with pytest.raises(NotAllowed):
        await correct(capture.chef, Record.CONTACT, contact, {"note": "x"}, today=TODAY)
    with pytest.raises(NotFound):
        await correct(capture.other, Record.CONTACT, contact, {"note": "x"}, today=TODAY)
    (event,) = await rows(sessionmaker, ContactEvent)
    assert (event.occurred_on, event.note) == (date(2026, 1, 5), "Ringer igen")
    assert ("contact", "occurred_on", "2026-03-02", "2026-01-05") in await _history(sessionmaker)


async def test_occupation_home_visit_and_plan_corrections(capture, sessionmaker):
    case_id = await capture.register("Alva", serial=7)
    cases, anna = capture.cases, capture.anna
    occupation = await cases.record_occupation(
        anna, case_id, "arbete", date(2026, 3, 1), today=TODAY
    )
    await cases.correct_record(
        anna, Record.OCCUPATION, occupation, {"kind": "praktik", "extent_percent": 50}, today=TODAY
    )
    with pytest.raises(CaseError, match="1–100"):
        await cases.correct_record(
            anna, Record.OCCUPATION, occupation, {"extent_percent": 150}, today=TODAY
        )
    visit = await cases.plan_home_visit(
        anna, case_id, HomeVisitInput(TOMORROW, anna.staff_id, None), today=TODAY
    )
    with pytest.raises(CaseError, match="inte gjort än"):
        await cases.correct_record(
            anna, Record.HOME_VISIT, visit, {"visited_on": TODAY}, today=TODAY
        )
    with pytest.raises(CaseError, match="planerat datum"):
        await cases.correct_record(
            anna, Record.HOME_VISIT, visit, {"planned_on": date(2026, 3, 1)}, today=TODAY
        )
    await cases.correct_record(
        anna, Record.HOME_VISIT, visit, {"planned_on": TOMORROW + timedelta(days=7)}, today=TODAY
    )
    await cases.revise_plan(
        anna, case_id, PlanInput("Börja komvux", follow_up_on=TOMORROW), today=TODAY
    )
    assert await cases.change_plan_follow_up(anna, case_id, date(2026, 5, 1), today=TODAY) == 2
    with pytest.raises(CaseError, match="planerat datum"):
        await cases.change_plan_follow_up(anna, case_id, date(2026, 3, 1), today=TODAY)
    plans = await rows(sessionmaker, PlanRevision)
    assert [(p.revision, p.goals, p.follow_up_on) for p in plans] == [
        (1, "Börja komvux", TOMORROW),
        (2, "Börja komvux", date(2026, 5, 1)),
    ]
    history = await _history(sessionmaker)
    assert ("occupation", "kind", "arbete", "praktik") in history
    assert ("occupation", "extent_percent", "100", "50") in history
    assert ("home_visit", "planned_on", TOMORROW.isoformat(), "2026-03-26") in history
    assert ("plan", "follow_up_on", TOMORROW.isoformat(), "2026-05-01") in history


async def test_each_change_of_a_measure_is_a_new_revision(capture, sessionmaker):
    case_id = await capture.register("Leah", serial=8)
    measure = await capture.cases.add_measure(
        capture.anna,
        case_id,
        MeasureInput("praktik", starts_on=date(2026, 3, 1), ends_on=date(2026, 4, 1)),
        today=TODAY,
    )
    correct = capture.cases.correct_record
    await correct(capture.anna, Record.MEASURE, measure, {"ends_on": date(2026, 6, 1)}, today=TODAY)
    await correct(
        capture.anna, Record.MEASURE, measure, {"youth_responsibility": "Komma i tid"}, today=TODAY
    )
    with pytest.raises(CaseError, match="Slutdatumet kan inte ligga före startdatumet"):
        await correct(
            capture.anna, Record.MEASURE, measure, {"ends_on": date(2026, 2, 1)}, today=TODAY
        )
    with pytest.raises(CaseError, match="före registreringen"):
        await correct(
            capture.anna, Record.MEASURE, measure, {"starts_on": date(2026, 1, 1)}, today=TODAY
        )
    with pytest.raises(CaseError, match="vad den andra aktören ansvarar för"):
        await correct(capture.anna, Record.MEASURE, measure, {"other_actor": "AF"}, today=TODAY)
    revisions = await rows(sessionmaker, MeasureRevision)
    assert [
        (r.revision, r.snapshot["ends_on"], r.snapshot["youth_responsibility"]) for r in revisions
    ] == [
        (1, "2026-04-01", None),
        (2, "2026-06-01", None),
        (3, "2026-06-01", "Komma i tid"),
    ]


async def test_a_measure_that_has_not_started_is_cancelled_so_the_case_closes(
    capture, sessionmaker
):
    case_id = await capture.register("Hugo", serial=9)
    later = TODAY + timedelta(days=14)
    measure = await capture.cases.add_measure(
        capture.anna, case_id, MeasureInput("syv", starts_on=later), today=TODAY
    )
    with pytest.raises(CaseError, match="inte börjat än"):
        await capture.cases.end_measure(capture.anna, measure, TODAY, "Klar", today=TODAY)
    await capture.cases.cancel_measure(capture.anna, measure, "Platsen drogs in", today=TODAY)
    (cancelled,) = await rows(sessionmaker, Measure)
    assert (cancelled.cancelled, cancelled.ended_on, cancelled.end_reason) == (
        True, TODAY, "Platsen drogs in",
    )  # fmt: skip
    with pytest.raises(CaseError, match="avbröts innan den började"):
        await capture.cases.evaluate_measure(capture.anna, measure, TODAY, "a", "b", today=TODAY)
    started = await capture.cases.add_measure(
        capture.anna, case_id, MeasureInput("praktik", starts_on=date(2026, 3, 1)), today=TODAY
    )
    with pytest.raises(CaseError, match="redan börjat"):
        await capture.cases.cancel_measure(capture.anna, started, "x", today=TODAY)
    async with sessionmaker() as session:
        (loaded,) = await load_case_facts(session, id_range=(case_id, case_id))
    assert [m.measure_id for m in loaded.facts.measures] == [started]


async def test_closing_cancels_a_measure_that_has_not_started_by_then(capture, sessionmaker):
    case_id = await capture.register("Ali", serial=10)
    measure = await capture.cases.add_measure(
        capture.anna,
        case_id,
        MeasureInput("syv", starts_on=TODAY + timedelta(days=30)),
        today=TODAY,
    )
    case = await capture.cases.get_case(capture.anna, case_id)
    await capture.cases.close_case(
        capture.anna,
        case_id,
        Closing(TODAY, "flyttat", measure_ends=(MeasureEnd(measure, TODAY, "Flyttade"),)),
        case.version,
        today=TODAY,
    )
    (cancelled,) = await rows(sessionmaker, Measure)
    assert cancelled.cancelled and cancelled.ended_on == TODAY


async def test_closing_as_fyllt_20_waits_for_the_birthday(capture):
    case_id = await capture.register("Nils", serial=11)
    case = await capture.cases.get_case(capture.anna, case_id)
    with pytest.raises(CaseError, match="fyller 20 år först 2028-05-17"):
        await capture.cases.close_case(
            capture.anna, case_id, Closing(TODAY, "fyllt_20"), case.version, today=TODAY
        )
    with pytest.raises(CaseError, match="kan inte ligga i framtiden"):
        await capture.cases.close_case(
            capture.anna, case_id, Closing(TOMORROW, "flyttat"), case.version, today=TODAY
        )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"city": "Ö" * 150}, r"Fältet ort är för långt \(högst 100 tecken\)"),
        ({"first_name": "3lin"}, "Förnamn får inte innehålla siffror"),
        ({"registered_on": TOMORROW}, "kan inte ligga i framtiden"),
        ({"registered_on": date(2024, 6, 1)}, "skolpliktig"),
    ],
)
async def test_registration_is_refused_by_the_same_rules(capture, sessionmaker, changes, message):
    values = {"first_name": "Elin", **changes}
    with pytest.raises(CaseError, match=message):
        await capture.register(values.pop("first_name"), serial=12, **values)
    assert await count(sessionmaker, Youth) == 0


async def test_a_removed_entry_counts_nowhere_but_is_kept(sessionmaker):
    fixture = await build(CaseService(sessionmaker))
    cases, actor = CaseService(sessionmaker), fixture.coordinator
    a, b = fixture.cases["A"], fixture.cases["B"]
    period = await ScbCalendar(sessionmaker).period("2026H1")
    half_year = parse_period("2026H1")
    before = (await key_figures(sessionmaker, fixture.manager, half_year)).get("ej_kontaktade")
    async with sessionmaker() as session:
        contacts = {
            c.case_id: c for c in await session.scalars(
                select(ContactEvent).where(ContactEvent.outcome == "nadd")
            )
        }  # fmt: skip
        measure = await session.scalar(select(Measure).where(Measure.case_id == a))
    await cases.remove_record(actor, Record.CONTACT, contacts[a].id, "Dubblett av ett samtal")
    await cases.remove_record(actor, Record.CONTACT, contacts[b].id, "Fel ungdom")
    await cases.remove_record(actor, Record.MEASURE, measure.id, "Registrerad av misstag")
    with pytest.raises(CaseError, match="Skriv varför"):
        await cases.remove_record(actor, Record.CONTACT, contacts[a].id + 1000, " ")

    after = await key_figures(sessionmaker, fixture.manager, half_year)
    assert after.get("ej_kontaktade").total == before.total + 2
    assert [f.total for f in after.breakdown("insatser_per_typ") if f.category == "praktik"] in (
        [],
        [0],
    )
    rows_by_pnr = {
        row["personnummer"]: row
        for row in (await scb_file(sessionmaker, fixture.manager, period)).rows
    }
    assert (
        rows_by_pnr[fixture.personnummer["A"]]["kontakt"]
        == rows_by_pnr[fixture.personnummer["C"]]["kontakt"]
    )
    assert (
        rows_by_pnr[fixture.personnummer["A"]]["atgarder"]
        == rows_by_pnr[fixture.personnummer["C"]]["atgarder"]
    )
    async with sessionmaker() as session:
        (facts,) = await load_case_facts(session, id_range=(b, b))
    assert facts.facts.history.last_reached is None and facts.facts.history.last_attempt

    removed = await rows(sessionmaker, RemovedEntry)
    assert [(r.record, r.reason) for r in removed] == [
        ("contact", "Dubblett av ett samtal"),
        ("contact", "Fel ungdom"),
        ("measure", "Registrerad av misstag"),
    ]
    assert removed[0].snapshot["occurred_on"] == "2025-10-05"
    assert [r["revision"] for r in removed[2].snapshot["revisions"]] == [1, 2]
    assert await count(sessionmaker, MeasureRevision) == 0
    actions = [action for action, _detail in await _actions(sessionmaker)]
    assert actions.count("contact.remove") == 2 and "measure.remove" in actions


async def test_the_registerutdrag_shows_the_history(capture, sessionmaker):
    case_id = await capture.register("Tilda", serial=13, phone="070-111 22 33")
    cases, anna = capture.cases, capture.anna
    await cases.correct_youth(anna, case_id, {"phone": "070-222 33 44"})
    contact = await cases.log_contact(
        anna, case_id, ContactInput(date(2026, 3, 2), "sms", "ungdomen", "nadd"), today=TODAY
    )
    await cases.correct_record(anna, Record.CONTACT, contact, {"channel": "telefon"}, today=TODAY)
    await cases.remove_record(anna, Record.CONTACT, contact, "Dubblett")
    measure = await cases.add_measure(
        anna, case_id, MeasureInput("syv", starts_on=TOMORROW), today=TODAY
    )
    await cases.cancel_measure(anna, measure, "Inställd", today=TODAY)
    (youth,) = await rows(sessionmaker, Youth)

    extract = await build_registerutdrag(sessionmaker, anna, youth.personnummer, TODAY)

    (change,) = extract["youth"]["changes"]
    assert (change["record"], change["field"], change["old_value"], change["new_value"]) == (
        "youth", "phone", "070-111 22 33", "070-222 33 44",
    )  # fmt: skip
    assert change["staff"]["name"] == "Anna Ek" and change["case_id"] == case_id
    (case,) = extract["cases"]
    assert [(c["record"], c["field"], c["new_value"]) for c in case["changes"]] == [
        ("contact", "channel", "telefon")
    ]
    (removed,) = case["removed"]
    assert (removed["record"], removed["record_id"], removed["reason"]) == (
        "contact", contact, "Dubblett",
    )  # fmt: skip
    assert removed["snapshot"]["channel"] == "telefon" and case["contacts"] == []
    assert [m["cancelled"] for m in case["measures"]] == [True]
    actions = [entry["action"] for entry in extract["audit"]]
    assert {"youth.correct", "contact.correct", "contact.remove", "measure.cancel"} <= set(actions)

    text = format_text(extract, ZoneInfo("Europe/Stockholm"))
    assert "ungdomen " in text and "telefon: 070-111 22 33 → 070-222 33 44" in text
    assert "kontakt " in text and "kanal: sms → telefon" in text
    assert "Borttaget som felaktigt:" in text and "Dubblett; uppgifterna var:" in text
    assert "avbruten före starten" in text
    assert "rättade personuppgifterna" in text and "tog bort en kontakt som felaktig" in text
