"""Errors reported: the 500 page names the request, Sentry (optional) keeps PII out."""

import subprocess

import pytest
import sentry_sdk
from sentry_sdk.transport import Transport

from mintkit.logging import release_get, sentry_init
from tests.factories import ProfileFactory
from tests.production_env import env_for_prod, python_in_production

pytestmark = pytest.mark.django_db


def test_500_page_shows_the_request_id_support_can_search_the_logs_for(client, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("dashboard.views.billing_panel", broken)
    client.force_login(ProfileFactory().user)
    client.raise_request_exception = False
    response = client.get("/dashboard/", HTTP_X_REQUEST_ID="req-support-0042")
    assert response.status_code == 500
    assert response["X-Request-ID"] == "req-support-0042"
    page = response.content.decode()
    assert "Something went wrong" in page
    assert '<code class="user-select-all" data-request-id>req-support-0042</code>' in page


class CapturingTransport(Transport):
    """Keeps envelopes in memory: nothing leaves the machine."""

    envelopes: list = []

    def capture_envelope(self, envelope):
        CapturingTransport.envelopes.append(envelope)


@pytest.fixture
def sentry_events():
    CapturingTransport.envelopes = []
    sentry_init(
        dsn="https://public@o0.ingest.example.invalid/1",
        release="abc123",
        environment="test",
        transport=CapturingTransport,
    )
    yield lambda: [
        item.payload.json
        for env in CapturingTransport.envelopes
        for item in env.items
        if item.type == "event"
    ]
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)


def test_sentry_initialises_with_pii_off_and_the_django_and_celery_integrations(
    client, sentry_events, monkeypatch
):
    sentry = sentry_sdk.get_client()
    assert sentry.is_active() and sentry.options["send_default_pii"] is False
    assert sentry.options["release"] == "abc123"
    assert {"django", "celery", "logging"} <= set(sentry.integrations)

    def broken(**kwargs):
        raise RuntimeError("charge for jo.bloggs@example.com with sk_live_abc123 failed")

    monkeypatch.setattr("dashboard.views.billing_panel", broken)
    profile = ProfileFactory(user__email="owner.person@example.com")
    client.force_login(profile.user)
    client.raise_request_exception = False
    response = client.get("/dashboard/?card=4242424242424242", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 500
    sentry.flush(timeout=2)
    events = sentry_events()
    assert events, "the 500 was not reported"
    text = str(events)
    assert "RuntimeError" in text and "j***(at)example.com" in text
    for leak in ("@", "sk_live_abc", "4242424242424242", "203.0.113.9", "owner.person"):
        assert leak not in text, leak
    assert "email" not in events[0].get("user", {})


def test_sentry_is_off_without_a_dsn_and_on_with_one_in_production():
    code = (
        "import django; django.setup(); import sentry_sdk; c = sentry_sdk.get_client(); "
        "print(c.is_active(), c.options.get('send_default_pii'), c.options.get('release'))"
    )
    env = {**env_for_prod(), "SOURCE_VERSION": "0123abcd"}
    env.pop("SENTRY_DSN", None)
    off = python_in_production(code, env)
    assert off.stdout.split()[0] == "False", off.stderr
    on = python_in_production(
        code, {**env, "SENTRY_DSN": "https://public@o0.ingest.example.invalid/1"}
    )
    assert on.stdout.split() == ["True", "False", "0123abcd"], on.stderr


def test_release_is_the_first_sha_given_else_the_checkouts_head():
    assert release_get(None, "beef") == "beef"
    assert release_get("cafe", "beef") == "cafe"
    head = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    assert release_get(None, None) == (head.strip() or None)
