"""Stripe customers: the one link between a profile and its Stripe customer."""

from __future__ import annotations

import logging

from django.db import transaction

from accounts.models import Profile

from .. import stripe_client
from ..models import StripeCustomer
from ..selectors import (
    stripe_customer_id_for,
)

log = logging.getLogger(__name__)


def stripe_customer_link(*, profile: Profile, customer_id: str) -> StripeCustomer | None:
    """Remember ``customer_id`` as the profile's Stripe customer (the first one wins)."""
    existing = StripeCustomer.objects.filter(profile=profile).first()
    if existing is not None:
        return existing
    if StripeCustomer.objects.filter(stripe_customer_id=customer_id).exists():
        return None  # belongs to someone else; never re-point it
    return StripeCustomer.objects.create(profile=profile, stripe_customer_id=customer_id)


def stripe_customer_ensure(*, profile: Profile, replacing: str = "") -> str:
    """The profile's Stripe customer id, creating the customer on first use (or when
    ``replacing`` a customer Stripe no longer has)."""
    customer_id = stripe_customer_id_for(profile=profile)
    if customer_id:
        return customer_id
    customer = stripe_client.customer_create(
        email=profile.user.email,
        name=profile.business_name,
        metadata={"profile_id": str(profile.pk)},
        key=stripe_client.idempotency_key(
            "customer", profile.pk, profile.created_at.isoformat(), replacing
        ),
    )
    with transaction.atomic():
        Profile.objects.select_for_update().filter(pk=profile.pk).first()
        linked = stripe_customer_link(profile=profile, customer_id=customer.id)
    return linked.stripe_customer_id if linked else customer.id
