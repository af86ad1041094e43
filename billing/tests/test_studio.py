"""The Studio page, the signed hand-off and the entitlement APIs."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from django.test import Client
from django.utils import timezone

import pytest

from billing import stripe_client
from billing.entitlements import entitlement_for
from billing.models import MintKitAccess, Subscription
from billing.studio_token import InvalidToken, studio_token_verify
from billing.tests.factories import (
    MintKitAccessFactory,
    SubscriptionFactory,
    SubscriptionPlanFactory,
)
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def expired(db):
    return ProfileFactory(trial_started_at=timezone.now() - timedelta(days=30))


def login(profile):
    client = Client()
    client.force_login(profile.user)
    return client


def test_studio_page_entitled_shows_open_button(db):
    html = login(ProfileFactory()).get("/studio/").content.decode()
    assert "Open MintKit Studio" in html and "Free trial — 14 days left" in html


def test_studio_page_not_entitled_shows_message_and_plans(expired):
    SubscriptionPlanFactory(name="Basic", slug="basic", amount=900)
    html = login(expired).get("/studio/").content.decode()
    assert "You don't have access to MintKit Studio right now" in html
    assert 'id="open-studio"' not in html
    assert "£9" in html and "/ month" in html and "First month free" in html
    assert 'action="/billing/checkout/basic/"' in html


def test_studio_requires_login():
    response = Client().get("/studio/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_launch_redirects_with_signed_short_lived_token_and_records_access(db, settings):
    settings.MINTKIT_STUDIO_URL = "https://studio.example/start"
    profile = ProfileFactory()
    client = login(profile)
    response = client.post("/studio/launch/")
    assert response.status_code == 303
    url = urlsplit(response["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == "https://studio.example/start"
    token = parse_qs(url.query)["token"][0]
    access = MintKitAccess.objects.get(profile=profile)
    claims = studio_token_verify(token)
    assert claims["sub"] == access.external_id
    assert claims["exp"] - claims["iat"] == 60
    with pytest.raises(InvalidToken):
        studio_token_verify(token, now=claims["iat"] + 61)
    with pytest.raises(InvalidToken):
        studio_token_verify(token, secret="someone-else")
    first_id, first_at = access.external_id, access.first_access_at
    client.post("/studio/launch/")
    access.refresh_from_db()
    assert access.external_id == first_id and access.first_access_at == first_at
    assert access.access_count == 2 and access.last_access_at > first_at


def test_launch_is_403_when_not_entitled(expired):
    client = login(expired)
    response = client.post("/studio/launch/")
    assert response.status_code == 403
    assert "MintKit Studio needs a plan" in response.content.decode()
    assert not MintKitAccess.objects.exists()


def test_opening_the_launch_url_leads_to_the_studio_page_without_launching(db):
    client = login(ProfileFactory())  # in the hub trial: a POST would launch
    response = client.get("/studio/launch/")
    assert response.status_code == 303
    assert response["Location"] == "/studio/"
    assert not MintKitAccess.objects.exists()
    assert client.put("/studio/launch/").status_code == 405


def test_launch_works_in_grace_and_not_after(expired, settings):
    sub = SubscriptionFactory(profile=expired, status="past_due", past_due_since=timezone.now())
    client = login(expired)
    assert client.post("/studio/launch/").status_code == 303
    sub.past_due_since = timezone.now() - timedelta(days=settings.PAST_DUE_GRACE_DAYS)
    sub.save()
    assert client.post("/studio/launch/").status_code == 403


def test_me_entitlement_json_and_401_for_anonymous(db):
    profile = ProfileFactory()
    data = login(profile).get("/api/v1/me/entitlement").json()
    assert data["studio_access"] is True and data["source"] == "trial"
    assert data["subscription_status"] is None
    response = Client().get("/api/v1/me/entitlement")
    assert response.status_code == 401


def test_external_entitlement_api_needs_the_bearer_key(expired, settings):
    settings.MINTKIT_API_KEY = "k-123"
    access = MintKitAccessFactory(profile=expired)
    SubscriptionFactory(profile=expired, status="active")
    url = f"/api/v1/entitlements/{access.external_id}"
    ok = Client().get(url, HTTP_AUTHORIZATION="Bearer k-123")
    assert ok.status_code == 200
    assert ok.json()["studio_access"] is True and ok.json()["source"] == "subscription"
    for header in ("Bearer k-124", "k-123", "Basic k-123", ""):
        assert Client().get(url, HTTP_AUTHORIZATION=header).status_code == 401
    assert Client().get(url).status_code == 401
    missing = Client().get("/api/v1/entitlements/mk_nope", HTTP_AUTHORIZATION="Bearer k-123")
    assert missing.status_code == 404


def test_external_entitlement_api_query_count(expired, settings, django_assert_max_num_queries):
    settings.MINTKIT_API_KEY = "k-123"
    access = MintKitAccessFactory(profile=expired)
    SubscriptionFactory(profile=expired, status="active")
    with django_assert_max_num_queries(2):
        Client().get(
            f"/api/v1/entitlements/{access.external_id}", HTTP_AUTHORIZATION="Bearer k-123"
        )


def test_studio_page_queries_stay_constant(expired):
    """The same number of queries with one plan or five, entitled or not."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    SubscriptionPlanFactory(name="Basic", slug="basic", amount=900)
    client = login(expired)
    client.get("/studio/")  # warm up the layout's site settings

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    one_plan = count("/studio/")
    for n in range(4):
        SubscriptionPlanFactory(name=f"Plan {n}", slug=f"plan-{n}", amount=1000 + n)
    assert count("/studio/") == one_plan
    assert one_plan <= 12  # incl. the billing-state banner every owner page shows
    SubscriptionFactory(profile=expired, status="past_due", past_due_since=timezone.now())
    assert count("/studio/") <= one_plan
    assert count("/api/v1/me/entitlement") <= 4  # session, user, profile, subscription


