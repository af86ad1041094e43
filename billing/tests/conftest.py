from datetime import timedelta

from django.utils import timezone

import pytest

from billing import services
from billing.tests.factories import SubscriptionPlanFactory
from tests.factories import ProfileFactory


@pytest.fixture
def plans(db, emu):
    """Basic and Pro, synced to the emulator."""
    basic = SubscriptionPlanFactory(
        name="Basic", slug="basic", amount=900, sort_order=10, features="MintKit Studio\nGift cards"
    )
    pro = SubscriptionPlanFactory(name="Pro", slug="pro", amount=1900, sort_order=20)
    services.plans_sync_to_stripe()
    basic.refresh_from_db()
    pro.refresh_from_db()
    return {"basic": basic, "pro": pro}


@pytest.fixture
def profile(db):
    return ProfileFactory()


@pytest.fixture
def owner_client(client, profile):
    client.force_login(profile.user)
    client.profile = profile
    return client


@pytest.fixture
def trial_over(owner_client):
    """The owner's hub trial ended (it began 20 days ago)."""
    profile = owner_client.profile
    profile.trial_started_at = timezone.now() - timedelta(days=20)
    profile.save()
    return profile


@pytest.fixture
def pay(emu, owner_client):
    """``pay(plan_slug, card=..., interval=...)``: the owner's whole checkout as the browser
    would do it; ``success=False``: the owner pays but never sees the success page (tab closed).

    Returns (checkout_response, hosted_page_status, success_response or None).
    """
    from tests.stripe_fixtures import emulator_request

    def run(plan_slug="pro", card="4242 4242 4242 4242", client=None, success=True, interval=None):
        client = client or owner_client
        response = client.post(
            f"/billing/checkout/{plan_slug}/", {"interval": interval} if interval else {}
        )
        assert response.status_code == 303, response.content
        status, headers, html = emulator_request(
            emu, "POST", response["Location"], {"card_number": card}
        )
        if status != 303 or not success:
            return response, status, None
        success_url = headers["Location"]
        assert success_url.startswith("http://testserver/billing/success/?session_id=cs_")
        return response, status, client.get(success_url.removeprefix("http://testserver"))

    return run


@pytest.fixture
def in_portal(emu, owner_client):
    """``in_portal(action, **fields)``: the owner opens the billing portal from the hub and
    does ``action`` there ("cancel_now", "cancel_at_period_end", "update_card", …), e.g.
    ``in_portal("cancel_now", subscription="sub_…")``. Returns the emulator's (status,
    headers, html)."""
    from tests.stripe_fixtures import emulator_request

    def run(action, client=None, **fields):
        portal = (client or owner_client).post("/billing/portal/")
        return emulator_request(emu, "POST", portal["Location"], {"action": action, **fields})

    return run
