"""With MicrosoftAppId set, only a token the Bot Framework channel signed gets a turn processed.

The signing keys come from a local OpenID server; nothing is fetched from the internet.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import pytest
from aiohttp.test_utils import TestClient, TestServer
from click.testing import CliRunner
from sqlalchemy import select

from bot.app import create_app
from bot.cli import main
from bot.settings import SettingsError, require_safe_serving
from storage.models import ConversationRef
from tests.environment import explicit_settings
from tests.integration.openid import OpenIdServer, SilentServer, channel_token, new_key
from tests.integration.teams import FakeConnector, activity
from tests.logging_state import preserved_logging

APP_ID = "11111111-2222-3333-4444-555555555555"
OTHER_APP_ID = "99999999-0000-0000-0000-000000000000"
EMULATOR_ISSUER = "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/"
TENANT_ID = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
TRUSTED_KID = "trusted"
TRUSTED_KEY = new_key()
FORGER_KEY = new_key()
REFUSED = "Ogiltig eller saknad behörighet."


@pytest.fixture
async def openid() -> AsyncIterator[OpenIdServer]:
    server = OpenIdServer({TRUSTED_KID: TRUSTED_KEY})
    await server.start()
    yield server
    await server.close()


@asynccontextmanager
async def _bot(
    database_url: str, metadata_url: str, app_id: str = APP_ID
) -> AsyncIterator[TestClient]:
    settings = explicit_settings(
        database_url=database_url,
        app_id=app_id,
        app_password="hemligt" if app_id else "",
        app_type="MultiTenant",
        app_tenant_id="",
        allowed_tenants="",
        reminders=False,
    )
    client = TestClient(TestServer(create_app(settings, openid_metadata_url=metadata_url)))
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()


@pytest.fixture
async def secured_bot(openid, database_url, engine) -> AsyncIterator[TestClient]:
    async with _bot(database_url, openid.metadata_url) as client:
        yield client


def _update(connector: FakeConnector, channel_id: str = "msteams") -> dict:
    """A conversation update needs no reply, so the bot never has to fetch its own token."""
    return {**activity(connector.url, activity_type="conversationUpdate"), "channelId": channel_id}


def _signed(service_url: str, key=TRUSTED_KEY, kid: str | None = TRUSTED_KID, **options) -> str:
    return "Bearer " + channel_token(
        key, kid=kid, app_id=APP_ID, service_url=service_url, **options
    )


async def _post(client: TestClient, body: dict, authorization: str | None):
    headers = {"Authorization": authorization} if authorization is not None else {}
    return await client.post("/api/messages", json=body, headers=headers)


async def _references(sessionmaker) -> list[ConversationRef]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(ConversationRef)))


@pytest.mark.parametrize(
    "claims",
    [{}, {"exp": -200}, {"nbf": 200, "iat": 200}],
    ids=["fresh", "expired within the clock skew", "not yet valid within the clock skew"],
)
async def test_a_bot_framework_token_is_accepted(
    secured_bot, connector, openid, sessionmaker, claims
):
    now = int(time.time())
    authorization = _signed(connector.url, **{name: now + at for name, at in claims.items()})
    response = await _post(secured_bot, _update(connector), authorization)
    assert response.status == 200, await response.text()
    assert len(await _references(sessionmaker)) == 1
    assert openid.requests == ["/.well-known/openidconfiguration", "/keys"]


def _cheap_forgeries(service_url: str) -> dict[str, tuple[str | None, str]]:
    """Tokens refused on their face, and why: no key is needed to see what is wrong."""
    now = int(time.time())
    hs256 = _signed(service_url, key="a-shared-secret-long-enough-for-hs256", algorithm="HS256")
    return {
        "missing": (None, "no bearer token"),
        "empty": ("", "no bearer token"),
        "not bearer": ("Basic dXNlcjpwYXNz", "no bearer token"),
        "lower-case bearer": (_signed(service_url).replace("Bearer", "bearer"), "no bearer token"),
        "three parts": (_signed(service_url) + " extra", "no bearer token"),
        "garbage": ("Bearer not-a-token", "DecodeError"),
        "expired": (_signed(service_url, lifetime=-3600), "ExpiredSignatureError"),
        "expired beyond the clock skew": (
            _signed(service_url, exp=now - 301),
            "ExpiredSignatureError",
        ),
        "not yet valid": (_signed(service_url, nbf=now + 3600), "ImmatureSignatureError"),
        "issued in the future": (_signed(service_url, iat=now + 3600), "ImmatureSignatureError"),
        "no expiry": (_signed(service_url, exp=None), "MissingRequiredClaimError"),
        "another bot": (_signed(service_url, aud=OTHER_APP_ID), "audience"),
        "audience list": (_signed(service_url, aud=[APP_ID]), "audience"),
        "no audience": (_signed(service_url, aud=None), "audience"),
        "another service url": (
            _signed(service_url, serviceurl="https://evil.example.org/"),
            "service url",
        ),
        "no service url": (_signed(service_url, serviceurl=None), "service url"),
        "wrong issuer": (_signed(service_url, iss="https://evil.example.org"), "issuer"),
        "no issuer": (_signed(service_url, iss=None), "issuer"),
        "emulator issuer": (_signed(service_url, iss=EMULATOR_ISSUER), "issuer"),
        "tenant issuer": (
            _signed(service_url, iss=f"https://sts.windows.net/{TENANT_ID}/"),
            "issuer",
        ),
        "skill token": (_signed(service_url, ver="1.0", appid=OTHER_APP_ID), "skill token"),
        "anonymous skill": (_signed(service_url, appid="AnonymousSkill"), "skill token"),
        "hs256 with trusted kid": (hs256, "algorithm"),
        "rs512": (_signed(service_url, algorithm="RS512"), "algorithm"),
        "unsigned": (_signed(service_url, key=None, algorithm="none"), "algorithm"),
        "no key id": (_signed(service_url, kid=None), "no key id"),
    }


def _refusals(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage().removeprefix("Refused a token: ")
        for record in caplog.records
        if record.name == "bot.app" and record.getMessage().startswith("Refused a token")
    ]


@pytest.mark.parametrize("case", list(_cheap_forgeries("x")))
async def test_a_token_wrong_on_its_face_gets_401_without_a_key_fetch(
    secured_bot, connector, openid, sessionmaker, caplog, case
):
    authorization, reason = _cheap_forgeries(connector.url)[case]
    with caplog.at_level(logging.INFO, logger="bot.app"):
        response = await _post(secured_bot, _update(connector), authorization)
    assert response.status == 401
    assert (await response.json())["error"] == REFUSED
    assert _refusals(caplog) == [reason]
    assert openid.requests == []
    assert await _references(sessionmaker) == []
    assert connector.sent == []


@pytest.mark.parametrize(
    ("channel_id", "options", "reason"),
    [
        ("msteams", {"key": FORGER_KEY}, "signature: InvalidSignatureError"),
        ("msteams", {"key": FORGER_KEY, "kid": "forger"}, "unknown signing key"),
        ("msteams", {"kid": "unknown"}, "unknown signing key"),
        ("webchat", {}, "key not endorsed for the channel"),
    ],
    ids=["forged key", "forged key, unknown kid", "unknown kid", "channel not endorsed"],
)
async def test_a_token_the_keys_refute_gets_401(
    secured_bot, connector, openid, sessionmaker, caplog, channel_id, options, reason
):
    authorization = _signed(connector.url, **options)
    with caplog.at_level(logging.INFO, logger="bot.app"):
        response = await _post(secured_bot, _update(connector, channel_id), authorization)
    assert response.status == 401
    assert _refusals(caplog) == [reason]
    assert openid.requests == ["/.well-known/openidconfiguration", "/keys"]
    assert await _references(sessionmaker) == []


async def test_message_with_forged_token_is_not_answered(secured_bot, connector, sessionmaker):
    body = activity(connector.url, text="hjälp")
    response = await _post(secured_bot, body, _signed(connector.url, key=FORGER_KEY))
    assert response.status == 401
    assert connector.sent == []
    assert await _references(sessionmaker) == []


async def test_unreachable_key_source_gets_503_so_the_channel_retries(
    database_url, engine, connector, unused_tcp_port
):
    closed = f"http://127.0.0.1:{unused_tcp_port}/.well-known/openidconfiguration"
    async with _bot(database_url, closed) as client:
        response = await _post(client, _update(connector), _signed(connector.url))
        assert response.status == 503
        assert (await response.json())["error"] == "Behörigheten kan inte kontrolleras just nu."


async def test_once_keys_were_fetched_a_failing_key_server_gives_no_503(
    secured_bot, connector, openid, sessionmaker
):
    assert (await _post(secured_bot, _update(connector), _signed(connector.url))).status == 200
    openid.failing = True
    unknown = await _post(secured_bot, _update(connector), _signed(connector.url, kid="new"))
    assert unknown.status == 401
    assert (await _post(secured_bot, _update(connector), _signed(connector.url))).status == 200


async def test_without_an_app_id_no_token_is_asked_for_or_checked(
    database_url, engine, connector, openid, sessionmaker
):
    async with _bot(database_url, openid.metadata_url, app_id="") as client:
        assert (await _post(client, _update(connector), None)).status == 200
        forged = _signed(connector.url, key=FORGER_KEY)
        assert (await _post(client, _update(connector), forged)).status == 200
    assert openid.requests == []


async def test_a_silent_key_server_never_slows_healthz(database_url, engine, connector):
    """The issue's acceptance: forged tokens arrive while the key server never answers."""
    silent = SilentServer()
    silent.start()
    try:
        async with _bot(database_url, silent.metadata_url) as client:

            def forge(n: int) -> asyncio.Task:
                authorization = _signed(connector.url, key=FORGER_KEY, kid=f"forged-{n}")
                return asyncio.create_task(_post(client, _update(connector), authorization))

            forged = [forge(n) for n in range(3)]
            for n in range(3, 13):
                forged.append(forge(n))
                # Timed from before the forged requests get the loop, so a stall shows.
                started = time.monotonic()
                await asyncio.sleep(0.15)
                health = await client.get("/healthz")
                assert health.status == 200
                assert time.monotonic() - started < 1.0
            assert not any(task.done() for task in forged)
            responses = await asyncio.gather(*forged)
            assert [response.status for response in responses] == [503] * len(forged)
            assert silent.connections == 1
    finally:
        silent.close()


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost"])
def test_loopback_without_credentials_is_allowed(host):
    require_safe_serving(explicit_settings(host=host))


