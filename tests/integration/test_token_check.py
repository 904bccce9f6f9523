"""The token verifier's key cache: how often keys are fetched, and what a failed fetch means.

No database and no bot: the verifier against a local OpenID server, with a clock of our own.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from bot.signing_keys import MAX_AGE, REFRESH_INTERVAL, RETRY_INTERVAL
from bot.token_check import KeysUnavailable, TokenVerifier, Unauthorized
from tests.integration.openid import OpenIdServer, SilentServer, channel_token, new_key

APP_ID = "11111111-2222-3333-4444-555555555555"
SERVICE_URL = "https://smba.trafficmanager.net/emea/"
KEY = new_key()
NEW_KEY = new_key()
ONE_FETCH = ["/.well-known/openidconfiguration", "/keys"]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def openid() -> AsyncIterator[OpenIdServer]:
    server = OpenIdServer({"k1": KEY})
    await server.start()
    yield server
    await server.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def verifier(openid, clock) -> AsyncIterator[TokenVerifier]:
    checker = TokenVerifier(APP_ID, metadata_url=openid.metadata_url, clock=clock)
    yield checker
    await checker.close()


def _bearer(kid: str = "k1", key=KEY) -> str:
    return "Bearer " + channel_token(key, kid=kid, app_id=APP_ID, service_url=SERVICE_URL)


async def _verify(verifier: TokenVerifier, authorization: str) -> dict:
    return await verifier.verify(authorization, channel_id="msteams", service_url=SERVICE_URL)


async def _outcome(verifier: TokenVerifier, authorization: str) -> str:
    try:
        await _verify(verifier, authorization)
    except Unauthorized:
        return "401"
    except KeysUnavailable:
        return "503"
    return "ok"


async def test_the_claims_of_a_valid_token_are_returned(verifier):
    claims = await _verify(verifier, _bearer())
    assert claims["aud"] == APP_ID and claims["serviceurl"] == SERVICE_URL


async def test_concurrent_first_requests_share_one_fetch(verifier, openid):
    outcomes = await asyncio.gather(*(_outcome(verifier, _bearer()) for _ in range(20)))
    assert outcomes == ["ok"] * 20
    assert openid.requests == ONE_FETCH


def unknown(n: int) -> str:
    return _bearer(kid=f"unknown-{n}")


async def test_unknown_key_ids_refetch_at_most_once_per_interval(verifier, openid, clock):
    assert await _outcome(verifier, _bearer()) == "ok"
    for n in range(10):
        assert await _outcome(verifier, unknown(n)) == "401"
    clock.now += REFRESH_INTERVAL - 1
    outcomes = await asyncio.gather(*(_outcome(verifier, unknown(n)) for n in range(20)))
    assert outcomes == ["401"] * 20
    assert openid.requests == ONE_FETCH

    clock.now += 1
    outcomes = await asyncio.gather(*(_outcome(verifier, unknown(n)) for n in range(20)))
    assert outcomes == ["401"] * 20
    assert openid.requests == ONE_FETCH * 2
    for n in range(10):
        assert await _outcome(verifier, unknown(n)) == "401"
    assert openid.requests == ONE_FETCH * 2


async def test_a_new_key_is_picked_up_once_the_interval_has_passed(verifier, openid, clock):
    assert await _outcome(verifier, _bearer()) == "ok"
    clock.now += REFRESH_INTERVAL
    assert await _outcome(verifier, _bearer(kid="unknown")) == "401"
    openid.keys["k2"] = NEW_KEY
    assert await _outcome(verifier, _bearer(kid="k2", key=NEW_KEY)) == "401"
    clock.now += REFRESH_INTERVAL
    assert await _outcome(verifier, _bearer(kid="k2", key=NEW_KEY)) == "ok"
    assert await _outcome(verifier, _bearer()) == "ok"
    assert openid.requests == ONE_FETCH * 3


async def test_a_failing_refresh_keeps_the_cached_keys(verifier, openid, clock):
    assert await _outcome(verifier, _bearer()) == "ok"
    openid.failing = True
    clock.now += MAX_AGE
    # The keys are due for their daily refresh, which fails: the old keys still serve.
    assert await _outcome(verifier, _bearer()) == "ok"
    assert openid.requests == [*ONE_FETCH, ONE_FETCH[0]]
    assert await _outcome(verifier, _bearer(kid="unknown")) == "401"
    clock.now += REFRESH_INTERVAL
    assert await _outcome(verifier, _bearer(kid="unknown")) == "401"
    assert openid.requests == [*ONE_FETCH, ONE_FETCH[0], ONE_FETCH[0]]


async def test_retired_keys_leave_the_cache_at_the_daily_refresh(verifier, openid, clock):
    assert await _outcome(verifier, _bearer()) == "ok"
    openid.keys = {"k2": NEW_KEY}
    clock.now += MAX_AGE - 1
    assert await _outcome(verifier, _bearer()) == "ok"
    clock.now += 1
    assert await _outcome(verifier, _bearer()) == "401"
    assert await _outcome(verifier, _bearer(kid="k2", key=NEW_KEY)) == "ok"


async def test_without_keys_503_and_a_retry_only_after_a_short_interval(verifier, openid, clock):
    openid.failing = True
    assert await _outcome(verifier, _bearer()) == "503"
    outcomes = await asyncio.gather(*(_outcome(verifier, _bearer()) for _ in range(10)))
    assert outcomes == ["503"] * 10
    assert openid.requests == ONE_FETCH[:1]

    openid.failing = False
    clock.now += RETRY_INTERVAL - 1
    assert await _outcome(verifier, _bearer()) == "503"
    clock.now += 1
    assert await _outcome(verifier, _bearer()) == "ok"
    assert openid.requests == [ONE_FETCH[0], *ONE_FETCH]


@pytest.mark.parametrize(
    "document",
    [{"keys": []}, {"keys": [{"kid": "k1", "kty": "RSA"}]}, ["not", "a", "key", "set"], "text"],
    ids=["empty", "broken key", "list", "text"],
)
async def test_a_key_set_without_a_usable_key_counts_as_no_keys(clock, document):
    server = OpenIdServer({"k1": KEY})
    server.key_set = lambda: document  # type: ignore[method-assign]
    await server.start()
    checker = TokenVerifier(APP_ID, metadata_url=server.metadata_url, clock=clock)
    try:
        assert await _outcome(checker, _bearer()) == "503"
    finally:
        await checker.close()
        await server.close()


async def test_a_silent_key_server_is_given_up_on_after_the_timeout(clock):
    silent = SilentServer()
    silent.start()
    checker = TokenVerifier(APP_ID, metadata_url=silent.metadata_url, clock=clock, timeout=0.3)
    try:
        started = time.monotonic()
        outcomes = await asyncio.gather(*(_outcome(checker, _bearer()) for _ in range(5)))
        assert outcomes == ["503"] * 5
        assert time.monotonic() - started < 2.0
        assert silent.connections == 1
        assert await _outcome(checker, _bearer()) == "503"
        assert silent.connections == 1
    finally:
        await checker.close()
        silent.close()
