"""One set of rules for a youth's and a guardian's fields: lengths from the models, names,
phone, e-mail and postal code, with messages that never quote the value."""

from __future__ import annotations

from datetime import date

import pytest

from storage.case_inputs import GuardianInput, RegistrationInput
from storage.models import Guardian, KaaCase, Youth
from storage.youth_fields import (
    GUARDIAN_FIELDS,
    YOUTH_FIELDS,
    FieldError,
    clean_guardian,
    clean_youth,
    registration_problems,
    tidy_registration,
)


def test_the_longest_values_are_the_columns_own():
    assert YOUTH_FIELDS["city"].max_length == Youth.city.type.length == 100
    assert YOUTH_FIELDS["school"].max_length == KaaCase.school.type.length
    assert GUARDIAN_FIELDS["name"].max_length == Guardian.name.type.length
    assert clean_youth("city", "Å" * 100) == "Å" * 100
    with pytest.raises(FieldError, match=r"Fältet ort är för långt \(högst 100 tecken\)"):
        clean_youth("city", "Ö" * 150)


@pytest.mark.parametrize(
    ("key", "value", "tidy"),
    [
        ("first_name", "  Elin   Maria ", "Elin Maria"),
        ("phone", "070-123 45 67", "070-123 45 67"),
        ("phone", "+46 (0)70 123 45 67", "+46 (0)70 123 45 67"),
        ("phone", "013-12 34 56", "013-12 34 56"),
        ("email", "elin.berg@example.se", "elin.berg@example.se"),
        ("postal_code", "58222", "582 22"),
        ("postal_code", "582 22", "582 22"),
        ("address", "Storgatan 1 lgh 1102", "Storgatan 1 lgh 1102"),
        ("city", "", None),
        ("phone", "   ", None),
    ],
)
def test_accepted_values_are_tidied(key, value, tidy):
    assert clean_youth(key, value) == tidy


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("first_name", "", "Förnamn saknas."),
        ("last_name", "B3rg", "Efternamn får inte innehålla siffror."),
        ("phone", "070-abc", "ska vara ett telefonnummer"),
        ("phone", "1234", "ska vara ett telefonnummer"),
        ("phone", "0" * 41, "Fältet telefon är för långt (högst 40 tecken)."),
        ("email", "elin-at-example", "E-postadressen ser inte rätt ut"),
        ("email", "elin@example", "E-postadressen ser inte rätt ut"),
        ("postal_code", "5822", "Postnumret ska ha fem siffror"),
        ("address", "x" * 201, "Fältet adress är för långt (högst 200 tecken)."),
    ],
)
def test_refused_values_get_a_swedish_message_without_the_value(key, value, message):
    with pytest.raises(FieldError) as error:
        clean_youth(key, value)
    assert message in str(error.value)
    assert error.value.field == key
    if value.strip() and len(value) < 20:
        assert value not in str(error.value)


def test_a_guardian_has_the_same_rules():
    assert clean_guardian("phone", "070 999 88 77") == "070 999 88 77"
    with pytest.raises(FieldError, match="Vårdnadshavarens namn saknas"):
        clean_guardian("name", " ")
    with pytest.raises(FieldError, match="Vårdnadshavarens e-postadress ser inte rätt ut"):
        clean_guardian("email", "mamma")


def _registration(**changes: object) -> RegistrationInput:
    values: dict[str, object] = {
        "personnummer": "200805171234",
        "first_name": "Elin",
        "last_name": "Berg",
        "registered_on": date(2026, 3, 1),
        "registration_reason": "annan",
        "source": "annan",
    }
    return RegistrationInput(**(values | changes))  # type: ignore[arg-type]


def test_a_registration_is_tidied_and_a_protected_youth_keeps_no_address():
    tidy = tidy_registration(
        _registration(
            postal_code="58222",
            address="Storgatan 1",
            city="Linköping",
            guardians=(GuardianInput(" Anna  Berg ", "070-999 88 77"),),
        )
    )
    assert (tidy.postal_code, tidy.guardians[0].name) == ("582 22", "Anna Berg")
    protected = tidy_registration(
        _registration(protected_identity=True, address="Hemliga vägen 9", city="Ort")
    )
    assert (protected.address, protected.postal_code, protected.city) == (None, None, None)


def test_every_refused_field_of_a_registration_is_listed():
    problems = registration_problems(
        _registration(
            last_name="",
            phone="abc",
            city="x" * 150,
            guardians=(GuardianInput("Anna 2", email="nej"),),
        )
    )
    fields = [problem.field for problem in problems]
    assert fields == ["last_name", "phone", "city", "name", "email"]
    with pytest.raises(FieldError, match="Efternamn saknas"):
        tidy_registration(_registration(last_name=""))
