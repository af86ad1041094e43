"""Point 4: billing_portal.Configuration create/retrieve/list/update; a portal session
without a default configuration is refused like Stripe; the portal page honours the
configuration (cancel mode, plan switching with proration, card update, invoice history)
and the flow_data deep links subscription_update_confirm and payment_method_update."""

import re

import pytest
import stripe

from stripe_emulator import EmulatorServer
from stripe_emulator.tests.conftest import recurring_price
from stripe_emulator.tests.fidelity import assert_fidelity

DAY = 86400


@pytest.fixture
def business(client, plan):
    product = client.v1.products.create(params={"name": "Business"})
    return recurring_price(client, product.id, 3100)


@pytest.fixture
def subscribed(client, checkout):
    session, *_ = checkout(trial_days=None)
    return session.customer, session.subscription


def _config(client, plan, business, cancel_mode="immediately", **extra):
    features = {
        "subscription_cancel": {"enabled": True, "mode": cancel_mode},
        "subscription_update": {
            "enabled": True,
            "default_allowed_updates": ["price"],
            "proration_behavior": "always_invoice",
            "products": [
                {"product": plan.product, "prices": [plan.id]},
                {"product": business.product, "prices": [business.id]},
            ],
        },
        "payment_method_update": {"enabled": False},
        "invoice_history": {"enabled": True},
    }
    features.update(extra)
    return client.v1.billing_portal.configurations.create(
        params={
            "features": features,
            "business_profile": {"headline": "MintKit Hub billing"},
            "default_return_url": "http://hub.test/account/billing/",
        }
    )


def _portal(client, customer, configuration=None, **params):
    params = {"customer": customer, **params}
    if configuration:
        params["configuration"] = configuration
    return client.v1.billing_portal.sessions.create(params=params)


def test_configuration_crud_and_shapes(emu, client, plan, business):
    default = client.v1.billing_portal.configurations.list(params={"is_default": True}).data
    assert len(default) == 1 and default[0].is_default
    conf = _config(client, plan, business)
    assert_fidelity(conf)
    assert conf.id.startswith("bpc_") and conf.is_default is False and conf.active
    assert conf.features.subscription_cancel.mode == "immediately"
    assert conf.features.subscription_update.products[1].prices == [business.id]
    assert conf.features.payment_method_update.enabled is False
    assert client.v1.billing_portal.configurations.retrieve(conf.id).id == conf.id
    assert len(client.v1.billing_portal.configurations.list().data) == 2
    conf = client.v1.billing_portal.configurations.update(
        conf.id,
        params={
            "features": {"subscription_cancel": {"mode": "at_period_end"}},
            "metadata": {"k": "v"},
        },
    )
    assert conf.features.subscription_cancel.mode == "at_period_end"
    assert conf.features.subscription_update.enabled  # untouched
    assert conf.metadata.to_dict() == {"k": "v"}
    assert emu.event_types()[-2:] == [
        "billing_portal.configuration.created",
        "billing_portal.configuration.updated",
    ]
    for event in emu.events()[-2:]:
        assert_fidelity(event)


@pytest.mark.parametrize(
    "features, param",
    [
        (
            {"subscription_cancel": {"enabled": True, "mode": "whenever"}},
            "features[subscription_cancel][mode]",
        ),
        ({"subscription_update": {"enabled": True}}, "features[subscription_update][products]"),
        (
            {
                "subscription_update": {
                    "enabled": True,
                    "products": [{"product": "prod_x", "prices": ["price_x"]}],
                }
            },
            "features[subscription_update][products][0][product]",
        ),
        ({"subscription_pause": {"enabled": True}}, "features[subscription_pause][enabled]"),
        ({"customer_update": {"enabled": True}}, "features[customer_update][enabled]"),
        (
            {
                "subscription_cancel": {
                    "enabled": True,
                    "cancellation_reason": {"enabled": True, "options": ["too_expensive"]},
                }
            },
            "features[subscription_cancel][cancellation_reason][enabled]",
        ),
    ],
)
def test_hostile_configurations_are_refused(emu, client, features, param):
    with pytest.raises(stripe.InvalidRequestError) as exc:
        client.v1.billing_portal.configurations.create(params={"features": features})
    assert exc.value.http_status in (400, 404) and exc.value.param == param
    assert len(client.v1.billing_portal.configurations.list().data) == 1
    with pytest.raises(stripe.InvalidRequestError) as exc:
        client.v1.billing_portal.configurations.create(params={})
    assert exc.value.param == "features"


