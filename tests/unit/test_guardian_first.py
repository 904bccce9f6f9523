"""Under 18 the guardian comes first: the contact routine's reminders say so and name the
guardian in the 1:1 digest, and granskning checks that the guardian was contacted."""

from __future__ import annotations

from datetime import date

import pytest

from dialogs.digest import digest_reply, guardian_text
from scheduler.facts import CaseFacts
from scheduler.messages import CaseLabel, PersonalDigest
from scheduler.rules import GUARDIAN_KINDS, GUARDIAN_NOTE, Kind, due_reminders, group_for_digest
from storage.eligibility import turns_18_on
from storage.reports.granskning import ContactItem, GradingCase, Status, grade_contact
from storage.routine import RoutineSettings
from tests.histories import Contact, Visit, summarise

SETTINGS = RoutineSettings()
REGISTERED = date(2026, 3, 2)


def case(birth: date, *contacts: Contact, visits: tuple[Visit, ...] = ()) -> CaseFacts:
    return CaseFacts(17, REGISTERED, birth, history=summarise(contacts, visits))


def kinds(facts: CaseFacts, today: date) -> dict[str, bool]:
    """Each due reminder's kind and whether it goes to the guardian first."""
    return {str(r.kind): r.guardian_first for r in due_reminders(facts, SETTINGS, today, 60)}


def test_a_minors_contact_routine_goes_to_the_guardian_first():
    minor = case(date(2009, 9, 1))

    due = due_reminders(minor, SETTINGS, date(2026, 3, 4), 30)

    assert {str(r.kind) for r in due} == {"first_contact", "contact_goal"}
    for reminder in due:
        assert reminder.guardian_first and reminder.detail.endswith(GUARDIAN_NOTE)
    adult = {
        r.key: r for r in due_reminders(case(date(2007, 9, 1)), SETTINGS, date(2026, 3, 4), 30)
    }
    assert set(adult) == {r.key for r in due}  # the same reminders, the same keys
    assert not any(r.guardian_first or GUARDIAN_NOTE in r.detail for r in adult.values())


def test_every_unreached_step_names_the_guardian_but_not_what_follows_contact():
    unreached = case(
        date(2009, 9, 1),
        Contact(date(2026, 3, 3), established=False),
        visits=(Visit(date(2026, 5, 5), met=False),),
    )
    reached = case(date(2009, 9, 1), Contact(date(2026, 3, 3), established=True))

    one_letter = case(date(2009, 9, 1), Contact(date(2026, 3, 3), established=False))

    assert kinds(one_letter, date(2026, 5, 5)) == {
        "contact_goal": True,
        "contact_followup": True,
        "home_visit": True,
    }
    assert kinds(unreached, date(2026, 6, 1)) == {"contact_goal": True, "home_visit_followup": True}
    assert kinds(reached, date(2026, 6, 1)) == {"regular_followup": False, "plan_missing": False}
    named = {*kinds(one_letter, date(2026, 5, 5)), "first_contact", "home_visit_followup"}
    assert {Kind(kind) for kind in named} == GUARDIAN_KINDS


@pytest.mark.parametrize(
    ("birth", "adult_on"),
    [(date(2008, 3, 3), date(2026, 3, 3)), (date(2008, 2, 29), date(2026, 3, 1))],
)
def test_the_guardian_comes_first_until_the_18th_birthday(birth, adult_on):
    assert turns_18_on(birth) == adult_on
    facts = case(birth)
    day_before = adult_on.replace(day=adult_on.day - 1) if adult_on.day > 1 else date(2026, 2, 28)

    assert all(kinds(facts, day_before).values())
    assert not any(kinds(facts, adult_on).values())


def test_the_digest_names_the_guardian_with_the_phone_number():
    [reminder] = [
        r
        for r in due_reminders(case(date(2009, 9, 1)), SETTINGS, date(2026, 3, 4))
        if r.kind == Kind.FIRST_CONTACT
    ]
    label = CaseLabel("200909011234", "Elin", "Andersson", (("Anna Berg", "070-999 88 77"),))
    message = PersonalDigest(
        date(2026, 3, 4), group_for_digest([reminder], date(2026, 3, 4)), {17: label}
    )

    card = str(digest_reply(message, ["kontakt"]).card)

    assert "Vårdnadshavare: Anna Berg, 070-999 88 77" in card
    assert "under 18 år, så enligt rutinen kontaktas vårdnadshavaren först" in card
    assert (
        guardian_text(label._replace(guardians=()))
        == "Ingen vårdnadshavare är registrerad i ärendet."
    )
    two = label._replace(guardians=(("Anna Berg", None), ("Bo Berg", "070-1")))
    assert guardian_text(two) == "Vårdnadshavare: Anna Berg (telefonnummer saknas); Bo Berg, 070-1"


def grading(birth: date, *contacts: ContactItem) -> GradingCase:
    return GradingCase(1, REGISTERED, contacts, birth_date=birth)


def test_granskning_checks_that_a_minors_guardian_was_contacted():
    missing = "vårdnadshavaren kontaktades inte fast ungdomen var under 18 år"
    youth_only = grading(date(2009, 9, 1), ContactItem(date(2026, 3, 3), established=True))
    guardian = grading(
        date(2009, 9, 1),
        ContactItem(date(2026, 3, 3), established=False, guardian=True),
        ContactItem(date(2026, 3, 20), established=True),
    )
    adult = grading(date(2007, 9, 1), ContactItem(date(2026, 3, 3), established=True))
    today = date(2026, 4, 1)

    grade = grade_contact(youth_only, SETTINGS, today)
    assert grade.status == Status.DELVIS and missing in grade.missing
    assert grade_contact(guardian, SETTINGS, today).status == Status.UPPFYLLER
    assert grade_contact(adult, SETTINGS, today).status == Status.UPPFYLLER
