"""Local stand-ins for the Bot Framework's OpenID metadata and signing keys, and tokens.

The OpenID server runs on the test's own loop: the bot fetches keys without blocking it.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from typing import Any

import jwt
from aiohttp import web
from aiohttp.test_utils import TestServer
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CHANNEL_ISSUER = "https://api.botframework.com"
METADATA_PATH = "/.well-known/openidconfiguration"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class OpenIdServer:
    """Serves the metadata and `/keys`; records each request; answers 500 while `failing`."""

    def __init__(
        self, keys: dict[str, rsa.RSAPrivateKey], endorsements: tuple[str, ...] = ("msteams",)
    ) -> None:
        self.requests: list[str] = []
        self.failing = False
        self.endorsements = endorsements
        self.keys = dict(keys)
        app = web.Application()
        app.router.add_get(METADATA_PATH, self._metadata)
        app.router.add_get("/keys", self._keys)
        self.server = TestServer(app)

    async def start(self) -> None:
        await self.server.start_server()

    async def close(self) -> None:
        await self.server.close()

    @property
    def metadata_url(self) -> str:
        return str(self.server.make_url(METADATA_PATH))

    async def _metadata(self, request: web.Request) -> web.Response:
        return self._answer(request, {"issuer": CHANNEL_ISSUER, "jwks_uri": self._keys_url()})

    async def _keys(self, request: web.Request) -> web.Response:
        return self._answer(request, self.key_set())

    def key_set(self) -> Any:
        """The JWK set served at `/keys`: the public halves of `keys`, endorsed."""
        return {
            "keys": [
                {
                    **json.loads(RSAAlgorithm.to_jwk(key.public_key())),
                    "kid": kid,
                    "use": "sig",
                    "endorsements": list(self.endorsements),
                }
                for kid, key in self.keys.items()
            ]
        }

    def _keys_url(self) -> str:
        return str(self.server.make_url("/keys"))

    def _answer(self, request: web.Request, body: Any) -> web.Response:
        self.requests.append(request.path)
        if self.failing:
            return web.Response(status=500)
        return web.json_response(body)


class SilentServer:
    """Accepts TCP connections and answers nothing: a key server behind a path that drops packets.

    It runs in a thread of its own and hangs up after `hold` seconds, so that a client blocking
    the event loop on it fails the test (the loop stalls that long) instead of hanging it.
    """

    def __init__(self, hold: float = 10.0) -> None:
        self.connections = 0
        self._hold = hold
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def metadata_url(self) -> str:
        port = self._listener.getsockname()[1]
        return f"http://127.0.0.1:{port}{METADATA_PATH}"

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._listener.close()

    def _serve(self) -> None:
        held: list[tuple[float, socket.socket]] = []
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
                self.connections += 1
                held.append((time.monotonic() + self._hold, connection))
            except TimeoutError:
                pass
            for deadline, connection in [entry for entry in held if entry[0] <= time.monotonic()]:
                connection.close()
                held.remove((deadline, connection))
        for _, connection in held:
            connection.close()


def channel_token(
    key: rsa.RSAPrivateKey | str | None,
    *,
    kid: str | None,
    app_id: str,
    service_url: str,
    lifetime: int = 3600,
    algorithm: str = "RS256",
    **claims: Any,
) -> str:
    """A token shaped like the Bot Framework channel's, signed with `key`.

    `claims` add or replace claims; a claim given as None is left out.
    """
    now = int(time.time())
    payload = {
        "iss": CHANNEL_ISSUER,
        "aud": app_id,
        "serviceurl": service_url,
        "nbf": now - 60,
        "iat": now - 60,
        "exp": now + lifetime,
        **claims,
    }
    headers = {"kid": kid} if kid is not None else None
    return jwt.encode(
        {name: value for name, value in payload.items() if value is not None},
        key,
        algorithm=algorithm,
        headers=headers,
    )
