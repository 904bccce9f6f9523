"""A youth's and a guardian's fields, checked and tidied the same way wherever they come from:
typed in the chat, on a card, in an imported file, in a correction or by the case API itself.

`clean` returns the tidy value (None for an empty optional field) or raises FieldError with
a Swedish message that never quotes the value, since an import's summary may be shown in a
chat. The longest value allowed is the database column's own length, read from the models,
so a value accepted here fits on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from storage.case_errors import CaseError
from storage.case_inputs import GuardianInput, RegistrationInput
from storage.contact_details import is_email, is_phone
from storage.models import Guardian, KaaCase, Youth

_POSTAL_CODE = re.compile(r"(\d{3}) ?(\d{2})")


class FieldError(CaseError):
    """A field's value is refused; `field` names it (a key of YOUTH_FIELDS or GUARDIAN_FIELDS)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class Kind(StrEnum):
    NAME = "name"
    PHONE = "phone"
    EMAIL = "email"
    POSTAL_CODE = "postal_code"
    TEXT = "text"


@dataclass(frozen=True)
class FieldRule:
    key: str
    # Lower case, as in "Fältet ort är för långt"; `subject` starts a sentence about it.
    label: str
    subject: str
    column: Any
    kind: Kind
    required: bool = False

    @property
    def max_length(self) -> int:
        return int(self.column.type.length)


YOUTH_FIELDS: dict[str, FieldRule] = {
    rule.key: rule
    for rule in (
        FieldRule("first_name", "förnamn", "Förnamnet", Youth.first_name, Kind.NAME, True),
        FieldRule("last_name", "efternamn", "Efternamnet", Youth.last_name, Kind.NAME, True),
        FieldRule("phone", "telefon", "Telefonnumret", Youth.phone, Kind.PHONE),
        FieldRule("email", "e-post", "E-postadressen", Youth.email, Kind.EMAIL),
        FieldRule("address", "adress", "Adressen", Youth.address, Kind.TEXT),
        FieldRule("postal_code", "postnummer", "Postnumret", Youth.postal_code, Kind.POSTAL_CODE),
        FieldRule("city", "ort", "Orten", Youth.city, Kind.TEXT),
        FieldRule("school", "skola", "Skolans namn", KaaCase.school, Kind.TEXT),
    )
}
GUARDIAN_FIELDS: dict[str, FieldRule] = {
    rule.key: rule
    for rule in (
        FieldRule(
            "name", "vårdnadshavarens namn", "Vårdnadshavarens namn", Guardian.name, Kind.NAME,
            True,
        ),
        FieldRule(
            "phone", "vårdnadshavarens telefon", "Vårdnadshavarens telefonnummer", Guardian.phone,
            Kind.PHONE,
        ),
        FieldRule(
            "email", "vårdnadshavarens e-post", "Vårdnadshavarens e-postadress", Guardian.email,
            Kind.EMAIL,
        ),
        FieldRule(
            "address", "vårdnadshavarens adress", "Vårdnadshavarens adress", Guardian.address,
            Kind.TEXT,
        ),
        FieldRule(
            "postal_code", "vårdnadshavarens postnummer", "Vårdnadshavarens postnummer",
            Guardian.postal_code, Kind.POSTAL_CODE,
        ),
        FieldRule("city", "vårdnadshavarens ort", "Vårdnadshavarens ort", Guardian.city, Kind.TEXT),
    )
}  # fmt: skip
ADDRESS_FIELDS = ("address", "postal_code", "city")
# Every field a change or a completed import may name, as the Swedish word for it.
FIELD_LABELS = {
    **{key: rule.label for key, rule in YOUTH_FIELDS.items()},
    "protected_identity": "skyddade personuppgifter",
    "guardian": "vårdnadshavare",
    **{f"guardian_{key}": rule.label for key, rule in GUARDIAN_FIELDS.items()},
}


def clean(rule: FieldRule, value: str | None) -> str | None:
    """The tidy value (whitespace collapsed, a postal code as "582 23"), or FieldError."""
    text = " ".join((value or "").split())
    if not text:
        if rule.required:
            raise FieldError(rule.key, f"{rule.label.capitalize()} saknas.")
        return None
    if len(text) > rule.max_length:
        raise FieldError(
            rule.key, f"Fältet {rule.label} är för långt (högst {rule.max_length} tecken)."
        )
    if rule.kind == Kind.NAME and any(char.isdigit() for char in text):
        raise FieldError(rule.key, f"{rule.label.capitalize()} får inte innehålla siffror.")
    if rule.kind == Kind.PHONE and not is_phone(text):
        raise FieldError(
            rule.key,
            f"Fältet {rule.label} ska vara ett telefonnummer med siffror, "
            "till exempel 070-123 45 67.",
        )
    if rule.kind == Kind.EMAIL and not is_email(text):
        raise FieldError(
            rule.key, f"{rule.subject} ser inte rätt ut – skriv den som namn@exempel.se."
        )
    if rule.kind == Kind.POSTAL_CODE:
        match = _POSTAL_CODE.fullmatch(text)
        if match is None:
            raise FieldError(rule.key, f"{rule.subject} ska ha fem siffror, till exempel 582 23.")
        return f"{match[1]} {match[2]}"
    return text


def clean_youth(key: str, value: str | None) -> str | None:
    return clean(YOUTH_FIELDS[key], value)


def clean_guardian(key: str, value: str | None) -> str | None:
    return clean(GUARDIAN_FIELDS[key], value)


def tidy_guardian(guardian: GuardianInput) -> GuardianInput:
    tidy = {key: clean_guardian(key, getattr(guardian, key)) for key in GUARDIAN_FIELDS}
    return replace(guardian, **tidy)


def registration_problems(data: RegistrationInput) -> list[FieldError]:
    """Every field of a registration that is refused, in the order of the fields."""
    problems: list[FieldError] = []
    for key in YOUTH_FIELDS:
        try:
            clean_youth(key, getattr(data, key))
        except FieldError as error:
            problems.append(error)
    for guardian in data.guardians:
        for key in GUARDIAN_FIELDS:
            try:
                clean_guardian(key, getattr(guardian, key))
            except FieldError as error:
                problems.append(error)
    return problems


def tidy_registration(data: RegistrationInput) -> RegistrationInput:
    """The registration with every field tidy; FieldError for the first one refused.

    A youth with protected identity gets no address stored (the chat does not ask for one,
    and a file's address columns are left out).
    """
    problems = registration_problems(data)
    if problems:
        raise problems[0]
    tidy = {key: clean_youth(key, getattr(data, key)) for key in YOUTH_FIELDS}
    if data.protected_identity:
        tidy.update(dict.fromkeys(ADDRESS_FIELDS))
    return replace(
        data,
        **tidy,
        guardians=tuple(tidy_guardian(guardian) for guardian in data.guardians),
    )
