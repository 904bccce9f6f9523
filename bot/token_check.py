"""Who may post activities: the Bot Framework channel's token, checked without blocking.

botbuilder 4.17.1 checks the `Authorization: Bearer …` token itself, but fetches the signing
keys with a blocking `requests.get` without a timeout, on the event loop, for any token with
the Bot Framework's issuer, before the signature is checked (a forged token froze every user
for as long as the key server took to not answer). This module does the same checks in an
order that costs nothing until a token could be genuine:

1. without any network access (each failure raises Unauthorized, HTTP 401): the header is
   `Bearer <token>`; the token decodes; it is signed RS256 and names its key (`kid`); the
   issuer is the Bot Framework channel's; it is no skill (bot-to-bot) token; the audience is
   our app id; `exp`/`nbf`/`iat` hold with the SDK's 5 minutes of clock skew; the `serviceurl`
   claim equals the activity's serviceUrl;
2. the signing key, from the cache in bot/signing_keys.py (KeysUnavailable, HTTP 503, only
   while no key has ever been fetched; an unknown key id is a 401);
3. the key's endorsements name the activity's channel (when both are there), and the
   signature verifies (both 401 when not).

Which tokens are accepted, and why. Teams reaches the bot through the public-cloud Bot
Framework channel service, which signs every request with a channel token (issuer
`https://api.botframework.com`, audience = the app id). That is the only kind accepted here,
for every `MicrosoftAppType`. botbuilder, configured as bot/proactive.py does
(ConfigurationBotFrameworkAuthentication, no channel service), accepts these for
MultiTenant, SingleTenant and UserAssignedMSI alike and none from the tenant's own issuers:
the app type and `MicrosoftAppTenantId` only decide where the bot gets its own token for its
replies. The SDK adds the tenant's Azure AD issuers only given
`AuthenticationConfiguration(tenant_id=…)`, which that configuration never passes, and then
only for skill (bot-to-bot) tokens, which it refuses anyway without a claims validator; here
skill tokens are refused before any fetch. The one kind botbuilder would accept and this
module refuses: the Bot Framework Emulator's tokens (Azure AD issuers, matched on `appid`
instead of the audience). The Emulator is a developer tool, local runs are anonymous (no app
id), and such tokens are the very kind the bot itself obtains to call the connector, so
accepting them would let whoever holds one of its outgoing tokens post as the channel.

Stricter than the SDK, where the channel always complies: `exp` is required, and only RS256
passes (the SDK lists RS384/RS512 but verifies with RS256 alone, so they never passed).
"""

from __future__ import annotations

import time
from typing import Any

import jwt
from botframework.connector.auth import AuthenticationConstants, SkillValidation

from bot.signing_keys import FETCH_TIMEOUT, Clock, KeysUnavailable, SigningKeys

__all__ = ["CHANNEL_OPENID_METADATA_URL", "KeysUnavailable", "TokenVerifier", "Unauthorized"]

CHANNEL_ISSUER = AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER
CHANNEL_OPENID_METADATA_URL = AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL
ALGORITHM = "RS256"
# ChannelValidation's clock_tolerance.
CLOCK_SKEW = 5 * 60
_TIME_CHECKS = {"verify_exp": True, "verify_nbf": True, "verify_iat": True, "require": ["exp"]}


class Unauthorized(Exception):
    """The request carries no valid channel token for this bot (HTTP 401).

    The message names the check that failed, in English, for the log; never the token.
    """


def _bearer_token(authorization: str) -> str:
    """The token of an `Authorization: Bearer <token>` header, split the way the SDK does."""
    parts = authorization.split(" ")
    if len(parts) != 2 or parts[0] != "Bearer" or not parts[1]:
        raise Unauthorized("no bearer token")
    return parts[1]


class TokenVerifier:
    """Checks channel tokens for one app id against the keys of one OpenID metadata URL."""

    def __init__(
        self,
        app_id: str,
        *,
        metadata_url: str = CHANNEL_OPENID_METADATA_URL,
        clock: Clock = time.monotonic,
        timeout: float = FETCH_TIMEOUT,
    ) -> None:
        self._app_id = app_id
        self._keys = SigningKeys(metadata_url, clock=clock, timeout=timeout)

    async def verify(
        self, authorization: str, *, channel_id: str | None, service_url: str | None
    ) -> dict[str, Any]:
        """The token's verified claims; raises Unauthorized or KeysUnavailable."""
        token = _bearer_token(authorization)
        key = await self._keys.get(self._checked_key_id(token, service_url))
        if key is None:
            raise Unauthorized("unknown signing key")
        if channel_id and key.endorsements and channel_id not in key.endorsements:
            raise Unauthorized("key not endorsed for the channel")
        try:
            return jwt.decode(
                token,
                key.public_key,
                algorithms=[ALGORITHM],
                leeway=CLOCK_SKEW,
                options={**_TIME_CHECKS, "verify_aud": False, "verify_iss": False},
            )
        except jwt.PyJWTError as error:
            raise Unauthorized(f"signature: {type(error).__name__}") from None

    async def close(self) -> None:
        await self._keys.close()

    def _checked_key_id(self, token: str, service_url: str | None) -> str:
        """Every check that needs no key; the id of the key the token claims to be signed with."""
        try:
            header = jwt.get_unverified_header(token)
            claims = jwt.decode(
                token, options={"verify_signature": False, **_TIME_CHECKS}, leeway=CLOCK_SKEW
            )
        except jwt.PyJWTError as error:
            raise Unauthorized(type(error).__name__) from None
        kid = header.get("kid")
        if header.get("alg") != ALGORITHM:
            raise Unauthorized("algorithm")
        if not isinstance(kid, str) or not kid:
            raise Unauthorized("no key id")
        if claims.get("iss") != CHANNEL_ISSUER:
            raise Unauthorized("issuer")
        if SkillValidation.is_skill_claim(claims):
            raise Unauthorized("skill token")
        if claims.get("aud") != self._app_id:
            raise Unauthorized("audience")
        if claims.get(AuthenticationConstants.SERVICE_URL_CLAIM) != service_url:
            raise Unauthorized("service url")
        return kid
