"""``python manage.py stripe_setup``: one idempotent step sets a Stripe account up for the hub
(products, monthly and yearly prices, the portal configuration, the webhook endpoint)."""

import io
import json

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

import pytest

from billing import setup, stripe_client
from billing.models import SubscriptionPlan
from billing.tests.factories import SubscriptionPlanFactory
from stripe_emulator import sign
from tests.stripe_fixtures import emulator_request

pytestmark = pytest.mark.django_db

URL = "https://hub.example.com/billing/webhook/"
CONTRACT_EVENTS = sorted(
    [
        "checkout.session.completed",
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "customer.subscription.trial_will_end",
        "invoice.paid",
        "invoice.payment_failed",
        "invoice.payment_action_required",
        "charge.refunded",
        "charge.dispute.created",
        "charge.dispute.closed",
    ]
)


def run(*args) -> str:
    out = io.StringIO()
    call_command("stripe_setup", *args, stdout=out, stderr=io.StringIO(), no_color=True)
    return out.getvalue()


def counts(emu) -> dict:
    """What exists in the emulator, and how many writes (POSTs) it has answered."""
    store = emu.store
    return {
        "products": len(store.products),
        "prices": len(store.prices),
        "portal_configurations": len(store.portal_configurations),
        "webhook_endpoints": len(store.webhook_endpoints),
        "events": len(store.events),
        "posts": len(store.internal["idempotency"]),
    }


@pytest.fixture
def two_plans(db):
    basic = SubscriptionPlanFactory(name="Basic", slug="basic", amount=900, sort_order=10)
    pro = SubscriptionPlanFactory(name="Pro", slug="pro", amount=1900, sort_order=20)
    return basic, pro


def test_setup_creates_everything_and_a_second_run_changes_nothing(emu, two_plans):
    first = run("--webhook-url", URL)
    assert "STRIPE_WEBHOOK_SECRET=whsec_" in first
    after_first = counts(emu)
    assert after_first["products"] == 2 and after_first["prices"] == 4
    assert after_first["webhook_endpoints"] == 1
    assert after_first["portal_configurations"] == 2  # the account's default and the hub's

    second = run("--webhook-url", URL)
    assert counts(emu) == after_first  # no object, no event, not one write request
    assert "nothing to change" in second and "whsec_" not in second
    assert "Stripe never shows its signing secret again" in second
    assert "--recreate-webhook" in second


def test_monthly_and_yearly_prices_per_plan(emu, two_plans):
    run("--webhook-url", URL)
    for plan in SubscriptionPlan.objects.all():
        monthly = emu.store.prices[plan.stripe_price_id]
        yearly = emu.store.prices[plan.stripe_price_id_yearly]
        assert (monthly["unit_amount"], monthly["recurring"]["interval"]) == (plan.amount, "month")
        assert (yearly["unit_amount"], yearly["recurring"]["interval"]) == (
            plan.amount * 10,
            "year",
        )
        assert monthly["product"] == yearly["product"] == plan.stripe_product_id
        assert yearly["lookup_key"] == f"mintkit_{plan.slug}_year"


def test_a_changed_amount_gets_new_prices_and_the_old_ones_are_archived(emu, two_plans):
    run("--webhook-url", URL)
    pro = SubscriptionPlan.objects.get(slug="pro")
    old_month, old_year = pro.stripe_price_id, pro.stripe_price_id_yearly
    SubscriptionPlan.objects.filter(pk=pro.pk).update(amount=2500, name="Pro plus")
    out = run("--webhook-url", URL)
    pro.refresh_from_db()
    assert emu.store.prices[pro.stripe_price_id]["unit_amount"] == 2500
    assert emu.store.prices[pro.stripe_price_id_yearly]["unit_amount"] == 25000
    assert not emu.store.prices[old_month]["active"] and not emu.store.prices[old_year]["active"]
    assert emu.store.products[pro.stripe_product_id]["name"] == "MintKit Pro plus"
    conf = setup.portal_configuration_find()
    allowed = {
        p["product"]: sorted(p["prices"])
        for p in conf["features"]["subscription_update"]["products"]
    }
    assert allowed[pro.stripe_product_id] == sorted(
        [pro.stripe_price_id, pro.stripe_price_id_yearly]
    )
    assert "updated" in out


def test_prices_made_by_an_earlier_sync_are_reused(emu, two_plans):
    """A plan synced before (``stripe_sync_plans``) keeps its monthly price."""
    call_command("stripe_sync_plans", stdout=io.StringIO())
    basic = SubscriptionPlan.objects.get(slug="basic")
    monthly = basic.stripe_price_id
    run("--webhook-url", URL)
    basic.refresh_from_db()
    assert basic.stripe_price_id == monthly and basic.stripe_price_id_yearly


def test_webhook_endpoint_has_the_pinned_version_and_exactly_the_handled_events(emu, two_plans):
    run("--webhook-url", URL)
    (endpoint,) = emu.store.webhook_endpoints.values()
    assert endpoint["url"] == URL
    assert endpoint["api_version"] == "2026-10-28.endive" == stripe_client.API_VERSION
    assert sorted(endpoint["enabled_events"]) == CONTRACT_EVENTS == setup.webhook_events()