def test_public_host_without_credentials_is_refused():
    with pytest.raises(SettingsError) as refused:
        require_safe_serving(explicit_settings(host="0.0.0.0", app_id=""))
    message = str(refused.value)
    assert "\n" not in message
    assert "MicrosoftAppId" in message and "KAA_ALLOW_INSECURE" in message


def test_public_host_with_credentials_is_allowed(caplog):
    with caplog.at_level(logging.WARNING):
        require_safe_serving(explicit_settings(host="0.0.0.0", app_id=APP_ID, app_password="x"))
    assert caplog.records == []


def test_allow_insecure_starts_but_warns_loudly(caplog):
    with caplog.at_level(logging.WARNING):
        require_safe_serving(explicit_settings(host="0.0.0.0", app_id="", allow_insecure=True))
    assert any(
        record.levelno == logging.WARNING and "KAA_ALLOW_INSECURE" in record.getMessage()
        for record in caplog.records
    )


@pytest.fixture
def restore_logging() -> Iterator[None]:
    with preserved_logging("sqlalchemy.engine.Engine", "aiosqlite"):
        yield


def test_cli_refuses_to_serve_publicly_without_credentials(monkeypatch, restore_logging):
    for name in ("MicrosoftAppId", "MicrosoftAppPassword", "KAA_ALLOW_INSECURE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KAA_HOST", "0.0.0.0")
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Boten startar inte")
