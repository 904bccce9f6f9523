"""With MicrosoftAppId set, only a token the Bot Framework signed gets a turn processed.

The signing keys come from a local OpenID server; nothing is fetched from the internet.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import jwt
import pytest
from aiohttp.test_utils import TestClient
from botframework.connector.auth import AuthenticationConstants, ChannelValidation
from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor
from click.testing import CliRunner
from sqlalchemy import select

from bot.cli import main
from bot.settings import SettingsError, load_settings, require_safe_serving
from storage.models import ConversationRef
from tests.integration.openid import OpenIdServer, channel_token, new_key
from tests.integration.teams import FakeConnector, activity
from tests.logging_state import preserved_logging

APP_ID = "11111111-2222-3333-4444-555555555555"
TRUSTED_KID = "trusted"
TRUSTED_KEY = new_key()
FORGER_KEY = new_key()


@pytest.fixture
def openid(monkeypatch) -> Iterator[OpenIdServer]:
    server = OpenIdServer({TRUSTED_KID: TRUSTED_KEY})
    server.start()
    monkeypatch.setattr(JwtTokenExtractor, "metadataCache", {})
    monkeypatch.setattr(ChannelValidation, "open_id_metadata_endpoint", server.metadata_url)
    monkeypatch.setattr(
        AuthenticationConstants, "TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL", server.metadata_url
    )
    yield server
    server.stop()


@pytest.fixture
async def secured_bot(openid, start_bot) -> TestClient:
    return await start_bot(demo=False, app_id=APP_ID, app_password="hemligt")


def _update(connector: FakeConnector) -> dict:
    """A conversation update needs no reply, so the bot never has to fetch its own token."""
    return activity(connector.url, activity_type="conversationUpdate")


async def _post(client: TestClient, body: dict, authorization: str | None):
    headers = {"Authorization": authorization} if authorization is not None else {}
    return await client.post("/api/messages", json=body, headers=headers)


async def _references(sessionmaker) -> list[ConversationRef]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(ConversationRef)))


async def test_a_bot_framework_token_is_accepted(secured_bot, connector, openid, sessionmaker):
    token = channel_token(TRUSTED_KEY, kid=TRUSTED_KID, app_id=APP_ID, service_url=connector.url)
    response = await _post(secured_bot, _update(connector), f"Bearer {token}")
    assert response.status == 200, await response.text()
    assert len(await _references(sessionmaker)) == 1
    assert "/keys" in openid.requests


def _forgeries(service_url: str) -> dict[str, str | None]:
    def signed(key=TRUSTED_KEY, kid=TRUSTED_KID, **claims) -> str:
        options = {"app_id": APP_ID, "service_url": service_url, **claims}
        return "Bearer " + channel_token(key, kid=kid, **options)

    hs256 = jwt.encode(
        {"iss": "https://api.botframework.com", "aud": APP_ID, "serviceurl": service_url},
        "a-shared-secret-long-enough-for-hs256",
        algorithm="HS256",
        headers={"kid": TRUSTED_KID},
    )
    return {
        "missing": None,
        "empty": "",
        "not bearer": "Basic dXNlcjpwYXNz",
        "garbage": "Bearer not-a-token",
        "forged key, trusted kid": signed(key=FORGER_KEY),
        "forged key, unknown kid": signed(key=FORGER_KEY, kid="forger"),
        "another bot": signed(app_id="99999999-0000-0000-0000-000000000000"),
        "another service url": signed(service_url="https://evil.example.org/"),
        "expired": signed(lifetime=-3600),
        "wrong issuer": signed(issuer="https://evil.example.org"),
        "emulator issuer, forged": signed(
            key=FORGER_KEY, issuer="https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/"
        ),
        "hs256 with trusted kid": f"Bearer {hs256}",
    }


@pytest.mark.parametrize("case", list(_forgeries("x")))
async def test_missing_invalid_or_forged_token_gets_401(secured_bot, connector, sessionmaker, case):
    authorization = _forgeries(connector.url)[case]
    response = await _post(secured_bot, _update(connector), authorization)
    assert response.status == 401
    assert "behörighet" in (await response.json())["error"]
    assert await _references(sessionmaker) == []
    assert connector.sent == []


async def test_message_with_forged_token_is_not_answered(secured_bot, connector, sessionmaker):
    token = channel_token(FORGER_KEY, kid=TRUSTED_KID, app_id=APP_ID, service_url=connector.url)
    body = activity(connector.url, text="hjälp")
    response = await _post(secured_bot, body, f"Bearer {token}")
    assert response.status == 401
    assert connector.sent == []
    assert await _references(sessionmaker) == []


async def test_unreachable_key_source_gets_503_so_the_channel_retries(
    secured_bot, connector, monkeypatch, unused_tcp_port
):
    closed = f"http://127.0.0.1:{unused_tcp_port}/.well-known/openidconfiguration"
    monkeypatch.setattr(ChannelValidation, "open_id_metadata_endpoint", closed)
    token = channel_token(TRUSTED_KEY, kid=TRUSTED_KID, app_id=APP_ID, service_url=connector.url)
    response = await _post(secured_bot, _update(connector), f"Bearer {token}")
    assert response.status == 503


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost"])
def test_loopback_without_credentials_is_allowed(host):
    require_safe_serving(load_settings(host=host))


def test_public_host_without_credentials_is_refused():
    with pytest.raises(SettingsError) as refused:
        require_safe_serving(load_settings(host="0.0.0.0"))
    message = str(refused.value)
    assert "\n" not in message
    assert "MicrosoftAppId" in message and "KAA_ALLOW_INSECURE" in message


def test_public_host_with_credentials_is_allowed(caplog):
    with caplog.at_level(logging.WARNING):
        require_safe_serving(load_settings(host="0.0.0.0", app_id=APP_ID, app_password="x"))
    assert caplog.records == []


def test_allow_insecure_starts_but_warns_loudly(caplog):
    with caplog.at_level(logging.WARNING):
        require_safe_serving(load_settings(host="0.0.0.0", allow_insecure=True))
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
