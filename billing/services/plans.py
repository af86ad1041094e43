"""Plans: each ``SubscriptionPlan`` has a Stripe Product and a matching Price."""

from __future__ import annotations

import logging

from django.core.management.base import OutputWrapper
from django.utils import timezone

from .. import stripe_client
from ..models import SubscriptionPlan

log = logging.getLogger(__name__)


def plan_sync_to_stripe(*, plan: SubscriptionPlan) -> str:
    """Make sure ``plan`` has a Stripe Product and a Price matching its amount, currency and
    interval; create what is missing. Returns "ok", "created" or "updated"."""
    if plan.stripe_price_id:
        try:
            price = stripe_client.price_retrieve(plan.stripe_price_id)
            interval = price.recurring.interval if price.recurring else None
            if (
                price.unit_amount == plan.amount
                and price.currency == plan.currency.lower()
                and interval == plan.interval
                and price.active
            ):
                return "ok"
        except stripe_client.StripeError as exc:
            if not stripe_client.is_missing(exc):
                raise
    outcome = "updated" if plan.stripe_price_id else "created"
    product_id = plan.stripe_product_id
    if product_id:
        try:
            stripe_client.client().v1.products.retrieve(product_id)
        except stripe_client.StripeError as exc:
            if not stripe_client.is_missing(exc):
                raise
            product_id = ""
    if not product_id:
        product = stripe_client.product_create(
            name=f"MintKit {plan.name}",
            description=plan.description,
            metadata={"plan": plan.slug},
            key=stripe_client.idempotency_key("product", plan.slug, plan.pk, timezone.now().date()),
        )
        product_id = product.id
    price = stripe_client.price_create(
        product_id=product_id,
        amount=plan.amount,
        currency=plan.currency.lower(),
        interval=plan.interval,
        lookup_key=f"mintkit_{plan.slug}_{plan.interval}",
        metadata={"plan": plan.slug},
        # The price being replaced and the day are in the key: a re-sync after that price
        # was archived (or after going back to an earlier amount) must create a new price,
        # not get the old one replayed by Stripe.
        key=stripe_client.idempotency_key(
            "price",
            product_id,
            plan.amount,
            plan.currency,
            plan.interval,
            plan.stripe_price_id,
            timezone.now().date(),
        ),
    )
    SubscriptionPlan.objects.filter(pk=plan.pk).update(
        stripe_product_id=product_id, stripe_price_id=price.id
    )
    plan.stripe_product_id, plan.stripe_price_id = product_id, price.id
    return outcome


def plans_sync_to_stripe(*, stdout: OutputWrapper | None = None) -> dict[str, str]:
    """``plan_sync_to_stripe`` for every plan; returns slug → outcome."""
    results = {}
    for plan in SubscriptionPlan.objects.order_by("sort_order", "pk"):
        results[plan.slug] = plan_sync_to_stripe(plan=plan)
        yearly = plan_yearly_price_sync(plan=plan)  # billing.pricing: the yearly price too
        if stdout is not None:
            stdout.write(f"{plan.slug}: {results[plan.slug]} ({plan.stripe_price_id})")
            stdout.write(f"{plan.slug} yearly: {yearly} ({plan.stripe_price_id_yearly})")
    return results


def plan_yearly_price_sync(*, plan: SubscriptionPlan) -> str:
    from ..pricing import plan_yearly_price_sync as sync  # billing.pricing imports this package

    return sync(plan=plan)
