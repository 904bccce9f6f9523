"""The letters' pure parts: templates, addressing, time windows, municipalities, names."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from storage.cases import CaseError
from storage.imports import parse_file
from storage.kommuner import all_kommuner, find_kommun
from storage.letters.addressing import recipients
from storage.letters.kinds import LETTERS
from storage.letters.letterhead import letter_date
from storage.letters.library import SHIPPED, TemplateLibrary
from storage.letters.settings import letter_name, parse_contact
from storage.letters.template import Line, TemplateError, fill, parse_template
from storage.letters.writing import parse_time_window
from storage.privacy import FORWARDED, LetterAddress, letter_address

TODAY = date(2026, 3, 18)


def test_every_shipped_template_parses():
    assert TemplateLibrary(SHIPPED).check_all() == 10


def test_placeholders_ignore_case_and_swedish_letters_and_braces_can_be_written():
    template = parse_template("Hej {FORNAMN} {{ok}} **{kommun}**", "t.md", ("förnamn", "kommun"))
    [block] = fill(template, {"förnamn": "Åsa", "kommun": "Linköpings kommun"})
    assert "".join(run.text for run in block.runs) == "Hej Åsa {ok} Linköpings kommun"
    assert [run.bold for run in block.runs][-1] is True


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Hej {fornman}", "rad 1: okänd platshållare {fornman}. I den här mallen finns: {förnamn}"),
        ("rad\nHej {förnamn", "rad 2: en ensam {"),
        ("Hej **du", "rad 1: **fet stil** behöver ** både före och efter"),
        ("Här: {kontakter}", "{kontakter} är en lista och ska stå ensam"),
        ("  \n ", "Mallen t.md är tom."),
    ],
)
def test_a_bad_template_is_refused_in_swedish(text, message):
    with pytest.raises(TemplateError, match=r"Mallen t\.md") as error:
        parse_template(text, "t.md", ("förnamn",), ("kontakter",))
    assert message in str(error.value)


def test_lines_bullets_boxes_pages_and_lists():
    template = parse_template(
        "# Rubrik\n## Under\n- punkt\n- [ ] ruta\n---\n{kontakter}\n\n{tomt}",
        "t.md",
        (),
        ("kontakter", "tomt"),
    )
    blocks = fill(template, {"kontakter": ("a", "b"), "tomt": ()})
    assert [block.kind for block in blocks] == [
        Line.HEADING,
        Line.SUBHEADING,
        Line.BULLET,
        Line.CHECKBOX,
        Line.PAGE_BREAK,
        Line.BULLET,
        Line.BULLET,
        Line.BLANK,
        Line.TEXT,
    ]
    assert blocks[-1].runs[0].text == "–"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("14-16", "kl. 14.00–16.00"),
        ("kl. 9.30–11", "kl. 09.30–11.00"),
        ("13:00 - 15:15", "kl. 13.00–15.15"),
    ],
)
def test_time_windows(text, shown):
    assert parse_time_window(text) == shown


@pytest.mark.parametrize("text", ["efter lunch", "16-14", "25-26", "14"])
def test_bad_time_windows(text):
    with pytest.raises(CaseError):
        parse_time_window(text)


def test_letter_dates():
    assert letter_date(date(2026, 3, 5), "sv") == "5 mars 2026"
    assert letter_date(date(2026, 3, 5), "en") == "2026-03-05"


@dataclass
class _Guardian:
    id: int
    name: str
    address: str | None = None
    postal_code: str | None = None
    city: str | None = None


@dataclass
class _Youth:
    birth_date: date
    first_name: str = "Elin"
    last_name: str = "Ek"
    address: str | None = "Storgatan 1"
    postal_code: str | None = "58222"
    city: str | None = "Linköping"
    protected_identity: bool = False
    guardians: list[_Guardian] = field(default_factory=list)


def test_the_address_for_a_letter_comes_from_privacy():
    youth = _Youth(date(2008, 9, 1))
    assert letter_address(youth) == LetterAddress(("Storgatan 1", "582 22 Linköping"))
    assert letter_address(_Youth(date(2008, 9, 1), address=None)) is None
    assert letter_address(_Youth(date(2008, 9, 1), postal_code=None, city=None)) is None
    protected = _Youth(date(2008, 9, 1), protected_identity=True)
    assert letter_address(protected) == FORWARDED
    assert letter_address(protected, _Guardian(1, "K", "Väg 2", "11122", "Sthlm")) == FORWARDED


def test_guardians_get_letters_until_the_youth_turns_18():
    guardians = [_Guardian(1, "Karin", "Väg 2", "58222", "Linköping"), _Guardian(2, "Per")]
    minor = _Youth(date(2008, 3, 19), guardians=guardians)
    found = recipients(minor, LETTERS["kontaktbrev"], TODAY)
    assert [(r.name, r.key, r.address is None) for r in found] == [
        ("Elin Ek", "ungdomen", False),
        ("Karin", "vardnadshavare:1", False),
        ("Per", "vardnadshavare:2", True),
    ]
    assert len(recipients(minor, LETTERS["samtycke"], TODAY)) == 1
    adult = _Youth(date(2008, 3, 18), guardians=guardians)  # turns 18 today
    assert [r.key for r in recipients(adult, LETTERS["kontaktbrev"], TODAY)] == ["ungdomen"]


def test_sweden_has_290_municipalities_found_by_code_or_name():
    kommuner = all_kommuner()
    assert len(kommuner) == 290 and all(code.isdigit() and len(code) == 4 for code in kommuner)
    assert find_kommun("580")[0].name == "Linköping"
    assert find_kommun("Göteborgs stad")[0].code == "1480"
    assert find_kommun("Vännäs kommun")[0].code == "2460"
    assert {k.code for k in find_kommun("upplands")} == {"0114", "0139"}
    assert find_kommun("Atlantis") == [] and find_kommun("9999") == []


def test_names_in_letters():
    assert letter_name("Linköping") == "Linköpings kommun"
    assert letter_name("Vännäs") == "Vännäs kommun"
    assert letter_name("Göteborgs stad") == "Göteborgs stad"
    with pytest.raises(CaseError, match="siffror"):
        parse_contact("Kim", "ring mig")


def test_an_intake_file_can_carry_the_guardians_address():
    content = (
        "personnummer;fornamn;efternamn;vardnadshavare_namn;vardnadshavare_adress;"
        "vardnadshavare_postnummer;vardnadshavare_ort\n"
        "200809010127;Elin;Ek;Karin Ek;Väg 2;582 22;Linköping\n"
    ).encode()
    parsed = parse_file(content, "lista.csv", TODAY)
    [guardian] = parsed.rows[0].registration.guardians
    assert (guardian.address, guardian.postal_code, guardian.city) == (
        "Väg 2",
        "582 22",
        "Linköping",
    )
