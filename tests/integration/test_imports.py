"""Bulk intake on both databases: the case API writes, the CLI and the 1:1 chat read files."""

from __future__ import annotations

import asyncio
import logging
from datetime import date, timedelta

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from bot.attachments import trusted_source
from storage.audit import Actor
from storage.case_queries import CaseQueries
from storage.cases import CaseService, Closing, NotAllowed, RegistrationInput
from storage.demo import DEMO_CODE, fictitious_personnummer
from storage.imports import ImportFileError, import_file
from storage.models import AuditEntry, KaaCase, Staff, Youth
from tests.clock import born
from tests.integration.teams import USER_AAD, FakeConnector, activity
from tests.unit.test_imports import xlsx_bytes

SYSTEM = Actor(label="test", municipality_id=None, role="system")
TODAY = date.today()


def pnr(serial: int, years: float = 17.5, gender: str = "kvinna") -> str:
    # Serials above the demo municipality's 0–29 can never collide with its youths.
    return fictitious_personnummer(TODAY - timedelta(days=int(years * 365)), 60 + serial, gender)


KNOWN = pnr(1)
CLOSED = pnr(2, gender="man")
NEW_A = pnr(3)
NEW_B = pnr(4, years=18.5, gender="man")
NEW_C = pnr(5, years=19)
TOO_OLD = pnr(6, years=21)
NEW_D = pnr(7)
HEADER = (
    "Personnummer;Förnamn;Efternamn;Registreringsdatum;Orsak;Källa;Adress;Postnummer;Ort;"
    "Telefon;E-post;Vårdnadshavare namn;Vårdnadshavare telefon;Handläggare"
)


def mixed_file() -> bytes:
    """Rows 2–3 new, 4 already registered, 5 with a closed case, 6–8 rejected, 9 new."""
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    rows = [
        HEADER,
        f"{NEW_A};Elin;Berg;{yesterday};ej_paborjat;Socialtjänst;Storgatan 1;582 23;Linköping;"
        "070-111 22 33;elin@example.se;Anna Berg;070-999 88 77;Bo Handläggare",
        f"{NEW_B[2:8]}-{NEW_B[8:]};Noah;Åberg;;;;;;;;;;;aad-staff-2",
        f"{KNOWN};Maja;Lind;;;;;;;;;;;",
        f"{CLOSED};Liam;Lind;;;;;;;;;;;",
        f"{TOO_OLD};Hugo;Ek;;;;;;;;;;;",
        f"{NEW_C};Saga;Ek;;;;;;;;;;;Okänd Person",
        f"{NEW_A};Elin;Berg;;;;;;;;;;;",
        f"{NEW_D};Ella;Ek;;;;;;;;;;;",
    ]
    return ("\ufeff" + "\n".join(rows) + "\n").encode()


async def setup_municipality(sessionmaker, code: str = "0580") -> tuple[CaseService, Actor]:
    cases = CaseService(sessionmaker)
    municipality = await cases.add_municipality(SYSTEM, code, "Linköping")
    await cases.add_staff(SYSTEM, "aad-staff-1", "Bo  Handläggare", "coordinator", code)
    await cases.add_staff(SYSTEM, "aad-staff-2", "Cilla Samordnare", "coordinator", code)
    actor = Actor(label="test", municipality_id=municipality.id, role="coordinator")
    await cases.register_youth(
        actor,
        RegistrationInput(KNOWN, "Maja", "Lind", TODAY - timedelta(days=30), "inflyttad", "annan"),
        today=TODAY,
    )
    closed = await cases.register_youth(
        actor,
        RegistrationInput(CLOSED, "Liam", "Lind", TODAY - timedelta(days=30), "annan", "annan"),
        today=TODAY,
    )
    case = await CaseQueries(cases.sessionmaker).view(actor, closed.case_id)
    await cases.close_case(
        actor,
        closed.case_id,
        Closing(TODAY - timedelta(days=1), "flyttat"),
        expected_version=case.version,
        today=TODAY,
    )
    return cases, actor


