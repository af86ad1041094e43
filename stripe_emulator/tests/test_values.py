"""Values like Stripe's in this API version (point 7 of issue 12)."""

from __future__ import annotations

import pytest
import stripe

from stripe_emulator.tests.test_lifecycle import _subscribe

DAY = 86400
START = 1_767_225_600  # 2026-01-01 00:00 UTC


def test_new_subscriptions_are_in_flexible_billing_mode(client, web, plan):
    _, sub = _subscribe(client, web, plan, "4242424242424242")
    assert sub.billing_mode.type == "flexible"
    assert sub.billing_mode.flexible.proration_discounts == "included"
    assert sub.billing_mode.updated_at == sub.created


def test_cancel_at_period_end_stays_true_once_canceled(emu, client, web, plan):
    _, sub = _subscribe(client, web, plan, "4242424242424242")
    client.v1.subscriptions.update(sub.id, params={"cancel_at_period_end": True})
    emu.advance(32 * DAY)
    ended = client.v1.subscriptions.retrieve(sub.id)
    assert ended.status == "canceled" and ended.cancel_at_period_end is True
    deleted = emu.events("customer.subscription.deleted")[-1]["data"]["object"]
    assert deleted["cancel_at_period_end"] is True


def test_immediate_cancel_leaves_cancel_at_period_end_false(client, web, plan):
    _, sub = _subscribe(client, web, plan, "4242424242424242")
    assert client.v1.subscriptions.cancel(sub.id).cancel_at_period_end is False


def test_test_clock_advances_at_most_two_intervals(client, web, plan):
    clock = client.v1.test_helpers.test_clocks.create(params={"frozen_time": START})
    _subscribe(client, web, plan, "4242424242424242", clock=clock.id)
    two_months = 1_772_323_200  # 2026-03-01
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.test_helpers.test_clocks.advance(clock.id, params={"frozen_time": two_months + 1})
    assert (info.value.http_status, info.value.param) == (400, "frozen_time")
    assert "two intervals" in info.value.user_message
    assert client.v1.test_helpers.test_clocks.retrieve(clock.id).frozen_time == START
    advanced = client.v1.test_helpers.test_clocks.advance(
        clock.id, params={"frozen_time": two_months}
    )
    assert advanced.frozen_time == two_months


def test_test_clock_without_subscriptions_is_not_limited(client):
    clock = client.v1.test_helpers.test_clocks.create(params={"frozen_time": START})
    far = START + 400 * DAY
    assert client.v1.test_helpers.test_clocks.advance(clock.id, params={"frozen_time": far})
