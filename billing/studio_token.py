"""Hand-off tokens for MintKit Studio: compact HS256 JWTs signed with MINTKIT_SHARED_SECRET.

Claims: ``sub`` (the profile's MintKitAccess external id), ``iss`` ("mintkit-hub"),
``aud`` ("mintkit-studio"), ``iat``, ``exp`` (``iat`` + 60 s) and a random ``jti``. Any JWT
library verifies them; so does ``studio_token_verify`` below (the same code is shown in
docs/STRIPE_MINTKIT_INTEGRATION.md). A token is a bearer credential for its 60 seconds: the
Studio MUST also remember each ``jti`` until its ``exp`` and refuse one it has seen (only the
Studio can keep that state; ``studio_token_verify`` checks the claim is there).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ISSUER = "mintkit-hub"
AUDIENCE = "mintkit-studio"
LIFETIME_SECONDS = 60


class InvalidToken(Exception):
    pass


def _shared_secret() -> str:
    secret = settings.MINTKIT_SHARED_SECRET
    if not secret:
        raise ImproperlyConfigured("MINTKIT_SHARED_SECRET is not set.")
    return secret


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def studio_token_create(*, external_id: str, now: float | None = None) -> str:
    iat = int(now if now is not None else time.time())
    header = {"alg": "HS256", "typ": "JWT"}
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": external_id,
        "iat": iat,
        "exp": iat + LIFETIME_SECONDS,
        "jti": secrets.token_urlsafe(12),
    }
    signing_input = (
        _b64(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + _b64(json.dumps(claims, separators=(",", ":")).encode())
    )
    mac = hmac.new(_shared_secret().encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(mac)}"


def studio_token_verify(
    token: str, *, secret: str | None = None, now: float | None = None
) -> dict[str, Any]:
    """The claims of a valid, unexpired token; raises ``InvalidToken`` otherwise."""
    secret = secret if secret is not None else _shared_secret()
    if not isinstance(token, str):
        raise InvalidToken("malformed token")
    try:
        header_b64, claims_b64, mac_b64 = token.split(".")
        expected = hmac.new(
            secret.encode(), f"{header_b64}.{claims_b64}".encode(), hashlib.sha256
        ).digest()
        if not hmac.compare_digest(expected, _unb64(mac_b64)):
            raise InvalidToken("bad signature")
        header = json.loads(_unb64(header_b64))
        claims = json.loads(_unb64(claims_b64))
    except (ValueError, TypeError) as exc:
        raise InvalidToken("malformed token") from exc
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise InvalidToken("malformed token")
    if header.get("alg") != "HS256":
        raise InvalidToken("unexpected algorithm")
    now = now if now is not None else time.time()
    if claims.get("iss") != ISSUER or claims.get("aud") != AUDIENCE:
        raise InvalidToken("wrong issuer or audience")
    if not isinstance(claims.get("exp"), int) or now >= claims["exp"]:
        raise InvalidToken("expired")
    if not isinstance(claims.get("sub"), str) or not isinstance(claims.get("jti"), str):
        raise InvalidToken("missing subject or token id")
    return claims
