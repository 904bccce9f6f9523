"""The first page of a printout: what it holds, what goes via Skatteverket, who got no letter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from storage import codes
from storage.letters.kinds import DocumentKind
from storage.letters.pdf import Letter
from storage.letters.template import FilledBlock, Line, Run


@dataclass(frozen=True)
class WrittenLetter:
    case_id: int
    recipient: str
    counterpart: str
    via_skatteverket: bool


@dataclass(frozen=True)
class Unaddressed:
    """A recipient who got no letter: the address is unknown."""

    case_id: int
    name: str
    counterpart: str


FORWARDING_ADVICE = (
    "Ungdomen har skyddade personuppgifter: skriv ingen adress. Lägg brevet i ett kuvert med "
    "mottagarens namn och personnummer, och skicka det i ett ytterkuvert till Skatteverket, "
    "som skickar det vidare."
)


def _role(counterpart: str) -> str:
    return codes.label(codes.COUNTERPARTS, counterpart)


def _text(text: str, kind: Line = Line.TEXT, bold: bool = False) -> FilledBlock:
    return FilledBlock(kind, (Run(text, bold),))


def cover_sheet(
    kind: DocumentKind,
    heading: tuple[str, ...],
    dated: str,
    written: Sequence[WrittenLetter],
    unaddressed: Sequence[Unaddressed],
) -> Letter:
    cases = len({letter.case_id for letter in written})
    blocks = [
        _text(f"Utskrift: {kind.title}", Line.HEADING),
        _text(f"{len(written)} brev till {cases} ungdomar. Det här bladet skickas inte."),
        _text("", Line.BLANK),
        _text("Brev i utskriften", Line.SUBHEADING),
    ]
    for letter in written:
        via = ", via Skatteverket" if letter.via_skatteverket else ""
        blocks.append(
            _text(
                f"{letter.recipient} (ärende {letter.case_id}) – {_role(letter.counterpart)}{via}",
                Line.BULLET,
            )
        )
    if any(letter.via_skatteverket for letter in written):
        blocks += [
            _text("", Line.BLANK),
            _text("Skickas via Skatteverket", Line.SUBHEADING),
            _text(FORWARDING_ADVICE),
        ]
    if unaddressed:
        blocks += [_text("", Line.BLANK), _text("Adress saknas – inget brev", Line.SUBHEADING)]
        blocks += [
            _text(f"{item.name} (ärende {item.case_id}) – {_role(item.counterpart)}", Line.BULLET)
            for item in unaddressed
        ]
        blocks.append(_text("Fyll i adressen i ärendet och skriv brevet igen."))
    return Letter(heading, dated, tuple(blocks))