async def test_import_registers_valid_rows_and_audits_them(sessionmaker):
    cases, actor = await setup_municipality(sessionmaker)
    async with sessionmaker() as session:
        audit_before = await session.scalar(select(func.max(AuditEntry.id)))

    result = await import_file(cases, actor, mixed_file(), "intag.csv", TODAY)

    assert result.created == [2, 3, 9]
    assert [(known.row, known.closed) for known in result.known] == [(4, False), (5, True)]
    assert [rejected.row for rejected in result.rejected] == [6, 7, 8]
    reasons = {rejected.row: rejected.reason for rejected in result.rejected}
    assert "fyllt 20 år" in reasons[6]
    assert "finns inte bland personalen" in reasons[7]
    assert reasons[8] == "Samma personnummer som på rad 2."

    async with sessionmaker() as session:
        youths = {
            youth.personnummer: youth
            for youth in await session.scalars(
                select(Youth).options(selectinload(Youth.guardians), selectinload(Youth.cases))
            )
        }
        staff = {member.aad_object_id: member.id for member in await session.scalars(select(Staff))}
        audit = list(
            await session.scalars(
                select(AuditEntry).where(AuditEntry.id > audit_before).order_by(AuditEntry.id)
            )
        )
    assert set(youths) == {KNOWN, CLOSED, NEW_A, NEW_B, NEW_D}
    elin = youths[NEW_A]
    assert (elin.first_name, elin.last_name, elin.address, elin.postal_code, elin.city) == (
        "Elin",
        "Berg",
        "Storgatan 1",
        "582 23",
        "Linköping",
    )
    assert (elin.phone, elin.email) == ("070-111 22 33", "elin@example.se")
    assert [(g.name, g.phone) for g in elin.guardians] == [("Anna Berg", "070-999 88 77")]
    (elin_case,) = elin.cases
    assert elin_case.registered_on == TODAY - timedelta(days=1)
    assert (elin_case.registration_reason, elin_case.source) == ("ej_paborjat", "socialtjanst")
    assert elin_case.assigned_staff_id == staff["aad-staff-1"]
    (noah_case,) = youths[NEW_B].cases
    assert noah_case.assigned_staff_id == staff["aad-staff-2"]
    assert noah_case.registered_on == TODAY
    assert youths[NEW_B].first_name == "Noah" and youths[NEW_B].last_name == "Åberg"
    assert len(youths[CLOSED].cases) == 1 and youths[CLOSED].cases[0].status == "closed"

    by_youth = {youth.id: number for number, youth in youths.items()}
    actions = [(entry.action, by_youth.get(entry.youth_id)) for entry in audit]
    assert actions == [
        ("youth.create", NEW_A),
        ("case.register", NEW_A),
        ("youth.create", NEW_B),
        ("case.register", NEW_B),
        ("case.found", KNOWN),
        ("case.found", CLOSED),
        ("youth.create", NEW_D),
        ("case.register", NEW_D),
    ]
    assert all(entry.detail is None or NEW_A not in entry.detail for entry in audit)


async def test_a_rejected_file_writes_nothing(sessionmaker):
    cases, actor = await setup_municipality(sessionmaker)
    async with sessionmaker() as session:
        before = (
            await session.scalar(select(func.count(Youth.id))),
            await session.scalar(select(func.count(AuditEntry.id))),
        )
    broken = b"personnummer;ort\n" + f"{NEW_A};Linköping\n".encode()
    with pytest.raises(ImportFileError, match="saknar kolumnerna fornamn, efternamn"):
        await import_file(cases, actor, broken, "intag.csv", TODAY)
    all_rejected = f"personnummer;fornamn;efternamn\n{TOO_OLD};Hugo;Ek\n;Elin;Berg\n".encode()
    result = await import_file(cases, actor, all_rejected, "intag.csv", TODAY)
    assert [r.row for r in result.rejected] == [2, 3] and result.created == []
    async with sessionmaker() as session:
        after = (
            await session.scalar(select(func.count(Youth.id))),
            await session.scalar(select(func.count(AuditEntry.id))),
        )
    assert after == before