def test_launch_rereads_a_subscription_past_its_period_from_stripe(
    plans, owner_client, pay, emu, settings
):
    """The hub's copy says the free month ended two days ago (the webhooks were lost), but
    Stripe still has it live: launching the Studio re-reads it first, and access holds."""
    profile = owner_client.profile
    profile.trial_started_at = timezone.now() - timedelta(days=40)
    profile.save()
    pay("pro")
    stale_end = timezone.now() - timedelta(days=2)
    Subscription.objects.update(trial_end=stale_end, current_period_end=stale_end)
    assert not entitlement_for(profile=profile).studio_access

    response = owner_client.post("/studio/launch/")
    assert response.status_code == 303
    assert response["Location"].startswith(settings.MINTKIT_STUDIO_URL)
    sub = Subscription.objects.get()
    assert sub.status == "trialing" and sub.trial_end > timezone.now() + timedelta(days=25)


@pytest.fixture
def ended_in_stripe_only(plans, trial_over, pay, emu):
    """A Pro subscription Stripe ended without the hub hearing of it (webhook lost), its
    period just over: the hub still believes it."""
    pay("pro")
    sub = Subscription.objects.get()
    stripe_client.subscription_cancel(sub.stripe_subscription_id, key=None)  # webhook lost
    stale_end = timezone.now() - timedelta(hours=1)  # within STALE_AFTER: still believed
    Subscription.objects.update(trial_end=stale_end, current_period_end=stale_end)
    assert entitlement_for(profile=trial_over).studio_access
    return sub


def _page_rereading(owner_client, url, sub):
    """The page at ``url``, having re-read ``sub`` from Stripe: it is canceled now."""
    page = owner_client.get(url).content.decode()
    sub.refresh_from_db()
    assert sub.status == "canceled"
    return page


def test_studio_page_rereads_a_stale_subscription_that_stripe_ended(
    owner_client, ended_in_stripe_only
):
    page = _page_rereading(owner_client, "/studio/", ended_in_stripe_only)
    assert "Open MintKit Studio" not in page
    assert owner_client.post("/studio/launch/").status_code == 403


def test_dashboard_rereads_a_stale_subscription_that_stripe_ended(
    owner_client, ended_in_stripe_only
):
    page = _page_rereading(owner_client, "/dashboard/", ended_in_stripe_only)
    assert 'data-access="no">Your Pro plan' in page and "— choose a plan" in page


def _signed(header, claims, secret="s3cret"):
    import base64
    import hashlib
    import hmac
    import json

    def b64(value):
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    signing_input = f"{b64(header)}.{b64(claims)}"
    mac = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"


@pytest.mark.parametrize(
    "token",
    [
        None,
        12,
        "not-a-token",
        _signed({"alg": "HS256"}, ["mintkit-hub"]),
        _signed(["HS256"], {"iss": "mintkit-hub"}),
        _signed({"alg": "HS256"}, "claims"),
        _signed(
            {"alg": "HS256"},
            {"iss": "mintkit-hub", "aud": "mintkit-studio", "sub": "mk_1", "exp": 2**40},
        ),
    ],
    ids=["none", "int", "no-dots", "claims-list", "header-list", "claims-string", "no-jti"],
)
def test_token_verify_refuses_malformed_tokens_with_invalid_token(token):
    with pytest.raises(InvalidToken):
        studio_token_verify(token, secret="s3cret")


def test_documented_studio_verifier_accepts_a_token_once(settings):
    """The standard-library sample in docs/STRIPE_MINTKIT_INTEGRATION.md, run as written."""
    import re
    from pathlib import Path

    from billing.studio_token import studio_token_create

    doc = (Path(settings.BASE_DIR) / "docs" / "STRIPE_MINTKIT_INTEGRATION.md").read_text()
    sample = re.search(r"```python\n(import base64.*?)```", doc, re.S).group(1)
    namespace: dict = {}
    exec(sample, namespace)  # noqa: S102 - our own documentation
    verify = namespace["verify_hub_token"]
    token = studio_token_create(external_id="mk_owner")
    secret = settings.MINTKIT_SHARED_SECRET
    assert verify(token, secret) == "mk_owner"
    with pytest.raises(ValueError, match="already used"):
        verify(token, secret)
    with pytest.raises(ValueError, match="malformed token"):
        verify(None, secret)
    with pytest.raises(ValueError, match="bad signature"):
        verify(studio_token_create(external_id="mk_owner"), "another-secret")


def test_studio_and_billing_pages_need_a_verified_email_when_verification_is_mandatory(
    client, settings
):
    from allauth.account.models import EmailAddress

    from tests.factories import ProfileFactory

    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    profile = ProfileFactory()  # hub trial running
    client.force_login(profile.user)
    for url in ("/studio/", "/billing/cancel/"):
        assert "Confirm your e-mail address" in client.get(url).text, url
    launch = client.post("/studio/launch/")
    assert launch.status_code == 200 and "Confirm your e-mail address" in launch.text
    assert not MintKitAccess.objects.filter(profile=profile).exists()

    EmailAddress.objects.filter(user=profile.user).update(verified=True)
    assert client.post("/studio/launch/").status_code == 303
