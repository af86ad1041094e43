"""Plan changes for a subscriber, through Stripe: preview, then confirm.

Policy (docs/STRIPE_MINTKIT_INTEGRATION.md, "Plan changes"):

* a change to a dearer price (an **upgrade**: Basic → Pro, monthly → yearly) applies at
  once and Stripe invoices the prorated difference at once (``always_invoice``);
* a change to a cheaper price (a **downgrade**: Pro → Basic, yearly → monthly) also applies
  at once; the unused time becomes a credit on the customer's balance that Stripe takes off
  the next invoices (``create_prorations``). Nobody waits to the period end for the plan they
  chose, and nobody pays twice for the same days.

A change of interval restarts the billing period on Stripe's side (the new period starts
today), so it is invoiced at once whichever way it goes.

The hub never writes the new plan itself from the browser's word: it asks Stripe to change
the subscription and then re-reads it from Stripe (``services.subscription_refresh``), as
the ``customer.subscription.updated`` webhook does.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from accounts.models import Profile

from . import services, stripe_client
from .models import Subscription, SubscriptionPlan
from .pricing import (
    ACCESS_STATUSES,
    plan_amount_for,
    plan_price_id_for,
    subscription_interval,
)
from .selectors import subscription_live

log = logging.getLogger(__name__)

UPGRADE_PRORATION = "always_invoice"
DOWNGRADE_PRORATION = "create_prorations"


class PlanChangeRefused(Exception):
    """The change cannot be made; the message says why in the owner's words."""


@dataclass(frozen=True)
class PlanChangePreview:
    subscription: Subscription
    plan: SubscriptionPlan
    interval: str
    price_id: str
    is_upgrade: bool
    proration_behavior: str
    amount_due_now: int  # minor units; 0 for a downgrade (a credit instead)
    credit: int  # minor units credited to the balance (downgrades)
    new_amount: int  # the new regular price per interval
    currency: str
    next_charge_at: datetime | None


def _check(
    *, profile: Profile, plan: SubscriptionPlan, interval: str
) -> tuple[Subscription, str, Any, str]:
    """(subscription, Stripe subscription item id, current price id, new price id) for an
    allowed change, else ``PlanChangeRefused``."""
    if not plan.is_active:
        raise PlanChangeRefused(f"The {plan.name} plan is no longer on sale.")
    subscription = subscription_live(profile=profile)
    if subscription is None:
        raise PlanChangeRefused("You have no subscription to change — choose a plan instead.")
    if subscription.cancellation_scheduled:
        raise PlanChangeRefused("Your plan is set to end. Resume it first, then switch plans.")
    if subscription.status not in ACCESS_STATUSES:
        raise PlanChangeRefused(
            "Your last payment failed. Update your card first, then switch plans."
        )
    new_price = plan_price_id_for(plan=plan, interval=interval)
    if not new_price:
        raise services.BillingUnavailable(f"Plan {plan.slug} has no {interval}ly Stripe price.")
    if (
        subscription.plan_id == plan.pk
        and subscription_interval(subscription=subscription) == interval
    ):
        raise PlanChangeRefused(f"You're already on the {plan.name} plan, billed {interval}ly.")
    try:
        stripe_sub = services._as_dict(
            stripe_client.subscription_retrieve(subscription.stripe_subscription_id)
        )
    except stripe_client.StripeError as exc:
        raise services.BillingUnavailable(str(exc)) from exc
    items = stripe_sub["items"]["data"]
    if len(items) != 1:
        raise PlanChangeRefused("This subscription can't be changed here; contact us.")
    item = items[0]
    current_price = services._id(item["price"])
    if current_price == new_price:
        # Stripe already has it (a second click before the webhook arrived).
        services.subscription_refresh(
            subscription_id=subscription.stripe_subscription_id,
            customer_id=subscription.stripe_customer_id,
        )
        raise PlanChangeRefused(f"You're already on the {plan.name} plan, billed {interval}ly.")
    return subscription, item["id"], item["price"], new_price


