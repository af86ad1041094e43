"""How many storefronts a business may have, by plan, and what a smaller plan does to them.

storefronts and billing may not import each other (tests/test_architecture.py), so this top
layer joins them: it gives storefronts the limit through ``storefronts.limits`` (registered
in ``DashboardConfig.ready``) and, when a subscription changes, unpublishes the storefronts
beyond the new limit (``storefronts.services.storefronts_limit_enforce``: newest first,
never deleted; the dashboard and the storefront list then name them).

The limit: the plan's ``max_storefronts`` while the subscription gives access (active,
trialing or in its grace period); otherwise ``BASE_LIMIT`` (the hub trial, and an owner
whose access ended, keep one storefront).
"""

import logging

from django.db import transaction

from accounts.models import Profile
from billing.entitlements import entitlement_for
from billing.models import Subscription, SubscriptionPlan
from billing.selectors import subscription_current
from storefronts.services import storefronts_limit_enforce

log = logging.getLogger(__name__)

BASE_LIMIT = 1


def storefront_limit_for(profile: Profile) -> int:
    """The number of storefronts ``profile`` may have and publish now."""
    subscription = subscription_current(profile=profile)
    if subscription is None or subscription.plan is None:
        return BASE_LIMIT
    entitlement = entitlement_for(profile=profile, subscription=subscription)
    if entitlement.source in ("subscription", "grace"):
        return max(BASE_LIMIT, subscription.plan.max_storefronts)
    return BASE_LIMIT


def storefronts_fit_plan(*, profile: Profile) -> list:
    """Unpublish what the profile's plan no longer allows; returns those storefronts."""
    unpublished = storefronts_limit_enforce(profile=profile, limit=storefront_limit_for(profile))
    if unpublished:
        log.info(
            "Plan limit: unpublished storefronts %s of profile %s",
            [s.slug for s in unpublished],
            profile.pk,
        )
    return unpublished


def subscription_saved(sender, instance: Subscription, raw: bool = False, **kwargs) -> None:
    """A subscription row changed (webhook, success page, reconciliation, admin): once the
    transaction commits (the current subscription is marked only after the save), fit the
    owner's storefronts to what the plan allows now."""
    if raw:
        return
    profile_id = instance.profile_id

    def fit() -> None:
        # After the commit: a failure here must not turn a processed webhook into a 500.
        try:
            profile = Profile.objects.filter(pk=profile_id).first()
            if profile is not None:
                storefronts_fit_plan(profile=profile)
        except Exception:
            log.exception("Could not fit the storefronts of profile %s to its plan", profile_id)

    transaction.on_commit(fit)


def plan_saved(sender, instance: SubscriptionPlan, raw: bool = False, **kwargs) -> None:
    """A plan's ``max_storefronts`` may have been lowered (the admin): fit its subscribers'
    storefronts once the change commits."""
    if raw:
        return
    plan_id = instance.pk

    def fit() -> None:
        profile_ids = Subscription.objects.filter(plan_id=plan_id, is_current=True).values_list(
            "profile_id", flat=True
        )
        for profile in Profile.objects.filter(pk__in=list(profile_ids)):
            try:
                storefronts_fit_plan(profile=profile)
            except Exception:
                log.exception("Could not fit the storefronts of profile %s to its plan", profile.pk)

    transaction.on_commit(fit)
