"""Requests are validated like Stripe's: against the pinned SDK's parameter types, with
Stripe's documented limits, and never silently ignored (point 1 of issue 12)."""

from __future__ import annotations

import pathlib

import pytest
import stripe

from stripe_emulator import schema, schema_gen
from stripe_emulator.api import Api
from stripe_emulator.implemented import IMPLEMENTED
from stripe_emulator.tests.conftest import start_session


def test_committed_schema_matches_the_installed_sdk():
    """Regenerated from stripe/params/ it is byte-for-byte the committed file."""
    assert stripe.VERSION == "16.1.0"
    committed = pathlib.Path(schema_gen.SCHEMA_PATH).read_text()
    assert schema_gen.dumps(schema_gen.generate()) == committed


def test_schema_is_read_from_the_sdk_types():
    data = schema.load()
    create = data["types"][data["endpoints"]["POST /v1/checkout/sessions"]]["fields"]
    from stripe.params.checkout import SessionCreateParams

    sdk = set(SessionCreateParams.__annotations__) - {
        "api_key",
        "stripe_version",
        "stripe_account",
        "stripe_context",
        "max_network_retries",
        "idempotency_key",
        "content_type",
        "headers",
    }
    assert set(create) == sdk
    assert create["mode"] == {"enum": ["payment", "setup", "subscription"]}


def test_every_route_is_declared_and_every_declared_name_exists_in_the_sdk(emu):
    """The registry and the route table agree, and no route declares a parameter Stripe does
    not have (which would make the emulator accept what Stripe refuses)."""
    data = schema.load()
    routes = {(m, Api.route_string(p)) for m, p, _ in emu.api.routes}
    assert set(IMPLEMENTED) <= routes
    for method, pattern, _ in emu.api.routes:
        key = (method, Api.route_string(pattern))
        assert key in IMPLEMENTED, key
        sample = Api.route_string(pattern).replace("(?P<id>[^/]+)", "x_1")
        endpoint = schema.endpoint_for(method, sample)
        assert endpoint is not None, key
        fields = data["types"][data["endpoints"][endpoint]]["fields"]
        for name in IMPLEMENTED[key]:
            assert name.split("[", 1)[0] in fields, (key, name)


def _error(call):
    with pytest.raises(stripe.InvalidRequestError) as info:
        call()
    return info.value


def _session(client, plan, **extra):
    return start_session(client, plan.id, 1, **{"cancel_url": "http://hub.test/no", **extra})


def test_unknown_parameter_is_refused_like_stripe(client, web):
    err = _error(lambda: client.v1.customers.create(params={"foo": "bar"}))
    assert (err.http_status, err.code, err.param) == (400, "parameter_unknown", "foo")
    assert err.user_message == "Received unknown parameter: foo"
    status, _, body = web.api("POST", "/v1/customers", {"email": "a@b.c", "foo": "bar"})
    assert status == 400
    assert body["error"] == {
        "type": "invalid_request_error",
        "code": "parameter_unknown",
        "doc_url": "https://stripe.com/docs/error-codes/parameter_unknown",
        "message": "Received unknown parameter: foo",
        "param": "foo",
    }
    assert client.v1.customers.list().data == []  # nothing was created


def test_unknown_nested_parameter(client, plan):
    err = _error(lambda: _session(client, plan, subscription_data={"colour": "red"}))
    assert err.param == "subscription_data[colour]"
    assert err.user_message == "Received unknown parameter: subscription_data[colour]"


@pytest.mark.parametrize(
    ("extra", "param"),
    [
        ({"automatic_tax": {"enabled": True}}, "automatic_tax[enabled]"),
        ({"allow_promotion_codes": True}, "allow_promotion_codes"),
        ({"subscription_data": {"trial_end": 1_900_000_000}}, "subscription_data[trial_end]"),
        ({"payment_method_collection": "if_required"}, "payment_method_collection"),
    ],
)
def test_known_but_not_emulated_parameters_are_refused(client, plan, extra, param):
    err = _error(lambda: _session(client, plan, **extra))
    assert (err.http_status, err.code, err.param) == (400, "parameter_not_implemented", param)
    assert "does not implement" in err.user_message
    assert client.v1.checkout.sessions.list().data == []


def test_subscription_update_with_unemulated_parameters_changes_nothing(client, checkout):
    session, *_ = checkout()
    sub_id = session.subscription
    before = client.v1.subscriptions.retrieve(sub_id)
    for params, param in [
        ({"trial_end": "now"}, "trial_end"),
        (
            {"items": [{"id": before["items"].data[0].id, "tax_rates": ["txr_1"]}]},
            "items[0][tax_rates][0]",
        ),
        ({"pause_collection": {"behavior": "void"}}, "pause_collection[behavior]"),
    ]:
        err = _error(lambda p=params: client.v1.subscriptions.update(sub_id, params=p))
        assert err.param == param and err.code == "parameter_not_implemented"
    assert client.v1.subscriptions.retrieve(sub_id) == before