def test_portal_session_without_default_configuration_is_refused():
    with EmulatorServer(port=0, default_portal_configuration=False) as bare:
        client = stripe.StripeClient(
            "sk_test_x", base_addresses={"api": bare.url}, max_network_retries=0
        )
        customer = client.v1.customers.create(params={"email": "a@example.com"})
        assert client.v1.billing_portal.configurations.list().data == []
        with pytest.raises(stripe.InvalidRequestError) as exc:
            client.v1.billing_portal.sessions.create(params={"customer": customer.id})
        assert exc.value.http_status == 400
        assert "save your customer portal settings" in exc.value.user_message
        # naming a configuration works
        conf = client.v1.billing_portal.configurations.create(
            params={"features": {"invoice_history": {"enabled": True}}}
        )
        portal = client.v1.billing_portal.sessions.create(
            params={"customer": customer.id, "configuration": conf.id}
        )
        assert portal.configuration == conf.id
        # and a reset can bring the default back
        bare.reset(default_portal_configuration=True)
        customer = client.v1.customers.create(params={"email": "b@example.com"})
        assert client.v1.billing_portal.sessions.create(params={"customer": customer.id}).url


def test_reset_endpoint_without_default_configuration(emu, client, web):
    status, _, _ = web.request(
        "POST", "/_emulator/reset", {"default_portal_configuration": "false"}
    )
    assert status == 200
    customer = client.v1.customers.create(params={"email": "c@example.com"})
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.billing_portal.sessions.create(params={"customer": customer.id})


def test_inactive_or_unknown_configuration_is_refused(emu, client, subscribed, plan, business):
    customer, _ = subscribed
    with pytest.raises(stripe.InvalidRequestError) as exc:
        _portal(client, customer, "bpc_nope")
    assert exc.value.param == "configuration"
    conf = _config(client, plan, business)
    client.v1.billing_portal.configurations.update(conf.id, params={"active": False})
    with pytest.raises(stripe.InvalidRequestError) as exc:
        _portal(client, customer, conf.id)
    assert "not active" in exc.value.user_message


def test_page_honours_the_configuration(emu, client, web, subscribed, plan, business):
    customer, sub_id = subscribed
    conf = _config(client, plan, business, cancel_mode="immediately")
    portal = _portal(client, customer, conf.id)
    assert portal.return_url == "http://hub.test/account/billing/"  # default_return_url
    status, _, html = web.request("GET", f"/portal/{portal.id}")
    assert status == 200 and "MintKit Hub billing" in html
    assert 'id="cancel-now"' in html and 'id="cancel-at-period-end"' not in html
    assert 'id="update-card"' not in html  # payment_method_update disabled
    assert 'id="invoices"' in html and "£9.00" in html
    assert f'id="switch-{business.id}"' in html and f'id="switch-{plan.id}"' not in html
    # the switch button shows the prorated amount due now
    assert re.search(r"Prorated adjustment: £[\d.]+; total £22\.00 today", html)
    # actions the configuration does not offer are refused and change nothing
    for form in (
        {"action": "cancel_at_period_end", "subscription": sub_id},
        {"action": "update_card", "card_number": "4242424242424242"},
        {"action": "switch", "subscription": sub_id, "price": "price_nope"},
    ):
        status, _, _ = web.request("POST", f"/portal/{portal.id}", form)
        assert status == 403
    sub = client.v1.subscriptions.retrieve(sub_id)
    assert not sub.cancel_at_period_end and sub.status == "active"
    # plan switching with proration (always_invoice: billed at once)
    status, _, _ = web.request(
        "POST",
        f"/portal/{portal.id}",
        {"action": "switch", "subscription": sub_id, "price": business.id},
    )
    assert status == 303
    sub = client.v1.subscriptions.retrieve(sub_id)
    assert sub["items"].data[0].price.id == business.id
    invoice = client.v1.invoices.retrieve(sub.latest_invoice)
    assert invoice.billing_reason == "subscription_update" and invoice.amount_paid == 2200
    assert "customer.subscription.updated" in emu.event_types()
    # cancel mode immediately
    status, _, _ = web.request(
        "POST", f"/portal/{portal.id}", {"action": "cancel_now", "subscription": sub_id}
    )
    assert status == 303
    assert client.v1.subscriptions.retrieve(sub_id).status == "canceled"


