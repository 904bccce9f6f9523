"""The routine's letters and the moving-away documents, with the placeholders each fills in."""

from __future__ import annotations

from dataclasses import dataclass

# Every letter to a youth or guardian fills these in.
LETTER_PLACEHOLDERS = (
    "förnamn",
    "efternamn",
    "namn",
    "mottagare",
    "kommun",
    "kontaktperson",
    "telefon",
    "epost",
    "handläggare",
    "datum",
)
# What the municipality a youth moved from always names.
SENDER_PLACEHOLDERS = ("kommun", "kontaktperson", "telefon", "epost", "datum", "ny_kommun")


@dataclass(frozen=True)
class DocumentKind:
    """A template: its file name (without .md) and the placeholders it may use."""

    code: str
    label: str
    placeholders: tuple[str, ...]
    lists: tuple[str, ...] = ()
    # Letters: the youth's guardians get one too while the youth is under 18.
    to_guardians: bool = False
    # Letters: writing one records a contact attempt by letter that day.
    records_attempt: bool = False
    # Letters: may be written for every new case at once ("alla nya").
    for_all_new: bool = False
    # An addressed letter (False: a document the coordinator hands on).
    addressed: bool = True

    @property
    def title(self) -> str:
        return self.label[0].upper() + self.label[1:]


LETTERS = {
    kind.code: kind
    for kind in (
        DocumentKind(
            "kontaktbrev",
            "kontaktbrev",
            LETTER_PLACEHOLDERS,
            to_guardians=True,
            records_attempt=True,
            for_all_new=True,
        ),
        DocumentKind(
            "paminnelsebrev",
            "påminnelsebrev",
            LETTER_PLACEHOLDERS,
            to_guardians=True,
            records_attempt=True,
        ),
        DocumentKind(
            "hembesok",
            "avisering av hembesök",
            (*LETTER_PLACEHOLDERS, "besöksdag", "tid", "besökare"),
            to_guardians=True,
        ),
        DocumentKind(
            "information",
            "information om aktivitetsansvaret",
            LETTER_PLACEHOLDERS,
            to_guardians=True,
            for_all_new=True,
        ),
        DocumentKind(
            "samtycke",
            "samtyckesblankett",
            (*LETTER_PLACEHOLDERS, "personnummer"),
            for_all_new=True,
        ),
    )
}

HANDOVER = DocumentKind(
    "overlamning",
    "överlämning",
    (
        *SENDER_PLACEHOLDERS,
        "handläggare",
        "flyttdatum",
        "namn",
        "personnummer",
        "adress",
        "registrerad",
        "registreringsorsak",
        "sysselsättning",
        "kontakt",
    ),
    lists=("vårdnadshavare", "kontakter", "plan", "insatser", "samtycke"),
    addressed=False,
)
MOVING_NOTICE = DocumentKind(
    "flyttmeddelande",
    "meddelande om flytt",
    (*SENDER_PLACEHOLDERS, "flyttdatum"),
    addressed=False,
)

ALL_KINDS = (*LETTERS.values(), HANDOVER, MOVING_NOTICE)
