"""The HTTP request handler: Stripe API (``/v1``: keys, versions, idempotency), hosted
pages, ``/_emulator`` control endpoints. One handler class is made per server."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from . import hosted, pages
from .api import StripeError
from .objects import API_VERSION
from .params import decode
from .store import new_id
from .stripe_types import HostedResult, Params, StripeObject

if TYPE_CHECKING:
    from .server import EmulatorServer

log = logging.getLogger("stripe_emulator")

NO_KEY = (
    "You did not provide an API key. You need to provide your API key in the Authorization "
    "header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See "
    "https://stripe.com/docs/api#authentication for details, or we can help at "
    "https://support.stripe.com/."
)

IDEMPOTENCY_TTL = 24 * 3600  # Stripe prunes keys after 24 hours (here: emulator time)
IDEMPOTENCY_KEY_MAX = 255

UNSUPPORTED_VERSION = (
    "The Stripe emulator serves only API version {pinned} (the pinned SDK's); this request "
    "asked for Stripe-Version {asked}. Upgrade or pin the SDK to match, or send no "
    "Stripe-Version header."
)

IDEMPOTENCY_CONFLICT = (
    "Keys for idempotent requests can only be used with the same parameters they were first "
    "used with. Try using a key other than '{key}' if you meant to execute a different request."
)


class Handler(BaseHTTPRequestHandler):
    emulator: EmulatorServer
    server_version = "stripe-emulator/1.0"
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, fmt: str, *args: Any) -> None:  # noqa: D401 - stdlib signature
        if self.emulator.verbose:
            log.info("%s %s", self.address_string(), fmt % args)

    # -- plumbing ---------------------------------------------------------------------

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def _handle(self, method: str) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw_body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        self.request_id = new_id("req_", 14)
        path = parts.path
        try:
            if path.startswith("/v1/"):
                self._api(method, path, parts.query, raw_body)
            elif path.startswith("/checkout/"):
                self._checkout(method, path[len("/checkout/") :].strip("/"), raw_body)
            elif path.startswith("/portal/"):
                self._portal(method, path[len("/portal/") :].strip("/"), parts.query, raw_body)
            elif path.startswith("/invoice/"):
                self._invoice(method, path[len("/invoice/") :].strip("/"), parts.query, raw_body)
            elif path.startswith("/_emulator/"):
                self._control(method, path, parts.query, raw_body)
            elif path == "/":
                self._json(
                    200,
                    {
                        "emulator": "stripe_emulator",
                        "api_version": API_VERSION,
                        "now": self.emulator.now(),
                    },
                )
            else:
                self._json(
                    404, StripeError(404, f"Unrecognized request URL ({method}: {path}).").body
                )
        except Exception:  # pragma: no cover - last resort, keep the server alive
            log.exception("internal error")
            self._json(
                500,
                {
                    "error": {
                        "type": "api_error",
                        "message": "An unknown error occurred in the emulator.",
                    }
                },
            )

    def _send(
        self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Request-Id", self.request_id)
        self.send_header("Stripe-Version", API_VERSION)
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, body: StripeObject, extra: dict[str, str] | None = None) -> None:
        data = json.dumps(body, indent=2).encode()
        self._send(status, data, "application/json", extra)

    def _html(self, status: int, html: str) -> None:
        self._send(status, html.encode(), "text/html; charset=utf-8")

    def _redirect(self, location: str) -> None:
        self._send(303, b"", "text/plain", {"Location": location})

    def _base_url(self) -> str:
        host = self.headers.get("Host")
        return f"http://{host}" if host else self.emulator.url

    # -- API ------------------------------------------------------------------------------

    def _api_key(self) -> str | None:
        auth = self.headers.get("Authorization") or ""
        scheme, _, value = auth.partition(" ")
        if scheme.lower() == "bearer":
            return value.strip() or None
        if scheme.lower() == "basic":
            try:
                return base64.b64decode(value).decode().split(":")[0] or None
            except (ValueError, UnicodeDecodeError):
                return None
        return None

    def _api(self, method: str, path: str, query: str, raw_body: str) -> None:
        key = self._api_key()
        if key is None:
            self._json(401, {"error": {"type": "invalid_request_error", "message": NO_KEY}})
            return
        if not key.startswith(("sk_test_", "rk_test_")):
            shown = key[:8] + "*" * 8 + key[-4:] if len(key) > 12 else key
            self._json(
                401,
                {
                    "error": {
                        "type": "invalid_request_error",
                        "message": f"Invalid API Key provided: {shown}",
                    }
                },
            )
            return
        version = self.headers.get("Stripe-Version")
        if version is not None and version != API_VERSION:
            self._json(
                400,
                {
                    "error": {
                        "type": "invalid_request_error",
                        "code": "api_version_not_supported",
                        "message": UNSUPPORTED_VERSION.format(pinned=API_VERSION, asked=version),
                        "param": "Stripe-Version",
                    }
                },
            )
            return
        params = decode(query)
        if method != "GET" and raw_body:
            params.update(decode(raw_body))
        idem_key = self.headers.get("Idempotency-Key") if method == "POST" else None
        store = self.emulator.store
        if idem_key and len(idem_key) > IDEMPOTENCY_KEY_MAX:
            self._json(
                400,
                {
                    "error": {
                        "type": "invalid_request_error",
                        "message": "Idempotency-Key must be at most "
                        f"{IDEMPOTENCY_KEY_MAX} characters.",
                    }
                },
            )
            return
        if idem_key:
            fingerprint = hashlib.sha256(
                f"{method} {path}\n{json.dumps(params, sort_keys=True)}".encode()
            ).hexdigest()
            with store.lock:
                saved = store.internal["idempotency"]
                now = store.now()
                for old_key in [
                    k for k, v in saved.items() if v.get("created", now) <= now - IDEMPOTENCY_TTL
                ]:
                    del saved[old_key]
                cached = saved.get(idem_key)
                if cached is not None:
                    if cached["fingerprint"] != fingerprint:
                        self._json(
                            400,
                            {
                                "error": {
                                    "type": "idempotency_error",
                                    "message": IDEMPOTENCY_CONFLICT.format(key=idem_key),
                                }
                            },
                        )
                    else:
                        self._json(
                            cached["status"],
                            cached["body"],
                            {"Idempotent-Replayed": "true", "Idempotency-Key": idem_key},
                        )
                    return
                status, body, validation_failed = self._run_api(method, path, params)
                if not validation_failed:
                    saved[idem_key] = {
                        "fingerprint": fingerprint,
                        "status": status,
                        "body": body,
                        "created": now,
                    }
                    store.save()
            self._json(status, body, {"Idempotency-Key": idem_key})
            return
        status, body, _ = self._run_api(method, path, params)
        self._json(status, body)

    def _run_api(self, method: str, path: str, params: Params) -> tuple[int, StripeObject, bool]:
        """(status, body, refused by validation)."""
        try:
            status, body = self.emulator.api.dispatch(method, path, params, self._base_url())
            return status, body, False
        except StripeError as exc:
            return exc.status, exc.body, exc.validation

    # -- hosted pages ---------------------------------------------------------------------

    def _form(self, raw_body: str) -> StripeObject:
        return dict(parse_qsl(raw_body, keep_blank_values=True))

    def _checkout(self, method: str, session_id: str, raw_body: str) -> None:
        emu = self.emulator
        with emu.store.lock:
            session = emu.store.checkout_sessions.get(session_id)
            if session is None:
                self._html(
                    404, pages.message_page("Checkout session not found", "This link is invalid.")
                )
                return
            if method == "GET" or session["status"] != "open":
                self._html(200, pages.checkout_page(session, emu.store))
                return
            result = hosted.checkout_post(emu, session, self._form(raw_body))
        self._hosted(result)

    def _hosted(self, result: HostedResult) -> None:
        """Send what a ``hosted`` handler returned."""
        if result[0] == "redirect":
            self._redirect(result[1])
        elif result[0] == "json":
            self._json(result[1], result[2])
        else:
            self._html(result[1], result[2])

    def _invoice(self, method: str, invoice_id: str, query: str, raw_body: str) -> None:
        emu = self.emulator
        with emu.store.lock:
            notice = dict(parse_qsl(query)).get("msg") if method == "GET" else None
            result = hosted.invoice(emu, method, invoice_id, self._form(raw_body), notice)
        self._hosted(result)

    def _portal(self, method: str, portal_id: str, query: str, raw_body: str) -> None:
        emu = self.emulator
        store = emu.store
        with store.lock:
            portal = store.portal_sessions.get(portal_id)
            if portal is None:
                self._html(
                    404,
                    pages.message_page(
                        "Portal session not found", "This link is invalid or has expired."
                    ),
                )
                return
            if method == "GET":
                result = hosted.portal_get(emu, portal, dict(parse_qsl(query)).get("msg"))
            else:
                result = hosted.portal_post(emu, portal, self._form(raw_body))
        self._hosted(result)

    def _billing_helper(self, method: str, name: str, params: Params) -> HostedResult | None:
        with self.emulator.store.lock:
            return hosted.control(self.emulator, method, name, params)

    # -- control endpoints ------------------------------------------------------------------

    def _control(self, method: str, path: str, query: str, raw_body: str) -> None:
        emu = self.emulator
        params = decode(query)
        params.update(decode(raw_body) if raw_body else {})
        name = path[len("/_emulator/") :].strip("/")
        if name == "now" and method == "GET":
            self._json(200, {"now": emu.now()})
        elif name == "advance" and method == "POST":
            try:
                seconds = int(params.get("seconds", "0"))
                if seconds < 0:
                    raise ValueError
            except (TypeError, ValueError):
                self._json(
                    400,
                    {
                        "error": {
                            "type": "invalid_request_error",
                            "message": "seconds must be a non-negative integer",
                            "param": "seconds",
                        }
                    },
                )
                return
            self._json(200, {"now": emu.advance(seconds)})
        elif name == "reset" and method == "POST":
            flag = params.get("default_portal_configuration")
            emu.reset(None if flag in (None, "") else flag in ("true", "1"))
            self._json(200, {"reset": True, "now": emu.now()})
        elif name == "config" and method == "POST":
            if "webhook_url" in params:
                emu.set_webhook_url(params["webhook_url"] or None)
            self._json(200, {"webhook_url": emu.webhook_url})
        elif name == "config" and method == "GET":
            self._json(200, {"webhook_url": emu.webhook_url})
        elif (result := self._billing_helper(method, name, params)) is not None:
            self._hosted(result)
        else:
            self._json(
                404,
                {
                    "error": {
                        "type": "invalid_request_error",
                        "message": f"Unknown emulator endpoint ({method}: {path}).",
                    }
                },
            )