async def test_managers_cannot_import(sessionmaker):
    cases, actor = await setup_municipality(sessionmaker)
    manager = Actor(label="chef", municipality_id=actor.municipality_id, role="manager")
    with pytest.raises(NotAllowed):
        await import_file(cases, manager, mixed_file(), "intag.csv", TODAY)


async def test_importing_the_same_file_again_duplicates_nothing(sessionmaker):
    cases, actor = await setup_municipality(sessionmaker)
    await import_file(cases, actor, mixed_file(), "intag.csv", TODAY)
    again = await import_file(cases, actor, mixed_file(), "intag.csv", TODAY)
    assert again.created == []
    assert [known.row for known in again.known] == [2, 3, 4, 5, 9]
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count(KaaCase.id))) == 5


# --- The command line ------------------------------------------------------------------------


async def test_cli_import_prints_the_summary(run, sessionmaker, tmp_path):
    await setup_municipality(sessionmaker)
    path = tmp_path / "intag.csv"
    path.write_bytes(mixed_file())

    # The CLI runs its own event loop, so it gets a thread of its own here.
    result = await asyncio.to_thread(run, "import", str(path), "--municipality", "0580")

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:4] == [
        "Filen är inläst: 8 rader med ungdomar.",
        "- 3 nya ungdomar registrerades.",
        "- 2 fanns redan i registret och ändrades inte.",
        "  - Avslutat ärende på rad 5 – registrera en ny period i chatten om ungdomen är "
        "tillbaka i aktivitetsansvaret.",
    ]
    assert lines[4] == "- 3 avvisades – inget sparades för dem."
    assert lines[5].startswith("  - Rad 6: Ungdomen har fyllt 20 år")
    assert lines[6] == "  - Rad 7: Handläggaren finns inte bland personalen i kommunen."
    assert lines[7] == "  - Rad 8: Samma personnummer som på rad 2."
    assert len(lines) == 8
    for secret in (NEW_A, "Elin", "Berg", "Storgatan"):
        assert secret not in result.output
    async with sessionmaker() as session:
        cli_entries = await session.scalar(
            select(func.count(AuditEntry.id)).where(
                AuditEntry.actor == "cli", AuditEntry.action == "case.register"
            )
        )
    assert cli_entries == 3


async def test_cli_import_unreadable_files_exit_1(run, sessionmaker, tmp_path):
    await setup_municipality(sessionmaker)
    broken = tmp_path / "intag.xlsx"
    broken.write_bytes(b"PK\x03\x04 broken")
    latin1 = tmp_path / "intag.csv"
    latin1.write_bytes("personnummer;förnamn;efternamn\n".encode("cp1252"))
    cases = [
        ((str(broken), "--municipality", "0580"), "gick inte att öppna som en Excel-fil"),
        ((str(latin1), "--municipality", "0580"), "inte sparad som UTF-8"),
        ((str(tmp_path / "saknas.csv"), "--municipality", "0580"), "Hittar ingen sådan fil"),
        ((str(tmp_path), "--municipality", "0580"), "mapp"),
        ((str(latin1), "--municipality", "1234"), "ingen kommun med kod 1234"),
    ]
    for args, message in cases:
        result = await asyncio.to_thread(run, "import", *args)
        assert result.exit_code == 1, (args, result.output)
        assert message in result.output
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count(Youth.id))) == 2


# --- The 1:1 chat ----------------------------------------------------------------------------