def test_a_drifted_endpoint_is_repaired_without_a_new_secret(emu, two_plans):
    run("--webhook-url", URL)
    (endpoint,) = emu.store.webhook_endpoints.values()
    stripe_client.webhook_endpoint_update(
        endpoint["id"], params={"enabled_events": ["invoice.paid"], "disabled": True}
    )
    out = run("--webhook-url", URL)
    assert "whsec_" not in out
    assert sorted(endpoint["enabled_events"]) == CONTRACT_EVENTS
    assert endpoint["status"] == "enabled"


def test_recreate_webhook_rolls_the_secret_and_the_new_secret_verifies_deliveries(
    emu, two_plans, settings
):
    run("--webhook-url", URL)
    (old,) = emu.store.webhook_endpoints
    out = run("--webhook-url", URL, "--recreate-webhook")
    (new,) = emu.store.webhook_endpoints
    assert new != old
    secret = out.split("STRIPE_WEBHOOK_SECRET=")[1].split()[0]
    assert secret == emu.store.webhook_endpoints[new]["_secret"]
    # The printed secret is the one the hub needs to accept Stripe's deliveries.
    settings.STRIPE_WEBHOOK_SECRET = secret
    event = {
        "id": "evt_setup",
        "object": "event",
        "type": "customer.created",
        "created": 1,
        "livemode": False,
        "api_version": stripe_client.API_VERSION,
        "data": {"object": {"id": "cus_x", "object": "customer"}},
    }
    payload = json.dumps(event)
    response = Client().post(
        "/billing/webhook/",
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, secret),
    )
    assert response.status_code == 200


def test_an_endpoint_on_another_api_version_is_reported_and_the_command_fails(emu, two_plans):
    run("--webhook-url", URL)
    (endpoint,) = emu.store.webhook_endpoints.values()
    endpoint["api_version"] = "2025-01-27.acacia"  # made by hand in the dashboard
    with pytest.raises(CommandError, match="1 problem"):
        run("--webhook-url", URL)
    run("--webhook-url", URL, "--recreate-webhook")
    (endpoint,) = emu.store.webhook_endpoints.values()
    assert endpoint["api_version"] == stripe_client.API_VERSION


@pytest.mark.parametrize("url", ["", "ftp://hub.example.com/billing/webhook/", "not a url"])
def test_a_bad_webhook_url_is_a_clear_error(emu, two_plans, url):
    with pytest.raises(CommandError):
        run("--webhook-url", url)
    assert counts(emu)["posts"] == 0


def test_portal_configuration_offers_what_the_hub_needs(emu, two_plans, settings):
    from home import seed as pages

    pages.run(stdout=io.StringIO())  # the site's privacy page
    run("--webhook-url", URL)
    conf = setup.portal_configuration_find()
    features = conf["features"]
    assert conf["is_default"] is False
    assert conf["metadata"] == {"mintkit_hub": "portal"}
    assert features["subscription_cancel"]["enabled"]
    assert features["subscription_cancel"]["mode"] == "at_period_end"
    assert features["payment_method_update"]["enabled"]
    assert features["invoice_history"]["enabled"]
    update = features["subscription_update"]
    assert update["enabled"] and update["default_allowed_updates"] == ["price"]
    assert len(update["products"]) == 2 and all(len(p["prices"]) == 2 for p in update["products"])
    assert conf["business_profile"]["privacy_policy_url"] == "https://hub.example.com/privacy/"
    assert conf["default_return_url"] == "https://hub.example.com/dashboard/"


def test_portal_sessions_use_the_hubs_configuration(plans, owner_client, pay, emu):
    pay("pro")
    run("--webhook-url", URL)
    hub_conf = setup.portal_configuration_find()["id"]
    response = owner_client.post("/billing/portal/")
    assert response.status_code == 303
    session_id = response["Location"].rsplit("/", 1)[1]
    assert emu.store.portal_sessions[session_id]["configuration"] == hub_conf
    status, _, html = emulator_request(emu, "GET", response["Location"])
    assert status == 200
    # The hub's configuration: cancel at period end only, and plan switching.
    assert 'id="cancel-at-period-end"' in html and 'id="cancel-now"' not in html
    basic = plans["basic"]
    basic.refresh_from_db()
    assert f'id="switch-{basic.stripe_price_id}"' in html


def test_a_stale_cached_configuration_is_looked_up_again(plans, owner_client, pay, emu):
    pay("pro")
    run("--webhook-url", URL)
    conf_id = setup.portal_configuration_id()
    stripe_client.portal_configuration_update(conf_id, params={"active": False})
    assert setup.portal_configuration_id() == conf_id  # still cached
    response = owner_client.post("/billing/portal/")
    assert response.status_code == 303  # the default configuration, not a 503
    run("--webhook-url", URL)  # a new configuration (the old one is inactive)
    assert setup.portal_configuration_id() not in (None, conf_id)


def test_no_webhook_sets_up_prices_and_portal_only(emu, two_plans):
    out = run("--no-webhook")
    assert counts(emu)["webhook_endpoints"] == 0
    assert setup.portal_configuration_find() is not None
    assert "whsec_" not in out
