"""``python manage.py doctor`` prints every production check and never crashes on one."""

import io
import time

from django.core.cache import cache
from django.core.management import call_command

import pytest

from core.health import WORKER_HEARTBEAT_KEY

pytestmark = pytest.mark.django_db


def doctor() -> tuple[int, dict[str, str]]:
    """(exit code, {check name: "ok  …" / "FAIL …"}) with the colours left out."""
    out = io.StringIO()
    try:
        call_command("doctor", stdout=out, no_color=True)
        code = 0
    except SystemExit as exc:
        code = exc.code
    lines = {}
    for line in out.getvalue().splitlines():
        if line.startswith("["):
            mark, rest = line[1:].split("] ", 1)
            name, detail = rest.split(": ", 1)
            lines[name] = f"{mark.strip()} {detail}"
    return code, lines


def test_doctor_prints_every_check(emu, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_doctor"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_doctor"
    settings.REDIS_URL = None
    settings.CELERY_BROKER_URL = None
    cache.set(WORKER_HEARTBEAT_KEY, time.time() - 30)
    code, lines = doctor()
    assert list(lines) == [
        "deploy checks",
        "database",
        "cache",
        "broker",
        "migrations",
        "Stripe keys",
        "Stripe webhook endpoint",
        "Stripe portal configuration",
        "worker",
    ]
    assert lines["database"] == "ok reachable (sqlite)" or lines["database"].startswith("ok ")
    assert lines["cache"] == "ok LocMemCache reachable"
    assert lines["broker"] == "ok not configured (tasks run eagerly in-process)"
    assert lines["migrations"] == "ok all applied"
    assert lines["Stripe keys"] == f"ok test mode, API base {emu.url}"
    assert lines["worker"] in {"ok last heartbeat 30 s ago", "ok last heartbeat 31 s ago"}
    # Test settings are not production-hardened, so the deploy checks report their ids.
    assert lines["deploy checks"].startswith("FAIL ") and "security.W004" in lines["deploy checks"]
    assert code == 1


def test_doctor_reports_the_webhook_endpoint_and_portal_ok_after_stripe_setup(emu):
    from billing import stripe_client
    from billing.tests.factories import SubscriptionPlanFactory

    _, lines = doctor()
    assert lines["Stripe webhook endpoint"].startswith("FAIL not found")
    # The emulator's default configuration (as a Dashboard-configured account has) is not
    # the hub's: portal sessions would not offer what the hub needs.
    assert lines["Stripe portal configuration"].startswith("FAIL not found")
    SubscriptionPlanFactory()
    url = "https://hub.example.com/billing/webhook/"
    call_command("stripe_setup", "--webhook-url", url, stdout=io.StringIO())
    _, lines = doctor()
    assert lines["Stripe webhook endpoint"] == (
        f"ok {url} (enabled, 11 event types, API {stripe_client.API_VERSION})"
    )
    assert lines["Stripe portal configuration"].startswith("ok bpc_")
    assert lines["Stripe portal configuration"].endswith("(the hub's)")


def test_doctor_names_what_is_wrong_with_the_webhook_endpoint(emu):
    from billing import stripe_client

    stripe_client.client().v1.webhook_endpoints.create(
        params={
            "url": "https://hub.example.com/billing/webhook/",
            "enabled_events": ["checkout.session.completed"],
        }
    )
    line = doctor()[1]["Stripe webhook endpoint"]
    assert line.startswith("FAIL https://hub.example.com/billing/webhook/: ")
    assert "API version is the account default" in line
    assert "events are not exactly the ones the hub handles" in line


def test_doctor_when_stripe_cannot_be_reached(settings):
    settings.STRIPE_API_BASE = "http://127.0.0.1:1"
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    _, lines = doctor()
    assert lines["Stripe webhook endpoint"] == "FAIL cannot check (APIConnectionError)"
    assert lines["Stripe portal configuration"] == "FAIL cannot check (APIConnectionError)"


@pytest.mark.parametrize(
    ("secret", "public", "expected"),
    [
        ("sk_live_a", "pk_live_b", "ok live mode"),
        ("rk_test_a", "pk_test_b", "ok test mode"),
        ("sk_live_a", "pk_test_b", "FAIL secret key is live mode but publishable key is test mode"),
        (
            "sk_emulator",
            "pk_test_b",
            "FAIL a key is not a Stripe test or live key (sk_/rk_ and pk_)",
        ),
    ],
)
def test_doctor_names_the_stripe_keys_mode(settings, secret, public, expected):
    settings.STRIPE_SECRET_KEY, settings.STRIPE_PUBLISHABLE_KEY = secret, public
    settings.STRIPE_API_BASE = "http://127.0.0.1:1"
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    assert doctor()[1]["Stripe keys"].startswith(expected)


def test_doctor_fails_on_redis_down_missing_heartbeat_and_stale_heartbeat(settings):
    settings.STRIPE_API_BASE = "http://127.0.0.1:1"
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    cache.delete(WORKER_HEARTBEAT_KEY)
    _, lines = doctor()
    assert lines["worker"] == "FAIL no heartbeat recorded (cache key mintkit:worker:heartbeat)"
    cache.set(WORKER_HEARTBEAT_KEY, time.time() - 3600)
    assert doctor()[1]["worker"] == "FAIL last heartbeat 60 min ago (stale)"

    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_URL = settings.REDIS_URL
    code, lines = doctor()
    assert code == 1
    assert lines["cache"] == "FAIL RedisCache unreachable (ConnectionError)"
    assert lines["broker"] == "FAIL unreachable (ConnectionError)"
    assert lines["worker"] == "FAIL cannot read the heartbeat (ConnectionError)"
