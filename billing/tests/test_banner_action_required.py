"""A renewal that needs 3-D Secure (card 4000 0027 6000 3184), through the emulator and the
real SDK: the billing-state banner on every owner page.

The banner says "Confirm your payment of £19.00" and links to the invoice's
``hosted_invoice_url`` (``billing.actions.billing_action_required``), never the free month."""

import re

import pytest

from billing.models import Subscription
from tests.stripe_fixtures import emulator_request

pytestmark = pytest.mark.django_db

CARD_3DS = "4000 0027 6000 3184"


def test_renewal_needing_authentication_shows_one_banner_everywhere(
    plans, owner_client, emu, deliver, settings, site_home
):
    settings.STRIPE_TRIAL_DAYS = 0
    response = owner_client.post("/billing/checkout/pro/", {"interval": "month"})
    status, _, html = emulator_request(emu, "POST", response["Location"], {"card_number": CARD_3DS})
    assert 'id="authenticate"' in html  # the authentication step of hosted Checkout
    status, headers, _ = emulator_request(
        emu, "POST", response["Location"], {"card_number": CARD_3DS, "authenticate": "complete"}
    )
    assert status == 303
    owner_client.get(headers["Location"].removeprefix("http://testserver"))
    deliver()
    emu.advance(32 * 86400)  # the renewal, off-session: the bank asks for authentication
    deliver()
    sub = Subscription.objects.get()
    assert sub.status == "past_due"
    assert "invoice.payment_action_required" in [e["type"] for e in emu.events()]
    invoice_url = next(
        e["data"]["object"]["hosted_invoice_url"]
        for e in emu.events()
        if e["type"] == "invoice.payment_action_required"
    )
    for url in ("/dashboard/", "/studio/", "/pricing/", "/dashboard/profile/"):
        page = owner_client.get(url).content.decode()
        banners = re.findall(r'<aside class="alert[^"]*billing-state-banner.*?</aside>', page, re.S)
        assert len(banners) == 1, url
        assert "First month free" not in page
        assert "Confirm your payment of £19.00" in banners[0], url
        assert f'href="{invoice_url}"' in banners[0], url
