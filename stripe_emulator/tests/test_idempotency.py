"""Idempotency like Stripe's (point 2 of issue 12)."""

from __future__ import annotations

import pytest
import stripe

DAY = 86400


def _post(web, data, key):
    return web.api("POST", "/v1/customers", data, headers={"Idempotency-Key": key})


def test_a_request_refused_by_validation_is_not_saved(web, client):
    status, _, body = _post(web, {"email": "a@example.com", "foo": "x"}, "key-1")
    assert status == 400 and body["error"]["param"] == "foo"
    status, headers, body = _post(web, {"email": "a@example.com"}, "key-1")
    assert status == 200 and "Idempotent-Replayed" not in headers
    status, headers, again = _post(web, {"email": "a@example.com"}, "key-1")
    assert (status, again["id"]) == (200, body["id"])
    assert headers["Idempotent-Replayed"] == "true"
    assert len(client.v1.customers.list().data) == 1


def test_handler_errors_are_saved_and_replayed(web):
    data = {"customer": "cus_missing", "return_url": "http://hub.test/"}
    headers = {"Idempotency-Key": "portal-1"}
    status, _, first = web.api("POST", "/v1/billing_portal/sessions", data, headers=headers)
    assert status == 404
    status, replay_headers, again = web.api(
        "POST", "/v1/billing_portal/sessions", data, headers=headers
    )
    assert (status, again) == (404, first)
    assert replay_headers["Idempotent-Replayed"] == "true"


def test_same_key_other_parameters_is_an_idempotency_error(web, client):
    _post(web, {"email": "a@example.com"}, "key-2")
    status, _, body = _post(web, {"email": "b@example.com"}, "key-2")
    assert status == 400
    assert body["error"]["type"] == "idempotency_error"
    assert "key-2" in body["error"]["message"]
    with pytest.raises(stripe.IdempotencyError):
        client.v1.customers.create(
            params={"email": "c@example.com"}, options={"idempotency_key": "key-2"}
        )


def test_keys_expire_after_24_hours_of_emulator_time(emu, web, client):
    _, _, first = _post(web, {"email": "a@example.com"}, "key-3")
    emu.advance(DAY - 60)
    _, headers, again = _post(web, {"email": "a@example.com"}, "key-3")
    assert again["id"] == first["id"] and headers["Idempotent-Replayed"] == "true"
    emu.advance(120)
    status, headers, fresh = _post(web, {"email": "a@example.com"}, "key-3")
    assert status == 200 and fresh["id"] != first["id"]
    assert "Idempotent-Replayed" not in headers
    # and once expired, the key may carry other parameters
    emu.advance(DAY + 1)
    status, _, other = _post(web, {"email": "z@example.com"}, "key-3")
    assert status == 200 and other["email"] == "z@example.com"


def test_overlong_key_is_refused(web):
    status, _, body = _post(web, {"email": "a@example.com"}, "k" * 256)
    assert status == 400 and "Idempotency-Key" in body["error"]["message"]
