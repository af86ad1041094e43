import json

import pytest
import stripe

from stripe_emulator.tests.conftest import recurring_price


def test_both_sdk_styles(emu, client, monkeypatch):
    monkeypatch.setattr(stripe, "api_key", "sk_test_emulator")
    monkeypatch.setattr(stripe, "api_base", emu.url)
    product = stripe.Product.create(name="Global style")
    assert product.id.startswith("prod_") and product.livemode is False
    fetched = client.v1.products.retrieve(product.id)
    assert fetched.name == "Global style"
    assert stripe.Product.retrieve(product.id).id == product.id


def test_401_without_or_with_bad_key(web):
    status, headers, body = web.api("GET", "/v1/customers", key=None)
    assert status == 401
    assert body["error"]["type"] == "invalid_request_error"
    assert body["error"]["message"].startswith("You did not provide an API key")
    status, _, body = web.api("GET", "/v1/customers", key="sk_live_123456789012345")
    assert status == 401 and "Invalid API Key" in body["error"]["message"]
    assert headers["Content-Type"].startswith("application/json")
    assert headers["Request-Id"].startswith("req_")


def test_sdk_raises_authentication_error(emu):
    bad = stripe.StripeClient("sk_live_nope", base_addresses={"api": emu.url})
    with pytest.raises(stripe.AuthenticationError):
        bad.v1.customers.list()


def test_404_shape(web, client):
    status, headers, body = web.api("GET", "/v1/customers/cus_missing")
    assert status == 404
    assert body["error"]["type"] == "invalid_request_error"
    assert body["error"]["code"] == "resource_missing"
    assert body["error"]["param"] == "id"
    assert "cus_missing" in body["error"]["message"]
    assert headers["Request-Id"].startswith("req_")
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.subscriptions.retrieve("sub_missing")
    assert info.value.code == "resource_missing"
    assert info.value.http_status == 404
    status, _, body = web.api("GET", "/v1/nothing_here")
    assert status == 404 and "Unrecognized request URL" in body["error"]["message"]


def test_400_missing_param(web, client):
    status, _, body = web.api("POST", "/v1/products", {"description": "no name"})
    assert status == 400
    assert body["error"]["code"] == "parameter_missing"
    assert body["error"]["param"] == "name"
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.prices.create(
            params={"product": "prod_nope", "unit_amount": 1, "currency": "gbp"}
        )
    assert info.value.http_status == 404


def test_idempotency_replay_and_conflict(web):
    headers = {"Idempotency-Key": "key-1"}
    s1, h1, b1 = web.api("POST", "/v1/customers", {"email": "a@example.com"}, headers=headers)
    s2, h2, b2 = web.api("POST", "/v1/customers", {"email": "a@example.com"}, headers=headers)
    assert s1 == s2 == 200
    assert b1 == b2
    assert h2.get("Idempotent-Replayed") == "true"
    _, _, listing = web.api("GET", "/v1/customers")
    assert len(listing["data"]) == 1
    s3, _, b3 = web.api("POST", "/v1/customers", {"email": "b@example.com"}, headers=headers)
    assert s3 == 400
    assert b3["error"]["type"] == "idempotency_error"


def test_idempotency_through_sdk(client):
    a = client.v1.customers.create(
        params={"email": "x@example.com"}, options={"idempotency_key": "same"}
    )
    b = client.v1.customers.create(
        params={"email": "x@example.com"}, options={"idempotency_key": "same"}
    )
    assert a.id == b.id
    with pytest.raises(stripe.IdempotencyError):
        client.v1.customers.create(
            params={"email": "y@example.com"}, options={"idempotency_key": "same"}
        )


def test_list_pagination(client, web):
    ids = [client.v1.products.create(params={"name": f"P{i}"}).id for i in range(5)]
    page = client.v1.products.list(params={"limit": 2})
    assert [p.id for p in page.data] == ids[::-1][:2]  # newest first
    assert page.has_more is True and page.url == "/v1/products"
    page2 = client.v1.products.list(params={"limit": 2, "starting_after": page.data[-1].id})
    assert [p.id for p in page2.data] == ids[::-1][2:4]
    page3 = client.v1.products.list(params={"limit": 2, "starting_after": page2.data[-1].id})
    assert [p.id for p in page3.data] == ids[:1] and page3.has_more is False
    assert [p.id for p in page.auto_paging_iter()] == ids[::-1]
    _, _, body = web.api("GET", "/v1/products?limit=2&ending_before=" + ids[2])
    assert [p["id"] for p in body["data"]] == ids[4:2:-1]


def test_customers_filter_and_update(client):
    a = client.v1.customers.create(params={"email": "a@example.com", "metadata": {"k": "v"}})
    client.v1.customers.create(params={"email": "b@example.com"})
    found = client.v1.customers.list(params={"email": "a@example.com"})
    assert [c.id for c in found.data] == [a.id]
    updated = client.v1.customers.update(
        a.id, params={"name": "Ada", "metadata": {"k": "", "n": "1"}}
    )
    assert updated.name == "Ada" and updated.metadata.to_dict() == {"n": "1"}
    assert client.v1.customers.retrieve(a.id).name == "Ada"


