"""Logs a person can act on: request ids, JSON lines, and nothing secret in any line."""

import io
import json
import logging
import os
import re
import subprocess
import sys

import pytest

from mintkit.logging import JsonFormatter, RedactingFilter, RequestContextFilter, redact
from tests.factories import ProfileFactory
from tests.production_env import python_in_production
from tests.signup import SIGNUP_PASSWORD as PASSWORD
from tests.signup import sign_up
from tests.stripe_fixtures import emulator_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    """The production handler (request context, redaction, JSON) on the root logger, into a
    buffer; ``json_log()`` returns the lines written so far, parsed."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.addFilter(RequestContextFilter())
    handler.addFilter(RedactingFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)

    def lines(raw=False):
        text = buffer.getvalue()
        return text if raw else [json.loads(line) for line in text.splitlines()]

    yield lines
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_production_writes_one_json_object_per_line_on_stdout():
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('billing.services').warning('refund for %s', 'jo.bloggs@example.com'); "
        "logging.getLogger('billing.services').info('two\\nlines')"
    )
    result = python_in_production(code)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["message"] for line in lines] == ["refund for j***(at)example.com", "two\nlines"]
    assert lines[0]["level"] == "WARNING" and lines[0]["logger"] == "billing.services"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", lines[0]["time"])


def test_every_response_carries_a_request_id_and_the_access_log_line_has_it(client, json_log):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="a1b2c3d4-router-id")
    assert response["X-Request-ID"] == "a1b2c3d4-router-id"
    access = [line for line in json_log() if line["logger"] == "mintkit.request"]
    assert len(access) == 1
    assert access[0]["request_id"] == "a1b2c3d4-router-id"
    assert access[0] | {"duration_ms": 0} == {
        **access[0],
        "path": "/healthz",
        "method": "GET",
        "status": 200,
        "duration_ms": 0,
    }
    assert isinstance(access[0]["duration_ms"], float)

    generated = client.get("/healthz")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    assert client.get("/healthz")["X-Request-ID"] != generated


@pytest.mark.parametrize(
    "hostile",
    [
        "short",
        "x" * 129,
        'id" "level":"CRITICAL',
        "abc12345\r\nSet-Cookie: a=b",
        "<script>alert(1)</script>",
        "ab cd ef gh",
        "ünïcödé-id-12345",
    ],
)
def test_a_hostile_request_id_is_replaced(client, json_log, hostile):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=hostile)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert json_log()[-1]["request_id"] == response["X-Request-ID"]


def test_user_id_is_in_the_log_lines_of_a_logged_in_request(client, json_log):
    profile = ProfileFactory()
    client.force_login(profile.user)
    client.get("/dashboard/")
    access = [line for line in json_log() if line["logger"] == "mintkit.request"][-1]
    assert access["user_id"] == profile.user.pk and access["status"] == 200


def test_webhook_lines_carry_the_request_id_event_id_and_outcome(client, json_log):
    from tests.stripe_fixtures import post_event

    event = {
        "id": "evt_log_1",
        "type": "customer.created",
        "created": 1_764_000_000,
        "livemode": False,
        "api_version": "2026-10-28.endive",
        "data": {"object": {"id": "cus_1", "email": "a@b.example"}},
    }
    payload = json.dumps(event)
    from tests.stripe_fixtures import signed_headers

    response = client.post(
        "/billing/webhook/",
        data=payload,
        content_type="application/json",
        HTTP_X_REQUEST_ID="req-webhook-0001",
        **signed_headers(payload),
    )
    assert response.status_code == 200
    post_event(client, event)  # the same event again
    lines = [line for line in json_log() if line["logger"] == "billing.webhooks"]
    assert lines[0]["message"] == "Stripe event evt_log_1 (customer.created): ignored"
    assert lines[0]["request_id"] == "req-webhook-0001"
    assert lines[1]["message"] == "Stripe event evt_log_1 (customer.created) seen before: ignored"
    assert lines[1]["request_id"] != "req-webhook-0001"


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("key sk_live_51HxYz0123abc used", "key sk_live_[redacted] used"),
        ("rk_test_abc and pk_test_emulator", "rk_test_[redacted] and pk_test_[redacted]"),
        ("secret whsec_abcDEF123", "secret whsec_[redacted]"),
        ("Authorization: Bearer dev-only-mintkit-api-key", "Authorization: Bearer [redacted]"),
        ("header Bearer abc.def", "header Bearer [redacted]"),
        ("login password=hunter2&next=/", "login password=[redacted]&next=/"),
        ("{'password1': 'a-Long-unusual-pass-42'}", "{'password1': '[redacted]'}"),
        ('{"api_key": "k-123"}', '{"api_key": "[redacted]"}'),
        ("card 4242 4242 4242 4242 declined", "card [card] declined"),
        ("card 4000002760003184", "card [card]"),
        ("order 1234567890123 (not a card)", "order 1234567890123 (not a card)"),
        ("owner jo.bloggs+tag@example.co.uk", "owner j***(at)example.co.uk"),
        ("redis://:s3cret@redis.example:6379/0", "redis://[redacted](at)redis.example:6379/0"),
        ("/accounts/password/reset/key/1-abc-def/", "/accounts/password/reset/key/[redacted]/"),
        ("/accounts/confirm-email/MQ:1vX:abc/", "/accounts/confirm-email/[redacted]/"),
        ("to studio?token=eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl", "to studio?token=[redacted]"),
        ("jwt eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl", "jwt [token]"),
        ("stray @ sign", "stray (at) sign"),
    ],
)
def test_redaction_masks_secrets_cards_and_addresses(raw, masked):
    assert redact(raw) == masked
    assert redact(masked) == masked  # a record that passes two handlers stays the same


def test_exception_text_is_redacted_too(json_log):
    try:
        raise ValueError("charge failed for jo@example.com with sk_live_abc123")
    except ValueError:
        logging.getLogger("billing.services").exception("refund failed")
    line = json_log()[-1]
    assert "sk_live_[redacted]" in line["exc_info"] and "j***(at)example.com" in line["exc_info"]
    assert "sk_live_abc" not in json_log(raw=True) and "@" not in json_log(raw=True)


# -- The scan: many flows through the real handler; no line may hold a secret ------------------

SECRET_SHAPES = [
    re.compile(r"\b(?:sk|rk|pk)_(?:test|live)_(?!\[redacted\])\w"),
    re.compile(r"\bwhsec_(?!\[redacted\])\w"),
    re.compile(r"(?i)\bbearer\s+(?!\[redacted\])\S"),
    re.compile(r"\beyJ[\w-]+\.[\w-]+\."),
    re.compile(r"4242[ -]?4242[ -]?4242[ -]?4242|4000[ -]?0027[ -]?6000[ -]?3184"),
]


def test_no_log_line_from_the_main_flows_holds_a_secret_card_or_address(
    client, json_log, emu, settings, monkeypatch
):
    from billing import services
    from billing.tests.factories import SubscriptionPlanFactory

    settings.STRIPE_SECRET_KEY = "sk_test_51ScanMeIfYouCan"
    SubscriptionPlanFactory(name="Pro", slug="pro", amount=1900)
    services.plans_sync_to_stripe()

    # Sign-up, log-out, a failed and a good log-in.
    sign_up(client, "jo.bloggs@example.com", "Jo's")
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"login": "jo.bloggs@example.com", "password": "wrong-pass-1"})
    client.post("/accounts/login/", {"login": "jo.bloggs@example.com", "password": PASSWORD})
    client.post("/accounts/password/reset/", {"email": "jo.bloggs@example.com"})

    # Checkout through the emulator, the success page, the webhooks.
    checkout = client.post("/billing/checkout/pro/")
    assert checkout.status_code == 303
    status, headers, _ = emulator_request(
        emu, "POST", checkout["Location"], {"card_number": "4242 4242 4242 4242"}
    )
    client.get(headers["Location"].removeprefix("http://testserver"))
    from tests.stripe_fixtures import Deliverer

    Deliverer(emu, client)()

    # Studio launch (a signed token in the redirect) and the entitlement API with its key.
    launch = client.post("/studio/launch/")
    assert launch.status_code == 303, (launch.status_code, launch.content[:300])
    assert "token=" in launch["Location"]
    logging.getLogger("billing.views").info("redirecting to %s", launch["Location"])
    client.get("/api/v1/entitlements/nope", HTTP_AUTHORIZATION=f"Bearer {settings.MINTKIT_API_KEY}")
    client.get("/api/v1/entitlements/nope", HTTP_AUTHORIZATION="Bearer wrong-key-xyz")

    # An error deep in a view whose message carries what must never be logged.
    def broken(**kwargs):
        raise RuntimeError(
            f"boom for jo.bloggs@example.com key={settings.STRIPE_SECRET_KEY} "
            f"hook {settings.STRIPE_WEBHOOK_SECRET} card 4242424242424242 password={PASSWORD!r}"
        )

    monkeypatch.setattr("dashboard.views.billing_panel", broken)
    client.raise_request_exception = False
    assert client.get("/dashboard/", HTTP_X_REQUEST_ID="req-error-00001").status_code == 500
    # A bad webhook signature, and a 404.
    client.post(
        "/billing/webhook/",
        data="{}",
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE="t=1,v1=deadbeef",
    )
    client.get("/storefront/no-such-shop/")

    raw = json_log(raw=True)
    lines = json_log()
    loggers = {line["logger"] for line in lines}
    # The scan saw the flows it claims to cover.
    assert {"mintkit.request", "billing.webhooks", "django.request"} <= loggers, loggers
    paths = {line.get("path") for line in lines}
    assert {
        "/accounts/signup/",
        "/accounts/login/",
        "/billing/webhook/",
        "/studio/launch/",
        "/dashboard/",
    } <= paths
    errors = [
        line
        for line in lines
        if line["logger"] == "django.request" and line.get("request_id") == "req-error-00001"
    ]
    assert errors and "boom for j***(at)example.com" in errors[0]["exc_info"]

    assert "@" not in raw
    for shape in SECRET_SHAPES:
        assert not shape.search(raw), shape.pattern
    for secret in (
        PASSWORD,
        "wrong-pass-1",
        settings.MINTKIT_API_KEY,
        settings.MINTKIT_SHARED_SECRET,
        "wrong-key-xyz",
        "ScanMeIfYouCan",
        "jo.bloggs",
    ):
        assert secret not in raw, secret


def test_dev_keeps_readable_console_lines():
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('billing.services').warning('hello %s', 'jo@example.com')"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mintkit.settings.dev"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert re.fullmatch(
        r"\d\d:\d\d:\d\d WARNING billing\.services \[-\] hello j\*\*\*\(at\)example\.com\n",
        result.stdout,
    ), result.stdout + result.stderr
