"""Demo plans ``basic`` and ``pro``, synced to Stripe (the local emulator in development).

``run`` never fails because Stripe is unreachable: it prints a warning and carries on, so
``seed_demo`` works offline; ``stripe_sync_plans`` can be run later.
"""

from django.conf import settings
from django.core.management.base import OutputWrapper

from . import services, stripe_client
from .models import SubscriptionPlan

PLANS = [
    {
        "slug": "basic",
        "name": "Basic",
        "description": "Everything a small business needs to start selling online.",
        "features": "MintKit Studio\nGift cards and vouchers\nYour public storefront\n"
        "E-mail support",
        "amount": 900,
        "max_storefronts": 1,
        "sort_order": 10,
    },
    {
        "slug": "pro",
        "name": "Pro",
        "description": "For busy businesses selling tickets and running promotions.",
        "features": "Everything in Basic\nEvent tickets with check-in\nPromotions and "
        "discount codes\nUp to 3 storefronts\nPriority support",
        "amount": 1900,
        "max_storefronts": 3,
        "sort_order": 20,
    },
]


def plans_ensure() -> list[SubscriptionPlan]:
    """Create the demo plans that are missing; leave edited ones alone."""
    plans = []
    for spec in PLANS:
        plan, _ = SubscriptionPlan.objects.get_or_create(
            slug=spec["slug"],
            defaults={**spec, "currency": "gbp", "interval": SubscriptionPlan.Interval.MONTH},
        )
        plans.append(plan)
    return plans


def run(*, stdout: OutputWrapper) -> None:
    plans = plans_ensure()
    stdout.write(f"Plans: {', '.join(p.slug for p in plans)}")
    if not settings.STRIPE_API_BASE:
        stdout.write(
            "Stripe: STRIPE_API_BASE is not set, so plans were not synced; run "
            "`python manage.py stripe_sync_plans` against your Stripe test account."
        )
        return
    try:
        services.plans_sync_to_stripe(stdout=stdout)
    except stripe_client.StripeError as exc:
        stdout.write(
            f"WARNING: could not reach Stripe at {settings.STRIPE_API_BASE} "
            f"({exc.__class__.__name__}). Plans are saved but not synced with Stripe; start "
            "the emulator (`make emulator`) and run `python manage.py stripe_sync_plans`."
        )
