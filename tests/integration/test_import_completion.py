"""The import on both databases: the "skyddad identitet" column, a known youth completed from a
file read again (what it filled in is said, a different value never written over), and the
shared field rules by the command line."""

from __future__ import annotations

import asyncio
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from storage.audit import Actor
from storage.cases import CaseService
from storage.demo import fictitious_personnummer
from storage.imports import import_file
from storage.models import Correction, Youth
from tests.integration.capture import count, rows

TODAY = date(2026, 3, 16)
SYSTEM = Actor(label="test", municipality_id=None, role="system")
ELIN = fictitious_personnummer(date(2008, 5, 17), 31, "kvinna")
NOAH = fictitious_personnummer(date(2007, 9, 3), 32, "man")
SAGA = fictitious_personnummer(date(2008, 1, 9), 33, "kvinna")


def csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


async def _coordinator(sessionmaker) -> tuple[CaseService, Actor]:
    cases = CaseService(sessionmaker)
    municipality = await cases.add_municipality(SYSTEM, "0580", "Linköping")
    return cases, Actor("test", municipality.id, "coordinator")


async def _youths(sessionmaker) -> dict[str, Youth]:
    async with sessionmaker() as session:
        found = await session.scalars(select(Youth).options(selectinload(Youth.guardians)))
        return {youth.personnummer: youth for youth in found}


async def test_the_skyddad_identitet_column(sessionmaker):
    cases, actor = await _coordinator(sessionmaker)
    result = await import_file(
        cases,
        actor,
        csv(
            "personnummer;fornamn;efternamn;adress;postnummer;ort;Skyddad identitet",
            f"{ELIN};Elin;Berg;Hemliga vägen 9;58222;Linköping;ja",
            f"{NOAH};Noah;Berg;Storgatan 1;58222;Linköping;Nej",
            f"{SAGA};Saga;Berg;;;;kanske",
            f"{SAGA};Saga;Berg;;;{'Å' * 150};",
        ),
        "lista.csv",
        TODAY,
    )
    assert result.created == [2, 3]
    assert [(r.row, r.reason) for r in result.rejected] == [
        (4, "Skyddad identitet ska vara ja eller nej."),
        (5, "Fältet ort är för långt (högst 100 tecken)."),
    ]
    assert "skyddad" not in " ".join(result.ignored_columns).lower()
    youths = await _youths(sessionmaker)
    elin, noah = youths[ELIN], youths[NOAH]
    assert (elin.protected_identity, elin.address, elin.city) == (True, None, None)
    assert (noah.protected_identity, noah.address, noah.postal_code) == (
        False,
        "Storgatan 1",
        "582 22",
    )


async def test_a_known_youth_is_completed_and_a_different_value_is_only_reported(sessionmaker):
    cases, actor = await _coordinator(sessionmaker)
    header = (
        "personnummer;fornamn;efternamn;telefon;epost;vardnadshavare_namn;"
        "vardnadshavare_telefon;skyddad_identitet;adress"
    )
    first = await import_file(
        cases, actor, csv(header, f"{ELIN};Elin;Berg;;;;;;Storgatan 1"), "a.csv", TODAY
    )
    assert first.created == [2]

    again = await import_file(
        cases,
        actor,
        csv(header, f"{ELIN};Elin;Berg;070-111 22 33;elin@example.se;Anna Berg;070-999 88 77;;"),
        "b.csv",
        TODAY,
    )
    assert [(k.row, k.filled, k.differing) for k in again.known] == [
        (2, ("phone", "email", "guardian"), ())
    ]
    summary = again.summary()
    assert "- 1 fanns redan i registret." in summary
    assert "  - Rad 2: kompletterade telefon, e-post och vårdnadshavare." in summary
    assert "070" not in summary and "Anna" not in summary

    third = await import_file(
        cases,
        actor,
        csv(header, f"{ELIN};Elin;Berg;070-000 00 00;;Anna Berg;;ja;Annan väg 2"),
        "c.csv",
        TODAY,
    )
    assert [(k.filled, k.differing) for k in third.known] == [(("protected_identity",), ("phone",))]
    assert "Rad 2: telefon skiljer sig från registret och ändrades inte" in third.summary()
    youth = (await _youths(sessionmaker))[ELIN]
    assert (youth.phone, youth.email, youth.protected_identity, youth.address) == (
        "070-111 22 33",
        "elin@example.se",
        True,
        None,
    )
    assert [(g.name, g.phone) for g in youth.guardians] == [("Anna Berg", "070-999 88 77")]
    fields = [(c.record, c.field, c.old_value) for c in await rows(sessionmaker, Correction)]
    assert ("youth", "phone", None) in fields and ("guardian", "name", None) in fields
    assert ("youth", "protected_identity", "nej") in fields
    assert all(field != "address" for _record, field, _old in fields)


async def test_a_long_city_by_the_command_line_gets_a_swedish_message(run, sessionmaker, tmp_path):
    await _coordinator(sessionmaker)
    path = tmp_path / "intag.csv"
    path.write_bytes(csv("personnummer;fornamn;efternamn;ort", f"{ELIN};Elin;Berg;{'Å' * 150}"))
    result = await asyncio.to_thread(run, "import", str(path), "--municipality", "0580")
    assert result.exit_code == 0, result.output
    assert "Rad 2:" in result.output
    assert "Fältet ort är för långt (högst 100 tecken)." in result.output
    assert "något gick fel" not in result.output.lower()
    assert await count(sessionmaker, Youth) == 0
