"""A Product per active plan, with its monthly and yearly Prices (found by lookup key)."""

from __future__ import annotations

import logging
from typing import Any

from django.utils import timezone

from .. import stripe_client
from ..models import SubscriptionPlan
from .common import (
    YEARLY_MONTHS,
    SetupReport,
    _as_dict,
)

log = logging.getLogger(__name__)


def _product_ensure(*, plan: SubscriptionPlan, report: SetupReport) -> str:
    wanted = {"name": f"MintKit {plan.name}", "description": plan.description or ""}
    product = None
    if plan.stripe_product_id:
        try:
            product = _as_dict(stripe_client.product_retrieve(plan.stripe_product_id))
        except stripe_client.StripeError as exc:
            if not stripe_client.is_missing(exc):
                raise
    if product is None or product.get("deleted"):
        created = stripe_client.product_create(
            name=wanted["name"],
            description=wanted["description"],
            metadata={"plan": plan.slug},
            key=stripe_client.idempotency_key(
                "setup-product", plan.slug, plan.pk, plan.stripe_product_id
            ),
        )
        report.say(f"{plan.slug}: product {created.id} created", changed=True)
        created_id: str = created.id
        return created_id
    changed: dict[str, Any] = {
        key: value for key, value in wanted.items() if (product.get(key) or "") != value
    }
    if not product.get("active", True):
        changed["active"] = True
    if changed:
        stripe_client.product_update(product["id"], params=changed)
        report.say(
            f"{plan.slug}: product {product['id']} updated ({', '.join(changed)})", changed=True
        )
    product_id: str = product["id"]
    return product_id


def _price_matches(
    price: dict[str, Any], *, product_id: str, amount: int, currency: str, interval: str
) -> bool:
    recurring = price.get("recurring") or {}
    product = price.get("product")
    return bool(
        price.get("active")
        and price.get("unit_amount") == amount
        and price.get("currency") == currency
        and recurring.get("interval") == interval
        and (recurring.get("interval_count") or 1) == 1
        and (product.get("id") if isinstance(product, dict) else product) == product_id
    )


def _price_ensure(
    *,
    plan: SubscriptionPlan,
    product_id: str,
    interval: str,
    amount: int,
    current_id: str,
    report: SetupReport,
) -> str:
    """The id of an active price of ``product_id`` for ``amount`` per ``interval``: the
    recorded one, else the one holding the lookup key, else a new one."""
    currency = plan.currency.lower()
    lookup_key = f"mintkit_{plan.slug}_{interval}"
    wanted: dict[str, Any] = {"product_id": product_id, "amount": amount, "currency": currency}
    current = None
    if current_id:
        try:
            current = _as_dict(stripe_client.price_retrieve(current_id))
        except stripe_client.StripeError as exc:
            if not stripe_client.is_missing(exc):
                raise
    if current is not None and _price_matches(current, interval=interval, **wanted):
        current_price_id: str = current["id"]
        return current_price_id
    for candidate in map(_as_dict, stripe_client.prices_by_lookup_key(lookup_key)):
        if _price_matches(candidate, interval=interval, **wanted):
            report.say(f"{plan.slug}: {interval}ly price {candidate['id']} found", changed=True)
            found_id: str = candidate["id"]
            return found_id
    price = stripe_client.price_create(
        product_id=product_id,
        amount=amount,
        currency=currency,
        interval=interval,
        lookup_key=lookup_key,
        metadata={"plan": plan.slug},
        key=stripe_client.idempotency_key(
            "setup-price", product_id, amount, currency, interval, current_id, timezone.now().date()
        ),
    )
    report.say(
        f"{plan.slug}: {interval}ly price {price.id} created "
        f"({amount / 100:.2f} {currency.upper()})",
        changed=True,
    )
    if current is not None and current.get("active"):
        stripe_client.price_archive(current["id"])
        report.say(f"{plan.slug}: old price {current['id']} archived", changed=True)
    price_id: str = price.id
    return price_id


def plan_prices_ensure(*, plan: SubscriptionPlan, report: SetupReport) -> None:
    """The plan's product, its price per its interval and (for a monthly plan) the yearly
    price of ``YEARLY_MONTHS`` × the amount; records their ids on the plan."""
    product_id = _product_ensure(plan=plan, report=report)
    price_id = _price_ensure(
        plan=plan,
        product_id=product_id,
        interval=plan.interval,
        amount=plan.amount,
        current_id=plan.stripe_price_id,
        report=report,
    )
    yearly_id = plan.stripe_price_id_yearly
    if plan.interval == SubscriptionPlan.Interval.MONTH:
        yearly_id = _price_ensure(
            plan=plan,
            product_id=product_id,
            interval=SubscriptionPlan.Interval.YEAR,
            amount=plan.amount * YEARLY_MONTHS,
            current_id=plan.stripe_price_id_yearly,
            report=report,
        )
    fields = {
        "stripe_product_id": product_id,
        "stripe_price_id": price_id,
        "stripe_price_id_yearly": yearly_id,
    }
    if any(getattr(plan, name) != value for name, value in fields.items()):
        SubscriptionPlan.objects.filter(pk=plan.pk).update(**fields)
        for name, value in fields.items():
            setattr(plan, name, value)
    report.say(f"{plan.slug}: ok (prices {', '.join(p for p in (price_id, yearly_id) if p)})")
