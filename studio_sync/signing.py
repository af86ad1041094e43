"""The signature on every event the hub sends the Studio (Stripe's scheme, our header).

``MintKit-Signature: t=<unix time>,v1=<hex>``, where ``<hex>`` is HMAC-SHA256 of
``"<unix time>.<body>"`` keyed with ``MINTKIT_SHARED_SECRET``. The time is the attempt's, so a
receiver can refuse replays older than its tolerance (docs/examples/verify_studio_webhook.py
is the Studio's side, five minutes by default).
"""

import hashlib
import hmac

SIGNATURE_HEADER = "MintKit-Signature"
SCHEME = "v1"


def signature_compute(*, body: bytes, secret: str, timestamp: int) -> str:
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(*, body: bytes, secret: str, timestamp: int) -> str:
    """The ``MintKit-Signature`` header's value for ``body`` sent at ``timestamp``."""
    return (
        f"t={timestamp},{SCHEME}={signature_compute(body=body, secret=secret, timestamp=timestamp)}"
    )
