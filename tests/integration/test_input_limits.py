"""Size limits on what the bot reads: attached files over HTTP, and files handed to the import."""

from __future__ import annotations

import io
import zipfile
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy import func, select

from storage.imports import (
    MAX_FILE_BYTES,
    MAX_XLSX_UNPACKED_BYTES,
    ImportFileError,
    read_sheet,
)
from storage.models import KaaCase
from tests.integration.teams import activity

HEADER = "personnummer;förnamn;efternamn\n"


@pytest.fixture
async def file_server() -> AsyncIterator[TestServer]:
    """Serves a file larger than the limit, with and without an honest Content-Length."""
    big = (HEADER + "x" * 80 + "\n").encode() * (MAX_FILE_BYTES // 80 + 10)

    async def declared(_request: web.Request) -> web.Response:
        return web.Response(body=big, content_type="text/csv")

    async def streamed(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        response.enable_chunked_encoding()
        await response.prepare(request)
        for start in range(0, len(big), 256 * 1024):
            await response.write(big[start : start + 256 * 1024])
        await response.write_eof()
        return response

    app = web.Application()
    app.router.add_get("/declared.csv", declared)
    app.router.add_get("/streamed.csv", streamed)
    server = TestServer(app)
    await server.start_server()
    yield server
    await server.close()


@pytest.mark.parametrize("path", ["/declared.csv", "/streamed.csv"])
async def test_an_attached_file_over_the_limit_is_refused_in_swedish(
    demo_bot, connector, file_server, sessionmaker, path
):
    body = activity(connector.url, text="")
    body["attachments"] = [
        {
            "contentType": "application/vnd.microsoft.teams.file.download.info",
            "name": "lista.csv",
            "content": {"downloadUrl": str(file_server.make_url(path)), "fileType": "csv"},
        }
    ]
    response = await demo_bot.post("/api/messages", json=body)
    assert response.status == 200
    assert any("för stor" in text for text in connector.texts()), connector.texts()
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(KaaCase)) == 0


def test_the_import_refuses_a_file_over_the_limit():
    content = (HEADER + "1" * MAX_FILE_BYTES).encode()
    with pytest.raises(ImportFileError, match="för stor"):
        read_sheet(content, "lista.csv")


def test_the_import_refuses_an_xlsx_that_unpacks_too_large():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (MAX_XLSX_UNPACKED_BYTES + 1))
    content = buffer.getvalue()
    assert len(content) < MAX_FILE_BYTES
    with pytest.raises(ImportFileError, match="för stor uppackad"):
        read_sheet(content, "lista.xlsx")