class FileServer:
    """Serves files the way SharePoint or the Playground hands them to the bot."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        app = web.Application()
        app.router.add_get("/files/{name}", self._serve)
        self.server = TestServer(app)

    async def _serve(self, request: web.Request) -> web.Response:
        content = self.files.get(request.match_info["name"])
        if content is None:
            raise web.HTTPNotFound()
        return web.Response(body=content)

    def url(self, name: str) -> str:
        return str(self.server.make_url(f"/files/{name}")) + "?tempauth=SECRET-TOKEN"


@pytest.fixture
async def files():
    server = FileServer()
    await server.server.start_server()
    yield server
    await server.server.close()


def teams_file(url: str, name: str, file_type: str) -> dict:
    return {
        "contentType": "application/vnd.microsoft.teams.file.download.info",
        "name": name,
        "content": {"downloadUrl": url, "uniqueId": "abc", "fileType": file_type},
    }


async def send_files(
    client, connector: FakeConnector, attachments: list[dict], text: str | None = None, **kw
) -> list[str]:
    before = len(connector.sent)
    body = activity(connector.url, text=text, **kw)
    body["attachments"] = attachments
    response = await client.post("/api/messages", json=body)
    assert response.status == 200, await response.text()
    return connector.texts()[before:]


async def demo_municipality(sessionmaker) -> tuple[CaseService, Actor]:
    cases = CaseService(sessionmaker)
    found = await cases.municipality_by_code(DEMO_CODE)
    return cases, Actor(label="test", municipality_id=found.id, role="coordinator")


async def test_a_teams_file_in_the_personal_chat_is_imported(
    demo_bot, connector, files, sessionmaker, caplog
):
    cases, actor = await demo_municipality(sessionmaker)
    await cases.register_youth(
        actor, RegistrationInput(KNOWN, "Maja", "Lind", TODAY, "inflyttad", "annan"), today=TODAY
    )
    files.files["intag.csv"] = mixed_file().replace(b"Bo Handl\xc3\xa4ggare", b"")
    caplog.set_level(logging.DEBUG)

    replies = await send_files(
        demo_bot, connector, [teams_file(files.url("intag.csv"), "intag.csv", "csv")]
    )

    assert replies[0] == "Tack! Jag läser in filen – det kan ta en liten stund."
    summary = replies[1]
    assert "Filen är inläst: 8 rader med ungdomar." in summary
    assert "- 3 nya ungdomar registrerades." in summary
    assert "- 1 fanns redan i registret" in summary
    assert "- 4 avvisades" in summary
    assert "Rad 3: Handläggaren finns inte bland personalen i kommunen." in summary
    for secret in (NEW_A, NEW_B, "Elin", "Storgatan", "Anna Berg"):
        assert secret not in summary
    # The stand-in file server's access log and the SQL driver's debug lines are not the bot's.
    logged = "\n".join(
        record.getMessage()
        for record in caplog.records
        if record.name not in {"aiohttp.access", "aiosqlite"}
    )
    assert "File import: 3 new, 1 known, 4 rejected" in logged
    for secret in ("SECRET-TOKEN", "tempauth", NEW_A, "Storgatan"):
        assert secret not in logged
    async with sessionmaker() as session:
        uploader = await session.scalar(select(Staff).where(Staff.aad_object_id == USER_AAD))
        elin = await session.scalar(
            select(Youth).where(Youth.personnummer == NEW_A).options(selectinload(Youth.cases))
        )
    assert elin.cases[0].assigned_staff_id == uploader.id


async def test_playground_content_url_and_xlsx(demo_bot, connector, files, sessionmaker):
    files.files["lista.xlsx"] = xlsx_bytes(
        [["personnummer", "fornamn", "efternamn"], [NEW_D, "Ella", "Ek"]]
    )
    attachment = {
        "contentType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "contentUrl": files.url("lista.xlsx"),
        "name": "lista.xlsx",
    }
    replies = await send_files(demo_bot, connector, [attachment])
    assert "- 1 nya ungdomar registrerades." in replies[-1]
    async with sessionmaker() as session:
        assert await session.scalar(select(Youth.first_name).where(Youth.personnummer == NEW_D))


async def test_file_problems_get_swedish_answers_and_write_nothing(
    demo_bot, connector, files, sessionmaker
):
    files.files["trasig.xlsx"] = b"PK\x03\x04 broken"
    files.files["stor.csv"] = b"x" * (5 * 1024 * 1024 + 10)
    checks = [
        (teams_file(files.url("trasig.xlsx"), "trasig.xlsx", "xlsx"), "gick inte att öppna"),
        (teams_file(files.url("saknas.csv"), "saknas.csv", "csv"), "kunde inte hämta filen"),
        (teams_file(files.url("stor.csv"), "stor.csv", "csv"), "Filen är för stor"),
        (teams_file(files.url("bild.png"), "bild.png", "png"), "bara läsa in CSV- och XLSX"),
    ]
    for attachment, message in checks:
        replies = await send_files(demo_bot, connector, [attachment])
        assert message in replies[-1], replies
    html_only = {"contentType": "text/html", "content": "<p>hej</p>"}
    replies = await send_files(demo_bot, connector, [html_only], text="hjälp")
    assert any("Det här kan jag hjälpa dig med" in reply for reply in replies)
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count(Youth.id))) == 0


async def test_a_large_file_is_imported_after_the_turn(demo_bot, connector, files, sessionmaker):
    births = [born(18) - timedelta(days=day) for day in range(300)]
    rows = ["personnummer;fornamn;efternamn;adress;postnummer;ort;epost"] + [
        f"{fictitious_personnummer(birth, 7, 'kvinna')};Wilma;Storlistsson;Långa gatan {n};"
        f"582 22;Linköping;wilma{n}@example.se"
        for n, birth in enumerate(births)
    ]
    content = ("\n".join(rows) + "\n").encode()
    assert len(content) > 20 * 1024
    files.files["stor.csv"] = content

    replies = await send_files(
        demo_bot, connector, [teams_file(files.url("stor.csv"), "stor.csv", "csv")]
    )

    assert "läser in den medan du gör annat" in replies[-1]
    for _ in range(600):
        if any("300 nya ungdomar registrerades" in text for text in connector.texts()):
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError(f"no summary arrived: {connector.texts()[-3:]}")
    assert connector.sent[-1]["conversation"]["id"] == "personal-1"
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count(Youth.id))) == 300


async def test_files_only_from_teams_sources(demo_bot, connector, files, sessionmaker):
    files.files["intag.csv"] = mixed_file()
    elsewhere = files.url("intag.csv").replace("127.0.0.1", "localhost")
    replies = await send_files(demo_bot, connector, [teams_file(elsewhere, "intag.csv", "csv")])
    assert replies == [
        "Jag hämtar bara filer som Teams har delat med mig. Skicka filen direkt här i chatten."
    ]
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count(Youth.id))) == 0


def test_sharepoint_and_the_service_host_are_trusted():
    service = "https://smba.trafficmanager.net/emea/"
    assert trusted_source("https://kommun-my.sharepoint.com/personal/x/file.csv", service)
    assert trusted_source("https://smba.trafficmanager.net/files/1", service)
    assert not trusted_source("http://169.254.169.254/latest/meta-data", service)
    assert not trusted_source("https://sharepoint.com.evil.example/x.csv", service)


async def test_managers_and_channels_do_not_import(start_bot, connector, files, sessionmaker):
    cases = CaseService(sessionmaker)
    await cases.add_municipality(SYSTEM, "0580", "Linköping")
    await cases.add_staff(SYSTEM, USER_AAD, "Chefen", "manager", "0580")
    client = await start_bot(demo=False)
    files.files["intag.csv"] = mixed_file()
    attachment = teams_file(files.url("intag.csv"), "intag.csv", "csv")

    replies = await send_files(client, connector, [attachment])
    assert replies == ["Som chef kan du läsa ärenden men inte läsa in ungdomar från en fil."]
    await send_files(
        client, connector, [attachment], conversation_id="channel-1", conversation_type="channel"
    )
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count(Youth.id))) == 0