def test_cancel_at_period_end_mode_and_cancel_proration(emu, client, web, checkout, plan, business):
    session, *_ = checkout(trial_days=None)
    conf = _config(client, plan, business, cancel_mode="at_period_end")
    portal = _portal(client, session.customer, conf.id)
    _, _, html = web.request("GET", f"/portal/{portal.id}")
    assert 'id="cancel-at-period-end"' in html and 'id="cancel-now"' not in html
    status, _, _ = web.request(
        "POST",
        f"/portal/{portal.id}",
        {"action": "cancel_now", "subscription": session.subscription},
    )
    assert status == 403
    web.request(
        "POST",
        f"/portal/{portal.id}",
        {"action": "cancel_at_period_end", "subscription": session.subscription},
    )
    assert client.v1.subscriptions.retrieve(session.subscription).cancel_at_period_end
    # immediately + create_prorations: the unused time is credited to the balance
    client.v1.billing_portal.configurations.update(
        conf.id,
        params={
            "features": {
                "subscription_cancel": {
                    "mode": "immediately",
                    "proration_behavior": "create_prorations",
                }
            }
        },
    )
    emu.advance(10 * DAY)
    web.request(
        "POST", f"/portal/{portal.id}", {"action": "resume", "subscription": session.subscription}
    )
    web.request(
        "POST",
        f"/portal/{portal.id}",
        {"action": "cancel_now", "subscription": session.subscription},
    )
    assert client.v1.subscriptions.retrieve(session.subscription).status == "canceled"
    assert client.v1.customers.retrieve(session.customer).balance < -500


def test_default_configuration_keeps_the_historical_portal(emu, client, web, subscribed):
    """Until the hub names a configuration, the seeded default keeps both cancel buttons and
    the card form (test_portal.py covers the actions)."""
    customer, _ = subscribed
    portal = _portal(client, customer)
    conf = client.v1.billing_portal.configurations.retrieve(portal.configuration)
    assert conf.is_default
    _, _, html = web.request("GET", f"/portal/{portal.id}")
    assert 'id="cancel-now"' in html and 'id="cancel-at-period-end"' in html
    assert 'id="update-card"' in html and 'id="invoices"' in html
    # once updated through the API it is honoured strictly
    client.v1.billing_portal.configurations.update(
        conf.id, params={"features": {"subscription_cancel": {"mode": "at_period_end"}}}
    )
    _, _, html = web.request("GET", f"/portal/{portal.id}")
    assert 'id="cancel-now"' not in html and 'id="cancel-at-period-end"' in html


def test_flow_subscription_update_confirm(emu, client, web, subscribed, plan, business):
    customer, sub_id = subscribed
    conf = _config(client, plan, business)
    item_id = client.v1.subscriptions.retrieve(sub_id)["items"].data[0].id
    portal = _portal(
        client,
        customer,
        conf.id,
        flow_data={
            "type": "subscription_update_confirm",
            "subscription_update_confirm": {
                "subscription": sub_id,
                "items": [{"id": item_id, "price": business.id, "quantity": 1}],
            },
            "after_completion": {
                "type": "redirect",
                "redirect": {"return_url": "http://hub.test/billing/changed/"},
            },
        },
    )
    assert_fidelity(portal)
    assert portal.flow.type == "subscription_update_confirm"
    assert portal.flow.subscription_update_confirm.items[0].price == business.id
    _, _, html = web.request("GET", f"/portal/{portal.id}")
    assert 'id="confirm"' in html and "Business" in html and 'id="proration"' in html
    assert 'id="cancel-now"' not in html  # the flow page shows the one task
    status, _, _ = web.request(
        "POST", f"/portal/{portal.id}", {"action": "cancel_now", "subscription": sub_id}
    )
    assert status == 400
    status, headers, _ = web.request("POST", f"/portal/{portal.id}", {"action": "confirm_update"})
    assert status == 303 and headers["Location"] == "http://hub.test/billing/changed/"
    sub = client.v1.subscriptions.retrieve(sub_id)
    assert sub["items"].data[0].price.id == business.id
    # after completion the session shows the portal homepage
    _, _, html = web.request("GET", f"/portal/{portal.id}")
    assert "Manage your subscription" in html


