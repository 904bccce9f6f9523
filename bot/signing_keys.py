"""The Bot Framework's token signing keys, fetched on the event loop and cached.

botbuilder fetches them with a blocking `requests.get` without a timeout and retries a
failed fetch for every token; here one shared aiohttp session fetches them with a total
timeout, concurrent callers share one fetch in flight, and how often a fetch may start is
bounded by the clock, not by what the tokens say:

- while no key has ever been fetched, at most once per `retry_interval` (short, so a start
  during a passing outage recovers soon; meanwhile callers get KeysUnavailable at once);
- afterwards at most once per `refresh_interval`, whether a token names a key id we do not
  know (Microsoft publishes a new key before signing with it) or the keys are older than
  `max_age` (so retired keys leave the cache, as the SDK's daily refresh does);
- a failed refresh keeps the cached keys in service.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey
from jwt.algorithms import RSAAlgorithm
from jwt.exceptions import InvalidKeyError

log = logging.getLogger(__name__)

FETCH_TIMEOUT = 5.0
RETRY_INTERVAL = 10.0
REFRESH_INTERVAL = 5 * 60.0
MAX_AGE = 24 * 60 * 60.0

Clock = Callable[[], float]


class KeysUnavailable(Exception):
    """No signing key has been fetched yet, so no token can be checked (HTTP 503)."""


@dataclass(frozen=True)
class SigningKey:
    public_key: RSAPublicKey
    # The channels that may use this key (the Bot Framework's own JWK extension).
    endorsements: frozenset[str]


def parse_key_set(document: Any) -> dict[str, SigningKey]:
    """The usable RSA keys of a JWK set by key id; entries that are not are left out."""
    entries = document.get("keys") if isinstance(document, dict) else None
    keys: dict[str, SigningKey] = {}
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("kid"), str):
            continue
        try:
            key = RSAAlgorithm.from_jwk(entry)
        except (InvalidKeyError, ValueError, KeyError, TypeError):
            continue
        public = key.public_key() if isinstance(key, RSAPrivateKey) else key
        endorsements = entry.get("endorsements") or []
        keys[entry["kid"]] = SigningKey(
            public, frozenset(e for e in endorsements if isinstance(e, str))
        )
    return keys


class SigningKeys:
    """The keys published through one OpenID metadata document (its `jwks_uri`)."""

    def __init__(
        self,
        metadata_url: str,
        *,
        clock: Clock = time.monotonic,
        timeout: float = FETCH_TIMEOUT,
        retry_interval: float = RETRY_INTERVAL,
        refresh_interval: float = REFRESH_INTERVAL,
        max_age: float = MAX_AGE,
    ) -> None:
        self._metadata_url = metadata_url
        self._clock = clock
        self._timeout = timeout
        self._retry_interval = retry_interval
        self._refresh_interval = refresh_interval
        self._max_age = max_age
        # trust_env: through the proxy the environment names, as botbuilder's `requests` did.
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=timeout), trust_env=True
        )
        self._keys: dict[str, SigningKey] = {}
        self._fetched_at = 0.0
        self._last_attempt: float | None = None
        self._fetching: asyncio.Task[None] | None = None

    async def get(self, kid: str) -> SigningKey | None:
        """The key with this id, or None; KeysUnavailable while no key was ever fetched."""
        if not self._keys:
            if self._may_fetch(self._retry_interval):
                await self._refresh()
            if not self._keys:
                raise KeysUnavailable
        elif self._clock() - self._fetched_at >= self._max_age and self._may_fetch(
            self._refresh_interval
        ):
            await self._refresh()
        if kid not in self._keys and self._may_fetch(self._refresh_interval):
            await self._refresh()
        return self._keys.get(kid)

    async def close(self) -> None:
        if self._fetching is not None:
            self._fetching.cancel()
        await self._session.close()

    def _may_fetch(self, interval: float) -> bool:
        # A fetch in flight is always joined: it costs nothing more.
        return (
            self._fetching is not None
            or self._last_attempt is None
            or self._clock() - self._last_attempt >= interval
        )

    async def _refresh(self) -> None:
        if self._fetching is None:
            self._last_attempt = self._clock()
            self._fetching = asyncio.create_task(self._fetch())
            self._fetching.add_done_callback(self._fetch_done)
        # Shielded: a caller that goes away must not cancel the fetch the others wait for.
        await asyncio.shield(self._fetching)

    def _fetch_done(self, _task: asyncio.Task[None]) -> None:
        self._fetching = None

    async def _fetch(self) -> None:
        try:
            async with asyncio.timeout(self._timeout):
                metadata = await self._get_json(self._metadata_url)
                keys = parse_key_set(await self._get_json(metadata["jwks_uri"]))
        except (aiohttp.ClientError, TimeoutError, ValueError, KeyError, TypeError) as error:
            log.warning("Could not fetch the token signing keys: %s", type(error).__name__)
            return
        if not keys:
            log.warning("The token signing key set holds no usable key")
            return
        self._keys = keys
        self._fetched_at = self._clock()

    async def _get_json(self, url: str) -> Any:
        async with self._session.get(url) as response:
            response.raise_for_status()
            return await response.json(content_type=None)
