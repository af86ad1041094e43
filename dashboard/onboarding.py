"""The dashboard's onboarding checklist: confirm e-mail → profile → storefront → publish →
choose a plan → open Studio.

``onboarding_steps`` is a plain function of what the owner has done (no queries: the
dashboard passes what it has loaded); ``onboarding_for`` adds the two facts the dashboard
does not otherwise load (is the e-mail confirmed, has the Studio been opened). The checklist
shows until every step is done.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from accounts.models import Profile
from accounts.selectors import user_email_confirmed
from billing.models import Subscription
from billing.selectors import studio_opened
from storefronts.models import Storefront


@dataclass(frozen=True)
class Step:
    key: str
    label: str  # what to do, as a link while it is not done
    url: str
    done: bool


def onboarding_steps(
    *,
    email_confirmed: bool,
    profile: Profile,
    storefront: Storefront | None,
    subscription: Subscription | None,
    studio_opened: bool,
) -> list[Step]:
    """The six steps in order, each with whether it is done."""
    has_plan = subscription is not None and subscription.status in Subscription.LIVE_STATUSES
    return [
        Step("email", "Confirm your e-mail address", reverse("account_email"), email_confirmed),
        # The business name comes with sign-up; a phone number is what a customer needs.
        Step(
            "profile",
            "Add your contact details to your profile",
            reverse("accounts:profile"),
            bool(profile.phone),
        ),
        Step(
            "storefront",
            "Build your storefront",
            reverse("storefronts:edit"),
            storefront is not None,
        ),
        Step(
            "publish",
            "Publish your storefront",
            reverse("storefronts:edit") + "#publish",
            storefront is not None and storefront.is_active,
        ),
        Step("plan", "Choose a plan", "/pricing/", has_plan),
        Step("studio", "Open MintKit Studio", reverse("billing:studio"), studio_opened),
    ]


def onboarding_for(
    *, profile: Profile, storefront: Storefront | None, subscription: Subscription | None
) -> dict:
    """Context for ``accounts/includes/onboarding.html``: ``onboarding`` (the steps, or an
    empty list once all are done) and ``onboarding_done`` (how many are). Two queries."""
    steps = onboarding_steps(
        email_confirmed=user_email_confirmed(user=profile.user),
        profile=profile,
        storefront=storefront,
        subscription=subscription,
        studio_opened=studio_opened(profile=profile),
    )
    done = sum(step.done for step in steps)
    return {"onboarding": [] if done == len(steps) else steps, "onboarding_done": done}
