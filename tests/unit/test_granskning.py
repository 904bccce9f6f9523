"""Audit grading on cases built to pass, or to fail each criterion."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from storage.reports.granskning import (
    Area,
    ClosingItem,
    ContactItem,
    GradingCase,
    MeasureItem,
    PlanItem,
    Status,
    closing_gaps,
    common_gaps,
    grade_case,
    summary,
)
from storage.routine import RoutineSettings

ROUTINE = RoutineSettings()
REGISTERED = date(2026, 1, 12)
TODAY = date(2026, 6, 1)
PLAN = PlanItem("Börja studera", "Vägledning", "Hitta ett program", date(2026, 3, 1))


def monthly(start: date, until: date) -> tuple[ContactItem, ...]:
    days, day = [], start
    while day <= until:
        days.append(ContactItem(day, established=True))
        day += timedelta(days=28)
    return tuple(days)


def complete_measure(**changes: object) -> MeasureItem:
    values: dict[str, object] = {
        "measure_type": "praktik",
        "youth_responsibility": "Komma i tid",
        "municipality_responsibility": "Ordna platsen",
        "starts_on": date(2026, 2, 1),
        "ends_on": date(2026, 4, 30),
        "follow_up_on": date(2026, 3, 1),
        "evaluate_on": date(2026, 5, 15),
        "ended_on": date(2026, 4, 30),
        "end_reason": "Klar",
        "evaluated_on": date(2026, 5, 15),
        "evaluation_outcome": "Fick jobb",
        "evaluation_effect": "Ledde till arbete",
    }
    values.update(changes)
    return MeasureItem(**values)  # type: ignore[arg-type]


def case(**changes: object) -> GradingCase:
    values: dict[str, object] = {
        "case_id": 1,
        "registered_on": REGISTERED,
        "contacts": monthly(REGISTERED + timedelta(days=2), TODAY),
        "plan": PLAN,
        "measures": (complete_measure(),),
    }
    values.update(changes)
    return GradingCase(**values)  # type: ignore[arg-type]


def grade(area: Area, **changes: object):
    return grade_case(case(**changes), ROUTINE, TODAY).areas[area]


def test_a_well_documented_case_meets_every_area():
    result = grade_case(case(), ROUTINE, TODAY)
    assert {a: g.status for a, g in result.areas.items()} == dict.fromkeys(Area, Status.UPPFYLLER)
    assert result.missing == []


def test_kontakt_nothing_logged_fails():
    result = grade(Area.KONTAKT, contacts=())
    assert result.status == Status.INTE
    assert result.missing == ("ingen kontakt eller kontaktförsök är dokumenterad",)


def test_kontakt_a_new_case_has_time_for_the_first_attempt():
    fresh = grade_case(case(registered_on=TODAY - timedelta(days=3), contacts=()), ROUTINE, TODAY)
    assert fresh.areas[Area.KONTAKT].status == Status.UPPFYLLER


def test_kontakt_late_first_attempt_is_partial():
    result = grade(Area.KONTAKT, contacts=monthly(REGISTERED + timedelta(days=30), TODAY))
    assert result.status == Status.DELVIS
    assert result.missing == ("första kontaktförsöket gjordes 30 dagar efter registreringen",)


def test_kontakt_starting_with_a_home_visit_is_partial():
    contacts = (
        ContactItem(REGISTERED + timedelta(days=3), True, home_visit=True),
        *monthly(REGISTERED + timedelta(days=20), TODAY),
    )
    result = grade(Area.KONTAKT, contacts=contacts)
    assert result.status == Status.DELVIS
    assert "kontakten började med ett hembesök" in result.missing[0]


def test_kontakt_late_home_visit_is_partial():
    letter = REGISTERED + timedelta(days=2)
    contacts = (
        ContactItem(letter, False),
        ContactItem(letter + timedelta(days=30), False),
        ContactItem(letter + timedelta(days=91), True, home_visit=True),
        *monthly(letter + timedelta(days=100), TODAY),
    )
    result = grade(Area.KONTAKT, contacts=contacts)
    assert result.status == Status.DELVIS
    assert result.missing == ("hembesöket gjordes ca 3 mån efter första försöket (rutin: ca 2)",)


def test_kontakt_missing_follow_up_and_home_visit_when_unreached():
    result = grade(Area.KONTAKT, contacts=(ContactItem(REGISTERED + timedelta(days=2), False),))
    assert result.status == Status.DELVIS
    assert result.missing == (
        "uppföljning ca 1 mån efter första försöket saknas",
        "hembesök saknas trots att kontakt inte nåtts",
    )


def test_kontakt_no_follow_up_after_an_unmet_home_visit():
    letter = REGISTERED + timedelta(days=2)
    contacts = (
        ContactItem(letter, False),
        ContactItem(letter + timedelta(days=30), False),
        ContactItem(letter + timedelta(days=60), False, home_visit=True),
    )
    result = grade(Area.KONTAKT, contacts=contacts)
    assert result.missing == ("uppföljning efter hembesöket saknas",)


def test_kontakt_regular_follow_up_gap_is_partial():
    contacts = (ContactItem(REGISTERED + timedelta(days=2), True),)
    result = grade(Area.KONTAKT, contacts=contacts)
    assert result.status == Status.DELVIS
    assert result.missing[0].endswith("dagar utan uppföljning (rutin: var 1:e månad)")


def test_kartlaggning_without_plan_and_responsibilities_fails():
    bare = complete_measure(youth_responsibility=None, municipality_responsibility=None)
    result = grade(Area.KARTLAGGNING, plan=None, measures=(bare,))
    assert result.status == Status.INTE
    assert result.missing == (
        "kartläggning med ungdomens mål saknas",
        "insats Praktik saknar vad ungdomen ansvarar för",
        "insats Praktik saknar vad kommunen ansvarar för",
    )


def test_kartlaggning_without_plan_but_with_responsibilities_is_partial():
    assert grade(Area.KARTLAGGNING, plan=None).status == Status.DELVIS


def test_kartlaggning_plan_without_needs_timeline_or_other_actor_duty_is_partial():
    plan = PlanItem("Börja studera", None, "Hitta ett program", None)
    measure = complete_measure(other_actor="Arbetsförmedlingen")
    result = grade(Area.KARTLAGGNING, plan=plan, measures=(measure,))
    assert result.status == Status.DELVIS
    assert set(result.missing) == {
        "kartläggningen saknar ungdomens behov",
        "insats Praktik saknar vad den andra aktören ansvarar för",
        "kartläggningen saknar tidpunkt för uppföljning",
    }


def test_kartlaggning_is_not_judged_before_any_contact():
    unreached = (ContactItem(REGISTERED + timedelta(days=2), False),)
    assert grade(Area.KARTLAGGNING, plan=None, contacts=unreached, measures=()).status == (
        Status.EJ_AKTUELL
    )


def test_atgarder_missing_end_reason():
    measure = complete_measure(ended_on=None, end_reason=None)
    result = grade(Area.ATGARDER, measures=(measure,))
    assert result.status == Status.DELVIS
    assert result.missing == ("insats Praktik saknar avslutsorsak",)


def test_atgarder_without_any_dates_fails():
    measure = complete_measure(starts_on=None, ends_on=None, ended_on=None, end_reason=None)
    result = grade(Area.ATGARDER, measures=(measure,))
    assert result.status == Status.INTE
    assert result.missing == (
        "insats Praktik saknar startdatum",
        "insats Praktik saknar planerat slutdatum",
    )


def test_atgarder_annan_needs_a_description():
    measure = complete_measure(measure_type="annan")
    result = grade(Area.ATGARDER, measures=(measure,))
    assert result.missing == ("insats Annan åtgärd saknar beskrivning av vad insatsen är",)


def test_atgarder_none_documented_long_after_contact_fails():
    result = grade(Area.ATGARDER, measures=())
    assert result.status == Status.INTE
    assert result.missing == ("ingen insats är dokumenterad",)


def test_utvardering_missing_for_an_ended_measure_fails():
    measure = complete_measure(evaluated_on=None, evaluation_outcome=None, evaluation_effect=None)
    result = grade(Area.UTVARDERING, measures=(measure,))
    assert result.status == Status.INTE
    assert result.missing == ("insats Praktik saknar dokumenterad utvärdering av effekten",)


def test_utvardering_without_planned_dates_is_partial():
    measure = complete_measure(
        follow_up_on=None,
        evaluate_on=None,
        ended_on=None,
        ends_on=date(2026, 9, 1),
        end_reason=None,
        evaluated_on=None,
    )
    result = grade(Area.UTVARDERING, measures=(measure,))
    assert result.status == Status.DELVIS
    assert result.missing == (
        "insats Praktik saknar datum för uppföljning",
        "insats Praktik saknar datum för utvärdering",
    )


def test_utvardering_without_effect_counts_as_missing():
    measure = complete_measure(evaluation_effect=" ")
    assert grade(Area.UTVARDERING, measures=(measure,)).status == Status.INTE


def test_declined_measures_are_not_graded():
    declined = MeasureItem("praktik", declined=True)
    assert grade(Area.UTVARDERING, measures=(declined,)).status == Status.EJ_AKTUELL


def test_summary_counts_like_an_auditors_table():
    grades = [
        grade_case(case(case_id=1), ROUTINE, TODAY),
        grade_case(case(case_id=2, contacts=()), ROUTINE, TODAY),
    ]
    table = summary(grades)
    assert table[Area.KONTAKT][Status.UPPFYLLER] == 1
    assert table[Area.KONTAKT][Status.INTE] == 1


# Closing checks: a closed case also needs a reason, no open measure, a known occupation.


def closed(reason: str | None = "fyllt_20", occupation: str | None = "arbete", **changes):
    base = GradingCase(
        7,
        REGISTERED,
        monthly(REGISTERED + timedelta(days=3), date(2026, 5, 1)),
        PLAN,
        (complete_measure(),),
        closing=ClosingItem(date(2026, 5, 4), reason, occupation),
    )
    return replace(base, **changes)


def test_a_well_closed_case_meets_the_measure_requirements():
    assert closing_gaps(closed()) == []
    assert grade_case(closed(), ROUTINE, TODAY).areas[Area.ATGARDER].status == Status.UPPFYLLER


@pytest.mark.parametrize(
    ("case", "gap"),
    [
        (closed(reason=None), "ärendet avslutades utan orsak"),
        (closed(occupation=None), "sysselsättning vid avslut saknas"),
        (closed(occupation="okand"), "sysselsättningen vid avslut är okänd"),
        (
            closed(measures=(complete_measure(ended_on=None, end_reason=None),)),
            "insats Praktik var inte avslutad med orsak när ärendet avslutades",
        ),
        (
            closed(measures=(complete_measure(ended_on=date(2026, 6, 1)),)),
            "insats Praktik var inte avslutad med orsak när ärendet avslutades",
        ),
    ],
)
def test_closing_gaps_make_the_measures_only_partly_met(case, gap):
    grade = grade_case(case, ROUTINE, TODAY).areas[Area.ATGARDER]

    assert closing_gaps(case) == [gap]
    assert grade.status == Status.DELVIS and gap in grade.missing


def test_a_closing_gap_without_measures_is_partly_met_and_not_met_stays():
    nothing_yet = closed(reason=None, measures=(), contacts=())
    undated = closed(reason=None, measures=(complete_measure(starts_on=None, ends_on=None),))

    grade = grade_case(nothing_yet, ROUTINE, TODAY).areas[Area.ATGARDER]
    assert (grade.status, grade.missing) == (Status.DELVIS, ("ärendet avslutades utan orsak",))
    assert grade_case(undated, ROUTINE, TODAY).areas[Area.ATGARDER].status == Status.INTE


def test_the_most_common_gaps_comment_the_table():
    grades = [
        grade_case(closed(occupation=None), ROUTINE, TODAY),
        grade_case(closed(occupation=None, reason=None), ROUTINE, TODAY),
        grade_case(closed(), ROUTINE, TODAY),
    ]

    assert common_gaps(grades, Area.ATGARDER) == [
        ("sysselsättning vid avslut saknas", 2),
        ("ärendet avslutades utan orsak", 1),
    ]
    assert common_gaps(grades, Area.UTVARDERING) == []