def test_flow_payment_method_update(emu, client, web, subscribed):
    customer, sub_id = subscribed
    portal = _portal(client, customer, flow_data={"type": "payment_method_update"})
    assert portal.flow.after_completion.type == "portal_homepage"
    _, _, html = web.request("GET", f"/portal/{portal.id}")
    assert "Update your payment method" in html and 'id="update-card"' in html
    assert 'id="cancel-now"' not in html
    status, headers, _ = web.request(
        "POST", f"/portal/{portal.id}", {"action": "update_card", "card_number": "5555555555554444"}
    )
    assert status == 303 and headers["Location"].startswith(f"/portal/{portal.id}")
    pm = client.v1.customers.retrieve(customer).invoice_settings.default_payment_method
    assert client.v1.payment_methods.retrieve(pm).card.last4 == "4444"


@pytest.mark.parametrize(
    "flow_data, param",
    [
        ({"type": "teleport"}, "flow_data[type]"),
        ({"type": "subscription_update_confirm"}, "flow_data[subscription_update_confirm]"),
        (
            {
                "type": "subscription_update_confirm",
                "subscription_update_confirm": {
                    "subscription": "SUB",
                    "items": [{"id": "si_nope", "price": "PRICE"}],
                },
            },
            "flow_data[subscription_update_confirm][items][0][id]",
        ),
        (
            {
                "type": "subscription_update_confirm",
                "subscription_update_confirm": {"subscription": "sub_nope", "items": [{"id": "x"}]},
            },
            "flow_data[subscription_update_confirm][subscription]",
        ),
        (
            {"type": "payment_method_update", "after_completion": {"type": "redirect"}},
            "flow_data[after_completion][redirect][return_url]",
        ),
        ({"type": "subscription_cancel"}, "flow_data[type]"),
        ({"type": "subscription_pause"}, "flow_data[type]"),
    ],
)
def test_hostile_flow_data(emu, client, subscribed, business, flow_data, param):
    customer, sub_id = subscribed

    def fill(value):
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        if isinstance(value, list):
            return [fill(v) for v in value]
        return {"SUB": sub_id, "PRICE": business.id}.get(value, value)

    with pytest.raises(stripe.InvalidRequestError) as exc:
        _portal(client, customer, flow_data=fill(flow_data))
    assert exc.value.param == param


def test_flow_for_another_customers_subscription_is_refused(emu, client, subscribed, business):
    _, sub_id = subscribed
    other = client.v1.customers.create(params={"email": "other@example.com"})
    item_id = client.v1.subscriptions.retrieve(sub_id)["items"].data[0].id
    with pytest.raises(stripe.InvalidRequestError) as exc:
        _portal(
            client,
            other.id,
            flow_data={
                "type": "subscription_update_confirm",
                "subscription_update_confirm": {
                    "subscription": sub_id,
                    "items": [{"id": item_id, "price": business.id}],
                },
            },
        )
    assert "does not belong" in exc.value.user_message


@pytest.mark.parametrize(
    "flow_type", ["subscription_cancel", "subscription_update", "subscription_pause"]
)
def test_flow_types_stripe_has_but_the_emulator_lacks_are_refused_as_such(
    emu, client, subscribed, flow_type
):
    customer, sub_id = subscribed
    flow_data = {"type": flow_type, flow_type: {"subscription": sub_id}}
    with pytest.raises(stripe.InvalidRequestError) as exc:
        _portal(client, customer, flow_data=flow_data)
    assert (exc.value.http_status, exc.value.code) == (400, "parameter_not_implemented")
    assert "does not implement" in exc.value.user_message
