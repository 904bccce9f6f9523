"""Who belongs to the target group of the kommunala aktivitetsansvaret (Skollagen 29 kap. 9 §)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

KAA_AGE_LIMIT = 20
ADULT_AGE = 18
COMPULSORY_SCHOOL_LAST_AGE = 16
TURNS_20_NOTICE = timedelta(days=30)


@dataclass(frozen=True)
class EligibilityFacts:
    birth_date: date
    completed_compulsory_school: bool
    in_upper_secondary: bool
    on_introduction_programme: bool
    has_gymnasieexamen: bool
    has_gymnasiesarskolebevis: bool
    completed_equivalent_education: bool
    in_part_time_komvux: bool = False

    @classmethod
    def from_age(cls, birth_date: date) -> EligibilityFacts:
        """What a registration knows from the personnummer alone, before anything about
        school is asked: only the age can rule the youth out."""
        return cls(
            birth_date=birth_date,
            completed_compulsory_school=False,
            in_upper_secondary=False,
            on_introduction_programme=False,
            has_gymnasieexamen=False,
            has_gymnasiesarskolebevis=False,
            completed_equivalent_education=False,
        )


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reasons: tuple[str, ...]
    notes: tuple[str, ...]


def turns_20_on(birth_date: date) -> date:
    return _anniversary(birth_date, KAA_AGE_LIMIT)


def turns_18_on(birth_date: date) -> date:
    """Until this day the youth is a minor: the routine contacts the guardian first, and
    letters go to the guardians as well."""
    return _anniversary(birth_date, ADULT_AGE)


def compulsory_school_age_ends(birth_date: date) -> date:
    """End of the spring term (30 June) of the year the youth turns 16."""
    return date(birth_date.year + COMPULSORY_SCHOOL_LAST_AGE, 6, 30)


def check_eligibility(facts: EligibilityFacts, today: date) -> Eligibility:
    reasons: list[str] = []
    notes: list[str] = []

    twentieth_birthday = turns_20_on(facts.birth_date)
    if today >= twentieth_birthday:
        reasons.append(f"Ungdomen har fyllt 20 år ({twentieth_birthday.isoformat()}).")
    school_age_ends = compulsory_school_age_ends(facts.birth_date)
    if not facts.completed_compulsory_school and today <= school_age_ends:
        reasons.append(
            "Ungdomen har inte gått ut grundskolan och är skolpliktig "
            f"till och med {school_age_ends.isoformat()}."
        )
    if facts.in_upper_secondary:
        reasons.append(
            "Ungdomen går i gymnasieskola, gymnasiesärskola eller motsvarande utbildning."
        )
    if facts.on_introduction_programme:
        reasons.append(
            "Ungdomen går på ett introduktionsprogram – de ingår inte i aktivitetsansvaret "
            "sedan 1 juli 2018."
        )
    if facts.has_gymnasieexamen:
        reasons.append("Ungdomen har gymnasieexamen.")
    if facts.has_gymnasiesarskolebevis:
        reasons.append("Ungdomen har gymnasiesärskolebevis.")
    if facts.completed_equivalent_education:
        reasons.append("Ungdomen har fullföljt en motsvarande utbildning med godkänt resultat.")

    if facts.in_part_time_komvux:
        notes.append(
            "Komvux på deltid påverkar inte målgruppen – det är inget skäl "
            "att avregistrera ungdomen."
        )
    if not reasons and twentieth_birthday - today <= TURNS_20_NOTICE:
        notes.append(
            f"Ungdomen fyller 20 år {twentieth_birthday.isoformat()} – "
            "då upphör aktivitetsansvaret."
        )

    return Eligibility(eligible=not reasons, reasons=tuple(reasons), notes=tuple(notes))


def _anniversary(birth_date: date, years: int) -> date:
    """The day someone turns `years`; a 29 February birthday falls on 1 March otherwise."""
    try:
        return birth_date.replace(year=birth_date.year + years)
    except ValueError:
        return date(birth_date.year + years, 3, 1)