@pytest.mark.parametrize(
    ("extra", "param", "message"),
    [
        (
            {"subscription_data": {"trial_period_days": 800}},
            "subscription_data[trial_period_days]",
            "must be less than or equal to 730",
        ),
        ({"client_reference_id": "x" * 201}, "client_reference_id", "at most 200 characters"),
        ({"metadata": {"k" * 41: "v"}}, "metadata[" + "k" * 41 + "]", "at most 40 characters"),
        ({"metadata": {"k": "v" * 501}}, "metadata[k]", "at most 500 characters"),
        ({"metadata": {f"k{i}": "v" for i in range(51)}}, "metadata", "at most 50 keys"),
        ({"mode": "rental"}, "mode", "must be one of payment, setup, or subscription"),
        (
            {"line_items": [{"price": "price_x", "quantity": "two"}]},
            "line_items[0][quantity]",
            "Invalid integer: two",
        ),
    ],
)
def test_documented_limits_and_types(client, plan, extra, param, message):
    err = _error(lambda: _session(client, plan, **extra))
    assert err.http_status == 400 and err.param == param
    assert message in err.user_message


def test_limits_at_the_boundary_pass(client, plan):
    session = _session(
        client,
        plan,
        client_reference_id="x" * 200,
        subscription_data={"trial_period_days": 730},
        metadata={f"k{i}": "v" * 500 for i in range(50)},
    )
    assert session.client_reference_id == "x" * 200


def test_booleans_are_strict(web):
    status, _, body = web.api("POST", "/v1/products", {"name": "P", "active": "yes"})
    assert status == 400
    assert body["error"]["message"] == "Invalid boolean: yes"
    assert body["error"]["param"] == "active"


def test_required_by_the_sdk_types(client):
    err = _error(lambda: client.v1.prices.create(params={"unit_amount": 1, "product": "p"}))
    assert (err.code, err.param) == ("parameter_missing", "currency")


def test_literal_paths_win_over_ids():
    assert schema.endpoint_for("POST", "/v1/invoices/create_preview") == (
        "POST /v1/invoices/create_preview"
    )
    assert schema.endpoint_for("POST", "/v1/invoices/in_123") == "POST /v1/invoices/{invoice}"


def test_stripe_version_pinned_or_refused(web, client):
    status, headers, _ = web.api("GET", "/v1/customers")
    assert status == 200 and headers["Stripe-Version"] == "2026-10-28.endive"
    status, headers, _ = web.api(
        "GET", "/v1/customers", headers={"Stripe-Version": "2026-10-28.endive"}
    )
    assert status == 200
    status, headers, body = web.api(
        "GET", "/v1/customers", headers={"Stripe-Version": "2024-06-20"}
    )
    assert status == 400
    assert body["error"]["code"] == "api_version_not_supported"
    assert "2026-10-28.endive" in body["error"]["message"]
    assert headers["Stripe-Version"] == "2026-10-28.endive"  # never echoes a version it ignored
    err = _error(lambda: client.v1.customers.list(options={"stripe_version": "2025-01-27.acacia"}))
    assert err.http_status == 400


def test_sdk_sends_the_pinned_version(emu, client):
    """What the SDK puts in Stripe-Version by default is exactly the version served."""
    assert stripe.api_version == "2026-10-28.endive"
    client.v1.customers.list()  # would be 400 if the SDK's default header differed


def test_every_declared_name_covers_an_sdk_parameter():
    for (method, route), names in IMPLEMENTED.items():
        sample = route.replace("(?P<id>[^/]+)", "x_1")
        data = schema.load()
        paths = schema.parameter_paths(data["endpoints"][schema.endpoint_for(method, sample)])
        for name in names:
            generic = schema._generic(name)
            assert any(p == generic or p.startswith(generic + "[") for p in paths), (
                method,
                route,
                name,
            )


def test_parameter_coverage_is_counted_per_endpoint():
    result = schema.coverage([("POST", r"/v1/checkout/sessions"), ("GET", r"/v1/products")])
    create = result["endpoints"]["POST /v1/checkout/sessions"]
    assert create[0] > 300 and 10 <= create[1] < create[0]
    assert "subscription_data[trial_period_days]" in schema.parameter_paths(
        schema.load()["endpoints"]["POST /v1/checkout/sessions"]
    )
    assert result["validated"] == sum(v[0] for v in result["endpoints"].values())
