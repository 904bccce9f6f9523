"""A local stand-in for the Bot Framework's OpenID metadata and signing keys, and tokens.

botbuilder fetches the keys with blocking `requests` calls from inside the event loop, so
the server runs in a thread of its own: an aiohttp server on the test's loop would deadlock.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CHANNEL_ISSUER = "https://api.botframework.com"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class OpenIdServer:
    """Serves `/.well-known/openidconfiguration` and `/keys` with the public keys it trusts."""

    def __init__(self, keys: dict[str, rsa.RSAPrivateKey]) -> None:
        self.requests: list[str] = []
        jwks = []
        for kid, key in keys.items():
            jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
            jwks.append({**jwk, "kid": kid, "use": "sig", "endorsements": ["msteams"]})
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                if self.path == "/.well-known/openidconfiguration":
                    body = {"issuer": CHANNEL_ISSUER, "jwks_uri": f"{server.url}/keys"}
                elif self.path == "/keys":
                    body = {"keys": jwks}
                else:
                    self.send_error(404)
                    return
                payload = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *_args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/.well-known/openidconfiguration"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def channel_token(
    key: rsa.RSAPrivateKey,
    *,
    kid: str,
    app_id: str,
    service_url: str,
    issuer: str = CHANNEL_ISSUER,
    lifetime: int = 3600,
) -> str:
    """A token shaped like the Bot Framework channel's, signed with `key`."""
    now = int(time.time())
    claims = {
        "iss": issuer,
        "aud": app_id,
        "serviceurl": service_url,
        "nbf": now - 60,
        "iat": now - 60,
        "exp": now + lifetime,
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})