def test_products_and_prices(client):
    product = client.v1.products.create(params={"name": "Team", "description": "For teams"})
    updated = client.v1.products.update(product.id, params={"name": "Team+"})
    assert updated.name == "Team+"
    price = recurring_price(
        client,
        product.id,
        2900,
        "year",
        currency="GBP",
        lookup_key="team_yearly",
        metadata={"seats": "5"},
    )
    assert price.currency == "gbp" and price.recurring.interval == "year"
    assert price.type == "recurring" and str(price.unit_amount_decimal) == "2900"
    by_key = client.v1.prices.list(params={"lookup_keys": ["team_yearly"]})
    assert [p.id for p in by_key.data] == [price.id]
    by_product = client.v1.prices.list(params={"product": product.id})
    assert len(by_product.data) == 1
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.prices.create(
            params={
                "product": product.id,
                "unit_amount": 1,
                "currency": "gbp",
                "lookup_key": "team_yearly",
            }
        )
    moved = client.v1.prices.create(
        params={
            "product": product.id,
            "unit_amount": 1,
            "currency": "gbp",
            "lookup_key": "team_yearly",
            "transfer_lookup_key": True,
        }
    )
    assert client.v1.prices.retrieve(price.id).lookup_key is None
    assert moved.lookup_key == "team_yearly"
    expanded = client.v1.prices.retrieve(price.id, params={"expand": ["product"]})
    assert expanded.product.name == "Team+"


def test_expand(client, checkout):
    session, *_ = checkout(trial_days=14)
    full = client.v1.checkout.sessions.retrieve(
        session.id, params={"expand": ["subscription", "customer", "line_items"]}
    )
    assert full.subscription.object == "subscription"
    assert full.customer.object == "customer"
    assert full.line_items.data[0].price.unit_amount == 900
    sub = client.v1.subscriptions.retrieve(
        full.subscription.id,
        params={"expand": ["latest_invoice", "customer", "items.data.price.product"]},
    )
    assert sub.latest_invoice.object == "invoice"
    assert sub.customer.email == "ada@example.com"
    assert sub["items"].data[0].price.product.name == "Pro"
    listing = client.v1.subscriptions.list(params={"expand": ["data.customer"]})
    assert listing.data[0].customer.object == "customer"
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.subscriptions.retrieve(sub.id, params={"expand": ["nonsense"]})


def test_events_list_and_retrieve(client):
    client.v1.customers.create(params={"email": "e@example.com"})
    client.v1.products.create(params={"name": "X"})
    events = client.v1.events.list()
    assert [e.type for e in events.data] == ["product.created", "customer.created"]
    only = client.v1.events.list(params={"type": "customer.created"})
    assert len(only.data) == 1
    evt = client.v1.events.retrieve(only.data[0].id)
    assert evt.data.object.email == "e@example.com"
    assert evt.api_version == stripe.api_version


def test_test_clock_crud(client):
    clock = client.v1.test_helpers.test_clocks.create(
        params={"frozen_time": 1_700_000_000, "name": "c"}
    )
    assert clock.id.startswith("clock_") and clock.status == "ready"
    assert client.v1.test_helpers.test_clocks.retrieve(clock.id).frozen_time == 1_700_000_000
    assert [c.id for c in client.v1.test_helpers.test_clocks.list().data] == [clock.id]
    advanced = client.v1.test_helpers.test_clocks.advance(
        clock.id, params={"frozen_time": 1_700_000_100}
    )
    assert advanced.frozen_time == 1_700_000_100
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.test_helpers.test_clocks.advance(clock.id, params={"frozen_time": 1})
    deleted = client.v1.test_helpers.test_clocks.delete(clock.id)
    assert deleted.deleted is True
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.test_helpers.test_clocks.retrieve(clock.id)


def test_control_endpoints(emu, web):
    status, _, body = web.request("GET", "/_emulator/now")
    before = json.loads(body)["now"]
    status, _, body = web.request("POST", "/_emulator/advance", {"seconds": "3600"})
    assert status == 200
    now = json.loads(body)["now"]
    assert now - before >= 3600
    web.request("POST", "/_emulator/config", {"webhook_url": "http://hub.test/x"})
    assert emu.webhook_url == "http://hub.test/x"
    web.request("POST", "/_emulator/config", {"webhook_url": ""})
    assert emu.webhook_url is None
    web.api("POST", "/v1/customers", {"email": "r@example.com"})
    status, _, _ = web.request("POST", "/_emulator/reset")
    assert status == 200
    assert web.api("GET", "/v1/customers")[2]["data"] == []
