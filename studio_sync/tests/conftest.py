"""A real local HTTP receiver standing in for the Studio, and owners created with the Studio
webhook configured (so their creation is reported as it would be in production)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from billing.tests.conftest import in_portal, owner_client, pay, plans  # noqa: F401 - shared
from tests.factories import ProfileFactory

SECRET = "test-shared-secret-for-studio-events"


class Receiver:
    """An HTTP server in a thread. ``script`` lists how to answer the next requests, one
    entry each ("200", "500", "hang", "garbage", "200-garbage", "redirect:<url>"); when it
    runs out every request gets 200. ``requests`` holds (headers, body) of each POST."""

    def __init__(self):
        self.requests: list[tuple[dict, bytes]] = []
        self.script: list[str] = []
        self.release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append((dict(self.headers.items()), body))
                action = receiver.script.pop(0) if receiver.script else "200"
                if action == "hang":
                    receiver.release.wait(10)
                    return
                if action == "garbage":
                    self.wfile.write(b"\x00\xffTHIS IS NOT HTTP\r\n\r\n")
                    self.close_connection = True
                    return
                if action.startswith("redirect:"):
                    self.send_response(302)
                    self.send_header("Location", action.removeprefix("redirect:"))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                status = 200 if action.startswith("200") else int(action)
                payload = b"\x00\xff<not json" if action == "200-garbage" else b"ok"
                self.send_response(status)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/mintkit"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def studio(settings, receiver):
    """The hub configured to tell the Studio (the local receiver), with short timeouts."""
    settings.MINTKIT_STUDIO_WEBHOOK_URL = receiver.url
    settings.MINTKIT_SHARED_SECRET = SECRET
    settings.STUDIO_WEBHOOK_CONNECT_TIMEOUT = 2
    settings.STUDIO_WEBHOOK_READ_TIMEOUT = 0.5
    return receiver


@pytest.fixture
def profile(db, studio, committed):
    """A new owner, signed up while the Studio webhook is configured."""
    with committed():
        return ProfileFactory()
