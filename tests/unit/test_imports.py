"""Reading and validating intake files, without a database."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from storage.demo import fictitious_personnummer
from storage.imports import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportFileError,
    ImportResult,
    KnownRow,
    RejectedRow,
    parse_file,
    parse_plain_date,
)

TODAY = date(2026, 3, 16)
ELIN = fictitious_personnummer(date(2008, 5, 1), 1, "kvinna")
NOAH = fictitious_personnummer(date(2007, 9, 30), 2, "man")
TURNED_20 = fictitious_personnummer(date(2006, 1, 10), 3, "man")
SCHOOL_AGE = fictitious_personnummer(date(2011, 2, 1), 4, "kvinna")


def csv_bytes(*lines: str, bom: bool = False) -> bytes:
    return (("\ufeff" if bom else "") + "\r\n".join(lines) + "\r\n").encode()


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("delimiter", [";", ","])
@pytest.mark.parametrize("bom", [False, True])
def test_csv_with_either_delimiter_and_optional_bom(delimiter, bom):
    content = csv_bytes(
        delimiter.join(["personnummer", "fornamn", "efternamn", "ort"]),
        delimiter.join([ELIN, "Elin", "Berg", "Linköping"]),
        delimiter.join([NOAH, "Noah", "Åberg", "Motala"]),
        bom=bom,
    )
    parsed = parse_file(content, "lista.csv", TODAY)
    assert parsed.rejected == ()
    assert [row.row for row in parsed.rows] == [2, 3]
    first, second = (row.registration for row in parsed.rows)
    assert (first.personnummer, first.first_name, first.last_name, first.city) == (
        ELIN,
        "Elin",
        "Berg",
        "Linköping",
    )
    assert (second.first_name, second.last_name, second.city) == ("Noah", "Åberg", "Motala")
    assert first.registered_on == TODAY
    assert (first.registration_reason, first.source) == ("annan", "annan")


def test_quoted_fields_keep_the_other_delimiter():
    content = csv_bytes(
        "personnummer;fornamn;efternamn;adress",
        f'{ELIN};Elin;Berg;"Storgatan 1; lgh 1102"',
    )
    parsed = parse_file(content, "lista.csv", TODAY)
    assert parsed.rows[0].registration.address == "Storgatan 1; lgh 1102"


def test_header_variants_any_order_case_and_swedish_letters():
    content = csv_bytes(
        " Efternamn ;FÖRNAMN;Personnummer;Källa;Vårdnadshavare namn;"
        "Vårdnadshavare-telefon;E-post;Postnummer;Registreringsdatum;Orsak",
        f"Berg;Elin;{ELIN[2:8]}-{ELIN[8:]};Socialtjänst;Anna Berg;070-123 45 67;"
        "elin@example.se;582 23;1.3.2026;Avbrott från nationellt program",
    )
    parsed = parse_file(content, "lista.csv", TODAY)
    assert parsed.rejected == ()
    registration = parsed.rows[0].registration
    assert registration.personnummer == ELIN
    assert registration.source == "socialtjanst"
    assert registration.registration_reason == "avbrott_nationellt"
    assert registration.email == "elin@example.se"
    assert registration.postal_code == "582 23"
    assert registration.registered_on == date(2026, 3, 1)
    assert [(g.name, g.phone) for g in registration.guardians] == [("Anna Berg", "070-123 45 67")]


def test_codes_are_accepted_as_codes_or_labels():
    content = csv_bytes(
        "personnummer,fornamn,efternamn,orsak,kalla",
        f"{ELIN},Elin,Berg,ej_paborjat,gymnasieskola / avbrott",
        f"{NOAH},Noah,Berg,aldrig påbörjat gymnasiet,GRUNDSKOLA",
    )
    parsed = parse_file(content, "lista.csv", TODAY)
    assert [(r.registration.registration_reason, r.registration.source) for r in parsed.rows] == [
        ("ej_paborjat", "gymnasieskola"),
        ("ej_paborjat", "grundskola"),
    ]


def test_school_column_feeds_dropouts_per_school():
    content = csv_bytes(
        "personnummer;fornamn;efternamn;kalla;Skola",
        f"{ELIN};Elin;Berg;gymnasieskola;Katedralskolan",
        f"{NOAH};Noah;Berg;grundskola;",
    )
    parsed = parse_file(content, "lista.csv", TODAY)
    assert [r.registration.school for r in parsed.rows] == ["Katedralskolan", None]
    assert parsed.ignored_columns == ()


def test_unknown_columns_are_reported_not_fatal():
    content = csv_bytes("personnummer;fornamn;efternamn;klass", f"{ELIN};Elin;Berg;X")
    parsed = parse_file(content, "lista.csv", TODAY)
    assert parsed.ignored_columns == ("klass",)
    assert len(parsed.rows) == 1


def test_missing_required_columns_are_listed_in_one_message():
    content = csv_bytes("Personnummer;ort", f"{ELIN};Linköping")
    with pytest.raises(ImportFileError) as error:
        parse_file(content, "lista.csv", TODAY)
    assert "saknar kolumnerna fornamn, efternamn" in str(error.value)


def test_a_column_twice_is_refused():
    content = csv_bytes("personnummer;fornamn;Förnamn;efternamn", f"{ELIN};Elin;Elin;Berg")
    with pytest.raises(ImportFileError, match="två gånger"):
        parse_file(content, "lista.csv", TODAY)


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        (f"{ELIN[:-1]}0;Elin;Berg;;", "Personnumret är ogiltigt"),
        (";Elin;Berg;;", "Personnummer saknas"),
        (f"{TURNED_20};Elin;Berg;;", "fyllt 20 år"),
        (f"{SCHOOL_AGE};Elin;Berg;;", "skolpliktig ålder"),
        (f"{ELIN};;Berg;;", "Förnamn saknas"),
        (f"{ELIN};Elin;B3rg;;", "Efternamn får inte innehålla siffror"),
        (f"{ELIN};Elin;Berg;2026-02-30;", "går inte att läsa"),
        (f"{ELIN};Elin;Berg;igår;", "går inte att läsa"),
        (f"{ELIN};Elin;Berg;2026-03-17;", "i framtiden"),
        (f"{ELIN};Elin;Berg;;okänd", "Okänd källa"),
        (f'{ELIN};=HYPERLINK("x");Berg;;', "ser ut som en formel"),
        (f"{ELIN};@SUM(A1);Berg;;", "ser ut som en formel"),
        (f"{ELIN};Elin;{'B' * 101};;", "för långt (högst 100 tecken)"),
    ],
)
def test_bad_rows_are_rejected_with_a_swedish_reason(cells, reason):
    content = csv_bytes(
        "personnummer;fornamn;efternamn;registreringsdatum;kalla",
        f"{NOAH};Noah;Berg;;",
        cells,
    )
    parsed = parse_file(content, "lista.csv", TODAY)
    assert [row.row for row in parsed.rows] == [2]
    assert len(parsed.rejected) == 1
    assert parsed.rejected[0].row == 3
    assert reason in parsed.rejected[0].reason


def test_reasons_never_quote_the_row():
    content = csv_bytes(
        "personnummer;fornamn;efternamn;epost;postnummer;telefon",
        f"{ELIN[:-1]}0;Elinor7;Bergström;elin-at-example;5822;070-abc",
    )
    reason = parse_file(content, "lista.csv", TODAY).rejected[0].reason
    for value in (ELIN[:8], "Elinor", "Bergström", "elin-at-example", "5822", "070-abc"):
        assert value not in reason
    assert "E-postadressen" in reason and "Postnumret" in reason and "telefon" in reason


def test_the_same_personnummer_twice_in_a_file():
    content = csv_bytes(
        "personnummer;fornamn;efternamn",
        f"{ELIN};Elin;Berg",
        f"{ELIN[2:]};Elin;Berg",
    )
    parsed = parse_file(content, "lista.csv", TODAY)
    assert [row.row for row in parsed.rows] == [2]
    assert parsed.rejected == (RejectedRow(3, "Samma personnummer som på rad 2."),)


def test_guardian_phone_without_name_is_rejected():
    content = csv_bytes(
        "personnummer;fornamn;efternamn;vardnadshavare_telefon", f"{ELIN};Elin;Berg;070123456"
    )
    parsed = parse_file(content, "lista.csv", TODAY)
    assert "inte vårdnadshavarens namn" in parsed.rejected[0].reason


def test_blank_rows_are_skipped_and_row_numbers_follow_the_file():
    content = csv_bytes("personnummer;fornamn;efternamn", ";;", "", f"{ELIN};Elin;Berg", " ; ; ")
    parsed = parse_file(content, "lista.csv", TODAY)
    assert [row.row for row in parsed.rows] == [4]
    assert parsed.rejected == ()


def test_xlsx_with_real_dates_numbers_and_formulas():
    content = xlsx_bytes(
        [
            ["Förnamn", "Efternamn", "Personnummer", "Registreringsdatum", "Postnummer", "Ort"],
            ["Elin", "Berg", int(ELIN), datetime(2026, 2, 3), 58223, "=1+1"],
            ["Noah", "Berg", NOAH, "2026-02-04", "582 24", "Motala"],
            [None, None, None, None, None, None],
        ]
    )
    parsed = parse_file(content, "Lista.XLSX", TODAY)
    assert [row.row for row in parsed.rows] == [3]
    assert parsed.rows[0].registration.registered_on == date(2026, 2, 4)
    assert parsed.rejected[0].row == 2
    assert "ser ut som en formel" in parsed.rejected[0].reason
    again = xlsx_bytes(
        [
            ["personnummer", "fornamn", "efternamn", "registreringsdatum", "postnummer"],
            [int(ELIN), "Elin", "Berg", datetime(2026, 2, 3), 58223],
        ]
    )
    registration = parse_file(again, "lista.xlsx", TODAY).rows[0].registration
    assert (registration.personnummer, registration.registered_on, registration.postal_code) == (
        ELIN,
        date(2026, 2, 3),
        "582 23",
    )


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"PK\x03\x04 this is not a zip", "lista.xlsx", "gick inte att öppna"),
        (csv_bytes("personnummer;fornamn;efternamn"), "lista.xlsx", "gick inte att öppna"),
        ("personnummer;förnamn\n".encode("cp1252"), "lista.csv", "inte sparad som UTF-8"),
        ("personnummer;fornamn\n".encode("utf-16"), "lista.csv", "inte sparad som UTF-8"),
        (b"%PDF-1.7", "lista.pdf", "bara läsa in CSV- och XLSX"),
        (b"", "lista.csv", "saknar rubrikrad"),
        (csv_bytes(";;", "a;b;c"), "lista.csv", "saknar rubrikrad"),
        (b"x" * (MAX_FILE_BYTES + 1), "lista.csv", "för stor"),
    ],
)
def test_unreadable_files_get_a_clear_swedish_message(content, name, message):
    with pytest.raises(ImportFileError) as error:
        parse_file(content, name, TODAY)
    assert message in str(error.value)


def test_an_xlsx_without_the_workbook_parts_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hej")
    with pytest.raises(ImportFileError, match="gick inte att öppna"):
        parse_file(buffer.getvalue(), "lista.xlsx", TODAY)


def test_too_many_rows_are_refused():
    lines = ["personnummer;fornamn;efternamn"] + [f"{ELIN};Elin;Berg"] * (MAX_ROWS + 1)
    with pytest.raises(ImportFileError, match=f"fler än {MAX_ROWS} rader"):
        parse_file(csv_bytes(*lines), "lista.csv", TODAY)
    parsed = parse_file(csv_bytes(*lines[:-1]), "lista.csv", TODAY)
    assert len(parsed.rows) + len(parsed.rejected) == MAX_ROWS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-15", date(2026, 3, 15)),
        ("2026-3-5", date(2026, 3, 5)),
        ("2026-03-15 00:00:00", date(2026, 3, 15)),
        ("20260315", date(2026, 3, 15)),
        ("15/3/2026", date(2026, 3, 15)),
        ("15.03.2026", date(2026, 3, 15)),
        ("15/3", None),
        ("15 mars 2026", None),
        ("2026-02-30", None),
        ("", None),
    ],
)
def test_plain_dates(text, expected):
    assert parse_plain_date(text) == expected


def test_summary_lists_rejected_rows_by_number_only():
    result = ImportResult(
        created=[2, 3],
        known=[KnownRow(4, 10), KnownRow(6, 11, closed=True)],
        rejected=[RejectedRow(5, "Förnamn saknas."), RejectedRow(7, "Personnummer saknas.")],
        ignored_columns=("skola",),
    )
    text = result.summary()
    assert "Filen är inläst: 6 rader" in text
    assert "- 2 nya ungdomar registrerades." in text
    assert "- 2 fanns redan i registret" in text
    assert "Avslutat ärende på rad 6" in text
    assert "- 2 avvisades" in text
    assert "  - Rad 5: Förnamn saknas." in text
    assert "  - Rad 7: Personnummer saknas." in text
    assert "skola" in text
    short = result.summary(max_listed=1)
    assert "Rad 7" not in short and "… och 1 rad till." in short