def _is_upgrade(*, current_price: Any, plan: SubscriptionPlan, interval: str) -> bool:
    unit = current_price.get("unit_amount") if isinstance(current_price, dict) else None
    if unit is None:
        unit = getattr(current_price, "unit_amount", 0) or 0
    return plan_amount_for(plan=plan, interval=interval) > unit


def plan_change_preview(
    *, profile: Profile, plan: SubscriptionPlan, interval: str
) -> PlanChangePreview:
    """What switching the profile's subscription to ``plan`` at ``interval`` would do, from
    Stripe's own preview invoice (``Invoice.create_preview``)."""
    subscription, item_id, current_price, new_price = _check(
        profile=profile, plan=plan, interval=interval
    )
    upgrade = _is_upgrade(current_price=current_price, plan=plan, interval=interval)
    behavior = UPGRADE_PRORATION if upgrade else DOWNGRADE_PRORATION
    try:
        preview = stripe_client.invoice_preview(
            customer_id=subscription.stripe_customer_id,
            subscription_id=subscription.stripe_subscription_id,
            item_id=item_id,
            price_id=new_price,
            proration_behavior=behavior,
        )
    except stripe_client.StripeError as exc:
        raise services.BillingUnavailable(str(exc)) from exc
    invoice = services._as_dict(preview)
    lines = invoice["lines"]["data"]
    proration = sum(line["amount"] for line in lines if _is_proration(line))
    immediate = upgrade or interval != subscription_interval(subscription=subscription)
    if immediate:
        due_now = max(0, int(invoice["amount_due"]))
        credit = max(0, -int(invoice["total"]))
    else:
        due_now = 0
        credit = max(0, -proration)
    new_amount = plan_amount_for(plan=plan, interval=interval)
    if interval == subscription_interval(subscription=subscription):
        next_at = subscription.current_period_end  # the period carries on
    else:
        # Stripe restarts the period today: the new one ends a month or a year from now.
        ends = [(line.get("period") or {}).get("end") or 0 for line in lines]
        next_at = services._ts(max(ends)) if ends else None
    return PlanChangePreview(
        subscription=subscription,
        plan=plan,
        interval=interval,
        price_id=new_price,
        is_upgrade=upgrade,
        proration_behavior=behavior,
        amount_due_now=due_now,
        credit=credit,
        new_amount=new_amount,
        currency=plan.currency,
        next_charge_at=next_at,
    )


def _is_proration(line: dict[str, Any]) -> bool:
    if line.get("proration"):
        return True
    parent = line.get("parent") or {}
    details = parent.get("subscription_item_details") or parent.get("invoice_item_details") or {}
    return bool(details.get("proration"))


def plan_change_apply(
    *, profile: Profile, plan: SubscriptionPlan, interval: str
) -> Subscription | None:
    """Switch the profile's subscription to ``plan`` at ``interval`` in Stripe
    (``Subscription.modify`` with the item's new price and the policy's proration), then
    record what Stripe now says (the row, or None: ``services.subscription_refresh``). A
    repeated request finds the change made and is refused (``PlanChangeRefused``: already on
    that plan) without touching Stripe again."""
    subscription, item_id, current_price, new_price = _check(
        profile=profile, plan=plan, interval=interval
    )
    upgrade = _is_upgrade(current_price=current_price, plan=plan, interval=interval)
    behavior = UPGRADE_PRORATION if upgrade else DOWNGRADE_PRORATION
    try:
        stripe_client.subscription_price_change(
            subscription_id=subscription.stripe_subscription_id,
            item_id=item_id,
            price_id=new_price,
            proration_behavior=behavior,
            key=stripe_client.idempotency_key(
                "plan-change",
                subscription.stripe_subscription_id,
                services._id(current_price),
                new_price,
            ),
        )
        row = services.subscription_refresh(
            subscription_id=subscription.stripe_subscription_id,
            customer_id=subscription.stripe_customer_id,
        )
    except stripe_client.StripeError as exc:
        log.warning("Plan change failed for profile %s: %s", profile.pk, exc)
        raise services.BillingUnavailable(str(exc)) from exc
    log.info(
        "Profile %s switched %s to %s (%s, %s)",
        profile.pk,
        subscription.stripe_subscription_id,
        new_price,
        interval,
        behavior,
    )
    return row
