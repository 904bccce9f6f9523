"""The date rules of the routine, as pure functions the case API runs before every write.

What has happened cannot lie in the future; nothing lies before the registration, nor before
the measure's start; what is planned lies ahead; a measure ends on or after its start;
"fyllt 20 år" only from the 20th birthday. A refusal is a CaseError whose Swedish message
the chat shows as it is. Where a rule is a judgement — a contact before the registration may
be the school's first call, an occupation may be decided ahead — it is a NeedsConfirmation,
and the caller's `confirmed` lets it through.
"""

from __future__ import annotations

from datetime import date

from storage.case_errors import CaseError, NeedsConfirmation
from storage.eligibility import EligibilityFacts, check_eligibility, turns_20_on

CONFIRM_HINT = "Svara **ja** om det stämmer, eller ändra datumet."


def happened(day: date, today: date, what: str) -> None:
    """`what` happened on `day`, so it cannot lie after today."""
    if day > today:
        raise CaseError(
            f"{what} kan inte ligga i framtiden ({day.isoformat()}) – skriv dagen det "
            "skedde, idag eller tidigare."
        )


def planned(day: date, today: date, what: str) -> None:
    """`what` is planned for `day`: today or later."""
    if day < today:
        raise CaseError(
            f"{what} är ett planerat datum och kan inte ligga bakåt i tiden "
            f"({day.isoformat()}) – skriv idag eller ett senare datum."
        )


def not_before(day: date, earliest: date, what: str, since: str) -> None:
    """`what` on `day` cannot lie before `earliest`, the day of `since`."""
    if day < earliest:
        raise CaseError(
            f"{what} ({day.isoformat()}) kan inte ligga före {since} ({earliest.isoformat()})."
        )


def registration(registered_on: date, birth_date: date, today: date) -> None:
    """A youth registered today or earlier, in the target group by age on that day."""
    happened(registered_on, today, "Registreringsdatumet")
    eligibility = check_eligibility(EligibilityFacts.from_age(birth_date), registered_on)
    if not eligibility.eligible:
        raise CaseError(
            "Ungdomen hör inte till aktivitetsansvarets målgrupp på registreringsdagen: "
            + " ".join(eligibility.reasons)
        )


def new_period(registered_on: date, closed_on: date | None) -> None:
    if closed_on is not None:
        not_before(registered_on, closed_on, "Den nya perioden", "förra ärendets avslut")


def contact(occurred_on: date, registered_on: date, today: date, confirmed: bool) -> None:
    happened(occurred_on, today, "En kontakt")
    if occurred_on < registered_on and not confirmed:
        raise NeedsConfirmation(
            f"Kontakten {occurred_on.isoformat()} ligger före registreringen "
            f"({registered_on.isoformat()}). Det kan stämma – till exempel skolans första "
            f"samtal – men kan också vara fel år. {CONFIRM_HINT}"
        )


def occupation(valid_from: date, today: date, confirmed: bool) -> None:
    if valid_from > today and not confirmed:
        raise NeedsConfirmation(
            f"Sysselsättningen gäller från {valid_from.isoformat()}, som inte har varit än. "
            f"Det stämmer om den redan är bestämd, till exempel en antagning. {CONFIRM_HINT}"
        )


def plan_follow_up(follow_up_on: date | None, today: date) -> None:
    if follow_up_on is not None:
        planned(follow_up_on, today, "Planens uppföljning")


def consent(given_on: date, registered_on: date, today: date) -> None:
    happened(given_on, today, "Ett samtycke")
    not_before(given_on, registered_on, "Samtycket", "registreringen")


def withdrawal(withdrawn_on: date, given_on: date, today: date) -> None:
    happened(withdrawn_on, today, "Ett återkallat samtycke")
    if withdrawn_on < given_on:
        raise CaseError("Ett samtycke kan inte återkallas före den dag det gavs.")


MEASURE_DATES = {
    "starts_on": "Startdatumet",
    "ends_on": "Det planerade slutdatumet",
    "follow_up_on": "Uppföljningen",
    "evaluate_on": "Utvärderingen",
}


def measure(
    dates: dict[str, date | None],
    *,
    declined: bool,
    registered_on: date,
    today: date,
    changed: frozenset[str] = frozenset(MEASURE_DATES),
) -> None:
    """A measure's own dates; the planned ones are checked against today only when `changed`
    (a correction of the description does not trip over a follow-up that has passed)."""
    starts_on = dates.get("starts_on")
    if starts_on is not None:
        not_before(starts_on, registered_on, "Insatsen", "registreringen")
        if declined:
            happened(starts_on, today, "Dagen då insatsen erbjöds")
    elif declined:
        raise CaseError("Skriv datumet då insatsen erbjöds.")
    ends_on = dates.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        raise CaseError("Slutdatumet kan inte ligga före startdatumet.")
    for key in ("follow_up_on", "evaluate_on"):
        day = dates.get(key)
        if day is None:
            continue
        if key in changed:
            planned(day, today, MEASURE_DATES[key])
        if starts_on is not None:
            not_before(day, starts_on, MEASURE_DATES[key], "insatsens start")
    follow_up_on, evaluate_on = dates.get("follow_up_on"), dates.get("evaluate_on")
    if follow_up_on and evaluate_on and evaluate_on < follow_up_on:
        raise CaseError("Utvärderingen kan inte ligga före uppföljningen.")


def measure_end(ended_on: date, starts_on: date | None, today: date) -> None:
    happened(ended_on, today, "Slutdatumet")
    if starts_on is not None and starts_on > today:
        raise CaseError(
            f"Insatsen har inte börjat än (start {starts_on.isoformat()}). Avbryt den i "
            "stället: skriv **avsluta insats** och välj den, så avbryts den med din orsak."
        )
    if starts_on is not None and ended_on < starts_on:
        raise CaseError(
            f"Insatsen kan inte avslutas före sitt startdatum ({starts_on.isoformat()})."
        )


def measure_cancel(starts_on: date | None, today: date) -> None:
    """Only a measure that has not started is cancelled; one that has is ended."""
    if starts_on is None or starts_on <= today:
        raise CaseError(
            "Insatsen har redan börjat, så den avbryts inte utan avslutas – med slutdatum "
            "och orsak."
        )


def evaluation(evaluated_on: date, starts_on: date | None, today: date) -> None:
    happened(evaluated_on, today, "Utvärderingen")
    if starts_on is not None:
        not_before(evaluated_on, starts_on, "Utvärderingen", "insatsens start")


def home_visit_plan(
    planned_on: date, notice_sent_on: date | None, today: date, *, check_planned: bool = True
) -> None:
    if check_planned:
        planned(planned_on, today, "Hembesöket")
    if notice_sent_on is not None:
        happened(notice_sent_on, today, "Aviseringen")
        if notice_sent_on > planned_on:
            raise CaseError("Aviseringen skickas före hembesöket, inte efter.")


def home_visit_made(visited_on: date, registered_on: date, today: date) -> None:
    happened(visited_on, today, "Ett gjort hembesök")
    not_before(visited_on, registered_on, "Hembesöket", "registreringen")


def closing(
    deregistered_on: date, reason: str, registered_on: date, birth_date: date, today: date
) -> None:
    happened(deregistered_on, today, "Avslutsdatumet")
    not_before(deregistered_on, registered_on, "Avslutsdatumet", "registreringen")
    twentieth = turns_20_on(birth_date)
    if reason == "fyllt_20" and deregistered_on < twentieth:
        raise CaseError(
            f"Ungdomen fyller 20 år först {twentieth.isoformat()}, så orsaken ”fyllt 20 år” "
            "kan inte användas före dess. Välj en annan orsak, eller avsluta ärendet den dagen."
        )
